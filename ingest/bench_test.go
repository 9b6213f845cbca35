package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/queries"
	"lnvedash/seeds"
)

// benchFiles is how many checklists the benchmarks generate: LNVEDASH_BENCH_FILES, default 20.
func benchFiles() int {
	if n, err := strconv.Atoi(os.Getenv("LNVEDASH_BENCH_FILES")); err == nil && n > 0 {
		return n
	}
	return 20
}

// genChecklists writes n checklists of rows measures each, named after roster entries (cycling).
func genChecklists(tb testing.TB, dir string, n, rows int) []string {
	set := seeds.MustLoad()
	var paths []string
	for i := 0; i < n; i++ {
		sub := set.Submitters[i%len(set.Submitters)]
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			tb.Fatal(err)
		}
		_ = sw.SetRow("A1", []any{"单位：" + sub.Name + "（公章）"})
		_ = sw.SetRow("A2", header8)
		for r := 0; r < rows; r++ {
			task := set.Tasks[r%len(set.Tasks)]
			cell, _ := excelize.CoordinatesToCellName(1, r+3)
			_ = sw.SetRow(cell, []any{task.No, task.Area, task.Content, "", fmt.Sprintf("举措%d-%d", i, r),
				fmt.Sprintf("建设%d个，培训%d人次", r+1, 100*(r+1)), "办公室", "2022年6月"})
		}
		if err := sw.Flush(); err != nil {
			tb.Fatal(err)
		}
		_ = f.SetDocProps(&excelize.DocProperties{Modified: time.Date(2021, 7, 1, i%24, 0, 0, 0, time.UTC).Format(time.RFC3339)})
		p := filepath.Join(dir, fmt.Sprintf("%04d-%s.xlsx", i, sub.Name))
		if err := f.SaveAs(p); err != nil {
			tb.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	return paths
}

// BenchmarkIngest measures the whole pipeline (archive, parse in parallel, one transaction) into a
// fresh in-memory database per iteration.
func BenchmarkIngest(b *testing.B) {
	n := benchFiles()
	dir := b.TempDir()
	genChecklists(b, dir, n, 60)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := queries.Open(context.Background(), "", queries.Options{})
		if err != nil {
			b.Fatal(err)
		}
		data := b.TempDir()
		b.StartTimer()
		start := time.Now()
		res, err := Run(context.Background(), db, Options{DataDir: data}, dir)
		total += time.Since(start)
		b.StopTimer()
		if err != nil || len(res.Files) != n {
			b.Fatalf("%v %d", err, len(res.Files))
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "files/s")
}

// BenchmarkBareRead is the floor: excelize's streaming read of the same files, nothing else.
func BenchmarkBareRead(b *testing.B) {
	n := benchFiles()
	paths := genChecklists(b, b.TempDir(), n, 60)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, p := range paths {
			f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: DefaultLimits.MaxUnzipped, UnzipXMLSizeLimit: DefaultLimits.MaxXMLMemory, RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				if _, err := rows.Columns(); err != nil {
					b.Fatal(err)
				}
			}
			rows.Close()
			f.Close()
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "files/s")
}
