package charts

// Chart builders: one small function per chart, taking query results and returning a *Chart. None
// needs a request, so the exports (PNG/SVG/xlsx, meeting pack) call the same functions.
//
// Each builder assembles the option with go-echarts, then adds what go-echarts has no field for as
// plain JSON keys, read by static/app.js:
//   - series[].lnveLink: a URL template, "{name}" (the clicked item's name), "{x}"/"{y}" (the keys in
//     series[].lnveX / lnveY at the clicked cell's indices); data[].lnveLink overrides it per item.
//   - data[].lnveTip: a plain-text tooltip (app.js escapes it with echarts.format.encodeHTML).
// Every string from a submitted file stays data: the template JSON-encodes the option and ECharts'
// default tooltip escapes HTML.

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"lnvedash/queries"
	"lnvedash/zhfmt"
)

const (
	colorCity   = "#b4232a"
	colorSchool = "#2b6cb0"
	colorNone   = "#c8ccd2" // 未报送
	colorTarget = "#c77700"
)

// optionMap turns a go-echarts chart into a plain JSON object so a builder can add keys go-echarts
// has no field for; empty components go-echarts always emits are dropped.
func optionMap(c echartsChart) map[string]any {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		panic(fmt.Sprintf("chart option: %v", err)) // only Go values built here
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("chart option: %v", err))
	}
	for _, k := range []string{"title", "toolbox", "legend"} {
		if v, ok := m[k].(map[string]any); ok && len(v) == 0 {
			delete(m, k)
		}
	}
	return m
}

// WithTable names the export behind a chart's data link (/export/chart/<table>.xlsx, with the page's filters).
func WithTable(c *Chart, table string) *Chart {
	c.Table = table
	return c
}

func newChart(id, title string, height int, option map[string]any) *Chart {
	return &Chart{ID: id, Title: title, Height: height, Option: option}
}

func series(m map[string]any, i int) map[string]any {
	s, _ := m["series"].([]any)
	if i >= len(s) {
		return map[string]any{}
	}
	x, _ := s[i].(map[string]any)
	return x
}

// percent rounds a ratio 0..1 to a percentage with one decimal.
func percent(r float64) float64 {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return 0
	}
	return math.Round(r*1000) / 10
}

func taskLabel(no int) string { return strconv.Itoa(no) }

// shortArea is the main-task name cut to fit an axis band.
func shortArea(area string) string {
	if i := strings.IndexAny(area, "，,"); i > 0 {
		area = area[:i]
	}
	r := []rune(area)
	if len(r) > 12 {
		return string(r[:12]) + "…"
	}
	return area
}

func legendTop() opts.Legend { return opts.Legend{Show: opts.Bool(true), Top: "0"} }

// ChartTaskCoverage is the coverage of every task by cities and by colleges, as percentages, tasks
// grouped by main task (shaded bands) unless sorted by coverage. Clicking a bar opens the task.
func ChartTaskCoverage(id string, rows []queries.TaskCoverage, sortedByCoverage bool) *Chart {
	x := make([]string, len(rows))
	city := make([]opts.BarData, len(rows))
	school := make([]opts.BarData, len(rows))
	for i, r := range rows {
		x[i] = taskLabel(r.TaskNo)
		city[i] = opts.BarData{Name: x[i], Value: percent(r.CityCoverage)}
		school[i] = opts.BarData{Name: x[i], Value: percent(r.SchoolCoverage)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "覆盖率 %", Max: 100, Min: 0}),
		charts.WithXAxisOpts(opts.XAxis{Name: "任务", AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 10}}),
		charts.WithGridOpts(opts.Grid{Left: "48", Right: "40", Top: "56", Bottom: "40"}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}),
	)
	bar.SetXAxis(x).
		AddSeries("地市覆盖率", city, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity})).
		AddSeries("院校覆盖率", school, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	m := optionMap(bar)
	for i := 0; i < 2; i++ {
		series(m, i)["lnveLink"] = "/tasks/{name}"
	}
	if !sortedByCoverage && len(rows) > 0 {
		// shaded bands, one per main task, alternately tinted
		var bands []any
		start := 0
		for i := 1; i <= len(rows); i++ {
			if i == len(rows) || rows[i].AreaNo != rows[start].AreaNo {
				color := "rgba(0,0,0,0.035)"
				if len(bands)%2 == 1 {
					color = "rgba(0,0,0,0)"
				}
				bands = append(bands, []any{
					map[string]any{"name": shortArea(rows[start].Area), "xAxis": x[start], "itemStyle": map[string]any{"color": color}},
					map[string]any{"xAxis": x[i-1]},
				})
				start = i
			}
		}
		series(m, 0)["markArea"] = map[string]any{
			"silent": true,
			"label":  map[string]any{"show": true, "position": "insideTop", "fontSize": 9, "color": "#6b7785", "width": 60, "overflow": "truncate"},
			"data":   bands,
		}
	}
	return newChart(id, "各任务覆盖率（地市、院校分列）", 380, m)
}

// ChartMatrix is the task × submitter heatmap of one kind: the number of current measures per cell;
// a cell of an expected pair with no measure is 0 (未落实), a submitter that has not returned a file
// is a grey column (未报送), a pair not expected is blank. Clicking a cell lists its measures.
func ChartMatrix(id string, m queries.Matrix) *Chart {
	xs := make([]string, len(m.Submitters))
	keys := make([]string, len(m.Submitters))
	for j, s := range m.Submitters {
		xs[j] = s.Submitter
		if !s.Returned {
			xs[j] = s.Submitter + "（未报送）"
		}
		keys[j] = s.Submitter
	}
	ys := make([]string, len(m.Tasks))
	ykeys := make([]string, len(m.Tasks))
	for i, t := range m.Tasks {
		ys[i] = "任务" + taskLabel(t.TaskNo)
		ykeys[i] = taskLabel(t.TaskNo)
	}
	// Cells are plain maps rather than opts.HeatMapData so a non-returned cell can carry its own label:
	// its value -1 only selects the grey piece of the visual map and must not be printed.
	var data []any
	maxV := 1
	for i := range m.Tasks {
		for j, s := range m.Submitters {
			v := m.Measures[i][j]
			switch {
			case !s.Returned:
				if m.Expected[i][j] {
					data = append(data, map[string]any{"value": [3]int{j, i, -1}, "label": map[string]any{"formatter": "—"}})
				}
			case v > 0 || m.Expected[i][j]:
				data = append(data, map[string]any{"value": [3]int{j, i, v}})
				if v > maxV {
					maxV = v
				}
			}
		}
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Position: "top"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, AxisLabel: &opts.AxisLabel{Rotate: 60, Interval: "0", FontSize: 10}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, AxisLabel: &opts.AxisLabel{FontSize: 9, Interval: "0"}}),
		charts.WithGridOpts(opts.Grid{Left: "64", Right: "16", Top: "40", Bottom: "150"}),
	)
	hm.AddSeries("举措条数", nil)
	o := optionMap(hm)
	series(o, 0)["data"] = data
	o["visualMap"] = []any{map[string]any{
		"type": "piecewise", "orient": "horizontal", "top": 0, "left": "center", "dimension": 2,
		"pieces": []any{
			map[string]any{"value": -1, "label": "未报送", "color": colorNone},
			map[string]any{"value": 0, "label": "未落实", "color": "#f6d5d2"},
			map[string]any{"min": 1, "max": 1, "label": "1条", "color": "#c6dbef"},
			map[string]any{"min": 2, "max": 3, "label": "2–3条", "color": "#6baed6"},
			map[string]any{"min": 4, "label": "4条以上", "color": "#2171b5"},
		},
	}}
	s := series(o, 0)
	s["lnveLink"] = "/search?submitter={x}&task={y}"
	s["lnveX"] = keys
	s["lnveY"] = ykeys
	s["label"] = map[string]any{"show": len(m.Submitters) <= 20, "fontSize": 9}
	h := 200 + 16*len(m.Tasks)
	title := "任务 × 地市（举措条数）"
	if m.Kind == queries.KindSchool {
		title = "任务 × 院校（举措条数）"
	}
	return newChart(id, title, h, o)
}

// mapLabelOffsets moves the labels of the small central cities apart (px from the region's centre),
// which ECharts puts on top of each other otherwise: 沈阳/抚顺, 辽阳/本溪/鞍山 and 锦州/盘锦. The
// offsets are in screen pixels, so the map is drawn no smaller than mapMinHeight for them to hold.
var mapLabelOffsets = map[string][2]int{
	"沈阳市": {-22, -6},
	"抚顺市": {30, 4},
	"铁岭市": {10, -8},
	"辽阳市": {-30, -2},
	"鞍山市": {-18, 16},
	"本溪市": {26, 6},
	"锦州市": {-18, -6},
	"盘锦市": {10, 10},
}

// ChartCityMap colours the Liaoning map by each city's own plan's coverage; cities that have not
// returned are grey and labelled 未报送. Clicking a region opens the city.
func ChartCityMap(id string, rows []queries.CityCoverage) *Chart {
	mp := charts.NewMap()
	mp.RegisterMapType("辽宁")
	mp.AddSeries("地市覆盖率", nil)
	o := optionMap(mp)
	var data []any
	for _, r := range rows {
		d := map[string]any{"name": r.City}
		label := map[string]any{}
		if off, ok := mapLabelOffsets[r.City]; ok {
			label["offset"] = off
		}
		d["label"] = label
		if r.CityReturned {
			d["value"] = percent(r.CityCoverage)
			d["lnveTip"] = fmt.Sprintf("一市一策覆盖率 %s（%d/%d 项）\n院校报送 %d/%d 所，院校覆盖率 %s",
				zhfmt.Pct(r.CityCoverage), r.CityTasksAddressed, r.CityTasksExpected, r.SchoolsReturned, r.SchoolsExpected, zhfmt.Pct(r.SchoolCoverage))
		} else {
			d["value"] = -1
			label["formatter"], label["color"] = "{b}\n未报送", "#4a5560"
			d["lnveTip"] = fmt.Sprintf("未报送一市一策\n院校报送 %d/%d 所", r.SchoolsReturned, r.SchoolsExpected)
		}
		data = append(data, d)
	}
	s := series(o, 0)
	s["data"] = data
	s["lnveLink"] = "/cities/{name}"
	s["label"] = map[string]any{"show": true, "fontSize": 11}
	s["itemStyle"] = map[string]any{"areaColor": colorNone, "borderColor": "#fff"}
	s["emphasis"] = map[string]any{"label": map[string]any{"show": true}, "itemStyle": map[string]any{"areaColor": "#f2c14e"}}
	s["selectedMode"] = false
	o["tooltip"] = map[string]any{"show": true, "trigger": "item", "lnveTip": true, "className": "lnve-tip"}
	o["visualMap"] = []any{map[string]any{
		"type": "piecewise", "left": 8, "bottom": 8,
		"pieces": []any{
			map[string]any{"value": -1, "label": "未报送", "color": colorNone},
			map[string]any{"min": 0, "max": 49.99, "label": "< 50%", "color": "#f4a582"},
			map[string]any{"min": 50, "max": 79.99, "label": "50%–80%", "color": "#fddbc7"},
			map[string]any{"min": 80, "max": 99.99, "label": "80%–100%", "color": "#92c5de"},
			map[string]any{"min": 100, "label": "100%", "color": "#2166ac"},
		},
	}}
	return newChart(id, "各市“一市一策”覆盖率（灰色：未报送）", 560, o)
}

// ChartCitiesSideBySide puts each city's own-plan coverage beside its colleges' pooled coverage.
func ChartCitiesSideBySide(id string, rows []queries.CityCoverage) *Chart {
	x := make([]string, len(rows))
	city := make([]opts.BarData, len(rows))
	school := make([]opts.BarData, len(rows))
	for i, r := range rows {
		x[i] = r.City
		city[i] = opts.BarData{Name: r.City, Value: percent(r.CityCoverage)}
		if !r.CityReturned {
			city[i] = opts.BarData{Name: r.City, Value: 0, Label: &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "未报送", Color: "#6b7785"}}
		}
		school[i] = opts.BarData{Name: r.City, Value: percent(r.SchoolCoverage)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "覆盖率 %", Max: 100, Min: 0}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}),
		charts.WithGridOpts(opts.Grid{Left: "48", Right: "16", Top: "48", Bottom: "60"}),
	)
	bar.SetXAxis(x).
		AddSeries("一市一策", city, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity})).
		AddSeries("本市院校（合计）", school, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	o := optionMap(bar)
	series(o, 0)["lnveLink"] = "/cities/{name}"
	series(o, 1)["lnveLink"] = "/cities/{name}"
	return newChart(id, "各市：本市方案与本市院校覆盖率", 340, o)
}

// ChartSubmitterRanking ranks submitters by coverage; those that have not returned stay in the
// ranking with an empty grey bar labelled 未报送.
func ChartSubmitterRanking(id, title, link string, rows []queries.SubmitterCoverage) *Chart {
	// bottom-up for a horizontal bar: the best at the top
	n := len(rows)
	y := make([]string, n)
	data := make([]opts.BarData, n)
	for i, r := range rows {
		k := n - 1 - i
		y[k] = r.Submitter
		if r.Returned {
			data[k] = opts.BarData{Name: r.Submitter, Value: percent(r.Coverage)}
		} else {
			data[k] = opts.BarData{Name: r.Submitter, Value: 0,
				ItemStyle: &opts.ItemStyle{Color: colorNone},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "未报送", Color: "#6b7785"}}
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: "覆盖率 %", Max: 100, Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: y, AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 11}}),
		charts.WithGridOpts(opts.Grid{Left: "190", Right: "60", Top: "24", Bottom: "32"}),
	)
	bar.AddSeries("覆盖率", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}))
	bar.XYReversal()
	o := optionMap(bar)
	// XYReversal swaps the axes: keep the category axis on y with our labels
	o["yAxis"] = []any{map[string]any{"type": "category", "data": y, "axisLabel": map[string]any{"interval": 0, "fontSize": 11}}}
	o["xAxis"] = []any{map[string]any{"type": "value", "name": "覆盖率 %", "min": 0, "max": 100}}
	if link != "" {
		series(o, 0)["lnveLink"] = link
	}
	return newChart(id, title, 60+22*n, o)
}

// ChartAreaCoverage is coverage by main task for one plan (a city's or a college's).
func ChartAreaCoverage(id, title string, rows []queries.AreaCoverage) *Chart {
	n := len(rows)
	y := make([]string, n)
	data := make([]opts.BarData, n)
	for i, r := range rows {
		k := n - 1 - i
		y[k] = shortArea(r.Area)
		data[k] = opts.BarData{Name: y[k], Value: percent(r.Coverage)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "170", Right: "60", Top: "16", Bottom: "32"}),
	)
	bar.AddSeries("覆盖率", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}))
	o := optionMap(bar)
	o["yAxis"] = []any{map[string]any{"type": "category", "data": y, "axisLabel": map[string]any{"interval": 0}}}
	o["xAxis"] = []any{map[string]any{"type": "value", "name": "%", "min": 0, "max": 100}}
	return newChart(id, title, 60+28*n, o)
}

// ChartDepartmentCoverage is each provincial department's coverage over the tasks it leads.
func ChartDepartmentCoverage(id string, rows []queries.DepartmentCoverage) *Chart {
	var kept []queries.DepartmentCoverage
	for _, r := range rows {
		if r.Tasks > 0 {
			kept = append(kept, r)
		}
	}
	n := len(kept)
	y := make([]string, n)
	city := make([]opts.BarData, n)
	school := make([]opts.BarData, n)
	for i, r := range kept {
		k := n - 1 - i
		y[k] = r.Department
		city[k] = opts.BarData{Name: r.Department, Value: percent(r.CityCoverage)}
		school[k] = opts.BarData{Name: r.Department, Value: percent(r.SchoolCoverage)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "170", Right: "40", Top: "40", Bottom: "32"}),
	)
	bar.AddSeries("地市覆盖率", city, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity})).
		AddSeries("院校覆盖率", school, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	o := optionMap(bar)
	o["yAxis"] = []any{map[string]any{"type": "category", "data": y, "axisLabel": map[string]any{"interval": 0}}}
	o["xAxis"] = []any{map[string]any{"type": "value", "name": "%", "min": 0, "max": 100}}
	series(o, 0)["lnveLink"] = "/departments/{name}"
	series(o, 1)["lnveLink"] = "/departments/{name}"
	return newChart(id, "各牵头部门所牵头任务的覆盖率", 80+36*n, o)
}

// targetLabel names a target on an axis: its task and metric.
func targetLabel(t queries.TargetProgress) string {
	if t.TaskNo == 0 {
		return t.Metric
	}
	return fmt.Sprintf("任务%d %s", t.TaskNo, t.Metric)
}

// targetCap is where a bar stops: one submitter group committing 20 times a target would flatten
// every other bar. The tooltip keeps the true figure.
const targetCap = 200.0

// deadlineNote says the deadline and whether the document states it: only the 主要目标 items and task 54
// say "到2022年"; for the rest the date is assumed and must not be quoted as the document's word.
func deadlineNote(t queries.TargetProgress) string {
	if t.DeadlineBasis == "原文" {
		return zhfmt.Month(t.Deadline) + "前，原文“到2022年”"
	}
	return zhfmt.Month(t.Deadline) + "前，推定：文件未写期限"
}

// ChartTargetProgress puts every quantitative target on one axis by normalising to its own target
// (100 % = the province's target): what cities commit and what colleges commit, kept apart because a
// city's plan may already count its colleges' work. The dashed line is the target.
func ChartTargetProgress(id string, rows []queries.TargetProgress) *Chart {
	n := len(rows)
	y := make([]string, n)
	var city, school []any
	city = make([]any, n)
	school = make([]any, n)
	for i, t := range rows {
		k := n - 1 - i
		y[k] = targetLabel(t)
		agg := "合计"
		if t.Mean {
			agg = "平均"
		}
		tip := fmt.Sprintf("目标：%s（%s）\n地市承诺%s：%s（%s，%d个地市）\n院校承诺%s：%s（%s，%d所院校）",
			zhfmt.Quantity(t.Target, t.Unit), deadlineNote(t),
			agg, zhfmt.Quantity(t.CommittedByCities, t.Unit), zhfmt.Pct(t.CityRatio), t.CitiesCommitting,
			agg, zhfmt.Quantity(t.CommittedBySchools, t.Unit), zhfmt.Pct(t.SchoolRatio), t.SchoolsCommitting)
		if t.UnitMismatches > 0 {
			tip += fmt.Sprintf("\n另有%d处承诺单位不一致，未计入", t.UnitMismatches)
		}
		city[k] = map[string]any{"name": y[k], "value": math.Min(percent(t.CityRatio), targetCap), "lnveTip": tip,
			"lnveLink": "/tasks/" + strconv.Itoa(t.TaskNo), "label": ratioLabel(t.CityRatio)}
		school[k] = map[string]any{"name": y[k], "value": math.Min(percent(t.SchoolRatio), targetCap), "lnveTip": tip,
			"lnveLink": "/tasks/" + strconv.Itoa(t.TaskNo), "label": ratioLabel(t.SchoolRatio)}
		if t.TaskNo == 0 {
			delete(city[k].(map[string]any), "lnveLink")
			delete(school[k].(map[string]any), "lnveLink")
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithLegendOpts(legendTop()))
	bar.AddSeries("地市承诺", nil, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity})).
		AddSeries("院校承诺", nil, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	o := optionMap(bar)
	o["tooltip"] = map[string]any{"show": true, "trigger": "item", "lnveTip": true}
	// The axis name sits under the axis, centred: at its default place (after the axis end) it ran out of
	// the chart and was cut to "占目".
	o["grid"] = []any{map[string]any{"left": 230, "right": 40, "top": 40, "bottom": 48}}
	o["yAxis"] = []any{map[string]any{"type": "category", "data": y, "axisLabel": map[string]any{"interval": 0, "fontSize": 11, "width": 220, "overflow": "truncate"}}}
	o["xAxis"] = []any{map[string]any{"type": "value", "name": "占目标 %", "nameLocation": "middle", "nameGap": 24, "min": 0, "max": targetCap}}
	series(o, 0)["data"] = city
	series(o, 1)["data"] = school
	series(o, 0)["markLine"] = map[string]any{
		"silent": true, "symbol": "none",
		"lineStyle": map[string]any{"color": colorTarget, "type": "dashed", "width": 2},
		"label":     map[string]any{"formatter": "目标 100%", "color": colorTarget},
		"data":      []any{map[string]any{"xAxis": 100}},
	}
	c := newChart(id, "量化目标：承诺占目标的比例（地市、院校分列；虚线为目标）", 96+34*n, o)
	c.Note = TargetDeadlineNote(rows)
	return c
}

// TargetDeadlineNote says, under the target chart, which deadlines the document states and which are
// assumed, so 2022-12-31 is never quoted as the document's word where it is not.
func TargetDeadlineNote(rows []queries.TargetProgress) string {
	var stated, assumed []string
	for _, t := range rows {
		if t.DeadlineBasis == "原文" {
			stated = append(stated, targetLabel(t))
		} else {
			assumed = append(assumed, targetLabel(t))
		}
	}
	if len(rows) == 0 {
		return ""
	}
	return fmt.Sprintf("完成期限依据：%d 项为原文（文件写明“到2022年”：%s）；其余 %d 项为推定（文件未写期限，按2022年底计，不是文件原话）。",
		len(stated), strings.Join(stated, "、"), len(assumed))
}

// ratioLabel writes the true percentage beside a bar (the bar itself stops at targetCap).
func ratioLabel(r float64) map[string]any {
	text := strconv.FormatFloat(percent(r), 'f', -1, 64) + "%"
	l := map[string]any{"show": true, "position": "insideRight", "fontSize": 9, "color": "#fff", "formatter": text}
	if percent(r) < 30 {
		l["position"], l["color"] = "right", "#4a5560"
	}
	return l
}

// ChartDeadlines is the number of measures due per quarter (overdue ones stacked apart), with the
// measures that are ongoing or have no readable date at the end.
func ChartDeadlines(id string, d queries.Deadlines) *Chart {
	var x []string
	var due, overdue []opts.BarData
	for _, p := range d.ByQuarter {
		label := strings.Replace(p.Period, "Q", "年第", 1) + "季度"
		x = append(x, label)
		overdue = append(overdue, opts.BarData{Name: label, Value: p.Overdue})
		due = append(due, opts.BarData{Name: label, Value: p.Measures - p.Overdue})
	}
	x = append(x, "长期/持续", "未写明时间")
	overdue = append(overdue, opts.BarData{Name: "长期/持续", Value: 0}, opts.BarData{Name: "未写明时间", Value: 0})
	due = append(due, opts.BarData{Name: "长期/持续", Value: d.Ongoing, ItemStyle: &opts.ItemStyle{Color: "#9aa5b1"}},
		opts.BarData{Name: "未写明时间", Value: d.NoDate, ItemStyle: &opts.ItemStyle{Color: colorNone}})
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "举措条数"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30, FontSize: 10}}),
		charts.WithGridOpts(opts.Grid{Left: "48", Right: "16", Top: "48", Bottom: "70"}),
	)
	bar.SetXAxis(x).
		AddSeries("已逾期", overdue, charts.WithBarChartOpts(opts.BarChart{Stack: "due"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCity})).
		AddSeries("未到期", due, charts.WithBarChartOpts(opts.BarChart{Stack: "due"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	o := optionMap(bar)
	// A red bar opens the overdue measures of that quarter at the chart's as-of date, a blue one the
	// measures due then (issue 20: overdue leads somewhere).
	series(o, 0)["lnveLink"] = "/overdue?as_of=" + d.AsOf.Format("2006-01-02") + "&quarter={name}"
	series(o, 1)["lnveLink"] = "/search?quarter={name}"
	return newChart(id, "举措完成时间分布（按季度）", 320, o)
}

// ChartTaskCommitments is, for one target of a task, what each submitter commits (bars: cities first,
// then colleges, each group largest first) with a running total per group against the province's
// target (dashed line). Cities and colleges are totalled apart: a city's plan may count its colleges.
func ChartTaskCommitments(id string, t queries.TargetProgress, comm []queries.CommittedQuantity) *Chart {
	type unit struct {
		name, kind string
		value      float64
	}
	idx := map[string]int{}
	var units []unit
	for _, c := range comm {
		if c.Metric != t.Metric || c.Unit != t.Unit {
			continue
		}
		i, ok := idx[c.Submitter]
		if !ok {
			i = len(units)
			idx[c.Submitter] = i
			units = append(units, unit{name: c.Submitter, kind: c.Kind})
		}
		units[i].value += c.Value
	}
	sort.SliceStable(units, func(i, j int) bool {
		if units[i].kind != units[j].kind {
			return units[i].kind == queries.KindCity
		}
		return units[i].value > units[j].value
	})
	x := make([]string, len(units))
	bars := make([]opts.BarData, len(units))
	cityRun := make([]any, len(units))
	schoolRun := make([]any, len(units))
	var cityTotal, schoolTotal float64
	for i, u := range units {
		x[i] = u.name
		color := colorSchool
		cityRun[i], schoolRun[i] = "-", "-"
		if u.kind == queries.KindCity {
			color = colorCity
			cityTotal += u.value
			cityRun[i] = cityTotal
		} else {
			schoolTotal += u.value
			schoolRun[i] = schoolTotal
		}
		bars[i] = opts.BarData{Name: u.name, Value: u.value, ItemStyle: &opts.ItemStyle{Color: color}}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 40, FontSize: 10}}),
		charts.WithGridOpts(opts.Grid{Left: "64", Right: "24", Top: "48", Bottom: "110"}),
	)
	bar.SetXAxis(x).AddSeries("各单位承诺", bars, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSchool}))
	o := optionMap(bar)
	top := math.Max(t.Target, math.Max(cityTotal, schoolTotal)) * 1.08
	o["yAxis"] = []any{map[string]any{"type": "value", "name": t.Unit, "max": math.Ceil(top)}}
	s := series(o, 0)
	s["lnveLink"] = "/search?submitter={name}&task=" + strconv.Itoa(t.TaskNo)
	s["markLine"] = map[string]any{
		"silent": true, "symbol": "none",
		"lineStyle": map[string]any{"color": colorTarget, "type": "dashed", "width": 2},
		"label":     map[string]any{"formatter": "全省目标 " + zhfmt.Quantity(t.Target, t.Unit), "color": colorTarget, "position": "insideEndTop"},
		"data":      []any{map[string]any{"yAxis": t.Target}},
	}
	o["series"] = append(o["series"].([]any),
		map[string]any{"name": "地市累计", "type": "line", "data": cityRun, "itemStyle": map[string]any{"color": colorCity}, "symbolSize": 4},
		map[string]any{"name": "院校累计", "type": "line", "data": schoolRun, "itemStyle": map[string]any{"color": colorSchool}, "symbolSize": 4})
	return newChart(id, t.Metric+"：各单位承诺与累计（虚线为全省目标）", 360, o)
}
