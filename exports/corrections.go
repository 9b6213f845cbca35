package exports

// The correction list: the xlsx sent back to submitters so they fix their returns.

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

// RejectedSheet is the name of the sheet listing rejected files.
const RejectedSheet = "被拒收的文件"

// CorrectionsFileName is the suggested name of the correction list of unit ("" = every unit) on day now.
func CorrectionsFileName(unit string, now time.Time) string {
	if unit == "" {
		unit = "全部单位"
	}
	return "整改清单_" + SheetName(unit) + "_" + now.Format("20060102") + ".xlsx"
}

// WriteCorrections writes the correction list: one sheet per submitter with a current submission (the
// rows to fix and why), and a sheet of rejected files; submitter, if not "", limits it to that one
// submitter's sheet and rejected files. Submitted text is written as string cells (excelize never
// turns a string into a formula), verbatim.
func WriteCorrections(ctx context.Context, w io.Writer, db *queries.DB, submitter string) error {
	c, err := db.Corrections(ctx, submitter)
	if err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	names := map[string]bool{}
	header := []any{"文件名", "工作表", "行号", "严重程度", "问题类型", "说明"}
	sheetOf := map[string]string{}
	next := map[string]int{}
	for _, cf := range c.Current {
		name := sheetName(cf.Submitter, names)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("correction list: sheet %s: %w", name, err)
		}
		sheetOf[cf.Submitter] = name
		if err := f.SetSheetRow(name, "A1", &header); err != nil {
			return fmt.Errorf("correction list: %w", err)
		}
		next[name] = 2
	}

	for _, fd := range c.Findings {
		name, ok := sheetOf[fd.Submitter]
		if !ok {
			continue
		}
		var rowCell any = ""
		if fd.Row > 0 {
			rowCell = fd.Row
		}
		vals := []any{fd.File, fd.Sheet, rowCell, queries.SeverityLabel(fd.Severity), fd.Code, fd.Message}
		cell, _ := excelize.CoordinatesToCellName(1, next[name])
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			return fmt.Errorf("correction list: %w", err)
		}
		next[name]++
	}

	rej := sheetName(RejectedSheet, names)
	if _, err := f.NewSheet(rej); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	if err := f.SetSheetRow(rej, "A1", &[]any{"文件名", "报送单位", "原因代码", "原因", "接收时间"}); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	for i, rf := range c.Rejected {
		msg := strings.TrimSpace(strings.TrimPrefix(rf.Reason, rf.ReasonCode+":"))
		vals := []any{rf.File, rf.Submitter, rf.ReasonCode, msg, rf.IngestedAt.Format("2006-01-02 15:04")}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(rej, cell, &vals); err != nil {
			return fmt.Errorf("correction list: %w", err)
		}
	}
	// A submitter with nothing to fix still gets its sheet, saying so, so no one wonders whether it
	// was forgotten.
	for _, cf := range c.Current {
		if name := sheetOf[cf.Submitter]; next[name] == 2 {
			if err := f.SetSheetRow(name, "A2", &[]any{cf.File, "", "", "", "", "无需修改"}); err != nil {
				return fmt.Errorf("correction list: %w", err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	for _, name := range f.GetSheetList() {
		_ = f.SetColWidth(name, "A", "A", 36)
		_ = f.SetColWidth(name, "F", "F", 80)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("correction list: write: %w", err)
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
