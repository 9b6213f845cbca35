// Package checklist writes the blank 任务落实举措清单 that the province sends to every city and college:
// the notice's own layout (title, 单位/联系人/联系电话 lines, the two-level merged header) filled with the
// 54 canonical tasks of 附件2 rather than the notice's drifting template, so that the next round of
// returned files can be matched by task number without guessing.
//
// The workbook is made for clerks: it prints on A4 landscape, the task columns are locked while the
// four measure columns stay editable, 完成时间 carries a date validation with an input hint, and, when
// it is made for one submitter, it records who that is in a form the ingest step reads back
// (the defined name lnvedash_submitter and the hidden sheet _lnvedash).
package checklist

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"lnvedash/seeds"
)

// Layout of the checklist sheet. The ingest step and the sample generator rely on these.
const (
	// Title is the checklist's title as the notice prints it (without the notice's stray PDF spaces).
	Title = "《教育部 辽宁省人民政府关于整省推进职业教育实用高效发展 提升服务辽宁振兴能力的意见》任务落实举措清单"
	// SheetName is the checklist sheet.
	SheetName = "任务落实举措清单"
	// IdentitySheet is the hidden sheet recording who the workbook was made for.
	IdentitySheet = "_lnvedash"
	// SubmitterDefinedName is the workbook-scope defined name holding the submitter as a string constant.
	SubmitterDefinedName = "lnvedash_submitter"
	// TemplateID identifies this template in IdentitySheet!B2.
	TemplateID = "lnvedash-2021"
	// HeaderRow is the first of the two header rows; FirstTaskRow the first measure row.
	HeaderRow    = 5
	FirstTaskRow = HeaderRow + 2
	// RowsPerTask blank measure rows are left under each task. Three covers most plans; a submitter who
	// needs more inserts rows (allowed by the sheet protection) — merged task cells stretch with them.
	RowsPerTask = 3
)

// Columns are the eight columns in order: four describing the task (locked), four for the measures.
var Columns = []string{"序号", "主要任务", "任务内容", "责任部门", "具体举措", "完成目标", "责任单位（部门）", "完成时间"}

// Header labels of the first header row, each over the columns named in the second.
const (
	GroupTask    = "部省共建任务"
	GroupMeasure = "落实具体举措"
)

// Options chooses what goes into the workbook.
type Options struct {
	// For is the submitter the workbook is made for: canonical name or alias, "" for a generic blank.
	For string
}

// date validation bounds for 完成时间.
var (
	minDue = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDue = time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Write writes the blank checklist workbook to w.
func Write(w io.Writer, set *seeds.Set, opt Options) error {
	f, err := Build(set, opt)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write checklist: %w", err)
	}
	return nil
}

// TaskRow is the sheet row of the first measure row of task no (1-based) in a workbook made by Build.
func TaskRow(no int) int { return FirstTaskRow + (no-1)*RowsPerTask }

// Departments is the 责任部门 cell of a task: its lead departments and its city scope, joined with 、.
func Departments(t seeds.Task) string {
	parts := append([]string{}, t.Departments...)
	if t.CityScope != "" {
		parts = append(parts, t.CityScope)
	}
	return strings.Join(parts, "、")
}

// Resolve finds the submitter a name or alias stands for, ignoring spaces and full-/half-width
// differences. The error is in Chinese: it is shown to the clerk who typed the name.
func Resolve(set *seeds.Set, name string) (seeds.Submitter, error) {
	key := normalise(name)
	if key == "" {
		return seeds.Submitter{}, fmt.Errorf("报送单位名称为空")
	}
	for _, s := range set.Submitters {
		if normalise(s.Name) == key {
			return s, nil
		}
		for _, a := range s.Aliases {
			if normalise(a) == key {
				return s, nil
			}
		}
	}
	// Suggest a few names that share the text typed, never the whole roster.
	var near []string
	for _, s := range set.Submitters {
		if strings.Contains(normalise(s.Name), key) || strings.Contains(key, normalise(s.Name)) {
			near = append(near, s.Name)
		}
		if len(near) == 5 {
			break
		}
	}
	msg := fmt.Sprintf("名册中没有报送单位“%s”：请填写市名（如“大连市”）或院校全称（如“辽宁机电职业技术学院”），名册见 seeds/submitters.csv", name)
	if len(near) > 0 {
		msg += "；是否指：" + strings.Join(near, "、")
	}
	return seeds.Submitter{}, fmt.Errorf("%s", msg)
}

func normalise(s string) string {
	return strings.Join(strings.Fields(width.Fold.String(s)), "")
}

// Build makes the checklist workbook. The caller closes it. The sample generator fills its measure
// rows, which is why this is exported.
func Build(set *seeds.Set, opt Options) (*excelize.File, error) {
	var who seeds.Submitter
	if opt.For != "" {
		s, err := Resolve(set, opt.For)
		if err != nil {
			return nil, err
		}
		who = s
	}
	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, fmt.Errorf("checklist sheet: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	if err := writeSheet(f, set, who, st); err != nil {
		return nil, fmt.Errorf("checklist sheet: %w", err)
	}
	if who.Name != "" {
		if err := writeIdentity(f, who.Name); err != nil {
			return nil, fmt.Errorf("checklist identity: %w", err)
		}
	}
	// Fixed document properties: the same inputs give the same bytes (the sample data depends on it).
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    "任务落实举措清单",
		Subject:  "部省共建任务落实举措清单（" + TemplateID + "）",
		Creator:  "辽宁省教育厅",
		Created:  "2021-08-25T00:00:00Z",
		Modified: "2021-08-25T00:00:00Z",
		Language: "zh-CN",
	}); err != nil {
		return nil, fmt.Errorf("checklist properties: %w", err)
	}
	ok = true
	return f, nil
}

type styles struct {
	title, line, head, task, area, measure, due int
}

func newStyles(f *excelize.File) (styles, error) {
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold}
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	locked := &excelize.Protection{Locked: true}
	open := &excelize.Protection{Locked: false}
	dateFmt := "yyyy-mm-dd"
	var st styles
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(16, true), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Protection: locked}},
		{&st.line, excelize.Style{Font: font(12, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}, Protection: locked}},
		{&st.head, excelize.Style{Font: font(11, true), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Protection: locked}},
		{&st.task, excelize.Style{Font: font(10, false), Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Protection: locked}},
		{&st.area, excelize.Style{Font: font(10, true), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Protection: locked}},
		{&st.measure, excelize.Style{Font: font(10, false), Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Protection: open}},
		{&st.due, excelize.Style{Font: font(10, false), Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Protection: open}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return st, fmt.Errorf("checklist style: %w", err)
		}
		*d.dst = id
	}
	return st, nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func writeSheet(f *excelize.File, set *seeds.Set, who seeds.Submitter, st styles) error {
	sh := SheetName
	last := len(Columns)
	lastCol, _ := excelize.ColumnNumberToName(last)
	// Widths in characters: the text columns are wide and wrap; the whole row fits one A4 landscape
	// page width once the page setup scales it.
	widths := []float64{6, 16, 42, 20, 40, 18, 16, 14}
	for i, wd := range widths {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, c, c, wd); err != nil {
			return err
		}
	}
	unit := "单位：（公章）"
	if who.Name != "" {
		unit = "单位：" + who.Name
	}
	lines := []struct {
		row   int
		text  string
		style int
		h     float64
	}{
		{1, Title, st.title, 48},
		{2, unit, st.line, 20},
		{3, "联系人：", st.line, 20},
		{4, "联系电话：", st.line, 20},
	}
	for _, l := range lines {
		if err := f.SetCellValue(sh, cell(1, l.row), l.text); err != nil {
			return err
		}
		if err := f.MergeCell(sh, cell(1, l.row), cell(last, l.row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, cell(1, l.row), cell(last, l.row), l.style); err != nil {
			return err
		}
		if err := f.SetRowHeight(sh, l.row, l.h); err != nil {
			return err
		}
	}
	// The two-level header, as the notice prints it.
	h1, h2 := HeaderRow, HeaderRow+1
	heads := []struct {
		from, to string
		text     string
	}{
		{cell(1, h1), cell(1, h2), Columns[0]},
		{cell(2, h1), cell(2, h2), Columns[1]},
		{cell(3, h1), cell(4, h1), GroupTask},
		{cell(5, h1), cell(8, h1), GroupMeasure},
	}
	for _, h := range heads {
		if err := f.SetCellValue(sh, h.from, h.text); err != nil {
			return err
		}
		if err := f.MergeCell(sh, h.from, h.to); err != nil {
			return err
		}
	}
	for i := 2; i < len(Columns); i++ {
		if err := f.SetCellValue(sh, cell(i+1, h2), Columns[i]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, cell(1, h1), cell(last, h2), st.head); err != nil {
		return err
	}
	for _, r := range []int{h1, h2} {
		if err := f.SetRowHeight(sh, r, 24); err != nil {
			return err
		}
	}
	// The 54 canonical tasks, RowsPerTask measure rows each; 主要任务 merged over its tasks.
	areaStart := FirstTaskRow
	for i, t := range set.Tasks {
		top := TaskRow(t.No)
		bottom := top + RowsPerTask - 1
		vals := []any{t.No, t.Area, t.Content, Departments(t)}
		for c, v := range vals {
			if c == 1 {
				continue
			}
			if err := f.SetCellValue(sh, cell(c+1, top), v); err != nil {
				return err
			}
			if err := f.MergeCell(sh, cell(c+1, top), cell(c+1, bottom)); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sh, cell(1, top), cell(4, bottom), st.task); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, cell(5, top), cell(7, bottom), st.measure); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, cell(8, top), cell(8, bottom), st.due); err != nil {
			return err
		}
		if i == len(set.Tasks)-1 || set.Tasks[i+1].AreaNo != t.AreaNo {
			if err := f.SetCellValue(sh, cell(2, areaStart), t.Area); err != nil {
				return err
			}
			if bottom > areaStart {
				if err := f.MergeCell(sh, cell(2, areaStart), cell(2, bottom)); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(sh, cell(2, areaStart), cell(2, bottom), st.area); err != nil {
				return err
			}
			areaStart = bottom + 1
		}
	}
	lastRow := TaskRow(len(set.Tasks)) + RowsPerTask - 1

	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s%d:%s%d", lastCol, FirstTaskRow, lastCol, lastRow)
	if err := dv.SetRange(excelSerial(minDue), excelSerial(maxDue), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	dv.SetInput("完成时间", "请填写日期，如 2022-06-30（2021-01-01 至 2030-12-31）。长期任务可填“长期”。")
	// A warning, not a stop: 长期/持续推进 are legitimate answers the ingest step understands.
	dv.SetError(excelize.DataValidationErrorStyleWarning, "完成时间", "请填写 2021-01-01 至 2030-12-31 之间的日期；确属长期任务可选“是”保留。")
	if err := f.AddDataValidation(sh, dv); err != nil {
		return err
	}

	// Print: A4 landscape, one page wide, the two header rows on every page.
	size, orient, fitW, fitH, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sh, h1, h2), Scope: sh}); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: h2, TopLeftCell: cell(1, FirstTaskRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cell(5, FirstTaskRow), ActiveCell: cell(5, FirstTaskRow), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	// No password: the lock keeps the task columns from being edited by accident, which is all the
	// drift in the last round needed; a password would only be lost or shared.
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, InsertRows: true, DeleteRows: true,
	})
}

func writeIdentity(f *excelize.File, name string) error {
	if _, err := f.NewSheet(IdentitySheet); err != nil {
		return err
	}
	// A slice, not a map: the shared-strings order must not depend on map iteration.
	for _, kv := range [][2]string{{"A1", "submitter"}, {"B1", name}, {"A2", "template"}, {"B2", TemplateID}} {
		if err := f.SetCellStr(IdentitySheet, kv[0], kv[1]); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(IdentitySheet, false); err != nil {
		return err
	}
	// Excel wants a string constant in a defined name quoted, with inner quotes doubled.
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     SubmitterDefinedName,
		RefersTo: `"` + strings.ReplaceAll(name, `"`, `""`) + `"`,
		Comment:  "报送单位（由 lnvedash template --for 写入）",
	})
}

// excelSerial is the Excel (1900 system) serial number of a date.
func excelSerial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}
