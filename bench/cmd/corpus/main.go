// Command corpus writes a scale corpus to a folder, for the runs docs/BENCHMARKS.md quotes outside
// `make bench` (100,000 files ingested by the real binary, pages timed on the result):
//
//	go run ./bench/cmd/corpus -n 100000 -o /tmp/c100k              # versions of Liaoning's units
//	go run ./bench/cmd/corpus -n 10000 -units 2000 -o /tmp/c -seeds /tmp/c-seeds   # a national roster
//
// With -units the roster is written to -seeds, the folder `lnvedash --seeds` then takes.
package main

import (
	"flag"
	"fmt"
	"os"

	"lnvedash/bench"
)

func main() {
	n := flag.Int("n", 1000, "returned checklists to write")
	out := flag.String("o", "", "folder to write them into (created)")
	units := flag.Int("units", 0, "units of a national roster (0: Liaoning's roster)")
	seedsDir := flag.String("seeds", "", "with -units: folder for the roster's submitters.csv")
	flag.Parse()
	if err := run(*n, *out, *units, *seedsDir); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(n int, out string, units int, seedsDir string) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	var roster *bench.Roster
	if units > 0 {
		if seedsDir == "" {
			return fmt.Errorf("-units needs -seeds DIR (lnvedash must be run with --seeds DIR on the result)")
		}
		var err error
		if roster, err = bench.NationalRoster(units); err != nil {
			return err
		}
		if _, err := roster.WriteSeeds(seedsDir); err != nil {
			return err
		}
	}
	c, err := bench.GenerateRoster(out, n, roster)
	if err != nil {
		return err
	}
	fmt.Printf("%d files, %.1f MB, in %s\n", len(c.Paths), float64(c.Bytes)/1e6, c.Dir)
	return nil
}
