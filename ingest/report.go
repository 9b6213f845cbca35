package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lnvedash/queries"
)

var severityLabel = map[string]string{SevError: "错误", SevWarning: "警告", SevInfo: "提示"}

// rejectedSheet is the name of the sheet listing rejected files.
const rejectedSheet = "被拒收的文件"

// WriteReport writes the correction list: one sheet per submitter with a current submission (the rows
// to fix and why), and a sheet of rejected files. Submitted text is written as string cells (excelize
// never turns a string into a formula), verbatim.
func WriteReport(ctx context.Context, db *queries.DB, w io.Writer) error {
	return WriteReportWith(ctx, db, w, ReportOptions{})
}

// ReportOptions narrows the correction list to one unit and adds the experts' review notes.
type ReportOptions struct {
	Submitter string       // roster name; "" = every unit
	Notes     []ReviewNote // written, as given, to the sheet 专家审核意见 (omitted when empty)
}

// ReviewNote is one reviewer's decision or comment on a measure, for the unit to act on.
type ReviewNote struct {
	Submitter, FileName, Sheet string
	Row                        int // 0 for a decision on the whole version
	Measure                    string
	Reviewer, Kind, Text       string // Kind: 审核结论 / 逐条意见
	At                         time.Time
}

// reviewSheet is the name of the sheet of review notes.
const reviewSheet = "专家审核意见"

// WriteReportWith writes the correction list under opt (see WriteReport). Comment text is hostile
// input like everything submitted: it goes into string cells only.
func WriteReportWith(ctx context.Context, db *queries.DB, w io.Writer, opt ReportOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	names := map[string]bool{}
	header := []any{"文件名", "工作表", "行号", "严重程度", "问题类型", "说明"}

	current, err := db.QueryContext(ctx, mustSQL("report_current"))
	if err != nil {
		return fmt.Errorf("report_current: %w", err)
	}
	type cur struct{ submitter, file string }
	var subs []cur
	for current.Next() {
		var c cur
		if err := current.Scan(&c.submitter, &c.file); err != nil {
			current.Close()
			return fmt.Errorf("report_current: %w", err)
		}
		if opt.Submitter != "" && c.submitter != opt.Submitter {
			continue
		}
		subs = append(subs, c)
	}
	current.Close()
	if err := current.Err(); err != nil {
		return fmt.Errorf("report_current: %w", err)
	}
	sheetOf := map[string]string{}
	next := map[string]int{}
	for _, c := range subs {
		name := sheetName(c.submitter, names)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("report: sheet %s: %w", name, err)
		}
		sheetOf[c.submitter] = name
		if err := f.SetSheetRow(name, "A1", &header); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		next[name] = 2
	}

	rows, err := db.QueryContext(ctx, mustSQL("report_findings"))
	if err != nil {
		return fmt.Errorf("report_findings: %w", err)
	}
	for rows.Next() {
		var submitter, file, sheet, sev, code, msg string
		var row int
		if err := rows.Scan(&submitter, &file, &sheet, &row, &sev, &code, &msg); err != nil {
			rows.Close()
			return fmt.Errorf("report_findings: %w", err)
		}
		name, ok := sheetOf[submitter]
		if !ok {
			continue
		}
		var rowCell any = ""
		if row > 0 {
			rowCell = row
		}
		vals := []any{file, sheet, rowCell, severityLabel[sev], code, msg}
		cell, _ := excelize.CoordinatesToCellName(1, next[name])
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			rows.Close()
			return fmt.Errorf("report: %w", err)
		}
		next[name]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report_findings: %w", err)
	}

	rej := sheetName(rejectedSheet, names)
	if _, err := f.NewSheet(rej); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := f.SetSheetRow(rej, "A1", &[]any{"文件名", "报送单位", "原因代码", "原因", "接收时间"}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	rrows, err := db.QueryContext(ctx, mustSQL("report_rejected"))
	if err != nil {
		return fmt.Errorf("report_rejected: %w", err)
	}
	r := 2
	for rrows.Next() {
		var file, submitter, code, reason string
		var at time.Time
		if err := rrows.Scan(&file, &submitter, &code, &reason, &at); err != nil {
			rrows.Close()
			return fmt.Errorf("report_rejected: %w", err)
		}
		if opt.Submitter != "" && submitter != opt.Submitter {
			continue
		}
		msg := strings.TrimSpace(strings.TrimPrefix(reason, code+":"))
		vals := []any{file, submitter, code, msg, at.Format("2006-01-02 15:04")}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow(rej, cell, &vals); err != nil {
			rrows.Close()
			return fmt.Errorf("report: %w", err)
		}
		r++
	}
	rrows.Close()
	if err := rrows.Err(); err != nil {
		return fmt.Errorf("report_rejected: %w", err)
	}
	// A submitter with nothing to fix still gets its sheet, saying so, so no one wonders whether it
	// was forgotten.
	for _, c := range subs {
		if name := sheetOf[c.submitter]; next[name] == 2 {
			if err := f.SetSheetRow(name, "A2", &[]any{c.file, "", "", "", "", "无需修改"}); err != nil {
				return fmt.Errorf("report: %w", err)
			}
		}
	}
	if len(opt.Notes) > 0 {
		if err := writeNotes(f, sheetName(reviewSheet, names), opt.Notes); err != nil {
			return err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, name := range f.GetSheetList() {
		_ = f.SetColWidth(name, "A", "A", 36)
		_ = f.SetColWidth(name, "F", "F", 80)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("report: write: %w", err)
	}
	return nil
}

func writeNotes(f *excelize.File, name string, notes []ReviewNote) error {
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	header := []any{"报送单位", "文件名", "工作表", "行号", "具体举措", "类别", "审核专家", "意见", "时间"}
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for i, n := range notes {
		var row any = ""
		if n.Row > 0 {
			row = n.Row
		}
		vals := []any{n.Submitter, n.FileName, n.Sheet, row, n.Measure, n.Kind, n.Reviewer, n.Text, n.At.Format("2006-01-02 15:04")}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// sheetName makes a valid, unique sheet name: at most 31 characters, none of []:*?/\.
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if s == "" {
		s = "未知"
	}
	base := truncRunes(s, 31)
	name := base
	for i := 2; used[strings.ToLower(name)] || strings.EqualFold(name, "Sheet1"); i++ {
		suffix := fmt.Sprintf("(%d)", i)
		name = truncRunes(s, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
