package bench

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lnvedash/queries"
	"lnvedash/seeds"
)

//go:embed progress.sql
var progressSQL string

// progressViews are the views of progress rounds (queries/views/0300_progress.sql).
var progressViews = []string{"progress", "measure_status", "completion_by_task", "completion_by_submitter",
	"completion_by_city", "completion_by_department", "completion_by_round", "target_achievement"}

// BenchmarkProgress: a progress round at 1,000 returns (progress.sql) over the 1,000-checklist corpus
// database: the Refresh that rebuilds the derived tables after such an ingest, then every progress view
// engine-only (as BenchmarkViews: DuckDB computes every value and folds it into one hash; aim 50 ms)
// and the dashboard's reads (Delivery, the whole red list). Run alone:
//
//	go test -run '^$' -bench Progress -benchtime 1x -count 3 ./bench/
func BenchmarkProgress(b *testing.B) {
	ctx := context.Background()
	for _, sc := range scales(1000) {
		path := copyDB(b, database(b, sc))
		var opt queries.Options // the roster the database was built with, or Open rebuilds the embedded one
		if dir := seedDir(b, sc); dir != "" {
			set, err := seeds.LoadDir(dir)
			if err != nil {
				b.Fatal(err)
			}
			opt.Seeds = set
		}
		db, err := queries.Open(ctx, path, opt)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := db.ExecContext(ctx, progressSQL); err != nil {
			b.Fatal(err)
		}
		b.Logf("progress round written in %v", time.Since(t0).Round(time.Millisecond))
		b.Run(fmt.Sprintf("%v/refresh", sc), func(b *testing.B) {
			timed(b, func(int) {
				if err := db.Refresh(ctx); err != nil {
					b.Fatal(err)
				}
			})
		})
		var returns, rows, measures int
		if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM file_rounds), (SELECT count(*) FROM progress),
			(SELECT count(*) FROM measure_status)`).Scan(&returns, &rows, &measures); err != nil {
			b.Fatal(err)
		}
		if returns != 1000 || rows == 0 || measures == 0 {
			b.Fatalf("progress round: %d returns, %d current rows, %d measures", returns, rows, measures)
		}
		b.Logf("%d progress returns, %d current progress rows, %d plan measures", returns, rows, measures)
		for _, v := range progressViews {
			b.Run(fmt.Sprintf("%v/view=%s/engine", sc, v), func(b *testing.B) {
				timed(b, func(int) {
					var h any
					if err := db.QueryRowContext(ctx, engineSQL(`"`+v+`"`)).Scan(&h); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
		b.Run(fmt.Sprintf("%v/api=Delivery", sc), func(b *testing.B) {
			timed(b, func(int) {
				if _, err := db.Delivery(ctx); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("%v/api=RedList", sc), func(b *testing.B) {
			timed(b, func(int) {
				if _, err := db.RedList(ctx, "", ""); err != nil {
					b.Fatal(err)
				}
			})
		})
		db.Close()
	}
}

// copyDB copies a corpus database so the progress round is written to a copy the other benchmarks
// never see.
func copyDB(b *testing.B, src string) string {
	dst := filepath.Join(b.TempDir(), "progress.duckdb")
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	return dst
}
