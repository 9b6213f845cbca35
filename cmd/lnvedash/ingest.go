package main

import "context"

func runIngest(ctx context.Context, e env, args []string) error {
	return errNotBuilt
}
