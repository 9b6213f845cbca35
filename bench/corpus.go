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
	c := &Corpus{Dir: dir}
	for k := 0; k < n; k++ {
		round := k / len(ret)
		e := ret[k%len(ret)]
		b, err := restamp(raws[k%len(ret)], time.Duration(round)*time.Hour)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", e.File, err)
		}
		p := filepath.Join(dir, fmt.Sprintf("v%04d", round), e.File)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, err
		}
		c.Paths = append(c.Paths, p)
		c.Bytes += int64(len(b))
	}
	return c, nil
}

// restamp copies an xlsx, moving docProps/core.xml's modified time by shift (a round of 0 keeps it,
// but still rewrites the zip so every round is built the same way).
func restamp(xlsx []byte, shift time.Duration) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		if f.Name != "docProps/core.xml" {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		core, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		var perr error
		core = modifiedRE.ReplaceAllFunc(core, func(b []byte) []byte {
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
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(core); err != nil {
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
