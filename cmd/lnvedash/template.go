package main

import "context"

func runTemplate(ctx context.Context, e env, args []string) error {
	return errNotBuilt
}
