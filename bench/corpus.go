// Package bench holds what the proof harness shares: the scale-corpus generator, the helpers that run
// the lnvedash binary as a child process (peak RSS, a served app on loopback), and the benchmarks that
// span packages (bench_test.go). Nothing here is used by the product.
package bench

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lnvedash/sample"
	"lnvedash/seeds"
)

// Corpus describes a generated scale corpus.
type Corpus struct {
	Dir   string   // root folder; ingest it whole
	Paths []string // every file, in generation order
	Bytes int64    // total size of the files
	Units []string // per file, the unit it is sent by (canonical name)
}

// Sizes reads LNVEDASH_BENCH_FILES ("1000,10000"); def when unset or malformed.
func Sizes(def ...int) []int {
	var out []int
	for _, f := range strings.Split(os.Getenv("LNVEDASH_BENCH_FILES"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return def
	}
	return out
}

// RosterSizes reads LNVEDASH_BENCH_UNITS ("66,2000"): the benchmarks run once per roster of that
// many units (NationalRoster); [0], the embedded roster alone, when unset or malformed.
func RosterSizes() []int {
	var out []int
	for _, f := range strings.Split(os.Getenv("LNVEDASH_BENCH_UNITS"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []int{0}
	}
	return out
}

var modifiedRE = regexp.MustCompile(`(<dcterms:modified[^>]*>)([^<]*)(</dcterms:modified>)`)

// Generate writes a corpus of n returned checklists into dir (created if missing).
//
// The files are the returned checklists of the deterministic sample (sample.Generate: every header
// layout, merged and forward-filled cells, title rows, hidden and extra sheets, dates and quantities in
// every written form, identity by file name, 单位 cell or template), cycled: file k is sample checklist
// k mod R in folder v<k/R>/ under its own name, so each of the 63 rostered submitters sends one
// version per round, as in queries' bench database. Each copy's docProps/core.xml modified time moves
// one hour per round, so every file has its own SHA-256 and a later round supersedes an earlier one;
// every other zip entry is copied byte for byte. Rejected sample files (corrupt, encrypted, zip bomb,
// …) are left out: the corpus measures checklists. Generation takes well under a second per 1,000.
func Generate(dir string, n int) (*Corpus, error) {
	return GenerateRoster(dir, n, nil)
}

// GenerateRoster is Generate over a national roster (NationalRoster): a round is every province's
// copy of the sample's returns, so the current data grows with the units, not only the versions. File
// k is sample checklist k mod R of province (k/R) mod P, in folder v<round>/p<province>/; in a copied
// province each file is rewritten to its own unit — the unit's name and every alias, wherever the
// file says them (file name, shared strings, inline strings, print header and footer, the template's
// embedded identity, document properties) — so the ingest credits it to that unit and no evidence
// in it names another. A nil roster, or Liaoning's alone, gives Generate's corpus.
func GenerateRoster(dir string, n int, roster *Roster) (*Corpus, error) {
	set, err := seeds.Load()
	if err != nil {
		return nil, err
	}
	src, err := os.MkdirTemp("", "lnvedash-sample-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(src)
	m, err := sample.Generate(src, set)
	if err != nil {
		return nil, err
	}
	ret := m.Returned()
	if len(ret) == 0 {
		return nil, fmt.Errorf("bench: the sample has no returned checklists")
	}
	raws := make([][]byte, len(ret))
	for i, e := range ret {
		if raws[i], err = os.ReadFile(filepath.Join(src, e.File)); err != nil {
			return nil, err
		}
	}
	provinces := 1
	if roster != nil {
		provinces = len(roster.Provinces)
	}
	c := &Corpus{Dir: dir}
	perRound := len(ret) * provinces
	for k := 0; k < n; k++ {
		round, p, i := k/perRound, (k%perRound)/len(ret), k%len(ret)
		e := ret[i]
		name, unit, folder := e.File, e.Submitter, fmt.Sprintf("v%04d", round)
		var text func(string) string
		if provinces > 1 {
			sub, rename, ok := roster.Clone(p, e.Submitter)
			if !ok {
				return nil, fmt.Errorf("bench: %s: %s is not in the roster", e.File, e.Submitter)
			}
			if p > 0 {
				text = rename
			}
			name, unit, folder = rename(e.File), sub.Name, filepath.Join(folder, fmt.Sprintf("p%02d", p))
		}
		// A province's copies move by p seconds more: a file whose text names no unit (its file name
		// does) would otherwise be the same bytes in every province, a duplicate.
		b, err := rewrite(raws[i], time.Duration(round)*time.Hour+time.Duration(p)*time.Second, text)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", e.File, err)
		}
		path := filepath.Join(dir, folder, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return nil, err
		}
		c.Paths = append(c.Paths, path)
		c.Units = append(c.Units, unit)
		c.Bytes += int64(len(b))
	}
	return c, nil
}

// rewrite copies an xlsx, moving docProps/core.xml's modified time by shift (a round of 0 keeps it,
// but still rewrites the zip so every round is built the same way) and, when text is not nil,
// passing every XML part through it. Parts it leaves alone are copied byte for byte.
func rewrite(xlsx []byte, shift time.Duration, text func(string) string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		core := f.Name == "docProps/core.xml"
		if !core && (text == nil || !strings.HasSuffix(f.Name, ".xml")) {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		changed := core
		if text != nil {
			if t := text(string(part)); t != string(part) {
				part, changed = []byte(t), true
			}
		}
		if !changed {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		if core {
			var perr error
			part = modifiedRE.ReplaceAllFunc(part, func(b []byte) []byte {
				sm := modifiedRE.FindSubmatch(b)
				t, err := time.Parse(time.RFC3339, string(sm[2]))
				if err != nil {
					perr = err
					return b
				}
				found = true
				return []byte(string(sm[1]) + t.Add(shift).UTC().Format(time.RFC3339) + string(sm[3]))
			})
			if perr != nil {
				return nil, perr
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(part); err != nil {
			return nil, err
		}
	}
	if !found {
		// No modified time to move: add a comment so the hash still differs per round.
		if err := zw.SetComment(fmt.Sprintf("lnvedash bench round shift %v", shift)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
