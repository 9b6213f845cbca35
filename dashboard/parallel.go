package dashboard

import "sync"

// parallel runs a page's independent queries at once (DuckDB serves each on its own connection) and
// returns the first error. A page then costs its slowest query, not the sum of them.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
