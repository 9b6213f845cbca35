// Package progressbook writes the progress workbook (进展情况报送表) the province sends each unit in a
// progress round: the unit's own current plan measures, pre-filled and locked, each with a hidden
// stable measure key, beside the columns the unit fills in. The round and the unit are embedded as the
// blank checklist embeds its unit, so ingest knows the file without guessing; the sheet protection
// keeps the keys and the plan text intact but lets the unit insert rows for new measures.
package progressbook

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lnvedash/checklist"
	"lnvedash/queries"
)

// Layout of the workbook; the ingest step recognises these headers (ingest/progress.go).
const (
	SheetName = "进展情况"
	// RoundDefinedName holds the round number (ingest.RoundDefinedName).
	RoundDefinedName = "lnvedash_round"
	TemplateID       = "lnvedash-progress-1"
	HeaderRow        = 4
	FirstRow         = HeaderRow + 1
	// BlankRows unlocked rows follow the measures, for measures added since the plan.
	BlankRows = 10
)

// Fill-in column headers, exactly as issue 17 names them.
const (
	HeadStatus   = "完成状态"
	HeadNote     = "完成情况说明"
	HeadAchieved = "已完成数量"
	HeadEvidence = "佐证材料"
	HeadLag      = "滞后原因及整改措施"
	HeadKey      = "举措编号（系统生成，请勿改动）"
)

// Columns in order: the key (hidden), six locked plan columns, the committed quantity (locked), then
// the five to fill. Column letters are A…M.
var Columns = []string{HeadKey, "序号", "任务内容", "具体举措", "完成目标", "责任单位（部门）", "完成时间", "承诺数量",
	HeadStatus, HeadNote, HeadAchieved, HeadEvidence, HeadLag}

// Column numbers (1-based) of the fill-in columns.
const (
	ColKey      = 1
	ColStatus   = 9
	ColNote     = 10
	ColAchieved = 11
	ColEvidence = 12
	ColLag      = 13
)

// Statuses of the drop-down, in the order of issue 17.
var Statuses = []string{"已完成", "按期推进", "滞后", "未启动", "已调整", "已取消"}

// Write writes the progress workbook of submitter (roster name) in round r to w.
func Write(w io.Writer, r queries.Round, submitter string, ms []queries.PlanMeasure) error {
	f, err := Build(r, submitter, ms)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write progress workbook: %w", err)
	}
	return nil
}

// Build makes the workbook; the caller closes it. The sample generator fills it, hence exported.
func Build(r queries.Round, submitter string, ms []queries.PlanMeasure) (*excelize.File, error) {
	if r.Kind != queries.RoundProgress {
		return nil, fmt.Errorf("progress workbook: 第%d轮“%s”不是进展轮次", r.ID, r.Name)
	}
	f := excelize.NewFile()
	if err := build(f, r, submitter, ms); err != nil {
		f.Close()
		return nil, fmt.Errorf("progress workbook %s: %w", submitter, err)
	}
	return f, nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func build(f *excelize.File, r queries.Round, submitter string, ms []queries.PlanMeasure) error {
	sh := SheetName
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	wrap := &excelize.Alignment{Vertical: "center", WrapText: true}
	font := &excelize.Font{Family: "宋体", Size: 10}
	style := func(s excelize.Style) (int, error) { return f.NewStyle(&s) }
	title, err := style(excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 16, Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	head, err := style(excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	fillHead, err := style(excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	locked, err := style(excelize.Style{Font: font, Border: border, Alignment: wrap, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	open, err := style(excelize.Style{Font: font, Border: border, Alignment: wrap, Protection: &excelize.Protection{Locked: false}})
	if err != nil {
		return err
	}
	line, err := style(excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	lastCol := len(Columns)
	widths := []float64{14, 6, 30, 36, 20, 14, 12, 14, 12, 36, 12, 24, 28}
	for i, wd := range widths {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, c, c, wd); err != nil {
			return err
		}
	}
	lines := [][2]string{
		{cell(1, 1), fmt.Sprintf("部省共建任务落实举措进展情况报送表（第%d轮：%s）", r.ID, r.Name)},
		{cell(1, 2), "单位：" + submitter},
		{cell(1, 3), roundLine(r)},
	}
	for _, l := range lines {
		if err := f.SetCellStr(sh, l[0], l[1]); err != nil {
			return err
		}
	}
	if err := f.MergeCell(sh, cell(1, 1), cell(lastCol, 1)); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cell(1, 1), cell(lastCol, 1), title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cell(1, 2), cell(lastCol, 3), line); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 1, 36); err != nil {
		return err
	}
	for i, h := range Columns {
		if err := f.SetCellStr(sh, cell(i+1, HeaderRow), h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, cell(1, HeaderRow), cell(ColStatus-1, HeaderRow), head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cell(ColStatus, HeaderRow), cell(lastCol, HeaderRow), fillHead); err != nil {
		return err
	}
	row := FirstRow
	for _, m := range ms {
		no := ""
		if m.TaskNo > 0 {
			no = strconv.Itoa(m.TaskNo)
		}
		for i, v := range []string{m.Key, no, m.Task, m.Measure, m.Goal, m.Owner, m.Due, m.Committed} {
			if err := f.SetCellStr(sh, cell(i+1, row), v); err != nil {
				return err
			}
		}
		row++
	}
	last := row + BlankRows - 1
	if err := f.SetCellStyle(sh, cell(1, FirstRow), cell(ColStatus-1, row-1), locked); err != nil && len(ms) > 0 {
		return err
	}
	if err := f.SetCellStyle(sh, cell(ColStatus, FirstRow), cell(lastCol, row-1), open); err != nil && len(ms) > 0 {
		return err
	}
	// rows for new measures: everything open but the key
	if err := f.SetCellStyle(sh, cell(2, row), cell(lastCol, last), open); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cell(1, row), cell(1, last), locked); err != nil {
		return err
	}
	if err := f.SetColVisible(sh, "A", false); err != nil {
		return err
	}
	if err := validations(f, sh, last); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 0, YSplit: HeaderRow, TopLeftCell: cell(1, FirstRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cell(ColStatus, FirstRow), ActiveCell: cell(ColStatus, FirstRow), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	size, orient, fitW, fitH, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// No password (as the blank checklist): the lock keeps keys and plan text from accidental edits.
	// Rows may be inserted (new measures) but not deleted (a deleted row would lose its key), and
	// columns may not be formatted (that would unhide the key column).
	if err := f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatRows: true, InsertRows: true}); err != nil {
		return err
	}
	if err := identity(f, r, submitter); err != nil {
		return err
	}
	return f.SetDocProps(&excelize.DocProperties{Title: "进展情况报送表", Subject: fmt.Sprintf("%s（%s）", r.Name, TemplateID),
		Creator: "辽宁省教育厅", Language: "zh-CN",
		Created: r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), Modified: r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
}

func roundLine(r queries.Round) string {
	parts := []string{}
	if !r.AsOf.IsZero() {
		parts = append(parts, "统计截止："+r.AsOf.Format("2006年1月2日"))
	}
	if !r.Deadline.IsZero() {
		parts = append(parts, "报送截止："+r.Deadline.Format("2006年1月2日"))
	}
	parts = append(parts, "黄色表头的列请填写；新增举措请填在下方空行（可插入行）")
	return strings.Join(parts, "　")
}

func validations(f *excelize.File, sh string, last int) error {
	colName := func(c int) string { n, _ := excelize.ColumnNumberToName(c); return n }
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s%d:%s%d", colName(ColStatus), FirstRow, colName(ColStatus), last)
	if err := dv.SetDropList(Statuses); err != nil {
		return err
	}
	dv.SetInput(HeadStatus, "请从下拉列表中选择")
	dv.SetError(excelize.DataValidationErrorStyleStop, HeadStatus, "请从下拉列表中选择："+strings.Join(Statuses, "、"))
	if err := f.AddDataValidation(sh, dv); err != nil {
		return err
	}
	nv := excelize.NewDataValidation(true)
	nv.Sqref = fmt.Sprintf("%s%d:%s%d", colName(ColAchieved), FirstRow, colName(ColAchieved), last)
	if err := nv.SetRange(0, 1e9, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	nv.SetInput(HeadAchieved, "填写与“承诺数量”同一单位的数字，如 2")
	// A warning, not a stop: "示范课堂5个、案例100个" for a measure with two quantities is read too.
	nv.SetError(excelize.DataValidationErrorStyleWarning, HeadAchieved, "请填写数字；确需文字说明可选“是”保留")
	return f.AddDataValidation(sh, nv)
}

func identity(f *excelize.File, r queries.Round, submitter string) error {
	if _, err := f.NewSheet(checklist.IdentitySheet); err != nil {
		return err
	}
	for _, kv := range [][2]string{{"A1", "submitter"}, {"B1", submitter}, {"A2", "template"}, {"B2", TemplateID},
		{"A3", "round"}, {"B3", strconv.Itoa(r.ID)}} {
		if err := f.SetCellStr(checklist.IdentitySheet, kv[0], kv[1]); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(checklist.IdentitySheet, false); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: checklist.SubmitterDefinedName,
		RefersTo: `"` + strings.ReplaceAll(submitter, `"`, `""`) + `"`, Comment: "报送单位"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: RoundDefinedName, RefersTo: strconv.Itoa(r.ID), Comment: "进展轮次"})
}
