package main

import "context"

func runSQL(ctx context.Context, e env, args []string) error {
	return errNotBuilt
}
