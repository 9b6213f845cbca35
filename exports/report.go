package dashboard

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

	"lnvedash/chartsvg"
	"lnvedash/exports"
	"lnvedash/queries"
)

//go:embed templates/report.tmpl
var reportSource string

// reportTemplate is parsed on first use, after every init has added its helpers to funcs.
var reportTemplate = sync.OnceValues(func() (*template.Template, error) {
	t, err := template.New("report.tmpl").Funcs(funcs).Parse(reportSource)
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	return t, nil
})

// chartRendererSize is how many goja runtimes render charts at once: each holds ECharts (~1 MB of
// script, ~0.2 s to load), and the server has two cores.
const chartRendererSize = 2

// ChartRenderer is the process's server-side chart renderer, built from the embedded ECharts, the
// Liaoning map and static/export.js (whose decorate() draws title, as-of date and source into the
// image exactly as the browser's export buttons do). It depends only on embedded files, so one per
// process is shared by the server and the CLI; its runtimes are created on first use.
var ChartRenderer = sync.OnceValues(func() (*chartsvg.Renderer, error) {
	lib, err := staticFS.ReadFile("static/vendor/echarts.min.js")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: %w (%w)", err, chartsvg.ErrNoLibrary)
	}
	geo, err := staticFS.ReadFile("static/vendor/liaoning.json")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: map: %w", err)
	}
	prelude, err := staticFS.ReadFile("static/export.js")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: %w", err)
	}
	return chartsvg.New(chartsvg.Options{ECharts: lib, Maps: map[string][]byte{"辽宁": geo}, Prelude: prelude,
		Size: chartRendererSize, Timeout: time.Minute})
})

// ChartWidth is the width charts are rendered at for the report and /export/chart/NAME.svg.
const ChartWidth = 1000

// chartNames are the charts /export/chart/NAME.svg can draw; NAME is the table holding the chart's data.
var chartNames = []string{"coverage_by_task", "coverage_by_city", "coverage_by_submitter", "coverage_by_department", "target_progress", "deadlines"}

// BuildChart builds the chart whose data is the export table name, under the filters in p.
func BuildChart(ctx context.Context, db *queries.DB, name string, p exports.Params) (*Chart, error) {
	f := p.Filter
	var ch *Chart
	switch name {
	case "coverage_by_task":
		rows, err := db.CoverageByTask(ctx, f)
		if err != nil {
			return nil, err
		}
		ch = ChartTaskCoverage("taskcov", rows, false)
	case "coverage_by_city":
		rows, err := db.CoverageByCity(ctx)
		if err != nil {
			return nil, err
		}
		ch = ChartCityMap("citymap", rows)
	case "coverage_by_submitter":
		kind := f.Kind
		if kind == "" {
			kind = queries.KindSchool
		}
		rows, err := db.CoverageBySubmitter(ctx, kind, f)
		if err != nil {
			return nil, err
		}
		title := "各院校“一校一案”覆盖率"
		if kind == queries.KindCity {
			title = "各市“一市一策”覆盖率"
		}
		ch = ChartSubmitterRanking("ranking", title, "", rows)
	case "coverage_by_department":
		rows, err := db.CoverageByDepartment(ctx)
		if err != nil {
			return nil, err
		}
		ch = ChartDepartmentCoverage("departments", rows)
	case "target_progress":
		rows, err := db.TargetProgress(ctx, f)
		if err != nil {
			return nil, err
		}
		ch = ChartTargetProgress("targets", rows)
	case "deadlines":
		d, err := db.Deadlines(ctx, p.AsOfDate(), f)
		if err != nil {
			return nil, err
		}
		ch = ChartDeadlines("deadlines", d)
	default:
		return nil, fmt.Errorf("chart %q: %w", name, queries.ErrNotFound)
	}
	ch.Table = name
	return ch, nil
}

// chartFooter is the line drawn under every exported chart.
func chartFooter(p exports.Params) string {
	return p.Describe() + " · 数据截至 " + p.AsOfDate().Format("2006-01-02") + " · 来源：" + exports.Source
}

// RenderChartSVG draws a chart to SVG with its title and the as-of date and source in the image.
func RenderChartSVG(ctx context.Context, ch *Chart, width int, p exports.Params) (string, error) {
	r, err := ChartRenderer()
	if err != nil {
		return "", err
	}
	svg, err := r.Render(ctx, chartsvg.Chart{Option: ch.Option, Width: width, Height: ch.H(), Title: ch.Title, Footer: chartFooter(p)})
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", ch.ID, err)
	}
	return svg, nil
}

// reportView is what report.tmpl renders.
type reportView struct {
	Title     string
	Scope     string
	AsOf      string
	Generated string
	Source    string
	Overview  *exports.Table
	Returns   *exports.Table
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
func ReportFileName(p exports.Params) string {
	scope := "全省"
	if p.Filter.City != "" {
		scope = p.Filter.City
	}
	return "部省共建任务落实情况_" + scope + "_" + p.AsOfDate().Format("20060102") + ".html"
}

// WriteReport writes the printable report under the filters in p (city, kind, task, area, dept and the
// as-of date).
func WriteReport(ctx context.Context, w io.Writer, db *queries.DB, p exports.Params) error {
	v, err := buildReport(ctx, db, p)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	t, err := reportTemplate()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func buildReport(ctx context.Context, db *queries.DB, p exports.Params) (*reportView, error) {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	v := &reportView{
		Title: "辽宁省职业教育部省共建任务落实情况", Scope: p.Describe(), AsOf: p.AsOfDate().Format("2006年1月2日"),
		Generated: now.Format("2006-01-02 15:04"), Source: exports.Source,
	}
	if p.Filter.City != "" {
		v.Title += "（" + p.Filter.City + "）"
	}
	var err error
	if v.Overview, err = exports.Build(ctx, db, "overview", p); err != nil {
		return nil, err
	}
	if v.Returns, err = exports.Build(ctx, db, "returns_summary", p); err != nil {
		return nil, err
	}
	chase, err := exports.Build(ctx, db, "returns", p)
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
	v.Sections = make([]reportSection, len(plans))
	errs := make([]error, len(plans))
	var wg sync.WaitGroup
	for i, pl := range plans {
		q := p
		if pl.name == "coverage_by_submitter" {
			q.Filter.Kind = queries.KindSchool
		}
		ch, err := BuildChart(ctx, db, pl.name, q)
		if err != nil {
			return nil, err
		}
		pts, err := pl.points()
		if err != nil {
			return nil, err
		}
		sec := reportSection{Title: pl.title, Width: ChartWidth, Height: ch.H(), Points: pts}
		if pl.name == "coverage_by_city" || pl.name == "coverage_by_department" {
			if p.Filter.City != "" || p.Filter.Kind != "" {
				sec.Note = "本图为全省口径。"
			}
		}
		wg.Add(1)
		go func() { // the renderer's pool bounds how many run at once
			defer wg.Done()
			svg, err := RenderChartSVG(ctx, ch, ChartWidth, q)
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

func cityPoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
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
	out := []string{fmt.Sprintf("已报送“一市一策”的地市 %d/%d 个（%s）。", returned, len(rows), pctOf(returned, len(rows)))}
	if len(missing) > 0 {
		out = append(out, "尚未报送："+strings.Join(missing, "、")+"。")
	}
	sort.SliceStable(ret, func(i, j int) bool { return ret[i].CityCoverage > ret[j].CityCoverage })
	if len(ret) > 0 {
		hi, lo := ret[0], ret[len(ret)-1]
		out = append(out, fmt.Sprintf("覆盖率最高：%s %s（%d/%d 项）；最低：%s %s（%d/%d 项）。",
			hi.City, pct(hi.CityCoverage), hi.CityTasksAddressed, hi.CityTasksExpected,
			lo.City, pct(lo.CityCoverage), lo.CityTasksAddressed, lo.CityTasksExpected))
	}
	for _, r := range rows {
		if p.Filter.City != "" && r.City == p.Filter.City {
			state := "已报送"
			if !r.CityReturned {
				state = "未报送"
			}
			out = append(out, fmt.Sprintf("%s：一市一策%s，覆盖率 %s（%d/%d 项）；本市院校报送 %d/%d 所，覆盖率 %s。",
				r.City, state, pct(r.CityCoverage), r.CityTasksAddressed, r.CityTasksExpected, r.SchoolsReturned, r.SchoolsExpected, pct(r.SchoolCoverage)))
		}
	}
	return out, nil
}

func taskPoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
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
		fmt.Sprintf("地市：应落实（地市×任务）%s 项，已有举措 %s 项（%s）。", num(ce), num(ca), pctOf(ca, ce)),
		fmt.Sprintf("院校：应落实（院校×任务）%s 项，已有举措 %s 项（%s）。", num(se), num(sa), pctOf(sa, se)),
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
		names = append(names, fmt.Sprintf("任务%d（地市 %s，院校 %s）", r.TaskNo, pctOf(r.CitiesResponded, r.CitiesExpected), pctOf(r.SchoolsResponded, r.SchoolsExpected)))
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

func targetPoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
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

func deadlinePoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
	d, err := db.Deadlines(ctx, p.AsOfDate(), p.Filter)
	if err != nil {
		return nil, err
	}
	return []string{
		fmt.Sprintf("对应任务的举措共 %s 条。", num(d.Total)),
		fmt.Sprintf("截至 %s 已过完成时间 %s 条（%s）。", p.AsOfDate().Format("2006年1月2日"), num(d.Overdue), pctOf(d.Overdue, d.Total)),
		fmt.Sprintf("定于2022年底前完成 %s 条（%s）；2022年以后 %s 条。", num(d.WithinTargetYear), pctOf(d.WithinTargetYear, d.Total), num(d.Later)),
		fmt.Sprintf("长期/持续推进 %s 条，未写明完成时间 %s 条。", num(d.Ongoing), num(d.NoDate)),
	}, nil
}

func departmentPoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
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
		low = append(low, fmt.Sprintf("%s %s（%d/%d）", r.Department, pct(r.Coverage), r.AddressedPairs, r.ExpectedPairs))
	}
	if len(low) > 0 {
		out = append(out, "覆盖最低："+strings.Join(low, "；")+"。")
	}
	return out, nil
}

func schoolPoints(ctx context.Context, db *queries.DB, p exports.Params) ([]string, error) {
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
		fmt.Sprintf("已报送“一校一案”的院校 %d/%d 所（%s）。", returned, len(rows), pctOf(returned, len(rows))),
		fmt.Sprintf("院校合计覆盖率 %s（%s/%s 项）。", pctOf(addr, exp), num(addr), num(exp)),
	}
	if len(ret) > 0 {
		var top, bottom []string
		for i := 0; i < len(ret) && i < 3; i++ {
			top = append(top, ret[i].Submitter+" "+pct(ret[i].Coverage))
		}
		for i := len(ret) - 1; i >= 0 && i >= len(ret)-3 && i >= 3; i-- {
			bottom = append(bottom, ret[i].Submitter+" "+pct(ret[i].Coverage))
		}
		out = append(out, "前三："+strings.Join(top, "；")+"。")
		if len(bottom) > 0 {
			out = append(out, "末三（已报送者）："+strings.Join(bottom, "；")+"。")
		}
	}
	return out, nil
}
