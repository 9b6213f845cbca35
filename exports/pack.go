package exports

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"lnvedash/queries"
)

// packSheet is one sheet of the meeting pack: a table and, optionally, a native Excel chart of it.
type packSheet struct {
	table string
	kind  string // overrides Params.Filter.Kind for this sheet ("" keeps it)
	title string // overrides the table's title
	chart func(sheet string, t *Table) *excelize.Chart
}

// packSheets is the meeting pack, in order: key numbers first, then who has not returned, coverage,
// targets, deadlines and what to correct.
var packSheets = []packSheet{
	{table: "overview", title: "概览"},
	{table: "returns_summary", chart: chartReturns},
	{table: "returns", title: "催报名单"},
	{table: "coverage_by_task", chart: chartTaskCoverage},
	{table: "coverage_by_city"},
	{table: "coverage_by_submitter", kind: queries.KindSchool, title: "各院校覆盖率"},
	{table: "coverage_by_department"},
	{table: "target_progress", chart: chartTargetProgress},
	{table: "deadlines", chart: chartDeadlines},
	{table: "findings"},
}

// PackSheetTitles lists the sheet names of the meeting pack, in order.
func PackSheetTitles() []string {
	out := make([]string, len(packSheets))
	for i, s := range packSheets {
		out[i] = s.title
		if out[i] == "" {
			out[i] = builders[s.table].title
		}
	}
	return out
}

// WritePack writes the meeting pack: one workbook with a sheet per table (filters, as-of date and
// source stated on each, header frozen) and native Excel charts of the key figures, which can be
// copied into PowerPoint or WPS and edited there. Every sheet is set up to print as a handout
// (printTableWithChart): one page wide, header repeated, each chart on a page of its own under its table.
func WritePack(ctx context.Context, w io.Writer, db *queries.DB, p Params) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	sheets, err := packSheetsFor(ctx, db)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	for i, ps := range sheets {
		q := p
		if ps.kind != "" && q.Filter.Kind == "" {
			q.Filter.Kind = ps.kind
		}
		t, err := Build(ctx, db, ps.table, q)
		if err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		if ps.title != "" {
			t.Title = ps.title
		}
		if ps.table == "overview" {
			t.Title = "概览"
		}
		sheet := SheetName(t.Title)
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return fmt.Errorf("pack: sheet %s: %w", sheet, err)
		}
		if err := st.writeSheet(f, sheet, t); err != nil {
			return fmt.Errorf("pack: sheet %s: %w", sheet, err)
		}
		var ch *excelize.Chart
		if ps.chart != nil && len(t.Rows) > 0 {
			ch = ps.chart(sheet, t)
			ch.VaryColors = ptr(false)
			ch.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.Title + "（" + p.Describe() + "，数据截至 " + p.asOf().Format("2006-01-02") + "）"}}}
		}
		anchor, err := printTableWithChart(f, sheet, t, ch)
		if err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		if ch != nil {
			if err := f.AddChart(sheet, anchor, ch); err != nil {
				return fmt.Errorf("pack: chart on %s: %w", sheet, err)
			}
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: "部省共建任务落实会议材料", Subject: p.Describe(), Creator: "lnvedash",
		Description: p.Caption(""),
	}); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return nil
}

// colRange is the absolute reference of one column's data rows on sheet, e.g. '各任务覆盖率'!$H$4:$H$57.
func colRange(sheet string, t *Table, header string) string {
	for i, c := range t.Columns {
		if c.Header == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, name, HeaderRow+1, name, HeaderRow+len(t.Rows))
		}
	}
	panic(fmt.Sprintf("pack chart: table %s has no column %s", t.Name, header))
}

// headerRef is the absolute reference of a column's header cell, used as a series name.
func headerRef(sheet string, t *Table, header string) string {
	for i, c := range t.Columns {
		if c.Header == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return fmt.Sprintf("'%s'!$%s$%d", sheet, name, HeaderRow)
		}
	}
	panic(fmt.Sprintf("pack chart: table %s has no column %s", t.Name, header))
}

func series(sheet string, t *Table, cat, val, color string) excelize.ChartSeries {
	return excelize.ChartSeries{
		Name: headerRef(sheet, t, val), Categories: colRange(sheet, t, cat), Values: colRange(sheet, t, val),
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
	}
}

const (
	xlCity   = "B4232A"
	xlSchool = "2B6CB0"
	xlGrey   = "9AA5B1"
	xlLate   = "C77700"
)

func chartTaskCoverage(sheet string, t *Table) *excelize.Chart {
	return &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{
			series(sheet, t, "任务序号", "地市覆盖率", xlCity),
			series(sheet, t, "任务序号", "院校覆盖率", xlSchool),
		},
		Dimension: excelize.ChartDimension{Width: 1100, Height: 380},
		Legend:    excelize.ChartLegend{Position: "top"},
		XAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "任务序号"}}}},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "覆盖率"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, MajorGridLines: true},
	}
}

func chartTargetProgress(sheet string, t *Table) *excelize.Chart {
	return &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{
			series(sheet, t, "指标", "地市承诺占目标", xlCity),
			series(sheet, t, "指标", "院校承诺占目标", xlSchool),
		},
		Dimension: excelize.ChartDimension{Width: 760, Height: uint(120 + 28*len(t.Rows))},
		Legend:    excelize.ChartLegend{Position: "top"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "承诺占目标（100% = 全省目标）"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, MajorGridLines: true},
	}
}

func chartDeadlines(sheet string, t *Table) *excelize.Chart {
	return &excelize.Chart{
		Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{
			series(sheet, t, "完成时间（季度）", "已逾期", xlCity),
			series(sheet, t, "完成时间（季度）", "未到期", xlSchool),
		},
		Dimension: excelize.ChartDimension{Width: 760, Height: 380},
		Legend:    excelize.ChartLegend{Position: "top"},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "举措条数"}}}, MajorGridLines: true},
	}
}

func chartReturns(sheet string, t *Table) *excelize.Chart {
	return &excelize.Chart{
		Type: excelize.BarStacked,
		Series: []excelize.ChartSeries{
			series(sheet, t, "类型", "按时报送", xlSchool),
			series(sheet, t, "类型", "逾期报送", xlLate),
			series(sheet, t, "类型", "未报送", xlGrey),
		},
		Dimension: excelize.ChartDimension{Width: 640, Height: 260},
		Legend:    excelize.ChartLegend{Position: "top"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "单位数"}}}, MajorGridLines: true},
	}
}
