package layers

import (
	"bytes"
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const module = "lnvedash/"

// layer of every package of the module; a package may import only packages of a strictly lower layer.
// A new package must be placed here: the test fails on a package it does not know.
var layer = map[string]int{
	// 0: no package of the module below them
	"assets": 0, "csvcell": 0, "seeds": 0, "zhfmt": 0, "chartsvg": 0, "loadtest": 0,
	// 1: the database and the checklist template
	"queries": 1, "checklist": 1, "sqlconsole/sqlfmt": 1,
	// 2: what is built on the database
	"charts": 2, "ingest": 2, "sqlconsole": 2, "sqlconsole/sqltest": 2, "progressbook": 2,
	// personal links and sessions (access), and the experts' review built on them
	"access": 0, "review": 1,
	// 3: every file a person takes away; the sample generator (it loads its own plans to write progress returns)
	"exports": 3, "sample": 3,
	// 4: the benchmark corpora (built from the sample generator)
	"bench": 4,
	// 4: the web server
	"dashboard": 4,
	// test helpers: a database for tests (querytest), the sample-data ingested (ingesttest), xlsx styles read back (exporttest)
	"queries/querytest": 2, "ingest/ingesttest": 3, "exports/exporttest": 0,
	// 5: commands and test-only packages
	"cmd/lnvedash": 5, "bench/cmd/benchsum": 5, "bench/cmd/corpus": 5, "loadtest/cmd/loadtest": 5, "loadtest/cmd/abuse": 5, "e2e": 5, "faulttest": 5, "layers": 5,
}

type listed struct {
	ImportPath string
	Imports    []string
}

func goList(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "lnvedash/...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < len(layer)/2 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// TestNoPackageImportsUpward: the non-test imports of every package point to lower layers only
// (dashboard imports charts, exports, queries and sqlconsole; none of them imports dashboard).
func TestNoPackageImportsUpward(t *testing.T) {
	for _, p := range goList(t) {
		name := strings.TrimPrefix(p.ImportPath, module)
		l, ok := layer[name]
		if !ok {
			t.Errorf("package %s has no layer: add it to the table in layers_test.go", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if dl, known := layer[dep]; known && dl >= l {
				t.Errorf("%s (layer %d) imports %s (layer %d): a package may import only lower layers", name, l, dep, dl)
			}
		}
	}
}

// TestExportCommandImportsNoWebServer: `lnvedash export` writes every file from package exports, so
// it works without the web server (and a change to a handler cannot break it).
func TestExportCommandImportsNoWebServer(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../cmd/lnvedash/export.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		found = found || path == module+"exports"
		if path == module+"dashboard" {
			t.Errorf("cmd/lnvedash/export.go imports %s", path)
		}
	}
	if !found {
		t.Errorf("cmd/lnvedash/export.go does not import %sexports: where do its files come from?", module)
	}
}

// The README's layout table names every top-level folder of the repository, and only those.
func TestReadmeLayoutMatchesTree(t *testing.T) {
	out, err := exec.Command("git", "-C", "..", "-c", "core.quotepath=off", "ls-files").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v (the layout check reads the tracked files)", err)
	}
	tree := map[string]bool{}
	for _, f := range strings.Split(string(out), "\n") {
		if dir, _, ok := strings.Cut(f, "/"); ok && !strings.HasPrefix(dir, ".") {
			tree[dir] = true
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "## Layout")
	table, _, _ = strings.Cut(table, "\n## ")
	listed := map[string]bool{}
	for _, line := range strings.Split(table, "\n") {
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		for _, name := range strings.Split(first, ", ") {
			name = strings.Trim(name, "`")
			if dir, _, _ := strings.Cut(name, "/"); dir != "" && dir != "folder" && !strings.ContainsAny(dir, " |") {
				listed[dir] = true
			}
		}
	}
	for dir := range tree {
		if !listed[dir] {
			t.Errorf("folder %s/ is not in the README's layout table", dir)
		}
	}
	for dir := range listed {
		if !tree[dir] {
			t.Errorf("the README's layout table names %s/, which the repository does not have", dir)
		}
	}
}
