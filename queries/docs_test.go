package queries

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docs/SCHEMA.md is the analysts' contract: every view is documented there, and every example query
// in it runs as pasted. A renamed column must break this test, not an analyst's afternoon.
func TestSchemaDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	db := MustOpenFixture(t)
	ctx := context.Background()

	rows, err := db.QueryContext(ctx, `SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		views = append(views, v)
	}
	rows.Close()
	if len(views) < 15 {
		t.Fatalf("only %d views: %v", len(views), views)
	}
	for _, v := range views {
		if !strings.Contains(doc, "`"+v+"`") {
			t.Errorf("view %s is not documented in docs/SCHEMA.md", v)
		}
	}

	examples := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(doc, -1)
	if len(examples) < 9 {
		t.Fatalf("%d example queries found in docs/SCHEMA.md", len(examples))
	}
	for i, m := range examples {
		rows, err := db.QueryContext(ctx, m[1])
		if err != nil {
			t.Errorf("example %d does not run: %v\n%s", i+1, err, m[1])
			continue
		}
		cols, err := rows.Columns()
		for rows.Next() {
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
		if err != nil || len(cols) == 0 {
			t.Errorf("example %d: %v, %d columns\n%s", i+1, err, len(cols), m[1])
		}
	}
}
