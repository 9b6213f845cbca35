package exports

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// printLayout is how one sheet prints: A4, one page wide (as many pages down as it needs), the area
// and the rows repeated on every page, and rows that start a new page.
type printLayout struct {
	area      string // e.g. $A$1:$H$40
	titles    string // repeated rows, e.g. $3:$3; "" for none
	landscape bool
	breaks    []int // rows that begin a new page
}

// Page geometry in pixels at 100 % (96 dpi), inside margins of printMargin inches: what fits on a page
// before fit-to-width shrinks it further.
const (
	printMargin      = 0.4
	portraitWidthPx  = (8.27 - 2*printMargin) * 96
	landscapeWidthPx = (11.69 - 2*printMargin) * 96
	// landscapeHeightPx leaves room for LibreOffice's header and footer lines.
	landscapeHeightPx = (8.27-2*printMargin)*96 - 2*0.4*96
)

// setPrint applies l to sheet. Every printed sheet of the exports goes through here, so they print alike.
func setPrint(f *excelize.File, sheet string, l printLayout) error {
	orient, size, one, zero := "portrait", 9, 1, 0
	if l.landscape {
		orient = "landscape"
	}
	fit := true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return fmt.Errorf("print %s: %w", sheet, err)
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("print %s: %w", sheet, err)
	}
	m := printMargin
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}); err != nil {
		return fmt.Errorf("print %s: %w", sheet, err)
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: quoted + l.area, Scope: sheet}); err != nil {
		return fmt.Errorf("print %s: %w", sheet, err)
	}
	if l.titles != "" {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoted + l.titles, Scope: sheet}); err != nil {
			return fmt.Errorf("print %s: %w", sheet, err)
		}
	}
	for _, r := range l.breaks {
		if err := f.InsertPageBreak(sheet, cell(1, r)); err != nil {
			return fmt.Errorf("print %s: page break at row %d: %w", sheet, r, err)
		}
	}
	return nil
}

// colPx is a column's width in pixels as excelize and Excel count it (7 px a character plus padding).
func colPx(f *excelize.File, sheet string, col int) float64 {
	name, _ := excelize.ColumnNumberToName(col)
	w, err := f.GetColWidth(sheet, name)
	if err != nil {
		return 64
	}
	return math.Floor(w*7 + 5)
}

// excelize anchors a chart counting rows of anchorRowPx, LibreOffice draws them 20 px (15 pt) tall: a
// chart spans height/anchorRowPx rows and prints that many times 20 px tall.
const (
	anchorRowPx = 18
	rowPx       = 20
	// maxChartPx keeps a chart, as printed, within a landscape page under the repeated header row.
	maxChartPx = anchorRowPx * (640/rowPx - 4) // 640 = landscapeHeightPx, whole pixels
)

// printTableWithChart lays out a sheet of writeSheet's table with an optional chart for print: the
// chart goes under the table on a page of its own (a page break before it, never split: it is sized to
// fit a page), the print area spans the table and the chart, the header row repeats on every page, and
// the sheet prints landscape when it is wider than a portrait page. It returns the chart's anchor cell.
func printTableWithChart(f *excelize.File, sheet string, t *Table, ch *excelize.Chart) (string, error) {
	lastCol := len(t.Columns)
	lastRow := HeaderRow + len(t.Rows)
	width := 0.0
	for c := 1; c <= lastCol; c++ {
		width += colPx(f, sheet, c)
	}
	l := printLayout{titles: fmt.Sprintf("$%d:$%d", HeaderRow, HeaderRow)}
	anchor := ""
	if ch != nil {
		// A chart taller than a landscape page would be cut by the page break under it.
		ch.Dimension.Height = min(ch.Dimension.Height, uint(maxChartPx))
		top := lastRow + 2
		anchor = cell(1, top)
		l.breaks = []int{top}
		chartCols, w := 0, 0.0
		for w < float64(ch.Dimension.Width) {
			chartCols++
			w += colPx(f, sheet, chartCols)
		}
		// One column and two rows to spare: excelize's anchor rounds differently from this estimate.
		lastCol = max(lastCol, chartCols+1)
		width = max(width, w)
		lastRow = top + int(math.Ceil(float64(ch.Dimension.Height)/anchorRowPx)) + 2
	}
	l.landscape = width > portraitWidthPx
	last, err := excelize.ColumnNumberToName(lastCol)
	if err != nil {
		return "", err
	}
	l.area = fmt.Sprintf("$A$1:$%s$%d", last, lastRow)
	return anchor, setPrint(f, sheet, l)
}
