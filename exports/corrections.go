package exports

// The correction list: the xlsx sent back to submitters so they fix their returns.

import (
	"context"
	"fmt"
	"io"
	"strconv"
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

// CorrectionsOptions parameterise the correction list.
type CorrectionsOptions struct {
	Unit string    // one submitter (a name or alias); "" = every unit
	Now  time.Time // the day of the letter; zero = today
	Due  time.Time // the date to resend by; zero = Now + CorrectionsDays
	// Notes are the experts' decisions and comments, written to the sheet 专家审核意见 (omitted when empty).
	Notes []ReviewNote
}

// CorrectionsDays is the default time given to correct and resend.
const CorrectionsDays = 7

// Layout of a unit's sheet: a letter a clerk forwards as is — title naming the unit, what to do by
// when, then the table (header repeated on every printed page).
const (
	corrTitleRow  = 1
	corrAskRow    = 2
	corrCountRow  = 3
	corrHeaderRow = 5
)

// corrColumns are the columns of a unit's sheet, with widths in characters that show a typical cell
// without cutting it (text wraps beyond).
var corrColumns = []struct {
	header string
	width  float64
}{
	{"序号", 6}, {"工作表", 12}, {"行号", 7}, {"严重程度", 9}, {"问题类型", 18}, {"原填写内容", 32}, {"说明及修改要求", 60}, {"代码", 16},
}

// WriteCorrections writes the correction list of submitter ("" = every unit), dated today.
func WriteCorrections(ctx context.Context, w io.Writer, db *queries.DB, submitter string) error {
	return WriteCorrectionsWith(ctx, w, db, CorrectionsOptions{Unit: submitter})
}

// WriteCorrectionsWith writes the correction list: one sheet per submitter with a current submission,
// each a letter (title naming the unit, what to correct by when, the rows to fix with the value as
// written and why, print setup for A4), and a sheet of rejected files with their reasons in Chinese.
// Submitted text is written as string cells (excelize never turns a string into a formula), verbatim.
func WriteCorrectionsWith(ctx context.Context, w io.Writer, db *queries.DB, opt CorrectionsOptions) error {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Due.IsZero() {
		opt.Due = opt.Now.AddDate(0, 0, CorrectionsDays)
	}
	c, err := db.Corrections(ctx, opt.Unit)
	if err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newCorrStyles(f)
	if err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	names := map[string]bool{}
	// by file: a unit's plan and its progress returns are each current, each with its own letter
	byFile := map[[2]string][]queries.CorrectionFinding{}
	for _, fd := range c.Findings {
		k := [2]string{fd.Submitter, fd.File}
		byFile[k] = append(byFile[k], fd)
	}
	for _, cf := range c.Current {
		name := cf.Submitter
		if cf.Round != "" {
			name += "（" + cf.Round + "）"
		}
		name = sheetName(name, names)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("correction list: sheet %s: %w", name, err)
		}
		if err := writeUnitLetter(f, st, name, cf, byFile[[2]string{cf.Submitter, cf.File}], opt); err != nil {
			return fmt.Errorf("correction list: sheet %s: %w", name, err)
		}
	}
	rej := sheetName(RejectedSheet, names)
	if _, err := f.NewSheet(rej); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	if err := writeRejected(f, st, rej, c.Rejected, opt); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	if len(opt.Notes) > 0 {
		if err := writeNotes(f, sheetName(ReviewSheet, names), opt.Notes); err != nil {
			return fmt.Errorf("correction list: review notes: %w", err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("correction list: %w", err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("correction list: write: %w", err)
	}
	return nil
}

// corrStyles are the styles of the correction list.
type corrStyles struct{ title, ask, header, cell, wrap int }

func newCorrStyles(f *excelize.File) (corrStyles, error) {
	var st corrStyles
	var err error
	border := []excelize.Border{{Type: "left", Color: "BFC5CC", Style: 1}, {Type: "right", Color: "BFC5CC", Style: 1},
		{Type: "top", Color: "BFC5CC", Style: 1}, {Type: "bottom", Color: "BFC5CC", Style: 1}}
	for _, s := range []struct {
		dst *int
		st  *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 15}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.ask, &excelize.Style{Font: &excelize.Font{Size: 11}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF1F5"}},
			Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.cell, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.wrap, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	} {
		if *s.dst, err = f.NewStyle(s.st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// writeUnitLetter writes one unit's sheet.
func writeUnitLetter(f *excelize.File, st corrStyles, sheet string, cf queries.CurrentFile, fds []queries.CorrectionFinding, opt CorrectionsOptions) error {
	last, _ := excelize.ColumnNumberToName(len(corrColumns))
	errs, warns, stamped := 0, 0, 0
	for _, fd := range fds {
		switch fd.Severity {
		case "error":
			errs++
		case "warning":
			warns++
		}
		if strings.HasPrefix(fd.Code, "stamped_") {
			stamped++
		}
	}
	doc, extra := "《任务落实举措清单》", ""
	if cf.Round != "" {
		// a progress return: the unit also learns which of its plan measures it did not report
		doc, extra = "《"+cf.Round+"》进展报送表", "“举措未报告进展”所列举措请补报完成状态。"
	}
	title := cf.Submitter + doc + "整改通知"
	ask := fmt.Sprintf("%s：经核验，贵单位报送的%s（文件“%s”）有下列问题，请于 %s 前逐条修改，并将修改后的文件（xlsx 格式）重新报送。标为“错误”的必须修改，标为“警告”“提示”的请核实。%s",
		cf.Submitter, doc, cf.File, zhDate(opt.Due), extra)
	count := fmt.Sprintf("共 %d 项：错误 %d 项，警告 %d 项，提示 %d 项。发出日期：%s", len(fds), errs, warns, len(fds)-errs-warns, zhDate(opt.Now))
	switch {
	case len(fds) == 0:
		ask = fmt.Sprintf("%s：经核验，贵单位报送的%s（文件“%s”）未发现需要修改的问题，无需重新报送。", cf.Submitter, doc, cf.File)
		count = "发出日期：" + zhDate(opt.Now)
	case stamped == len(fds):
		// only the stamped copy is wanting: the xlsx itself stands, the paper is to be (re)scanned
		ask = fmt.Sprintf("%s：经核验，贵单位报送的《任务落实举措清单》（文件“%s”）内容无需修改，但盖章扫描件有下列问题。请于 %s 前按说明将签字盖章的纸质版扫描成PDF文件上传（文件名中写明单位名称）。",
			cf.Submitter, cf.File, zhDate(opt.Due))
	case stamped > 0:
		ask += "盖章扫描件的问题请按说明将签字盖章的纸质版（与修改后的清单一致）扫描成PDF文件一并上传。"
	}
	header := make([]any, len(corrColumns))
	for i, c := range corrColumns {
		header[i] = c.header
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, c.width); err != nil {
			return err
		}
	}
	if err := letterHead(f, st, sheet, last, title, ask, count, header); err != nil {
		return err
	}
	for i, fd := range fds {
		var row any = ""
		if fd.Row > 0 {
			row = fd.Row
		}
		vals := []any{i + 1, fd.Sheet, row, queries.SeverityLabel(fd.Severity), queries.FindingLabel(fd.Code), fd.Value, fd.Message, fd.Code}
		if err := setRow(f, sheet, corrHeaderRow+1+i, vals); err != nil {
			return err
		}
	}
	if len(fds) == 0 {
		if err := setRow(f, sheet, corrHeaderRow+1, []any{"", "", "", "", "", "", "无需修改", ""}); err != nil {
			return err
		}
	}
	return tableSetup(f, st, sheet, max(len(fds), 1), []int{2, 6, 7})
}

// writeRejected writes the sheet of files that could not be read, each with its reason in words.
func writeRejected(f *excelize.File, st corrStyles, sheet string, rs []queries.RejectedFile, opt CorrectionsOptions) error {
	header := []any{"序号", "文件名", "报送单位", "原因", "说明及修改要求", "接收时间", "原因代码"}
	last, _ := excelize.ColumnNumberToName(len(header))
	ask := fmt.Sprintf("下列文件未能读取，未计入统计。请报送单位按“说明及修改要求”处理后，于 %s 前重新报送。", zhDate(opt.Due))
	if err := letterHead(f, st, sheet, last, "未能读取（被拒收）的文件", ask, fmt.Sprintf("共 %d 个文件。发出日期：%s", len(rs), zhDate(opt.Now)), header); err != nil {
		return err
	}
	for i, rf := range rs {
		who := rf.Submitter
		if who == "" {
			who = "未能识别"
		}
		vals := []any{i + 1, rf.File, who, queries.ReasonLabel(rf.ReasonCode), queries.ReasonText(rf.Reason), rf.IngestedAt.Format("2006-01-02 15:04"), rf.ReasonCode}
		if err := setRow(f, sheet, corrHeaderRow+1+i, vals); err != nil {
			return err
		}
	}
	for i, w := range []float64{6, 36, 22, 18, 60, 17, 16} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return tableSetup(f, st, sheet, len(rs), []int{2, 5}, len(header))
}

// letterHead writes the title, the request and the count above the table, and the unit sheet's header.
func letterHead(f *excelize.File, st corrStyles, sheet, last, title, ask, count string, header []any) error {
	for _, r := range []struct {
		row   int
		text  string
		style int
		h     float64
	}{{corrTitleRow, title, st.title, 30}, {corrAskRow, ask, st.ask, 48}, {corrCountRow, count, st.ask, 18}} {
		ref := cell(1, r.row)
		if err := f.SetCellStr(sheet, ref, r.text); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, ref, last+strconv.Itoa(r.row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, ref, last+strconv.Itoa(r.row), r.style); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, r.row, r.h); err != nil {
			return err
		}
	}
	return f.SetSheetRow(sheet, cell(1, corrHeaderRow), &header)
}

func setRow(f *excelize.File, sheet string, row int, vals []any) error {
	return f.SetSheetRow(sheet, cell(1, row), &vals)
}

// tableSetup styles the table of n rows (wrapping the columns in wrap, 1-based), freezes the header,
// and sets up printing: A4 landscape, fit to one page wide, the header repeated on every page.
func tableSetup(f *excelize.File, st corrStyles, sheet string, n int, wrap []int, ncols ...int) error {
	cols := len(corrColumns)
	if len(ncols) > 0 {
		cols = ncols[0]
	}
	last, _ := excelize.ColumnNumberToName(cols)
	end := corrHeaderRow + n
	if err := f.SetCellStyle(sheet, cell(1, corrHeaderRow), cell(cols, corrHeaderRow), st.header); err != nil {
		return err
	}
	if n > 0 {
		if err := f.SetCellStyle(sheet, cell(1, corrHeaderRow+1), cell(cols, end), st.cell); err != nil {
			return err
		}
		for _, c := range wrap {
			if err := f.SetCellStyle(sheet, cell(c, corrHeaderRow+1), cell(c, end), st.wrap); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: corrHeaderRow, TopLeftCell: cell(1, corrHeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, sheet, fmt.Sprintf("$A$1:$%s$%d", last, end), fmt.Sprintf("$%d:$%d", corrHeaderRow, corrHeaderRow))
}

// printSetup makes a sheet print as a handout: A4 landscape, one page wide, area and title rows set.
func printSetup(f *excelize.File, sheet, area, titles string) error {
	return setPrint(f, sheet, printLayout{area: area, titles: titles, landscape: true})
}

// zhDate is 2021年9月20日.
func zhDate(t time.Time) string { return t.Format("2006年1月2日") }

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
