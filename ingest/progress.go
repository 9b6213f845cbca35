package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// A progress return (进展情况报送) reports on a unit's plan measures in a progress round. It is either
// the workbook lnvedash generated (round and measure keys embedded) or the unit's own layout — most
// often its plan file with a 完成情况 column added. Reading finds the header and the cells; linking
// the rows to plan measures needs the database and happens when the run is written (progress_write.go).

// RoundDefinedName is the workbook-scope defined name holding the round number of a generated
// progress workbook.
const RoundDefinedName = "lnvedash_round"

// ProgressReturn is what a progress return holds.
type ProgressReturn struct {
	Round  int    // the embedded round; 0 when the workbook does not say
	Layout string // template (generated workbook) / own
	Rows   []ProgressRow
}

// ProgressRow is one reported row: cells as written beside what they were read as.
type ProgressRow struct {
	Sheet      string
	Row        int
	Key        string // the embedded measure key, "" in an own layout or an added row
	PrintedNo  string
	TaskText   string
	Measure    string
	Goal       string
	StatusText string // 完成状态 as written (in an own layout without one: the 完成情况 text's opening)
	Status     string // normalised; "" when unreadable or blank
	Percent    float64
	HasPercent bool
	Note       string
	Achieved   string
	Evidence   string
	LagReason  string
	// set by linking
	TaskNo     int
	LinkKey    string
	LinkMethod string
	LinkScore  float64
	Quantities []Commitment
}

// Roles of the progress columns, beyond the plan's (headerRole).
const (
	pcKey = iota
	pcStatus
	pcNote
	pcAchieved
	pcEvidence
	pcLag
	pcRoles
)

// progressRole says which progress column a header cell names; -1 for none.
func progressRole(cell string) int {
	k := normKey(cell)
	switch {
	case strings.HasPrefix(k, "举措编号"):
		return pcKey
	case k == "完成状态" || k == "进展状态" || k == "推进状态" || k == "状态":
		return pcStatus
	case k == "完成情况说明" || k == "完成情况" || k == "进展情况" || k == "推进情况" || k == "进展情况说明" ||
		k == "工作进展" || k == "落实情况" || k == "完成进度" || k == "进展":
		return pcNote
	case k == "已完成数量" || k == "完成数量" || k == "实际完成数量" || k == "已完成数":
		return pcAchieved
	case strings.HasPrefix(k, "佐证材料") || k == "佐证":
		return pcEvidence
	case strings.HasPrefix(k, "滞后原因") || k == "整改措施":
		return pcLag
	}
	return -1
}

// embeddedRound reads the round a generated progress workbook carries; 0 when none.
func embeddedRound(f *excelize.File) int {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == RoundDefinedName && (dn.Scope == "" || dn.Scope == "Workbook") {
			v := strings.Trim(strings.TrimPrefix(strings.TrimSpace(dn.RefersTo), "="), `"`)
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

// readAny reads a workbook as a progress return when it is one (an embedded round, or a sheet whose
// header has 具体举措 beside a 完成状态/完成情况 column), else as a plan.
func (rd *Reader) readAny(f *excelize.File, path, name, folder string, mtime time.Time) (*Parsed, error) {
	round := embeddedRound(f)
	date1904 := false
	if wp, err := f.GetWorkbookProps(); err == nil && wp.Date1904 != nil {
		date1904 = *wp.Date1904
	}
	bp, bpErr := loadBookParts(f, path, date1904)
	defer bp.close()
	// The visible sheets are read once here, as plan sheets, with the look for a progress header in the
	// same pass; readFile takes them from done.
	done := map[string]sheetRead{}
	for _, s := range f.GetSheetList() {
		if s == identitySheet {
			continue
		}
		if v, err := f.GetSheetVisible(s); err == nil && !v {
			continue
		}
		if bpErr == nil {
			sd, err := rd.readSheet(bp, s, true)
			done[s] = sheetRead{sd, err}
			if err == nil && !sd.mayBeProgress {
				continue
			}
		}
		p, err := rd.readProgressSheet(f, s, name, mtime, round)
		if err != nil || p != nil {
			return p, err
		}
	}
	if round > 0 {
		return nil, reject(CodeNotChecklist, "文件带有进展报送表的标识，但找不到“具体举措”“完成状态”等列，请用下发的进展报送表填写", nil)
	}
	return rd.readFile(f, bp, bpErr, done, date1904, name, folder, mtime)
}

// progressProbe looks at a sheet's opening rows as excelize reads them (sheetRow.Raw) for what
// readProgressSheet looks for, so that its excelize read of the sheet (which decodes every shared
// string again) is spent only on a likely progress return: found when a row has a 具体举措 column beside
// a 完成状态/完成情况 one among the first headerSearchRows rows with content; overLimit when
// readProgressSheet would refuse the sheet for its rows first.
type progressProbe struct {
	lim              Limits
	rows             int
	found, overLimit bool
}

func (pp *progressProbe) row(cells []string) {
	if pp.found || pp.rows > headerSearchRows {
		return
	}
	pp.rows++
	if pp.rows > pp.lim.MaxRows {
		pp.overLimit = true
		return
	}
	if pp.rows > headerSearchRows {
		return
	}
	if len(cells) > pp.lim.MaxCols {
		cells = cells[:pp.lim.MaxCols]
	}
	for i := range cells {
		cells[i] = clean(cells[i], pp.lim.MaxCell)
	}
	if c, _ := headerColumns(cells); c[colMeasure] < 0 {
		return
	}
	for _, cell := range cells {
		if role := progressRole(cell); role == pcStatus || role == pcNote {
			pp.found = true
			return
		}
	}
}

// readProgressSheet reads one sheet as a progress return; nil, nil when its header is not one.
func (rd *Reader) readProgressSheet(f *excelize.File, sheet, name string, mtime time.Time, round int) (*Parsed, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”已损坏，无法读取，请重新导出后报送", sheet), err)
	}
	defer rows.Close()
	var cols [nRoles]int
	var pcols [pcRoles]int
	found := false
	var unitWritten, unitName string
	pr := &ProgressReturn{Round: round, Layout: "own"}
	rowNo, nonEmpty := 0, 0
	var lastNo, lastTask string
	for rows.Next() {
		rowNo++
		cells, err := rows.Columns()
		if err != nil {
			return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”第%d行已损坏，无法读取，请重新导出后报送", sheet, rowNo), err)
		}
		if len(cells) == 0 {
			continue
		}
		nonEmpty++
		if nonEmpty > rd.Limits.MaxRows {
			return nil, reject(CodeTooLarge, fmt.Sprintf("工作表“%s”超过 %d 行，不像是进展报送表，请只保留报送内容后重新报送", sheet, rd.Limits.MaxRows), errTooManyRows)
		}
		if len(cells) > rd.Limits.MaxCols {
			cells = cells[:rd.Limits.MaxCols]
		}
		for i := range cells {
			cells[i] = clean(cells[i], rd.Limits.MaxCell)
		}
		if !found {
			if nonEmpty > headerSearchRows {
				return nil, nil
			}
			c, _ := headerColumns(cells)
			for i := range pcols {
				pcols[i] = -1
			}
			for i, cell := range cells {
				if r := progressRole(cell); r >= 0 && pcols[r] < 0 {
					pcols[r] = i
				}
			}
			if c[colMeasure] >= 0 && (pcols[pcStatus] >= 0 || pcols[pcNote] >= 0) {
				cols, found = c, true
				if pcols[pcKey] >= 0 && round > 0 {
					pr.Layout = "template"
				}
				continue
			}
			if unitWritten == "" {
				unitWritten, unitName = unitCell(cells)
			}
			continue
		}
		get := func(i int) string {
			if i >= 0 && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		if repeatsHeader(cells) {
			continue // the header repeated after a page break
		}
		no, task := get(cols[colNo]), get(cols[colTask])
		switch {
		case task == "" && (no == "" || no == lastNo):
			task, no = lastTask, lastNo
		case task != "" && no == "" && task == lastTask:
			no = lastNo
		}
		lastNo, lastTask = no, task
		r := ProgressRow{Sheet: sheet, Row: rowNo, Key: get(pcols[pcKey]), PrintedNo: no, TaskText: task,
			Measure: get(cols[colMeasure]), Goal: get(cols[colGoal]), StatusText: get(pcols[pcStatus]),
			Note: get(pcols[pcNote]), Achieved: get(pcols[pcAchieved]), Evidence: get(pcols[pcEvidence]),
			LagReason: get(pcols[pcLag])}
		if r.Measure == "" && r.Key == "" {
			continue
		}
		pr.Rows = append(pr.Rows, r)
	}
	if err := rows.Error(); err != nil {
		return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”已损坏，无法读取，请重新导出后报送", sheet), err)
	}
	if !found {
		return nil, nil
	}
	p := &Parsed{Sheet: sheet, UnitCell: unitWritten, Progress: pr}
	if props, err := f.GetDocProps(); err == nil && props != nil && props.Modified != "" {
		if t, err := time.Parse(time.RFC3339, props.Modified); err == nil {
			p.ModifiedAt = t.UTC()
		}
	}
	if p.ModifiedAt.IsZero() {
		p.ModifiedAt = mtime.UTC().Truncate(time.Second)
	}
	if len(pr.Rows) == 0 {
		return nil, reject(CodeEmpty, "进展报送表中没有任何举措行，请填写后重新报送", nil)
	}
	if err := rd.identify(f, p, []*sheetData{{name: sheet, unitCell: unitWritten, unitName: unitName}}, nil, name, ""); err != nil {
		return nil, err
	}
	for i := range pr.Rows {
		rd.readStatus(&pr.Rows[i], p)
	}
	return p, nil
}

// readStatus normalises a row's status: the 完成状态 cell, else (own layouts) the opening of the
// 完成情况 text. Unreadable text is kept verbatim with a finding.
func (rd *Reader) readStatus(r *ProgressRow, p *Parsed) {
	add := func(sev, code, msg string) {
		p.Findings = append(p.Findings, Finding{Sheet: r.Sheet, Row: r.Row, Severity: sev, Code: code, Message: fmt.Sprintf("第%d行：%s", r.Row, msg)})
	}
	if r.blank() {
		return // nothing reported: linking says which plan measure went unreported
	}
	if r.StatusText != "" {
		st, pct, has, ok := NormaliseStatus(r.StatusText)
		if !ok {
			add(SevWarning, "status_unreadable", fmt.Sprintf("完成状态“%s”无法识别，已原样保留；请从“已完成、按期推进、滞后、未启动、已调整、已取消”中选择", clip(r.StatusText)))
			return
		}
		r.Status, r.Percent, r.HasPercent = st, pct, has
	} else if r.Note != "" {
		if st, ok := statusLead(r.Note); ok {
			r.Status, r.StatusText = st, st
		} else {
			add(SevWarning, "status_missing", "未填写完成状态，完成情况说明中也看不出状态；请填写“已完成、按期推进、滞后、未启动、已调整、已取消”之一")
			return
		}
	} else {
		add(SevWarning, "status_missing", "未填写完成状态和完成情况，本条按“未报告”统计")
		return
	}
	if r.Status == StatusLate && r.LagReason == "" {
		add(SevInfo, "lag_reason_missing", "完成状态为“滞后”，请填写滞后原因及整改措施")
	}
}

// blank is a row whose fill-in cells are all empty: the measure was listed but not reported on.
func (r *ProgressRow) blank() bool {
	return r.StatusText == "" && r.Note == "" && r.Achieved == "" && r.Evidence == "" && r.LagReason == ""
}
