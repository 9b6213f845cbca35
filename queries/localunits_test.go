package queries

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestLocalUnitsSplitOutsideBrackets: 责任单位 cells as cities write them are split on 、，,/ and spaces
// only outside brackets (issue 20: "各县（市、区）政府" had become "各县（市" and "区）政府"); a trailing
// remark in brackets is dropped, one in the middle is part of the name. Expected pieces by hand.
func TestLocalUnitsSplitOutsideBrackets(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	cases := []struct {
		owner string
		units []string
	}{
		{"各县（市、区）政府", []string{"各县（市、区）政府"}},
		{"市教育局（牵头）、各县（市、区）政府", []string{"市教育局", "各县（市、区）政府"}},
		{"各县(市、区)人民政府，市财政局", []string{"各县(市、区)人民政府", "市财政局"}},
		{"各县（市、县、区、乡）政府/市人社局", []string{"各县（市、县、区、乡）政府", "市人社局"}},
		{"【市教育局、市发改委】联合工作组、市工信局", []string{"【市教育局、市发改委】联合工作组", "市工信局"}},
		{"《实施方案》起草组、“双高”办公室（牵头）", []string{"《实施方案》起草组", "“双高”办公室"}},
		{"省人社厅（牵头）、市发展改革委", []string{"省人力资源社会保障厅", "市发展改革委"}},
	}
	for i, c := range cases {
		q := fmt.Sprintf(`INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES (3, '清单', %d, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '举措%d', NULL, '%s', NULL, NULL, false)`,
			100+i, i, strings.ReplaceAll(c.owner, "'", "''"))
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		rows, err := db.QueryContext(ctx, `SELECT unit FROM local_units WHERE submission_id = 3 AND "row" = ? ORDER BY unit_raw = owner DESC, length(unit_raw)`, 100+i)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				t.Fatal(err)
			}
			got = append(got, u)
		}
		rows.Close()
		want := append([]string(nil), c.units...)
		sort.Strings(got)
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: units %q, want %q", c.owner, got, want)
		}
	}
}
