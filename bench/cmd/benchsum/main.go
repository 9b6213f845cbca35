// Command benchsum reads `go test -bench` output of ./bench (stdin) and prints the medians over
// -count runs as Markdown tables: ingest beside the bare read (files/s, MB/s, peak RSS, ratio), and
// views, pages and SQL per size with the growth factor between the smallest and largest size. A size
// is a number of files, and with LNVEDASH_BENCH_UNITS a number of rostered units too ("10000 · 2046
// units"): sizes sort by files, then units.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var lineRE = regexp.MustCompile(`^Benchmark(\w+)/files=(\d+)(?:/units=(\d+))?/(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// size is a corpus: files, and rostered units (0: not given).
type size struct{ files, units int }

func (s size) String() string {
	if s.units == 0 {
		return strconv.Itoa(s.files)
	}
	return fmt.Sprintf("%d · %d units", s.files, s.units)
}

type key struct {
	family string
	n      size
	rest   string
}

func main() {
	vals := map[key]map[string][]float64{}
	var order []key
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		files, _ := strconv.Atoi(m[2])
		units, _ := strconv.Atoi(m[3])
		k := key{m[1], size{files, units}, m[4]}
		if vals[k] == nil {
			vals[k] = map[string][]float64{}
			order = append(order, k)
		}
		f := strings.Fields(m[5])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				vals[k][f[i+1]] = append(vals[k][f[i+1]], v)
			}
		}
	}
	med := func(k key, unit string) (float64, int) {
		xs := slices.Clone(vals[k][unit])
		if len(xs) == 0 {
			return 0, 0
		}
		sort.Float64s(xs)
		if len(xs)%2 == 1 {
			return xs[len(xs)/2], len(xs)
		}
		return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2, len(xs)
	}
	sizes := map[string][]size{}
	rests := map[string][]string{}
	for _, k := range order {
		if !slices.Contains(sizes[k.family], k.n) {
			sizes[k.family] = append(sizes[k.family], k.n)
		}
		if !slices.Contains(rests[k.family], k.rest) {
			rests[k.family] = append(rests[k.family], k.rest)
		}
	}
	for _, s := range sizes {
		slices.SortFunc(s, func(a, b size) int {
			if a.files != b.files {
				return a.files - b.files
			}
			return a.units - b.units
		})
	}

	if ns := sizes["Ingest"]; len(ns) > 0 {
		fmt.Println("### Ingest beside the bare excelize read (medians)")
		fmt.Println()
		fmt.Println("| checklists | runs | bare read files/s | ingest files/s | ingest MB/s | ingest ÷ bare time | bare CPU s | ingest CPU s | ingest ÷ bare CPU | bare peak RSS MiB | ingest peak RSS MiB | measures | database MiB |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, n := range ns {
			b, i := key{"Ingest", n, "bare"}, key{"Ingest", n, "ingest"}
			bf, _ := med(b, "files/s")
			inf, runs := med(i, "files/s")
			imb, _ := med(i, "MB/s")
			bw, _ := med(b, "work-s")
			iw, _ := med(i, "work-s")
			br, _ := med(b, "peak-RSS-MiB")
			ir, _ := med(i, "peak-RSS-MiB")
			ms, _ := med(i, "measures")
			dbm, _ := med(i, "db-MiB")
			bc, _ := med(b, "cpu-s")
			ic, _ := med(i, "cpu-s")
			ratio, cratio := 0.0, 0.0
			if bw > 0 {
				ratio = iw / bw
			}
			if bc > 0 {
				cratio = ic / bc
			}
			fmt.Printf("| %v | %d | %.0f | %.1f | %.2f | %.2f× | %.1f | %.1f | %.2f× | %.0f | %.0f | %.0f | %.0f |\n", n, runs, bf, inf, imb, ratio, bc, ic, cratio, br, ir, ms, dbm)
		}
		fmt.Println()
	}
	if ns := sizes["Views"]; len(ns) > 0 {
		printViews(ns, rests["Views"], med)
	}
	for _, fam := range []string{"Pages", "SQL"} {
		ns := sizes[fam]
		if len(ns) == 0 {
			continue
		}
		fmt.Printf("### %s: median time in ms (median of the runs' medians)\n\n", fam)
		head := "| " + strings.ToLower(fam) + " |"
		sep := "|---|"
		for _, n := range ns {
			head += fmt.Sprintf(" %v |", n)
			sep += "---:|"
		}
		if len(ns) > 1 {
			head += fmt.Sprintf(" growth %v→%v |", ns[0], ns[len(ns)-1])
			sep += "---:|"
		}
		fmt.Println(head)
		fmt.Println(sep)
		for _, r := range rests[fam] {
			line := "| " + r + " |"
			var first, last float64
			for j, n := range ns {
				v, c := med(key{fam, n, r}, "ns/op")
				if c == 0 {
					line += " – |"
					continue
				}
				if j == 0 {
					first = v
				}
				last = v
				line += fmt.Sprintf(" %.2f |", v/1e6)
			}
			if len(ns) > 1 {
				if first > 0 {
					line += fmt.Sprintf(" %.1f× |", last/first)
				} else {
					line += " – |"
				}
			}
			fmt.Println(line)
		}
		fmt.Println()
	}
}

// printViews prints one line per view (or reference table): the engine's time to compute the whole
// answer and the time to read every row into Go, per size, the read-out's growth and its row count.
func printViews(ns []size, rests []string, med func(key, string) (float64, int)) {
	fmt.Println("### Views: median time in ms (median of the runs' medians)")
	fmt.Println()
	head, sep := "| view |", "|---|"
	for _, n := range ns {
		head += fmt.Sprintf(" engine %v |", n)
		sep += "---:|"
	}
	if len(ns) > 1 {
		head += " engine growth |"
		sep += "---:|"
	}
	for _, n := range ns {
		head += fmt.Sprintf(" read-out %v |", n)
		sep += "---:|"
	}
	if len(ns) > 1 {
		head += fmt.Sprintf(" read-out growth %v→%v |", ns[0], ns[len(ns)-1])
		sep += "---:|"
	}
	fmt.Println(head + fmt.Sprintf(" rows at %v |", ns[len(ns)-1]))
	fmt.Println(sep + "---:|")
	var names []string
	for _, r := range rests {
		name, _, _ := strings.Cut(r, "/")
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	cell := func(n size, r string) (string, float64) {
		v, c := med(key{"Views", n, r}, "ns/op")
		if c == 0 {
			return " – |", 0
		}
		return fmt.Sprintf(" %.2f |", v/1e6), v
	}
	for _, name := range names {
		line := "| " + strings.TrimPrefix(name, "view=") + " |"
		var efirst, elast float64
		for j, n := range ns {
			c, v := cell(n, name+"/engine")
			line += c
			if j == 0 {
				efirst = v
			}
			elast = v
		}
		if len(ns) > 1 {
			line += growth(efirst, elast)
		}
		var first, last float64
		for j, n := range ns {
			c, v := cell(n, name+"/readout")
			line += c
			if j == 0 {
				first = v
			}
			last = v
		}
		if len(ns) > 1 {
			line += growth(first, last)
		}
		rows, _ := med(key{"Views", ns[len(ns)-1], name + "/readout"}, "rows")
		fmt.Println(line + fmt.Sprintf(" %.0f |", rows))
	}
	fmt.Println()
}

// growth is a table cell: last ÷ first, or – when first is missing.
func growth(first, last float64) string {
	if first > 0 && last > 0 {
		return fmt.Sprintf(" %.1f× |", last/first)
	}
	return " – |"
}
