package dashboard

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every query parameter a handler or an export reads must be in pageParams: the page cache rewrites a
// request to carry those alone, so a parameter missing there is silently dropped (the search page's
// overdue filter was, once). The parameters are read from the sources, not from the list itself.
func TestPageParamsCoverEveryParameterRead(t *testing.T) {
	read := regexp.MustCompile(`(?:c\.Query|q\.Get|query\.Get|Query)\("([a-z_]+)"`)
	var files []string
	for _, dir := range []string{".", "../exports"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	found := 0
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(b), -1) {
			found++
			if !pageParams[m[1]] {
				t.Errorf("%s reads the query parameter %q, which pageParams (guard.go) does not keep", f, m[1])
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d parameter reads: the pattern no longer matches the handlers", found)
	}
}
