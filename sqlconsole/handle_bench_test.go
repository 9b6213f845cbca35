package sqlconsole

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkHandle is one warm statement through the worker's whole path (guard, fresh checked
// connection, run, result) in process, without the pipe: where a statement's fixed cost goes, with
// one and two DuckDB threads. `go test -run '^$' -bench Handle -cpuprofile …` shows the split.
func BenchmarkHandle(b *testing.B) {
	ctx := context.Background()
	db := newFixtureDB(b)
	g, err := newGuard(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	var kept warmSlot
	defer kept.drop()
	for _, threads := range []int{1, 2} {
		for _, q := range []string{"SELECT 1", "SELECT task_no, count(*), count(DISTINCT submitter) FROM measures GROUP BY ALL"} {
			b.Run(fmt.Sprintf("threads=%d/%s", threads, q), func(b *testing.B) {
				req := &request{Op: "query", SQL: q, DB: db, Warm: true, MaxRows: 10000, MaxBytes: 32 << 20,
					MaxMemory: "512MB", Threads: threads, TimeoutMS: 10000}
				for i := 0; i < b.N; i++ {
					if resp := handle(ctx, g, &kept, req); resp.Error != nil {
						b.Fatal(resp.Error)
					}
				}
			})
		}
	}
}
