package ingest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// sheetData is one sheet as read: its header, its visible data rows forward-filled but not yet
// interpreted, and what it showed about its sender.
type sheetData struct {
	name     string
	found    bool // a checklist header with a 具体举措 column
	unitCell string
	unitName string
	names    []string // short cells above the header: a cover sheet or title may name the sender
	rows     []MeasureRow
	cols     [nRoles]int
	// right holds, per data row, the 完成目标/责任单位/完成时间 cells, the values a vertical merge of
	// those columns carries down to the measure rows below it.
	right map[int][3]string
	// unmapped lists the header cells ingest could not place, when a row reads like a header but has
	// no 具体举措 column; dataRows counts the rows with content below it.
	unmapped    []string
	unmappedRow int
	dataRows    int
	hiddenRows  int // hidden rows with content below the header
	hiddenCols  int // hidden columns with content
	totals      int // 合计/小计 rows
	rowCounter  bool
	tail        *sheetTail
	// mayBeProgress: the sheet's opening rows may hold a progress return's header (progressProbe).
	mayBeProgress bool
}

// rawRow is a data row below the header, cells as displayed, before forward-fill.
type rawRow struct {
	row                                       int
	no, area, task, measure, goal, owner, due string
}

var errStop = errors.New("stop")

// headerSearchRows bounds how far down a sheet the header is looked for.
const headerSearchRows = 60

// nameCellRunes bounds the cells kept as possible names of the sender.
const nameCellRunes = 40

// readSheet streams one sheet once. Damage inside the sheet is a corrupt verdict. With probe, the same
// pass says whether the sheet may be a progress return (sd.mayBeProgress); an error answers yes.
func (rd *Reader) readSheet(bp *bookParts, name string, probe bool) (*sheetData, error) {
	sd, err := rd.readSheetWith(bp, name, probe, fastXML)
	if errors.Is(err, errDoubt) { // XML the fast tokenizer leaves to encoding/xml
		sd, err = rd.readSheetWith(bp, name, probe, false)
	}
	return sd, err
}

func (rd *Reader) readSheetWith(bp *bookParts, name string, probe, fast bool) (*sheetData, error) {
	sd := &sheetData{name: name, right: map[int][3]string{}}
	var prev []string
	var raws []rawRow
	nonEmpty := 0
	pp := progressProbe{lim: rd.Limits}
	rawRows := 0
	if probe {
		rawRows = headerSearchRows + 1
	}
	tail, err := bp.streamSheet(name, rd.Limits.MaxCols, rawRows, fast, func(r *sheetRow) error {
		if r.Raw != nil {
			pp.row(r.Raw)
		}
		if len(r.Cells) == 0 && r.HiddenText == 0 {
			return nil // content only as excelize reads it (a number its format shows as blank)
		}
		nonEmpty++
		if nonEmpty > rd.Limits.MaxRows {
			return reject(CodeTooLarge, fmt.Sprintf("工作表“%s”超过 %d 行，不像是任务清单，请只保留清单内容后重新报送", name, rd.Limits.MaxRows), errTooManyRows)
		}
		cells := r.Cells
		blank := true
		for i := range cells {
			cells[i] = clean(cells[i], rd.Limits.MaxCell)
			blank = blank && cells[i] == ""
		}
		if r.Hidden {
			// The return is what prints: a hidden row is a draft, skipped and counted.
			if sd.found && (!blank || r.HiddenText > 0) {
				sd.hiddenRows++
			}
			return nil
		}
		if blank {
			return nil
		}
		if !sd.found {
			if nonEmpty > headerSearchRows {
				return errStop
			}
			c, n := headerColumns(cells)
			if c[colMeasure] >= 0 && n >= 3 {
				// A two-level header puts 序号/主要任务/任务内容/责任部门 in the row above, merged down.
				if prev != nil {
					pc, _ := headerColumns(prev)
					for k := range c {
						if c[k] < 0 && pc[k] >= 0 {
							c[k] = pc[k]
						}
					}
				}
				sd.cols, sd.found = c, true
				return nil
			}
			if sd.unmapped != nil {
				sd.dataRows++
			} else if n >= 2 {
				if u := unplaced(cells); len(u) > 0 {
					sd.unmapped, sd.unmappedRow = u, r.No
				}
			}
			if sd.unitCell == "" {
				sd.unitCell, sd.unitName = unitCell(cells)
			}
			for _, c := range cells {
				if c != "" && utf8.RuneCountInString(c) <= nameCellRunes {
					sd.names = append(sd.names, c)
				}
			}
			prev = cells
			return nil
		}
		if repeatsHeader(cells) {
			return nil // the header repeated after a page break
		}
		get := func(role int) string {
			if i := sd.cols[role]; i >= 0 && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		rr := rawRow{row: r.No, no: get(colNo), area: get(colArea), task: get(colTask), measure: get(colMeasure),
			goal: get(colGoal), owner: get(colOwner), due: get(colDue)}
		if isTotalRow(rr) {
			sd.totals++
			return nil
		}
		if rr.goal != "" || rr.owner != "" || rr.due != "" {
			sd.right[r.No] = [3]string{rr.goal, rr.owner, rr.due}
		}
		raws = append(raws, rr)
		return nil
	})
	sd.mayBeProgress = pp.found || pp.overLimit || tail == nil || tail.Uncertain
	if errors.Is(err, errDoubt) {
		return nil, err
	}
	if err != nil && !errors.Is(err, errStop) {
		if rej, ok := AsRejection(err); ok {
			return nil, rej
		}
		return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”的内容已损坏，无法读取，请重新导出后报送", name), err)
	}
	sd.tail = tail
	if tail != nil {
		sd.hiddenCols = len(tail.HiddenUsed)
	}
	if sd.found {
		sd.rowCounter = isRowCounter(raws)
		sd.rows = forwardFill(name, raws, sd.rowCounter)
		if tail != nil {
			fillMerged(sd, tail.Merges, rd.Limits.MaxRows)
		}
	}
	return sd, nil
}

// isTotalRow: a 合计/小计/总计 row sums the rows above it; it is never a measure.
func isTotalRow(r rawRow) bool {
	for _, c := range []string{r.no, r.area, r.task, r.measure} {
		if len(c) > 30 || !strings.Contains(c, "计") && !strings.Contains(c, "总数") {
			continue
		}
		k := normKey(c)
		for _, w := range []string{"合计", "小计", "总计", "总数"} {
			if strings.HasPrefix(k, w) && len([]rune(k)) <= 6 {
				return true
			}
		}
	}
	return false
}

// isRowCounter says whether the 序号 column numbers rows rather than tasks: on the measure rows it
// runs up by one from row to row, and one task (the same 任务内容, or one left blank under it) spans
// several numbers. Such a number says nothing about the task and is not used to place a row.
func isRowCounter(raws []rawRow) bool {
	var nos []int
	spans := false
	lastTask := ""
	for _, r := range raws {
		if r.measure == "" {
			continue
		}
		n := parsePrintedNo(r.no)
		if n <= 0 {
			return false
		}
		if len(nos) > 0 && n != nos[len(nos)-1]+1 {
			return false
		}
		if len(nos) > 0 && (r.task == "" || r.task == lastTask) {
			spans = true
		}
		if r.task != "" {
			lastTask = r.task
		}
		nos = append(nos, n)
	}
	return len(nos) >= 3 && spans
}

// forwardFill carries 序号/主要任务/任务内容 down over merged and blank cells: a row without 任务内容
// continues the task above, unless it prints a different 序号 (then the number alone decides) — when
// the 序号 counts rows, the number never decides.
func forwardFill(sheet string, raws []rawRow, rowCounter bool) []MeasureRow {
	var out []MeasureRow
	var lastNo, lastArea, lastTask string
	for _, r := range raws {
		no, area, task := r.no, r.area, r.task
		if area == "" {
			area = lastArea
		}
		switch {
		case rowCounter && task == "":
			task = lastTask
		case rowCounter:
		case task == "" && (no == "" || no == lastNo):
			task, no = lastTask, lastNo
		case task != "" && no == "" && task == lastTask:
			no = lastNo
		}
		lastNo, lastArea, lastTask = no, area, task
		if r.measure == "" {
			continue
		}
		printed := no
		if rowCounter {
			printed = r.no
		}
		out = append(out, MeasureRow{Sheet: sheet, Row: r.row, PrintedNo: printed, AreaText: area, TaskText: task,
			Measure: r.measure, Goal: r.goal, Owner: r.owner, Due: r.due, numberIsRow: rowCounter})
	}
	return out
}

// rightRoles are the measure-side columns whose vertical merges are filled down.
var rightRoles = [3]int{colGoal, colOwner, colDue}

// fillMerged copies a vertically merged 完成目标/责任单位/完成时间 cell to the measure rows it spans
// (one date merged over a task's measures applies to each of them). Blank cells that are not merged
// stay blank: those are a finding, not an inheritance. The merges come from the same pass as the rows.
func fillMerged(sd *sheetData, merges [][4]int, maxRows int) {
	byRow := map[int]*MeasureRow{}
	for i := range sd.rows {
		byRow[sd.rows[i].Row] = &sd.rows[i]
	}
	for _, m := range merges {
		c1, r1, c2, r2 := m[0], m[1], m[2], m[3]
		if r2 <= r1 || r2-r1 > maxRows {
			continue
		}
		for k, role := range rightRoles {
			col := sd.cols[role] + 1
			if sd.cols[role] < 0 || col < c1 || col > c2 {
				continue
			}
			v := sd.right[r1][k]
			if v == "" {
				continue
			}
			_, counted := byRow[r1]
			for r := r1 + 1; r <= r2; r++ {
				mr, ok := byRow[r]
				if !ok {
					continue
				}
				switch role {
				case colGoal:
					// the quantities count once, on the first measure row the merge spans
					if mr.Goal == "" {
						mr.Goal, mr.goalShared = v, counted
						counted = true
					}
				case colOwner:
					if mr.Owner == "" {
						mr.Owner = v
					}
				case colDue:
					if mr.Due == "" {
						mr.Due = v
					}
				}
			}
		}
	}
}

// clean trims a cell and caps its length; the text is otherwise kept as written.
func clean(s string, max int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}
