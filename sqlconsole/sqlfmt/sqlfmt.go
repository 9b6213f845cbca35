// Package sqlfmt encodes one SQL console result as CSV, xlsx, JSON or a text table. It is the one
// encoder behind every door of the console — the web download buttons, the HTTP API and `lnvedash sql` —
// and knows nothing of DuckDB (Parquet is written by the sandbox's worker; see package sqlconsole).
package sqlfmt

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/xuri/excelize/v2"

	"lnvedash/csvcell"
)

// Table is a result: column names and DuckDB types, and rows of nil, bool, int64, float64, string, or
// nested []any / map[string]any values.
type Table struct {
	Columns   []string
	Types     []string
	Rows      [][]any
	Truncated bool
	Elapsed   time.Duration
}

// Formats lists the formats the console offers, with their MIME types and file extensions.
var Formats = map[string]struct{ MIME, Ext string }{
	"json":    {"application/json; charset=utf-8", "json"},
	"csv":     {"text/csv; charset=utf-8", "csv"},
	"xlsx":    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	"parquet": {"application/vnd.apache.parquet", "parquet"},
}

// ErrFormat is returned by Write for a format it does not encode: parquet needs DuckDB (the sandbox's
// worker writes it), anything else is unknown.
var ErrFormat = errors.New("sqlfmt: format not encoded here")

// Write encodes t in format: table (aligned text), csv, json or xlsx. It is the one format switch of
// the console, shared by `lnvedash sql` and POST /api/sql.
func Write(w io.Writer, format string, t *Table) error {
	switch format {
	case "table":
		return WriteText(w, t)
	case "csv":
		return WriteCSV(w, t)
	case "json":
		return WriteJSON(w, t)
	case "xlsx":
		return WriteXLSX(w, t)
	}
	return fmt.Errorf("%w: %q", ErrFormat, format)
}

// Text renders a value the way every text format shows it: NULL as empty, nested values as JSON.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any, map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// WriteCSV writes UTF-8 CSV with a byte-order mark, so Excel opens the Chinese text correctly, and CRLF
// line ends (also inside quoted fields), like the dashboard's other CSV exports; formula-like text gets
// a leading apostrophe, as in those exports (package csvcell). The result holds submitted text, and an
// analyst who downloads it must not run a formula a submitter wrote.
func WriteCSV(w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Columns); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = Text(v)
			if _, ok := v.(string); ok {
				rec[i] = csvcell.Defuse(rec[i]) // the rule of every CSV lnvedash writes
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// WriteXLSX writes one sheet "查询结果": the column names as given in the header row, numbers as numbers,
// booleans as booleans, text as text (never as a formula).
func WriteXLSX(w io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "查询结果"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case nil:
				cells[i] = nil
			case int64, float64, bool:
				cells[i] = x
			default:
				s := Text(x)
				if len(s) > 32767 { // Excel's limit for one cell
					s = s[:32767]
				}
				cells[i] = excelize.Cell{Value: s}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// JSON is the API's answer: {"columns","types","rows","truncated","elapsed_ms","row_count"}.
type JSON struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
	ElapsedMS int64    `json:"elapsed_ms"`
	RowCount  int      `json:"row_count"`
}

// ToJSON builds the API's answer; NaN and infinities already arrive as text.
func ToJSON(t *Table) JSON {
	rows := t.Rows
	if rows == nil {
		rows = [][]any{}
	}
	return JSON{Columns: t.Columns, Types: t.Types, Rows: rows, Truncated: t.Truncated,
		ElapsedMS: t.Elapsed.Milliseconds(), RowCount: len(rows)}
}

// WriteJSON writes ToJSON(t).
func WriteJSON(w io.Writer, t *Table) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ToJSON(t)); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	return nil
}

// WriteText writes an aligned table for a terminal (East Asian wide characters count double) and a
// footer with the row count.
func WriteText(w io.Writer, t *Table) error {
	const maxCell = 60
	cells := make([][]string, 0, len(t.Rows)+1)
	cells = append(cells, t.Columns)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			s := strings.NewReplacer("\n", "↵", "\r", "", "\t", " ").Replace(Text(v))
			if v == nil {
				s = "NULL"
			}
			rec[i] = runewidth.Truncate(s, maxCell, "…")
		}
		cells = append(cells, rec)
	}
	width := make([]int, len(t.Columns))
	for _, rec := range cells {
		for i, s := range rec {
			if n := runewidth.StringWidth(s); n > width[i] {
				width[i] = n
			}
		}
	}
	var b strings.Builder
	line := func(rec []string) {
		for i, s := range rec {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(runewidth.FillRight(s, width[i]))
		}
		b.WriteString("\n")
	}
	line(cells[0])
	for i, n := range width {
		if i > 0 {
			b.WriteString("-+-")
		}
		b.WriteString(strings.Repeat("-", n))
	}
	b.WriteString("\n")
	for _, rec := range cells[1:] {
		line(rec)
	}
	fmt.Fprintf(&b, "(%d 行", len(t.Rows))
	if t.Truncated {
		b.WriteString("，已截断")
	}
	fmt.Fprintf(&b, "，%d ms)\n", t.Elapsed.Milliseconds())
	_, err := io.WriteString(w, b.String())
	return err
}
