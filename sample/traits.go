package sample

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/seeds"
)

// Returns with the traits of issue 13, the way other hands fill the checklist: the sender named only in
// the print header, a checklist split over one sheet per main task with a 汇总 sheet restating it and
// 合计 rows, hidden draft rows and columns, a 序号 that counts rows, other words for the columns in
// another order, date cells shown through number formats, more forms of 完成时间 and 完成目标, and
// numbered lists in one cell. Each replaces the college's ordinary return.

// traitReturns maps a college to its trait file.
var traitReturns = map[string]struct {
	file, note string
	build      func(set *seeds.Set, who seeds.Submitter, r *rand.Rand) (*excelize.File, error)
}{
	"锦州师范高等专科学校": {"举措清单（定稿）.xlsx", "单位名只在页眉（简称“锦州师专”）；按主要任务分成多个工作表，另有“汇总”表重复全部举措，各表末有“合计”行", splitByArea},
	// 辽宁水利职业学院 merged into 辽宁生态工程职业学院 in 2018: its file still carries the old name.
	"辽宁生态工程职业学院": {"辽宁水利职业学院一校一案.xlsx", "隐藏了草稿行与一列草稿；序号为逐行编号；表头用“工作举措/预期成效/牵头单位/时间节点”，完成目标列在具体举措之前，多“备注”和第二个“序号”列", hiddenDrafts},
	"大连商务职业学院":   {"大连商务职业学院一校一案.xlsx", "日期单元格按格式显示（yyyy年m月、0.00）；完成时间写“即日起”“2021-2025年”“2022年9月至12月”；完成目标写范围、“3千人次”、分批；一格内编号列出多条举措", displayedLists},
}

// traitReturn is the trait file of a college, if it has one.
func traitReturn(set *seeds.Set, who seeds.Submitter) (planned, bool) {
	t, ok := traitReturns[who.Name]
	if !ok {
		return planned{}, false
	}
	return planned{Entry{File: t.file, Submitter: who.Name, Status: StatusCurrent, Note: t.note}, func(set *seeds.Set) ([]byte, error) {
		r := rngFor(t.file)
		f, err := t.build(set, who, r)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		d := 3 + r.IntN(15)
		return finish(f, &layout{author: "WPS", created: day(9, d, 9, 0), modified: day(9, d+1, 10, r.IntN(60))})
	}}, true
}

// schoolTasks are the tasks a college is expected to address, in order.
func schoolTasks(set *seeds.Set) []seeds.Task {
	var out []seeds.Task
	for _, t := range set.Tasks {
		if t.ExpectsSchools {
			out = append(out, t)
		}
	}
	return out
}

func setRow(f *excelize.File, sheet string, row int, vals ...any) error {
	cell, _ := excelize.CoordinatesToCellName(1, row)
	return f.SetSheetRow(sheet, cell, &vals)
}

var plainHeader = []any{"序号", "主要任务", "任务内容", "具体举措", "完成目标", "责任单位", "完成时间"}

// dueText is a 完成时间 as text (a serial drawn by due() becomes a written date).
func dueText(v any) any {
	if s, ok := v.(float64); ok {
		return excelEpochDay(s).Format("2006年1月")
	}
	return v
}

func excelEpochDay(serial float64) time.Time {
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(serial))
}

// splitByArea: one sheet per main task, the college named only in the print header, a 汇总 sheet
// restating every measure, a 合计 row under each sheet.
func splitByArea(set *seeds.Set, who seeds.Submitter, r *rand.Rand) (*excelize.File, error) {
	f := excelize.NewFile()
	type row []any
	var all []row
	byArea := map[int][]row{}
	var areas []int
	for _, t := range schoolTasks(set) {
		if r.Float64() < 0.2 {
			continue
		}
		if _, ok := byArea[t.AreaNo]; !ok {
			areas = append(areas, t.AreaNo)
		}
		for _, m := range measuresFor(r, set, t.No, seeds.KindSchool, 2) {
			written++ // once: the 汇总 sheet restates it
			rw := row{t.No, t.Area, t.Content, m.text, m.goal, m.owner, dueText(m.due)}
			byArea[t.AreaNo] = append(byArea[t.AreaNo], rw)
			all = append(all, rw)
		}
	}
	header := fmt.Sprintf("&C&\"宋体,常规\"%s 部省共建任务落实举措清单&R第&P页", shortAlias(who))
	write := func(name string, rows []row, total bool) error {
		if err := setRow(f, name, 1, "任务落实举措清单"); err != nil {
			return err
		}
		if err := setRow(f, name, 2, plainHeader...); err != nil {
			return err
		}
		for i, rw := range rows {
			if err := setRow(f, name, 3+i, rw...); err != nil {
				return err
			}
		}
		if total {
			if err := setRow(f, name, 3+len(rows), "合计", "", "", fmt.Sprintf("%d条", len(rows))); err != nil {
				return err
			}
		}
		return f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddHeader: header})
	}
	for i, a := range areas {
		name := fmt.Sprintf("%d.%s", i+1, string([]rune(byArea[a][0][1].(string))[:4]))
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := write(name, byArea[a], true); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet("汇总"); err != nil {
		return nil, err
	}
	return f, write("汇总", all, false)
}

// hiddenDrafts: hidden draft rows and a hidden draft column, a 序号 that numbers rows, other header
// words in another order with a 备注 and a second 序号.
func hiddenDrafts(set *seeds.Set, who seeds.Submitter, r *rand.Rand) (*excelize.File, error) {
	f := excelize.NewFile()
	sh := "Sheet1"
	if err := setRow(f, sh, 1, "单位："+who.Name); err != nil {
		return nil, err
	}
	if err := setRow(f, sh, 2, "序号", "任务内容", "预期成效", "工作举措", "备注", "序号", "牵头单位", "时间节点", "草稿"); err != nil {
		return nil, err
	}
	row, n := 3, 0
	for _, t := range schoolTasks(set) {
		if r.Float64() < 0.3 {
			continue
		}
		for k, m := range measuresFor(r, set, t.No, seeds.KindSchool, 3) {
			n++
			content := t.Content
			if k > 0 {
				content = "" // merged or left blank below the first measure: the row counter must not decide
			}
			if err := setRow(f, sh, row, n, content, m.goal, m.text, "", k+1, m.owner, dueText(m.due), "草稿：再议"); err != nil {
				return nil, err
			}
			written++ // the hidden draft rows below are not
			row++
			if r.IntN(6) == 0 { // a draft row, hidden before sending
				if err := setRow(f, sh, row, "", content, "草稿目标", "草稿："+m.text, "", "", m.owner, "待定"); err != nil {
					return nil, err
				}
				if err := f.SetRowVisible(sh, row, false); err != nil {
					return nil, err
				}
				row++
			}
		}
	}
	return f, f.SetColVisible(sh, "I", false)
}

// displayedLists: dates in date cells shown through their formats, 2022.1 shown 2022.10, more forms of
// 完成时间 and 完成目标, numbered lists in one cell with parallel goals.
func displayedLists(set *seeds.Set, who seeds.Submitter, r *rand.Rand) (*excelize.File, error) {
	f := excelize.NewFile()
	sh := "Sheet1"
	ym := `yyyy"年"m"月"`
	monthStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &ym})
	if err != nil {
		return nil, err
	}
	decimals, err := f.NewStyle(&excelize.Style{NumFmt: 2})
	if err != nil {
		return nil, err
	}
	if err := setRow(f, sh, 1, "单位："+who.Name); err != nil {
		return nil, err
	}
	if err := setRow(f, sh, 2, plainHeader...); err != nil {
		return nil, err
	}
	dues := []any{"即日起", "每学期", "2021-2025年", "2022年9月至12月", "2022.6.30", "2022年12月31日前"}
	goals := []string{"1-2个", "3至5门", "培训3千人次", "第一批10个、第二批5个"}
	row := 3
	for i, t := range schoolTasks(set) {
		if r.Float64() < 0.4 {
			continue
		}
		ms := measuresFor(r, set, t.No, seeds.KindSchool, 3)
		cell, _ := excelize.CoordinatesToCellName(7, row)
		var due any = dueText(ms[0].due)
		style := 0
		switch i % 4 {
		case 0:
			due, style = float64(excelSerial(time.Date(2022, time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC))), monthStyle
		case 1:
			due, style = pick(r, []float64{2022.1, 2022.11, 2022.12}), decimals // 2022.1 shows 2022.10: October
		case 2:
			due = pick(r, dues)
		}
		measure, goal := ms[0].text, ms[0].goal
		items := 1 // a numbered list in the cell is one measure per item
		switch {
		case len(ms) >= 2 && i%3 == 0:
			measure = fmt.Sprintf("1.%s；2.%s", ms[0].text, ms[1].text)
			goal = fmt.Sprintf("1.%s；2.%s", ms[0].goal, ms[1].goal)
			items = 2
		case len(ms) >= 3 && i%3 == 1:
			measure = fmt.Sprintf("（1）%s\n（2）%s\n（3）%s", ms[0].text, ms[1].text, ms[2].text)
			items = 3
		case i%5 == 2:
			goal = pick(r, goals)
		}
		if err := setRow(f, sh, row, t.No, t.Area, t.Content, measure, goal, ms[0].owner, due); err != nil {
			return nil, err
		}
		written += items
		if style != 0 {
			if err := f.SetCellStyle(sh, cell, cell, style); err != nil {
				return nil, err
			}
		}
		row++
	}
	return f, nil
}
