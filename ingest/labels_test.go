package ingest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"lnvedash/queries"
)

// findingCodes collects every code ingest can write, read from its source: Code* constants, Code: "x"
// in composite literals and add(severity, "x", ...) calls. A new code written any of these ways is
// found without editing this test.
func findingCodes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	lit := func(e ast.Expr) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil && s != "" {
				set[s] = true
			}
		}
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ValueSpec:
				for i, id := range x.Names {
					if strings.HasPrefix(id.Name, "Code") && i < len(x.Values) {
						lit(x.Values[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && id.Name == "Code" {
					lit(x.Value)
				}
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "add" && len(x.Args) >= 2 {
					lit(x.Args[1])
					// add(sheet, row, SevX, "code", ...) of progress returns: the code follows the severity
					for i, a := range x.Args[:len(x.Args)-1] {
						if sev, ok := a.(*ast.Ident); ok && strings.HasPrefix(sev.Name, "Sev") {
							lit(x.Args[i+1])
						}
					}
				}
			}
			return true
		})
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// TestEveryFindingCodeHasALabel: every code shown to a person (finding tables, the correction list,
// a rejected file's page) has its Chinese label in queries.FindingLabel.
func TestEveryFindingCodeHasALabel(t *testing.T) {
	codes := findingCodes(t)
	if len(codes) < 15 {
		t.Fatalf("found only %d codes in ingest's source (%v): the scan is broken", len(codes), codes)
	}
	for _, c := range codes {
		if !queries.HasFindingLabel(c) {
			t.Errorf("finding code %q has no Chinese label: add one line to findingLabels in queries/labels.go", c)
		}
		if l := queries.FindingLabel(c); strings.ContainsAny(l, "_abcdefghijklmnopqrstuvwxyz") && !strings.Contains(l, "xls") {
			t.Errorf("label of %q is not Chinese: %q", c, l)
		}
	}
}
