package charts

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"lnvedash/assets"
	"lnvedash/chartsvg"
	"lnvedash/queries"
)

// rendererSize is how many goja runtimes render charts at once: each holds ECharts (~1 MB of
// script, ~0.2 s to load), and the server has two cores.
const rendererSize = 2

// Renderer is the process's server-side chart renderer, built from the embedded ECharts, the
// Liaoning map and static/export.js (whose decorate() draws title, as-of date and source into the
// image exactly as the browser's export buttons do). It depends only on embedded files, so one per
// process is shared by the server and the CLI; its runtimes are created on first use.
var Renderer = sync.OnceValues(func() (*chartsvg.Renderer, error) {
	lib, err := fs.ReadFile(assets.Static, "vendor/echarts.min.js")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: %w (%w)", err, chartsvg.ErrNoLibrary)
	}
	geo, err := fs.ReadFile(assets.Static, "vendor/liaoning.json")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: map: %w", err)
	}
	prelude, err := fs.ReadFile(assets.Static, "export.js")
	if err != nil {
		return nil, fmt.Errorf("chart renderer: %w", err)
	}
	return chartsvg.New(chartsvg.Options{ECharts: lib, Maps: map[string][]byte{"辽宁": geo}, Prelude: prelude,
		Size: rendererSize, Timeout: time.Minute})
})

// Width is the width charts are rendered at for the report and /export/chart/NAME.svg.
const Width = 1000

// Names are the charts /export/chart/NAME.svg can draw; NAME is the table holding the chart's data.
var Names = []string{"coverage_by_task", "coverage_by_city", "coverage_by_submitter", "coverage_by_department", "target_progress", "deadlines",
	"delivery", "completion_by_round"}

// BuildChart builds the chart whose data is the export table name, under filter f and the as-of date
// (which only the deadlines chart reads).
func BuildChart(ctx context.Context, db *queries.DB, name string, f queries.Filter, asOf time.Time) (*Chart, error) {
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
		d, err := db.Deadlines(ctx, asOf, f)
		if err != nil {
			return nil, err
		}
		ch = ChartDeadlines("deadlines", d)
	case "delivery", "completion_by_round":
		d, err := db.Delivery(ctx)
		if err != nil {
			return nil, err
		}
		if name == "delivery" {
			ch = ChartDelivery("delivery", d)
		} else {
			ch = ChartDeliveryTrend("trend", d.Trend)
		}
	default:
		return nil, fmt.Errorf("chart %q: %w", name, queries.ErrNotFound)
	}
	ch.Table = name
	return ch, nil
}

// RenderSVG draws a chart to SVG with its title, and footer (scope, as-of date, source) under it, in the image.
func RenderSVG(ctx context.Context, ch *Chart, width int, footer string) (string, error) {
	r, err := Renderer()
	if err != nil {
		return "", err
	}
	svg, err := r.Render(ctx, chartsvg.Chart{Option: ch.Option, Width: width, Height: ch.H(), Title: ch.Title, Footer: footer})
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", ch.ID, err)
	}
	return svg, nil
}
