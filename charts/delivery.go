package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"lnvedash/queries"
)

// statusColors colour the seven statuses of measure_status alike on every delivery chart: done and on
// track green/blue, late and not started warm, adjusted/cancelled grey, not reported pale.
var statusColors = map[string]string{
	"已完成": "#2f855a", "按期推进": "#2b6cb0", "滞后": "#b4232a", "未启动": "#dd6b20",
	"已调整": "#9aa5b1", "已取消": "#6b7785", "未报告": colorNone,
}

// statusValues are c's counts in the order of queries.MeasureStatuses.
func statusValues(c queries.StatusCounts) []int {
	return []int{c.Done, c.OnTrack, c.Late, c.NotStarted, c.Adjusted, c.Cancelled, c.NotReported}
}

// stackedStatuses is a bar chart of one stack per category, a series per status; horizontal puts the
// categories on the y axis.
func stackedStatuses(categories []string, counts []queries.StatusCounts, horizontal bool, valueName string) map[string]any {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendTop()),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "64", Right: "24", Top: "48", Bottom: "40", ContainLabel: opts.Bool(true)}),
	)
	bar.SetXAxis(categories)
	for i, st := range queries.MeasureStatuses {
		data := make([]opts.BarData, len(counts))
		for j, c := range counts {
			data[j] = opts.BarData{Name: categories[j], Value: statusValues(c)[i]}
		}
		bar.AddSeries(st, data, charts.WithBarChartOpts(opts.BarChart{Stack: "status"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: statusColors[st]}))
	}
	o := optionMap(bar)
	cat := map[string]any{"type": "category", "data": categories, "axisLabel": map[string]any{"interval": 0}}
	val := map[string]any{"type": "value", "name": valueName}
	if horizontal {
		o["yAxis"], o["xAxis"] = []any{cat}, []any{val}
	} else {
		o["xAxis"], o["yAxis"] = []any{cat}, []any{val}
	}
	return o
}

// ChartDelivery is the latest status of every current plan measure, cities and colleges apart.
func ChartDelivery(id string, d queries.Delivery) *Chart {
	var cats []string
	for _, c := range d.ByKind {
		cats = append(cats, queries.KindLabel(c.Kind))
	}
	o := stackedStatuses(cats, d.ByKind, true, "举措条数")
	return newChart(id, "举措完成状态（各单位最近一次报送）", 220, o)
}

// ChartDeliveryTrend is the same figures per progress round side by side, so a meeting sees movement:
// one stacked column per round, each counting only that round's own reports.
func ChartDeliveryTrend(id string, trend []queries.RoundFigures) *Chart {
	cats := make([]string, len(trend))
	counts := make([]queries.StatusCounts, len(trend))
	for i, f := range trend {
		cats[i], counts[i] = f.Name, f.StatusCounts
	}
	o := stackedStatuses(cats, counts, false, "举措条数")
	return newChart(id, "各轮进展对比", 340, o)
}
