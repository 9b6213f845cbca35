package queries

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSQLFiles checks that every query name used in the Go code has its sql/<name>.sql file and that no
// .sql file is left unused: mustSQL panics on a missing name, so this catches it before a user does.
func TestSQLFiles(t *testing.T) {
	used := map[string]bool{}
	// mustSQL("name") and querySlice(ctx, db, "name", …) (any context variable and querier)
	re := regexp.MustCompile(`(?:mustSQL\(|querySlice\(\w+, [\w.]+, )"([a-z_.]+)"`)
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	for name := range used {
		if _, err := fs.Stat(sqlFiles, "sql/"+name+".sql"); err != nil {
			t.Errorf("query %q has no sql/%s.sql", name, name)
		}
	}
	entries, err := fs.ReadDir(sqlFiles, "sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		if !used[name] {
			t.Errorf("sql/%s is not used by any Go function", e.Name())
		}
	}
}
