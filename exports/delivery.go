package exports

import (
	"context"
	"fmt"
	"math"

	"lnvedash/queries"
	"lnvedash/zhfmt"
)

// The delivery tables (定期考核): what the latest progress returns say of every plan measure. Each
// states the round it stands at; before any progress round exists they say so and hold no rows.

// statusColumns are the count columns every delivery table shares, after its own leading columns.
var statusColumns = []Column{
	{"举措数", Int, 0}, {"已完成", Int, 0}, {"按期推进", Int, 0}, {"滞后", Int, 0}, {"未启动", Int, 0},
	{"已调整", Int, 0}, {"已取消", Int, 0}, {"未报告", Int, 0}, {"已过完成时间", Int, 0}, {"逾期未完成", Int, 0},
	{"完成率", Percent, 0}, {"报告率", Percent, 0},
}

func statusCells(c queries.StatusCounts) []any {
	return []any{c.Measures, c.Done, c.OnTrack, c.Late, c.NotStarted, c.Adjusted, c.Cancelled, c.NotReported,
		c.Overdue, c.Red, rateOrBlank(c.Done, c.Measures), rateOrBlank(c.Measures-c.NotReported, c.Measures)}
}

// rateOrBlank is a/b, blank (NaN) without a denominator: no measures is not 0 % done.
func rateOrBlank(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return Ratio(a, b)
}

// deliveryNote states the round the figures stand at, for every delivery table's caption.
func deliveryNote(ctx context.Context, db *queries.DB) (string, bool, error) {
	rounds, err := db.Rounds(ctx)
	if err != nil {
		return "", false, err
	}
	r, ok := queries.LatestProgressRound(rounds)
	if !ok {
		return "尚无进展轮次：各举措均未报告", false, nil
	}
	return fmt.Sprintf("完成状态取各单位最近一次进展报送（最近一轮：%s，截至 %s）；逾期未完成＝已过完成时间且未完成、未调整、未取消",
		r.Name, r.AsOf.Format("2006-01-02")), true, nil
}

func kindCells(kind string) string { return queries.KindLabel(kind) }

// completionTable builds completion_by_<dim>; lead names the leading column.
func completionTable(dim, lead string) func(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	return func(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
		note, _, err := deliveryNote(ctx, db)
		if err != nil {
			return nil, err
		}
		rows, err := db.Completion(ctx, dim)
		if err != nil {
			return nil, err
		}
		t := &Table{Columns: append([]Column{{lead, Text, 24}, {"类型", Text, 6}}, statusColumns...)}
		for _, r := range rows {
			if p.Filter.Kind != "" && r.Kind != p.Filter.Kind {
				continue
			}
			t.Rows = append(t.Rows, append([]any{r.Key, kindCells(r.Kind)}, statusCells(r.StatusCounts)...))
		}
		t.Caption = p.Caption(note)
		return t, nil
	}
}

func buildDelivery(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	d, err := db.Delivery(ctx)
	if err != nil {
		return nil, err
	}
	note, _, err := deliveryNote(ctx, db)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: append([]Column{{"范围", Text, 12}}, statusColumns...)}
	for _, c := range d.ByKind {
		t.Rows = append(t.Rows, append([]any{kindCells(c.Kind)}, statusCells(c)...))
	}
	if d.HasRound {
		t.Rows = append(t.Rows, append([]any{"合计"}, statusCells(d.Total)...))
	}
	t.Caption = p.Caption(note)
	return t, nil
}

func buildRedList(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	ms, err := db.RedList(ctx, p.Submitter, p.Filter.Department)
	if err != nil {
		return nil, err
	}
	note, _, err := deliveryNote(ctx, db)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{{"单位", Text, 24}, {"类型", Text, 6}, {"地市", Text, 10}, {"任务序号", Int, 8},
		{"具体举措", Text, 50}, {"完成时间（原文）", Text, 14}, {"完成时间", Date, 12}, {"完成状态", Text, 10},
		{"完成状态（原文）", Text, 14}, {"报告轮次", Int, 8}, {"举措编号", Text, 16}}}
	for _, m := range ms {
		var round any = ""
		if m.RoundID > 0 {
			round = m.RoundID
		}
		t.Rows = append(t.Rows, []any{m.Submitter, kindCells(m.Kind), m.City, m.TaskNo, m.Measure, m.Due, m.DueDate,
			m.Status, m.StatusText, round, m.Key})
	}
	t.Caption = p.Caption(note)
	return t, nil
}

func buildCompletionByRound(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	d, err := db.Delivery(ctx)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: append([]Column{{"轮次", Int, 6}, {"轮次名称", Text, 20}, {"统计截至", Date, 12}}, statusColumns[:8]...)}
	for _, f := range d.Trend {
		c := statusCells(f.StatusCounts)[:8]
		t.Rows = append(t.Rows, append([]any{f.RoundID, f.Name, f.AsOf}, c...))
	}
	t.Caption = p.Caption("每轮只计该轮本身的报送，未在该轮报告的举措计为未报告")
	return t, nil
}

func buildTargetAchievement(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	d, err := db.Delivery(ctx)
	if err != nil {
		return nil, err
	}
	note, _, err := deliveryNote(ctx, db)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{{"任务序号", Int, 8}, {"指标", Text, 28}, {"单位", Text, 6}, {"省级目标", Float, 0},
		{"地市承诺", Float, 0}, {"院校承诺", Float, 0}, {"地市已完成", Float, 0}, {"院校已完成", Float, 0}}}
	for _, a := range d.Targets {
		t.Rows = append(t.Rows, []any{a.TaskNo, a.Metric, a.Unit, a.Target, a.CommittedCities, a.CommittedSchools,
			a.AchievedCities, a.AchievedSchools})
	}
	t.Caption = p.Caption(note + "；地市与院校分列，不相加")
	return t, nil
}

// deliveryPackSheets join the meeting pack after the key numbers once a progress round exists.
var deliveryPackSheets = []packSheet{
	{table: "delivery"}, {table: "red_list"}, {table: "completion_by_city"},
	{table: "completion_by_department"}, {table: "target_achievement"}, {table: "completion_by_round"},
}

// packSheetsFor is the meeting pack's sheets: packSheets, with the delivery sheets after the key
// numbers when a progress round exists.
func packSheetsFor(ctx context.Context, db *queries.DB) ([]packSheet, error) {
	rounds, err := db.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := queries.LatestProgressRound(rounds); !ok {
		return packSheets, nil
	}
	out := append([]packSheet{}, packSheets[0])
	out = append(out, deliveryPackSheets...)
	return append(out, packSheets[1:]...), nil
}

// deliveryPoints are the report's sentences beside the status chart.
func deliveryPoints(d queries.Delivery) []string {
	t := d.Total
	pts := []string{
		fmt.Sprintf("第%d轮“%s”（统计截至 %s）：%d 条现行举措中，已完成 %d 条（%s），按期推进 %d 条，滞后 %d 条，未启动 %d 条，未报告 %d 条。",
			d.Round.ID, d.Round.Name, d.Round.AsOf.Format("2006-01-02"), t.Measures, t.Done, zhfmt.PctOf(t.Done, t.Measures),
			t.OnTrack, t.Late, t.NotStarted, t.NotReported),
		fmt.Sprintf("已过完成时间的 %d 条举措中，%d 条尚未完成（逾期未完成）。", t.Overdue, t.Red),
	}
	for i, u := range d.RedUnits {
		if i == 5 {
			break
		}
		pts = append(pts, fmt.Sprintf("逾期未完成较多：%s %d 条（共 %d 条举措）。", u.Submitter, u.Red, u.Measures))
	}
	return pts
}

// trendPoints are the report's sentences beside the trend chart.
func trendPoints(d queries.Delivery) []string {
	var pts []string
	for _, f := range d.Trend {
		pts = append(pts, fmt.Sprintf("%s（截至 %s）：已完成 %d 条，滞后 %d 条，未报告 %d 条（共 %d 条）。",
			f.Name, f.AsOf.Format("2006-01-02"), f.Done, f.Late, f.NotReported, f.Measures))
	}
	return pts
}
