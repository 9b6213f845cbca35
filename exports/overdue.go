package exports

// The overdue measures: what "N 条举措已过完成时间" opens, by unit, by lead department and one by one.

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"lnvedash/queries"
)

var quarterRe = regexp.MustCompile(`^(\d{4})(?:Q|年第)([1-4])(?:季度)?$`)

// ParseQuarter reads "2022Q2" or a bar label of the deadlines chart, "2022年第2季度", as "2022Q2"; ""
// when it is neither.
func ParseQuarter(s string) string {
	m := quarterRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return ""
	}
	return m[1] + "Q" + m[2]
}

// overdueNote states the cut of every overdue table.
func overdueNote(p Params) string {
	return "已逾期：完成时间早于 " + p.asOf().Format("2006-01-02") + "（长期/持续推进及未写明时间的不计）"
}

// buildOverdue is the overdue measures themselves, with the lead departments of their task.
func buildOverdue(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	p.Overdue = true
	t, err := buildMeasures(ctx, db, p)
	if err != nil {
		return nil, err
	}
	t.Caption = p.Caption(overdueNote(p))
	return t, nil
}

func buildOverdueByUnit(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	o, err := db.Overdue(ctx, p.asOf(), p.Quarter, p.Filter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{{"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0}, {"逾期举措", Int, 0}, {"最早完成时间", Date, 12}}}
	total := 0
	for _, u := range o.Units {
		t.Rows = append(t.Rows, []any{u.Submitter, queries.KindLabel(u.Kind), u.City, u.Measures, u.Earliest})
		total += u.Measures
	}
	t.Caption = p.Caption(fmt.Sprintf("%s；共 %d 条", overdueNote(p), total))
	return t, nil
}

func buildOverdueByDepartment(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	o, err := db.Overdue(ctx, p.asOf(), p.Quarter, p.Filter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{{"牵头部门", Text, 0}, {"逾期举措", Int, 0}, {"涉及单位", Int, 0}}}
	for _, d := range o.Departments {
		name := d.Department
		if name == "" {
			name = "（未能对应任务）"
		}
		t.Rows = append(t.Rows, []any{name, d.Measures, d.Submitters})
	}
	t.Caption = p.Caption(overdueNote(p) + "；一项任务有两个牵头部门时，其举措在两个部门下各计一次")
	return t, nil
}
