package ingest

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lnvedash/seeds"
)

// MeasureRow is one row with a non-blank 具体举措: the cells as written beside what they were read as.
type MeasureRow struct {
	Sheet       string
	Row         int
	PrintedNo   string
	AreaText    string
	TaskText    string
	TaskNo      int // 0 = none
	Method      string
	Score       float64
	Measure     string
	Goal        string
	Owner       string
	Due         string
	DueDate     time.Time // zero = NULL
	Ongoing     bool
	Commitments []Commitment
}

// Commitment is one quantity of a 完成目标 cell, attributed to a target metric where one fits.
type Commitment struct {
	Seq    int
	TaskNo int
	Metric string // "" = NULL
	Value  float64
	Unit   string // normalised: the target's unit where an equivalent word was written (attribute.go)
	// UnitWritten is the measure word as written ("所" in "产业学院2所").
	UnitWritten string
	Source      string
}

// Parsed is an accepted workbook.
type Parsed struct {
	Sheet          string
	UnitCell       string
	Submitter      *seeds.Submitter
	IdentitySource string
	ModifiedAt     time.Time // zero when the workbook does not say
	Rows           []MeasureRow
	Findings       []Finding
	Progress       *ProgressReturn // non-nil for a progress return (progress.go); Rows is then empty
}

// Reader reads workbooks against one set of reference data; it is safe for concurrent use.
type Reader struct {
	Set     *seeds.Set
	Matcher *Matcher
	Names   *SubmitterIndex
	Limits  Limits
	// Unit is set when the files come through one unit's personal link: a file that names another
	// unit is refused (CodeWrongUnit), one that names none is credited to Unit.
	Unit *seeds.Submitter
}

// NewReader prepares the matchers for set.
func NewReader(set *seeds.Set) *Reader {
	return &Reader{Set: set, Matcher: NewMatcher(set), Names: NewSubmitterIndex(set), Limits: DefaultLimits}
}

// Column roles of the checklist header.
const (
	colNo = iota
	colArea
	colTask
	colDept
	colMeasure
	colGoal
	colOwner
	colDue
	nRoles
)

// headerRole says which column a header cell names, by its text alone (spaces, line breaks and
// full-width brackets ignored); -1 for none. "落实具体举措" is the group title above the measure
// columns, not the measure column.
func headerRole(cell string) int {
	k := normKey(cell)
	switch k {
	case "序号", "编号":
		return colNo
	case "主要任务":
		return colArea
	case "任务内容", "政策内容", "工作任务", "任务":
		return colTask
	case "责任部门", "省级责任部门", "牵头部门", "省级牵头部门":
		return colDept
	case "具体举措", "举措", "具体措施", "主要举措", "工作举措":
		return colMeasure
	case "完成目标", "目标", "预期目标", "工作目标":
		return colGoal
	case "完成时间", "完成时限", "时间", "时限", "时间节点":
		return colDue
	}
	if strings.HasPrefix(k, "责任单位") {
		return colOwner
	}
	return -1
}

func isGroupTitle(cell string) bool {
	k := normKey(cell)
	return k == "部省共建任务" || k == "落实具体举措"
}

// headerColumns maps roles to column indexes for a row, -1 where absent; n is the roles found.
func headerColumns(cells []string) (cols [nRoles]int, n int) {
	for i := range cols {
		cols[i] = -1
	}
	for i, c := range cells {
		if r := headerRole(c); r >= 0 && cols[r] < 0 {
			cols[r] = i
			n++
		}
	}
	return cols, n
}

// headerSearchRows bounds how far down a sheet the header is looked for.
const headerSearchRows = 60

// Read parses one workbook already sniffed as an OOXML spreadsheet. name is the file name as
// received (it may name the submitter). A *Rejection error is a verdict; other errors are failures.
func (rd *Reader) Read(path, name string, mtime time.Time) (p *Parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, reject(CodeCorrupt, "文件内容异常，无法读取，请重新导出后报送", fmt.Errorf("panic: %v", r))
		}
	}()
	if err := sniff(path, rd.Limits); err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer fh.Close()
	f, err := excelize.OpenReader(fh, excelize.Options{
		UnzipSizeLimit:    rd.Limits.MaxUnzipped,
		UnzipXMLSizeLimit: rd.Limits.MaxXMLMemory,
		RawCellValue:      true, // date-styled cells as serials (formatted they read "03-15-24")
	})
	if err != nil {
		return nil, openError(err, rd.Limits)
	}
	defer f.Close()
	return rd.readAny(f, name, mtime)
}

func openError(err error, lim Limits) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unzip size exceeds"):
		return reject(CodeTooLarge, fmt.Sprintf("文件解压后过大（超过 %d MB），疑似异常文件，请检查后重新报送", lim.MaxUnzipped>>20), err)
	case err == excelize.ErrWorkbookPassword:
		return reject(CodeEncrypted, "文件设置了打开密码，请取消密码后重新报送", err)
	case err == excelize.ErrWorkbookFileFormat:
		return reject(CodeNotXLSX, "文件不是 Excel 工作簿（xlsx），请用模板填写后另存为 xlsx 再报送", err)
	}
	return reject(CodeCorrupt, "文件已损坏，无法打开，请重新导出后报送", err)
}

func (rd *Reader) readFile(f *excelize.File, name string, mtime time.Time) (*Parsed, error) {
	p := &Parsed{}
	if props, err := f.GetDocProps(); err == nil && props != nil && props.Modified != "" {
		if t, err := time.Parse(time.RFC3339, props.Modified); err == nil {
			p.ModifiedAt = t.UTC()
		}
	}
	if p.ModifiedAt.IsZero() {
		p.ModifiedAt = mtime.UTC().Truncate(time.Second)
	}
	date1904 := false
	if wp, err := f.GetWorkbookProps(); err == nil && wp.Date1904 != nil {
		date1904 = *wp.Date1904
	}

	// Visible sheets first, in workbook order; a hidden sheet only when no visible one is a checklist
	// (a hidden sheet is usually an old copy or a lookup list).
	var visible, hidden []string
	for _, s := range f.GetSheetList() {
		if s == identitySheet {
			continue
		}
		if v, err := f.GetSheetVisible(s); err == nil && !v {
			hidden = append(hidden, s)
		} else {
			visible = append(visible, s)
		}
	}
	var sheet *sheetData
	for i, s := range append(visible, hidden...) {
		sd, err := rd.readSheet(f, s, date1904)
		if err != nil {
			return nil, err
		}
		if sd == nil {
			continue
		}
		sheet = sd
		if i >= len(visible) {
			p.Findings = append(p.Findings, Finding{Sheet: s, Severity: SevInfo, Code: "hidden_sheet",
				Message: fmt.Sprintf("清单在隐藏的工作表“%s”中，已读取该表；请确认这是要报送的版本", s)})
		}
		break
	}
	if sheet == nil {
		return nil, reject(CodeNotChecklist, "文件中没有找到任务落实举措清单（应有“具体举措”“完成目标”“完成时间”等列），请用下发的模板填写", nil)
	}
	p.Sheet = sheet.name
	p.UnitCell = sheet.unitCell
	p.Findings = append(p.Findings, sheet.findings...)
	if len(sheet.rows) == 0 {
		return nil, reject(CodeEmpty, "清单中没有填写任何具体举措，请填写后重新报送", nil)
	}

	rd.fillMerged(f, sheet)
	if err := rd.identify(f, p, sheet.unitName, name); err != nil {
		return nil, err
	}
	cache := map[[2]string]TaskMatch{}
	for i := range sheet.rows {
		rd.interpret(&sheet.rows[i], p, date1904, cache)
	}
	p.Rows = sheet.rows
	rd.missingTasks(p)
	return p, nil
}

const identitySheet = "_lnvedash"

// sheetData is a checklist sheet as read: rows forward-filled but not yet interpreted.
type sheetData struct {
	name     string
	unitCell string // the 单位 cell as written
	unitName string // the name in it
	rows     []MeasureRow
	findings []Finding
	cols     [nRoles]int
	// right holds, per data row, the 完成目标/责任单位/完成时间 cells, the values a vertical merge of
	// those columns carries down to the measure rows below it.
	right        map[int][3]string
	cells, bytes int // what was read, to decide whether loading the merge list is affordable
}

// mergeBudget bounds the sheets whose merge list is loaded: excelize's GetMergeCells unmarshals the
// whole sheet (~17x its XML), affordable for a checklist, not for a sheet of a hundred thousand cells.
const (
	mergeMaxCells = 200000
	mergeMaxBytes = 8 << 20
)

// rightRoles are the measure-side columns whose vertical merges are filled down.
var rightRoles = [3]int{colGoal, colOwner, colDue}

// fillMerged copies a vertically merged 完成目标/责任单位/完成时间 cell to the measure rows it spans
// (one date merged over a task's measures applies to each of them). Blank cells that are not merged
// stay blank: those are a finding, not an inheritance.
func (rd *Reader) fillMerged(f *excelize.File, sd *sheetData) {
	if sd.cells > mergeMaxCells || sd.bytes > mergeMaxBytes {
		return
	}
	// Loading the merge list parses the sheet a second time: only worth it when a cell is missing.
	missing := false
	for _, r := range sd.rows {
		missing = missing || r.Goal == "" || r.Owner == "" || r.Due == ""
	}
	if !missing {
		return
	}
	merges, err := f.GetMergeCells(sd.name, true)
	if err != nil {
		return
	}
	byRow := map[int]*MeasureRow{}
	for i := range sd.rows {
		byRow[sd.rows[i].Row] = &sd.rows[i]
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2 <= r1 || r2-r1 > rd.Limits.MaxRows {
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
			for r := r1 + 1; r <= r2; r++ {
				mr, ok := byRow[r]
				if !ok {
					continue
				}
				switch role {
				case colGoal:
					if mr.Goal == "" {
						mr.Goal = v
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

// readSheet streams one sheet. It returns nil when the sheet has no checklist header.
func (rd *Reader) readSheet(f *excelize.File, name string, date1904 bool) (*sheetData, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”已损坏，无法读取，请重新导出后报送", name), err)
	}
	defer rows.Close()
	sd := &sheetData{name: name, right: map[int][3]string{}}
	var cols [nRoles]int
	var prev []string
	found := false
	rowNo, nonEmpty := 0, 0
	var lastNo, lastArea, lastTask string
	for rows.Next() {
		rowNo++
		cells, err := rows.Columns()
		if err != nil {
			return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”第%d行已损坏，无法读取，请重新导出后报送", name, rowNo), err)
		}
		if len(cells) == 0 {
			continue
		}
		nonEmpty++
		if nonEmpty > rd.Limits.MaxRows {
			return nil, reject(CodeTooLarge, fmt.Sprintf("工作表“%s”超过 %d 行，不像是任务清单，请只保留清单内容后重新报送", name, rd.Limits.MaxRows), errTooManyRows)
		}
		sd.cells += len(cells)
		if len(cells) > rd.Limits.MaxCols {
			cells = cells[:rd.Limits.MaxCols]
		}
		for i := range cells {
			sd.bytes += len(cells[i])
			cells[i] = clean(cells[i], rd.Limits.MaxCell)
		}
		if !found {
			if nonEmpty > headerSearchRows {
				return nil, nil
			}
			c, n := headerColumns(cells)
			if c[colMeasure] >= 0 && n >= 3 {
				// A two-level header puts 序号/主要任务/任务内容/责任部门 in the row above, merged down.
				if prev != nil {
					pc, _ := headerColumns(prev)
					for r := range c {
						if c[r] < 0 && pc[r] >= 0 {
							c[r] = pc[r]
						}
					}
				}
				cols, found = c, true
				sd.cols = c
				continue
			}
			if sd.unitCell == "" {
				sd.unitCell, sd.unitName = unitCell(cells)
			}
			prev = cells
			continue
		}
		if _, n := headerColumns(cells); n >= 2 || anyGroupTitle(cells) {
			continue // the header repeated after a page break
		}
		get := func(role int) string {
			if i := cols[role]; i >= 0 && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		no, area, task := get(colNo), get(colArea), get(colTask)
		// Forward-fill over merged and blank cells: a row without 任务内容 continues the task above,
		// unless it prints a different 序号 (then the number alone decides).
		if area == "" {
			area = lastArea
		}
		switch {
		case task == "" && (no == "" || no == lastNo):
			task, no = lastTask, lastNo
		case task != "" && no == "" && task == lastTask:
			no = lastNo
		}
		lastNo, lastArea, lastTask = no, area, task
		if g, o, d := get(colGoal), get(colOwner), get(colDue); g != "" || o != "" || d != "" {
			sd.right[rowNo] = [3]string{g, o, d}
		}
		measure := get(colMeasure)
		if measure == "" {
			continue
		}
		sd.rows = append(sd.rows, MeasureRow{Sheet: name, Row: rowNo, PrintedNo: no, AreaText: area, TaskText: task,
			Measure: measure, Goal: get(colGoal), Owner: get(colOwner), Due: get(colDue)})
	}
	if err := rows.Error(); err != nil {
		return nil, reject(CodeCorrupt, fmt.Sprintf("工作表“%s”已损坏，无法读取，请重新导出后报送", name), err)
	}
	if !found {
		return nil, nil
	}
	return sd, nil
}

func anyGroupTitle(cells []string) bool {
	for _, c := range cells {
		if isGroupTitle(c) {
			return true
		}
	}
	return false
}

// clean trims a cell and caps its length; the text is otherwise kept as written.
func clean(s string, max int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// unitCell finds "单位：大连市教育局（公章）" in a title row: the cell as written and the name in it
// (from the next cell when the label stands alone).
func unitCell(cells []string) (written, name string) {
	for i, c := range cells {
		k := stripSpace(halfWidth(c))
		var rest string
		switch {
		case strings.HasPrefix(k, "单位"):
			rest = strings.TrimPrefix(k, "单位")
		case strings.HasPrefix(k, "填报单位"):
			rest = strings.TrimPrefix(k, "填报单位")
		case strings.HasPrefix(k, "报送单位"):
			rest = strings.TrimPrefix(k, "报送单位")
		default:
			continue
		}
		if !strings.HasPrefix(rest, ":") && rest != "" && !strings.HasPrefix(rest, "(") {
			continue // "单位名称" etc. in instructions
		}
		rest = strings.TrimLeft(rest, ":")
		for _, stop := range []string{"联系人", "联系电话", "填报人", "填表人", "日期", "电话"} {
			if j := strings.Index(rest, stop); j >= 0 {
				rest = rest[:j]
			}
		}
		written = c
		if submitterKey(rest) == "" {
			for _, next := range cells[i+1:] {
				if next != "" {
					written = c + " " + next
					rest = next
					break
				}
			}
		}
		if submitterKey(rest) == "" {
			return written, ""
		}
		return written, rest
	}
	return "", ""
}

// identify decides the submitter: the template's embedded identity, then the 单位 cell, then the
// file name. Disagreements become a finding; nothing at all is a verdict.
func (rd *Reader) identify(f *excelize.File, p *Parsed, unitName, fileName string) error {
	type source struct {
		kind, text string
	}
	var sources []source
	if t := embeddedIdentity(f); t != "" {
		sources = append(sources, source{IdentityTemplate, t})
	}
	if unitName != "" {
		sources = append(sources, source{IdentityUnit, unitName})
	}
	sources = append(sources, source{IdentityFileName, fileNameStem(fileName)})
	labels := map[string]string{IdentityTemplate: "模板内置的单位名", IdentityUnit: "“单位”栏", IdentityFileName: "文件名"}
	var seen []string
	for _, s := range sources {
		seen = append(seen, fmt.Sprintf("%s“%s”", labels[s.kind], s.text))
		sub, ok := rd.Names.Resolve(s.text)
		if !ok {
			continue
		}
		if p.Submitter == nil {
			p.Submitter, p.IdentitySource = sub, s.kind
			continue
		}
		if sub.Name != p.Submitter.Name {
			p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevWarning, Code: "submitter_conflict",
				Message: fmt.Sprintf("%s指向“%s”，但%s指向“%s”；已按%s认定为“%s”，请核对", labels[p.IdentitySource],
					p.Submitter.Name, labels[s.kind], sub.Name, labels[p.IdentitySource], p.Submitter.Name)})
		}
	}
	if rd.Unit != nil {
		if p.Submitter == nil {
			p.Submitter, p.IdentitySource = rd.Unit, IdentityLink
			p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevInfo, Code: "unit_from_link",
				Message: fmt.Sprintf("文件未写明可识别的单位，已按上传链接认定为“%s”，请补填单位名称", rd.Unit.Name)})
			return nil
		}
		if p.Submitter.Name != rd.Unit.Name {
			return reject(CodeWrongUnit, fmt.Sprintf("文件的%s写的是“%s”，不是本单位“%s”：未入库。请上传本单位的清单", labels[p.IdentitySource], p.Submitter.Name, rd.Unit.Name), nil)
		}
	}
	if p.Submitter == nil {
		return reject(CodeUnknownSubmitter, fmt.Sprintf("无法识别报送单位（看到：%s），请在“单位”栏填写本单位全称后重新报送", strings.Join(seen, "，")), nil)
	}
	if p.IdentitySource != IdentityTemplate && unitName == "" {
		p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevInfo, Code: "unit_missing",
			Message: fmt.Sprintf("“单位”栏未填写，已按文件名认定为“%s”，请补填单位名称", p.Submitter.Name)})
	}
	return nil
}

// embeddedIdentity reads the name the template generator wrote into the workbook: the defined name
// lnvedash_submitter (workbook scope) or the hidden sheet _lnvedash with A1 "submitter".
func embeddedIdentity(f *excelize.File) string {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "lnvedash_submitter" && (dn.Scope == "" || dn.Scope == "Workbook") {
			v := strings.TrimPrefix(strings.TrimSpace(dn.RefersTo), "=")
			v = strings.ReplaceAll(strings.Trim(v, `"`), `""`, `"`)
			if v != "" {
				return v
			}
		}
	}
	if idx, err := f.GetSheetIndex(identitySheet); err == nil && idx >= 0 {
		if a, _ := f.GetCellValue(identitySheet, "A1"); strings.TrimSpace(a) == "submitter" {
			b, _ := f.GetCellValue(identitySheet, "B1")
			return strings.TrimSpace(b)
		}
	}
	return ""
}

// interpret matches the task, reads the due date and the quantities of one row.
// cache holds the task matches of this file by (序号, 任务内容): rows of one task repeat them, and only
// a merged template row needs the measure's own text.
func (rd *Reader) interpret(r *MeasureRow, p *Parsed, date1904 bool, cache map[[2]string]TaskMatch) {
	add := func(sev, code, msg string) {
		p.Findings = append(p.Findings, Finding{Sheet: r.Sheet, Row: r.Row, Severity: sev, Code: code, Message: fmt.Sprintf("第%d行：%s", r.Row, msg)})
	}
	key := [2]string{r.PrintedNo, r.TaskText}
	tm, ok := cache[key]
	if !ok {
		tm = rd.Matcher.Match(r.PrintedNo, r.TaskText, r.Measure)
		if tm.Method != MethodMeasure && !(tm.Method == MethodTemplate && hasCode(tm.Findings, "ambiguous_task")) {
			cache[key] = tm
		}
	}
	r.TaskNo, r.Method, r.Score = tm.TaskNo, tm.Method, tm.Score
	for _, fd := range tm.Findings {
		add(fd.Severity, fd.Code, fd.Message)
	}
	if r.Due == "" {
		add(SevWarning, "due_missing", "未填写完成时间，请填写如“2022年6月”“2022年底前”或“长期”")
	} else {
		d := ParseDue(r.Due, date1904)
		switch {
		case d.HasDate:
			r.DueDate = d.Date
		case d.Ongoing:
			r.Ongoing = true
		default:
			add(SevWarning, "due_unreadable", fmt.Sprintf("完成时间“%s”无法识别，请写成如“2022年6月”“2022年底前”或“长期”", clip(r.Due)))
		}
	}
	if r.Goal == "" {
		add(SevInfo, "goal_missing", "未填写完成目标")
		return
	}
	qs := ParseQuantities(r.Goal)
	targets := rd.Set.TargetsFor(r.TaskNo)
	if r.TaskNo == 0 {
		targets = nil
	}
	if len(qs) == 0 && len(targets) > 0 {
		add(SevWarning, "goal_no_number", fmt.Sprintf("本任务有全省量化目标，但完成目标“%s”中没有数量，请写明数量（如“建设2个”）", clip(r.Goal)))
	}
	r.Commitments = commitments(r.Goal, r.TaskNo, qs, targets)
}

// commitments turns the quantities qs found in a goal cell into commitments of task, each attributed
// to a target metric where its own clause names one.
func commitments(goalText string, task int, qs []Quantity, targets []seeds.Target) []Commitment {
	goal := halfWidth(goalText)
	out := make([]Commitment, 0, len(qs))
	from := 0
	for i, q := range qs {
		c := Commitment{Seq: i + 1, TaskNo: task, Value: q.Value, Unit: q.Unit, Source: q.Source}
		at := from
		if j := strings.Index(goal[from:], q.Source); j >= 0 {
			at = from + j
			from = at + len(q.Source)
		}
		c.UnitWritten = q.Unit
		c.Metric, c.Unit = attribute(targets, q.Unit, clauseAround(goal, at, len(q.Source)), goal, len(qs) == 1)
		out = append(out, c)
	}
	return out
}

// clauseSeparators end a clause of a 完成目标 cell: "建设示范课堂10个、课程思政案例200个" is two clauses,
// each naming what its own number counts.
const clauseSeparators = "、，,；;。/\n"

// clauseAround returns the clause of goal that holds the quantity at goal[at:at+n].
func clauseAround(goal string, at, n int) string {
	start := 0
	if j := strings.LastIndexAny(goal[:at], clauseSeparators); j >= 0 {
		_, size := utf8.DecodeRuneInString(goal[j:])
		start = j + size
	}
	end := len(goal)
	if j := strings.IndexAny(goal[at+n:], clauseSeparators); j >= 0 {
		end = at + n + j
	}
	return goal[start:end]
}

// missingTasks adds, for each task the submitter is expected to address but did not, an info finding.
func (rd *Reader) missingTasks(p *Parsed) {
	have := map[int]bool{}
	for _, r := range p.Rows {
		have[r.TaskNo] = true
	}
	for _, t := range rd.Set.Tasks {
		expected := t.ExpectsSchools
		if p.Submitter.Kind == seeds.KindCity {
			expected = t.ExpectsCity(p.Submitter.City)
		}
		if expected && !have[t.No] {
			p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevInfo, Code: "task_missing",
				Message: fmt.Sprintf("第%d项任务（%s）没有填写具体举措，请补充或说明原因", t.No, clip(t.Content))})
		}
	}
}

func hasCode(fs []Finding, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}
