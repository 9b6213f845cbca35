package ingest

import (
	"testing"
	"time"

	"lnvedash/seeds"
)

// BenchmarkRead is the reader alone (sniff, open, stream every sheet, interpret), no database: the part
// of ingest that reading headers/footers, hidden rows and number formats could slow down.
func BenchmarkRead(b *testing.B) {
	n := benchFiles()
	paths := genChecklists(b, b.TempDir(), n, 60)
	rd := NewReader(seeds.MustLoad())
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, p := range paths {
			if _, err := rd.Read(p, "bench.xlsx", time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "files/s")
}
