package dashboard

import "golang.org/x/sync/errgroup"

// parallel runs a page's independent queries at once (DuckDB serves each on its own connection) and
// returns the first error. A page then costs its slowest query, not the sum of them.
func parallel(fns ...func() error) error {
	var g errgroup.Group
	for _, fn := range fns {
		g.Go(fn)
	}
	return g.Wait()
}
