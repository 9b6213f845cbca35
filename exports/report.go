package exports

// The printable report: ONE self-contained HTML file for A4 landscape, one chart per section with its
// key numbers in text beside it. Every chart is rendered to SVG on the server (package chartsvg: ECharts
// in goja) and inlined as a data: image, so the file has no script at all, fetches nothing, opens
// offline by double-click and prints to PDF the same way every time. The same WriteReport serves
// GET /report and `lnvedash export --report`.

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"lnvedash/charts"
	"lnvedash/queries"
	"lnvedash/zhfmt"
)

//go:embed report.tmpl
var reportSource string

// reportTemplate is parsed when the program starts: a broken template stops the server and the CLI
// at once rather than failing someone's first report.
var reportTemplate = template.Must(template.New("report.tmpl").Funcs(template.FuncMap{
	"pct": zhfmt.Pct, "num": zhfmt.Num, "join": strings.Join,
}).Parse(reportSource))

// chartFooter is the line drawn under every exported chart.
func chartFooter(p Params) string {
	return p.Describe() + " · 数据截至 " + p.AsOfDate().Format("2006-01-02") + " · 来源：" + Source
}

// ChartSVG draws the chart whose data is table name (one of charts.Names) under p, to SVG with its
// title and the scope, as-of date and source in the image.
func ChartSVG(ctx context.Context, db *queries.DB, name string, width int, p Params) (*charts.Chart, string, error) {
	ch, err := charts.BuildChart(ctx, db, name, p.Filter, p.AsOfDate())
	if err != nil {
		return nil, "", err
	}
	svg, err := charts.RenderSVG(ctx, ch, width, chartFooter(p))
	if err != nil {
		return nil, "", err
	}
	return ch, svg, nil
}

// reportView is what report.tmpl renders.
type reportView struct {
	Title     string
	Scope     string
	AsOf      string
	Generated string
	Source    string
	Basis     string // the on-time basis, stated on the cover
	Overview  *Table
	Returns   *Table
	Missing   []reportGroup
	Sections  []reportSection
}

type reportGroup struct {
	Label string
	Names []string
}

// reportSection is one page: a chart (an SVG as a data: URL) and its key numbers in text.
type reportSection struct {
	Title  string
	Chart  template.URL
	SVG    string // the SVG itself, kept for tests; not written to the page
	Width  int
	Height int
	Points []string
	Note   string
}

// ReportFileName is the suggested name of the report file.
func ReportFileName(p Params) string {
	scope := "全省"
	if p.Filter.City != "" {
		scope = p.Filter.City
	}
	return "部省共建任务落实情况_" + scope + "_" + p.AsOfDate().Format("20060102") + ".html"
}

// WriteReport writes the printable report under the filters in p (city, kind, task, area, dept and the
// as-of date).
func WriteReport(ctx context.Context, w io.Writer, db *queries.DB, p Params) error {
	v, err := buildReport(ctx, db, p)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func buildReport(ctx context.Context, db *queries.DB, p Params) (*reportView, error) {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	v := &reportView{
		Title: "辽宁省职业教育部省共建任务落实情况", Scope: p.Describe(), AsOf: p.AsOfDate().Format("2006年1月2日"),
		Generated: now.Format("2006-01-02 15:04"), Source: Source, Basis: p.Basis.Label(),
	}
	if p.Filter.City != "" {
		v.Title += "（" + p.Filter.City + "）"
	}
	var err error
	if v.Overview, err = Build(ctx, db, "overview", p); err != nil {
		return nil, err
	}
	if v.Returns, err = Build(ctx, db, "returns_summary", p); err != nil {
		return nil, err
	}
	chase, err := Build(ctx, db, "returns", p)
	if err != nil {
		return nil, err
	}
	missing := map[string][]string{}
	for _, r := range chase.Rows {
		if r[3] == "未报送" {
			missing[r[1].(string)] = append(missing[r[1].(string)], r[0].(string))
		}
	}
	for _, k := range []string{"地市", "院校"} {
		if len(missing[k]) > 0 {
			v.Missing = append(v.Missing, reportGroup{Label: k, Names: missing[k]})
		}
	}

	type plan struct {
		name   string
		title  string
		points func() ([]string, error)
	}
	plans := []plan{
		{"coverage_by_city", "各市“一市一策”报送与覆盖", func() ([]string, error) { return cityPoints(ctx, db, p) }},
		{"coverage_by_task", "各任务覆盖率", func() ([]string, error) { return taskPoints(ctx, db, p) }},
		{"target_progress", "量化目标：承诺与全省目标", func() ([]string, error) { return targetPoints(ctx, db, p) }},
		{"deadlines", "举措完成时间", func() ([]string, error) { return deadlinePoints(ctx, db, p) }},
		{"coverage_by_department", "各牵头部门所牵头任务的覆盖率", func() ([]string, error) { return departmentPoints(ctx, db, p) }},
		{"coverage_by_submitter", "院校“一校一案”覆盖率排名", func() ([]string, error) { return schoolPoints(ctx, db, p) }},
	}
	if d, err := db.Delivery(ctx); err != nil {
		return nil, err
	} else if d.HasRound {
		// once a progress round exists, delivery leads the report as it leads the overview
		plans = append([]plan{
			{"delivery", "落实进展：各举措完成状态", func() ([]string, error) { return deliveryPoints(d), nil }},
			{"completion_by_round", "各轮进展对比", func() ([]string, error) { return trendPoints(d), nil }},
		}, plans...)
	}
	v.Sections = make([]reportSection, len(plans))
	errs := make([]error, len(plans))
	var wg sync.WaitGroup
	for i, pl := range plans {
		q := p
		if pl.name == "coverage_by_submitter" {
			q.Filter.Kind = queries.KindSchool
		}
		ch, err := charts.BuildChart(ctx, db, pl.name, q.Filter, q.AsOfDate())
		if err != nil {
			return nil, err
		}
		pts, err := pl.points()
		if err != nil {
			return nil, err
		}
		sec := reportSection{Title: pl.title, Width: charts.Width, Height: ch.H(), Points: pts}
		if pl.name == "coverage_by_city" || pl.name == "coverage_by_department" {
			if p.Filter.City != "" || p.Filter.Kind != "" {
				sec.Note = "本图为全省口径。"
			}
		}
		wg.Add(1)
		go func() { // the renderer's pool bounds how many run at once
			defer wg.Done()
			svg, err := charts.RenderSVG(ctx, ch, charts.Width, chartFooter(q))
			if err != nil {
				errs[i] = err
				return
			}
			sec.SVG = svg
			sec.Chart = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg)))
			v.Sections[i] = sec
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func cityPoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	rows, err := db.CoverageByCity(ctx)
	if err != nil {
		return nil, err
	}
	returned := 0
	var missing []string
	var ret []queries.CityCoverage
	for _, r := range rows {
		if r.CityReturned {
			returned++
			ret = append(ret, r)
		} else {
			missing = append(missing, r.City)
		}
	}
	out := []string{fmt.Sprintf("已报送“一市一策”的地市 %d/%d 个（%s）。", returned, len(rows), zhfmt.PctOf(returned, len(rows)))}
	if len(missing) > 0 {
		out = append(out, "尚未报送："+strings.Join(missing, "、")+"。")
	}
	sort.SliceStable(ret, func(i, j int) bool { return ret[i].CityCoverage > ret[j].CityCoverage })
	if len(ret) > 0 {
		hi, lo := ret[0], ret[len(ret)-1]
		out = append(out, fmt.Sprintf("覆盖率最高：%s %s（%d/%d 项）；最低：%s %s（%d/%d 项）。",
			hi.City, zhfmt.Pct(hi.CityCoverage), hi.CityTasksAddressed, hi.CityTasksExpected,
			lo.City, zhfmt.Pct(lo.CityCoverage), lo.CityTasksAddressed, lo.CityTasksExpected))
	}
	for _, r := range rows {
		if p.Filter.City != "" && r.City == p.Filter.City {
			state := "已报送"
			if !r.CityReturned {
				state = "未报送"
			}
			out = append(out, fmt.Sprintf("%s：一市一策%s，覆盖率 %s（%d/%d 项）；本市院校报送 %d/%d 所，覆盖率 %s。",
				r.City, state, zhfmt.Pct(r.CityCoverage), r.CityTasksAddressed, r.CityTasksExpected, r.SchoolsReturned, r.SchoolsExpected, zhfmt.Pct(r.SchoolCoverage)))
		}
	}
	return out, nil
}

func taskPoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	rows, err := db.CoverageByTask(ctx, p.Filter)
	if err != nil {
		return nil, err
	}
	var ce, ca, se, sa int
	var noCity []string
	for _, r := range rows {
		ce += r.CitiesExpected
		ca += r.CitiesResponded
		se += r.SchoolsExpected
		sa += r.SchoolsResponded
		if r.CitiesExpected > 0 && r.CitiesResponded == 0 {
			noCity = append(noCity, strconv.Itoa(r.TaskNo))
		}
	}
	out := []string{
		fmt.Sprintf("共 %d 项任务。", len(rows)),
		fmt.Sprintf("地市：应落实（地市×任务）%s 项，已有举措 %s 项（%s）。", zhfmt.Num(ce), zhfmt.Num(ca), zhfmt.PctOf(ca, ce)),
		fmt.Sprintf("院校：应落实（院校×任务）%s 项，已有举措 %s 项（%s）。", zhfmt.Num(se), zhfmt.Num(sa), zhfmt.PctOf(sa, se)),
	}
	low := append([]queries.TaskCoverage(nil), rows...)
	sort.SliceStable(low, func(i, j int) bool {
		return coverageKey(low[i]) < coverageKey(low[j])
	})
	var names []string
	for _, r := range low {
		if len(names) == 5 {
			break
		}
		if r.CitiesExpected+r.SchoolsExpected == 0 {
			continue
		}
		names = append(names, fmt.Sprintf("任务%d（地市 %s，院校 %s）", r.TaskNo, zhfmt.PctOf(r.CitiesResponded, r.CitiesExpected), zhfmt.PctOf(r.SchoolsResponded, r.SchoolsExpected)))
	}
	if len(names) > 0 {
		out = append(out, "覆盖最低："+strings.Join(names, "；")+"。")
	}
	if len(noCity) > 0 {
		out = append(out, "没有地市落实的任务："+strings.Join(noCity, "、")+"。")
	}
	return out, nil
}

// coverageKey orders tasks by their pooled coverage, tasks nobody is expected to address last.
func coverageKey(r queries.TaskCoverage) float64 {
	e := r.CitiesExpected + r.SchoolsExpected
	if e == 0 {
		return math.Inf(1)
	}
	return float64(r.CitiesResponded+r.SchoolsResponded) / float64(e)
}

func targetPoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	rows, err := db.TargetProgress(ctx, p.Filter)
	if err != nil {
		return nil, err
	}
	var cityMet, schoolMet, none []string
	for _, t := range rows {
		if t.CityRatio >= 1 {
			cityMet = append(cityMet, t.Metric)
		}
		if t.SchoolRatio >= 1 {
			schoolMet = append(schoolMet, t.Metric)
		}
		if t.Commitments == 0 {
			none = append(none, t.Metric)
		}
	}
	out := []string{fmt.Sprintf("共 %d 项量化目标；地市承诺已达全省目标的 %d 项，院校承诺已达的 %d 项。", len(rows), len(cityMet), len(schoolMet))}
	if len(none) > 0 {
		out = append(out, "尚无任何单位承诺："+strings.Join(none, "、")+"。")
	}
	out = append(out, "地市、院校分列：市方案可能已含本市院校的工作，二者相加可能重复计算。")
	return out, nil
}

func deadlinePoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	d, err := db.Deadlines(ctx, p.AsOfDate(), p.Filter)
	if err != nil {
		return nil, err
	}
	return []string{
		fmt.Sprintf("对应任务的举措共 %s 条。", zhfmt.Num(d.Total)),
		fmt.Sprintf("截至 %s 已过完成时间 %s 条（%s）。", p.AsOfDate().Format("2006年1月2日"), zhfmt.Num(d.Overdue), zhfmt.PctOf(d.Overdue, d.Total)),
		fmt.Sprintf("定于2022年底前完成 %s 条（%s）；2022年以后 %s 条。", zhfmt.Num(d.WithinTargetYear), zhfmt.PctOf(d.WithinTargetYear, d.Total), zhfmt.Num(d.Later)),
		fmt.Sprintf("长期/持续推进 %s 条，未写明完成时间 %s 条。", zhfmt.Num(d.Ongoing), zhfmt.Num(d.NoDate)),
	}, nil
}

func departmentPoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	rows, err := db.CoverageByDepartment(ctx)
	if err != nil {
		return nil, err
	}
	var kept []queries.DepartmentCoverage
	leading := 0
	for _, r := range rows {
		if r.Tasks > 0 {
			leading++
		}
		if r.ExpectedPairs > 0 { // a department whose tasks no city or college is expected to address has no coverage
			kept = append(kept, r)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Coverage < kept[j].Coverage })
	out := []string{fmt.Sprintf("%d 个部门牵头任务，其中 %d 个所牵头的任务需由地市或院校落实。", leading, len(kept))}
	var low []string
	for i, r := range kept {
		if i == 3 {
			break
		}
		low = append(low, fmt.Sprintf("%s %s（%d/%d）", r.Department, zhfmt.Pct(r.Coverage), r.AddressedPairs, r.ExpectedPairs))
	}
	if len(low) > 0 {
		out = append(out, "覆盖最低："+strings.Join(low, "；")+"。")
	}
	return out, nil
}

func schoolPoints(ctx context.Context, db *queries.DB, p Params) ([]string, error) {
	f := p.Filter
	rows, err := db.CoverageBySubmitter(ctx, queries.KindSchool, f)
	if err != nil {
		return nil, err
	}
	returned, exp, addr := 0, 0, 0
	var ret []queries.SubmitterCoverage
	for _, r := range rows {
		exp += r.TasksExpected
		addr += r.TasksAddressed
		if r.Returned {
			returned++
			ret = append(ret, r)
		}
	}
	out := []string{
		fmt.Sprintf("已报送“一校一案”的院校 %d/%d 所（%s）。", returned, len(rows), zhfmt.PctOf(returned, len(rows))),
		fmt.Sprintf("院校合计覆盖率 %s（%s/%s 项）。", zhfmt.PctOf(addr, exp), zhfmt.Num(addr), zhfmt.Num(exp)),
	}
	if len(ret) > 0 {
		var top, bottom []string
		for i := 0; i < len(ret) && i < 3; i++ {
			top = append(top, ret[i].Submitter+" "+zhfmt.Pct(ret[i].Coverage))
		}
		for i := len(ret) - 1; i >= 0 && i >= len(ret)-3 && i >= 3; i-- {
			bottom = append(bottom, ret[i].Submitter+" "+zhfmt.Pct(ret[i].Coverage))
		}
		out = append(out, "前三："+strings.Join(top, "；")+"。")
		if len(bottom) > 0 {
			out = append(out, "末三（已报送者）："+strings.Join(bottom, "；")+"。")
		}
	}
	return out, nil
}
