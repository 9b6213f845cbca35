// Package exports is the one home of every file a person takes away: every dashboard table as xlsx or
// CSV (tables.go, the encoders here), the meeting pack with native Excel charts (pack.go), the
// printable report (report.go, report.tmpl), a chart drawn to SVG on the server, and the correction
// list sent back to submitters (corrections.go). There is one implementation behind every door: the
// download buttons, the /export routes, /report and `lnvedash export` all call these functions. It
// reads through package queries and draws through package charts; it knows nothing of HTTP.
package exports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lnvedash/csvcell"
)

// Kind says how a column's values are typed in the exported file.
type Kind int

// Column kinds. Text is a string; Int and Float are numbers; Percent is a ratio 0..1 written as a number
// with a % format; Date and DateTime are time.Time written as Excel dates (the zero time is left blank).
const (
	Text Kind = iota
	Int
	Float
	Percent
	Date
	DateTime
)

// Column is one column of a table: its Chinese header, how its values are typed and its width in
// characters (0: fitted to the content, within limits).
type Column struct {
	Header string
	Kind   Kind
	Width  float64
}

// Table is one exported table. Rows hold, per column kind: Text string; Int int; Float and Percent
// float64 (NaN left blank); Date and DateTime time.Time. Caption states the filters, the as-of date and
// the source; it is written above the header in xlsx (CSV keeps only header and rows, for machines).
type Table struct {
	Name    string // file name stem and sheet key, e.g. coverage_by_task
	Title   string // Chinese title, also the xlsx sheet name (cut to 31 characters)
	Caption string
	Columns []Column
	Rows    [][]any
}

// Layout of a table on an xlsx sheet: title, caption, then the header row, frozen.
const (
	TitleRow  = 1
	NoteRow   = 2
	HeaderRow = 3
)

// Number formats used for typed cells.
const (
	fmtPercent  = "0.0%"
	fmtDate     = "yyyy-mm-dd"
	fmtDateTime = "yyyy-mm-dd hh:mm"
	fmtInt      = "#,##0"
)

// WriteXLSX writes t as a one-sheet workbook.
func WriteXLSX(w io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx %s: %w", t.Name, err)
	}
	sheet := SheetName(t.Title)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx %s: %w", t.Name, err)
	}
	if err := st.writeSheet(f, sheet, t); err != nil {
		return fmt.Errorf("xlsx %s: %w", t.Name, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx %s: %w", t.Name, err)
	}
	return nil
}

// WriteCSV writes t as CSV in UTF-8 with a byte-order mark, so Excel on Windows reads the Chinese
// headers correctly. Percentages are written as "45.50%", which Excel reads back as a percentage;
// dates as 2022-06-30; text that would start a formula gets a leading apostrophe.
func WriteCSV(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return fmt.Errorf("csv %s: %w", t.Name, err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Header
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("csv %s: %w", t.Name, err)
	}
	for _, row := range t.Rows {
		for i, c := range t.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			rec[i] = csvText(c.Kind, v)
			if c.Kind == Text {
				rec[i] = csvSafe(rec[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("csv %s: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv %s: %w", t.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("csv %s: %w", t.Name, err)
	}
	return nil
}

// csvSafe defuses formula-like text by the rule every CSV of lnvedash follows (package csvcell).
// Submitted cells are untrusted; xlsx cells are typed strings and need no such guard.
func csvSafe(s string) string { return csvcell.Defuse(s) }

func csvText(k Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		if k == Percent {
			return strconv.FormatFloat(x*100, 'f', 2, 64) + "%"
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if k == DateTime {
			return x.Format("2006-01-02 15:04")
		}
		return x.Format("2006-01-02")
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

// SheetName makes a valid, unique-enough sheet name from a title: at most 31 characters, none of : \ / ? * [ ].
func SheetName(title string) string {
	out := make([]rune, 0, 31)
	for _, r := range title {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = '_'
		}
		out = append(out, r)
		if len(out) == 31 {
			break
		}
	}
	if len(out) == 0 {
		return "Sheet1"
	}
	return string(out)
}

// styles are the cell styles of an exported workbook, created once per file.
type styles struct {
	title, note, header                           int
	text, integer, float, percent, date, datetime int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	border := []excelize.Border{{Type: "bottom", Color: "9AA5B1", Style: 1}}
	defs := []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Color: "4A5560", Size: 10}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}, Border: border}},
		{&s.text, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.integer, excelize.Style{CustomNumFmt: ptr(fmtInt), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.float, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}}, // General: 12, 1.5, 2000000
		{&s.percent, excelize.Style{CustomNumFmt: ptr(fmtPercent), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.date, excelize.Style{CustomNumFmt: ptr(fmtDate), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.datetime, excelize.Style{CustomNumFmt: ptr(fmtDateTime), Alignment: &excelize.Alignment{Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("style: %w", err)
		}
		*d.dst = id
	}
	return &s, nil
}

func ptr[T any](v T) *T { return &v }

func (s *styles) forKind(k Kind) int {
	switch k {
	case Int:
		return s.integer
	case Float:
		return s.float
	case Percent:
		return s.percent
	case Date:
		return s.date
	case DateTime:
		return s.datetime
	}
	return s.text
}

// writeSheet writes t onto an existing sheet: title, caption, header (frozen), typed rows, widths and an
// autofilter over the header.
func (s *styles) writeSheet(f *excelize.File, sheet string, t *Table) error {
	n := len(t.Columns)
	if n == 0 {
		return fmt.Errorf("table %s has no columns", t.Name)
	}
	last, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, cell(1, TitleRow), t.Title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, cell(1, TitleRow), cell(1, TitleRow), s.title); err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, cell(1, NoteRow), t.Caption); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, cell(1, NoteRow), cell(1, NoteRow), s.note); err != nil {
		return err
	}
	widths := make([]float64, n)
	for i, c := range t.Columns {
		if err := f.SetCellStr(sheet, cell(i+1, HeaderRow), c.Header); err != nil {
			return err
		}
		widths[i] = textWidth(c.Header) + 2
	}
	if err := f.SetCellStyle(sheet, cell(1, HeaderRow), cell(n, HeaderRow), s.header); err != nil {
		return err
	}
	for r, row := range t.Rows {
		y := HeaderRow + 1 + r
		for i, c := range t.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			if err := setTyped(f, sheet, cell(i+1, y), c.Kind, v); err != nil {
				return fmt.Errorf("row %d column %s: %w", r+1, c.Header, err)
			}
			if c.Width == 0 {
				widths[i] = max(widths[i], textWidth(csvText(c.Kind, v))+2)
			}
		}
	}
	if len(t.Rows) > 0 {
		lastRow := HeaderRow + len(t.Rows)
		for i, c := range t.Columns {
			if err := f.SetCellStyle(sheet, cell(i+1, HeaderRow+1), cell(i+1, lastRow), s.forKind(c.Kind)); err != nil {
				return err
			}
		}
	}
	for i, c := range t.Columns {
		w := c.Width
		if w == 0 {
			w = min(max(widths[i], 6), 50)
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: HeaderRow, TopLeftCell: cell(1, HeaderRow+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	if len(t.Rows) > 0 {
		if err := f.AutoFilter(sheet, fmt.Sprintf("A%d:%s%d", HeaderRow, last, HeaderRow+len(t.Rows)), nil); err != nil {
			return err
		}
	}
	return nil
}

func setTyped(f *excelize.File, sheet, ref string, k Kind, v any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
		return f.SetCellStr(sheet, ref, x)
	case int:
		return f.SetCellInt(sheet, ref, int64(x))
	case int64:
		return f.SetCellInt(sheet, ref, x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return f.SetCellFloat(sheet, ref, x, -1, 64)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return f.SetCellValue(sheet, ref, x)
	case bool:
		return f.SetCellStr(sheet, ref, csvText(k, x))
	}
	return f.SetCellValue(sheet, ref, v)
}

// cell is the A1 reference of a 1-based column and row.
func cell(col, row int) string {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // only called with positive numbers
	}
	return ref
}

// textWidth estimates the display width of s in Excel character units: CJK characters count two.
func textWidth(s string) float64 {
	w := 0.0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}
