package exports

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/queries"
)

// The per-unit checklist and stamped-copy table, on queries' hand-made fixture with stamped.sql (every
// cell below worked out by hand from those two files' rows): one row per rostered unit, universities
// not among them; 沈阳市 complete but its scan (09-12) older than its current checklist (09-25);
// 大连市 complete; 鞍山市 the scan only; 沈阳职业技术学院 the checklist only. The complete-return rate
// in the caption: cities 2 of 14, colleges 0 of 52. The xlsx carries the same cells as the CSV.
func TestStampedCopiesTable(t *testing.T) {
	db := stampedFixture(t)
	cities, schools := roster(t, "city", ""), roster(t, "school", "")
	h, rows := fixtureCSVWith(t, db, "stamped_copies", params())
	if got := strings.Join(h, ","); got != "单位,类型,所在市,计入的清单,清单修改时间,盖章扫描件,页数,盖章件修改时间,收到盖章件份数,报送完整,盖章件早于现行清单" {
		t.Errorf("header %s", got)
	}
	if len(rows) != cities+schools {
		t.Errorf("%d rows, want the %d rostered units", len(rows), cities+schools)
	}
	for _, r := range rows {
		if r[0] == "大连理工大学" {
			t.Error("a university is listed among the rostered units")
		}
	}
	checkCells(t, h, findRow(t, rows, "沈阳市"), map[string]string{
		"类型": "地市", "计入的清单": "沈阳市任务落实举措清单(修改).xlsx", "清单修改时间": "2021-09-25 09:00",
		"盖章扫描件": "沈阳市-盖章版.pdf", "页数": "3", "盖章件修改时间": "2021-09-12 09:00", "收到盖章件份数": "1",
		"报送完整": "是", "盖章件早于现行清单": "是",
	})
	checkCells(t, h, findRow(t, rows, "大连市"), map[string]string{
		"计入的清单": "大连.xlsx", "清单修改时间": "2021-09-18 09:00", "盖章扫描件": "大连市-盖章版.pdf", "页数": "2",
		"盖章件修改时间": "2021-09-19 09:00", "报送完整": "是", "盖章件早于现行清单": "否",
	})
	checkCells(t, h, findRow(t, rows, "鞍山市"), map[string]string{
		"计入的清单": "未收到", "清单修改时间": "", "盖章扫描件": "鞍山市盖章件.png", "页数": "1", "报送完整": "否", "盖章件早于现行清单": "否",
	})
	checkCells(t, h, findRow(t, rows, "沈阳职业技术学院"), map[string]string{
		"类型": "院校", "所在市": "沈阳市", "计入的清单": "沈阳职院一校一案清单.xlsx", "盖章扫描件": "未收到", "页数": "0",
		"盖章件修改时间": "", "收到盖章件份数": "0", "报送完整": "否", "盖章件早于现行清单": "",
	})

	// Filters: a city keeps its own plan and its colleges; kind=school only the colleges.
	p := params()
	p.Filter = queries.Filter{City: "沈阳市"}
	if _, rows := fixtureCSVWith(t, db, "stamped_copies", p); len(rows) != 1+roster(t, "school", "沈阳市") {
		t.Errorf("city=沈阳市: %d rows, want 沈阳市 and its %d colleges", len(rows), roster(t, "school", "沈阳市"))
	}
	p = params()
	p.Filter = queries.Filter{Kind: queries.KindSchool}
	if _, rows := fixtureCSVWith(t, db, "stamped_copies", p); len(rows) != schools {
		t.Errorf("kind=school: %d rows, want %d", len(rows), schools)
	}

	tb, err := Build(context.Background(), db, "stamped_copies", params())
	if err != nil {
		t.Fatal(err)
	}
	want := "地市 2/" + strconv.Itoa(cities) + "（14.3%），院校 0/" + strconv.Itoa(schools) + "（0.0%）"
	if !strings.Contains(tb.Caption, want) {
		t.Errorf("caption %q lacks the complete-return rate %q", tb.Caption, want)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, _ := f.GetRows(f.GetSheetName(0))
	for _, r := range xrows[HeaderRow:] {
		if len(r) > 9 && r[0] == "沈阳市" {
			if r[5] != "沈阳市-盖章版.pdf" || r[9] != "是" || r[10] != "是" {
				t.Errorf("xlsx row of 沈阳市 %q", r)
			}
			return
		}
	}
	t.Error("the xlsx has no row for 沈阳市")
}
