package ingest

import (
	"os"
	"runtime/debug"
)

// A process that only ingests (lnvedash ingest, make bench's ingest child) runs in a fixed memory
// budget, whatever the number of files: peak RSS ≤ 300 MB at 1,000, 10,000 and 100,000 files
// (docs/BENCHMARKS.md, "Ingest memory"). Of that, ≈60 MB is the binary's code and ≈60 MB memory
// neither DuckDB nor Go accounts for; the rest is split between the two limits below.
const (
	// MemoryLimit is DuckDB's memory_limit for such a process. DuckDB writes a run's rows to the
	// database file as it goes and spills what it must keep (the last row group of each table) to the
	// folder beside it, so the limit bounds the run without failing it: 100,000 files in one run
	// completed under it. The dashboard serves with DuckDB's own default (80 % of RAM) instead, and
	// --memory-limit overrides either.
	MemoryLimit = "64MB"
	// GoMemoryLimit is the Go runtime's soft limit for such a process. A run keeps ≈0.4 KB per file
	// (its path, its verdict for the report: 40 MB at 100,000 files), and by default the garbage
	// collector lets the heap grow to twice that; under the limit it collects sooner once near it.
	// Below ≈20,000 files the limit is never reached and costs nothing.
	GoMemoryLimit = 64 << 20
)

// LimitGoMemory sets the Go runtime's soft memory limit to GoMemoryLimit, unless the GOMEMLIMIT
// environment variable sets one.
func LimitGoMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(GoMemoryLimit)
	}
}
