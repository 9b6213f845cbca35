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
	// Item is the number of this measure within a cell that lists several ("1.……；2.……"), 0 when
	// the cell is one measure; Cell is then the whole 具体举措 cell as written.
	Item int
	Cell string

	goalShared  bool // the 完成目标 serves measures counted elsewhere: its quantities count once
	numberIsRow bool // the 序号 column counts rows, so it says nothing about the task
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

// Read parses one workbook already sniffed as an OOXML spreadsheet. name is the file name as
// received (it may name the submitter). A *Rejection error is a verdict; other errors are failures.
func (rd *Reader) Read(path, name string, mtime time.Time) (p *Parsed, err error) {
	return rd.ReadIn(path, name, "", mtime)
}

// ReadIn is Read for a file that came in a folder of an uploaded zip: the folder may name the sender.
func (rd *Reader) ReadIn(path, name, folder string, mtime time.Time) (p *Parsed, err error) {
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
	return rd.readAny(f, path, name, folder, mtime)
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

// sheetRead is one readSheet's outcome, kept for readFile.
type sheetRead struct {
	sd  *sheetData
	err error
}

// readFile reads a plan checklist; bp and bpErr are the workbook's parts as readAny loaded them, done
// the sheets it already read.
func (rd *Reader) readFile(f *excelize.File, bp *bookParts, bpErr error, done map[string]sheetRead, date1904 bool, name, folder string, mtime time.Time) (*Parsed, error) {
	p := &Parsed{}
	if props, err := f.GetDocProps(); err == nil && props != nil && props.Modified != "" {
		if t, err := time.Parse(time.RFC3339, props.Modified); err == nil {
			p.ModifiedAt = t.UTC()
		}
	}
	if p.ModifiedAt.IsZero() {
		p.ModifiedAt = mtime.UTC().Truncate(time.Second)
	}
	if bpErr != nil {
		return nil, reject(CodeCorrupt, "文件内部结构已损坏（工作簿目录、共享字符串或样式无法读取），请重新导出后报送", bpErr)
	}

	// Every visible sheet is read; a hidden sheet only when no visible one is a checklist (a hidden
	// sheet is usually an old copy or a lookup list).
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
	var checklists, others []*sheetData
	readAll := func(names []string, stopAtFirst bool) error {
		for _, s := range names {
			r, ok := done[s]
			if !ok {
				r.sd, r.err = rd.readSheet(bp, s, false)
			}
			sd, err := r.sd, r.err
			if err != nil {
				return err
			}
			if sd.found {
				checklists = append(checklists, sd)
				if stopAtFirst {
					return nil
				}
			} else {
				others = append(others, sd)
			}
		}
		return nil
	}
	if err := readAll(visible, false); err != nil {
		return nil, err
	}
	if len(checklists) == 0 {
		if err := readAll(hidden, true); err != nil {
			return nil, err
		}
		if len(checklists) == 1 {
			s := checklists[0].name
			p.Findings = append(p.Findings, Finding{Sheet: s, Severity: SevInfo, Code: "hidden_sheet",
				Message: fmt.Sprintf("清单在隐藏的工作表“%s”中，已读取该表；请确认这是要报送的版本", s)})
		}
	}
	if len(checklists) == 0 {
		for _, sd := range others {
			if sd.unmapped != nil && sd.dataRows > 0 {
				return nil, reject(CodeHeaderUnmapped, fmt.Sprintf("工作表“%s”第%d行像是清单的表头，但找不到“具体举措”列；无法对应的列：%s。请把表头改成模板的写法（序号、任务内容、具体举措、完成目标、责任单位、完成时间）后重新报送",
					sd.name, sd.unmappedRow, strings.Join(sd.unmapped, "、")), nil)
			}
		}
		return nil, reject(CodeNotChecklist, "文件中没有找到任务落实举措清单（应有“具体举措”“完成目标”“完成时间”等列），请用下发的模板填写", nil)
	}
	read, skipped := selectSheets(checklists)
	for _, sd := range others {
		skipped = append(skipped, fmt.Sprintf("“%s”（不是清单）", sd.name))
	}
	var names []string
	for _, sd := range read {
		names = append(names, sd.name)
		p.Rows = append(p.Rows, sd.rows...)
		p.Findings = append(p.Findings, sd.notes()...)
	}
	p.Sheet = strings.Join(names, "、")
	if len(read) > 1 || len(skipped) > 0 {
		msg := fmt.Sprintf("已读取工作表%s", quoteJoin(names))
		if len(skipped) > 0 {
			msg += "；未计入：" + strings.Join(skipped, "、")
		}
		p.Findings = append(p.Findings, Finding{Sheet: read[0].name, Severity: SevInfo, Code: "sheets_read", Message: msg})
	}
	if len(p.Rows) == 0 {
		return nil, reject(CodeEmpty, "清单中没有填写任何具体举措，请填写后重新报送", nil)
	}
	p.UnitCell = read[0].unitCell
	if err := rd.identify(f, p, read, others, name, folder); err != nil {
		return nil, err
	}
	p.Rows = splitLists(p.Rows)
	cache := map[[2]string]TaskMatch{}
	seq := map[[2]any]int{} // a listed cell's quantities are numbered on across its items
	for i := range p.Rows {
		r := &p.Rows[i]
		rd.interpret(r, p, date1904, cache)
		k := [2]any{r.Sheet, r.Row}
		for j := range r.Commitments {
			seq[k]++
			r.Commitments[j].Seq = seq[k]
		}
	}
	rd.missingTasks(p)
	return p, nil
}

func quoteJoin(xs []string) string {
	return "“" + strings.Join(xs, "”“") + "”"
}

// summaryWords in a sheet's name mark a sheet that restates the detail (汇总表, 统计表).
var summaryWords = []string{"汇总", "统计", "合计"}

// selectSheets keeps the checklist sheets that hold measures of their own: a 汇总/统计 sheet, or a
// sheet whose measures all appear on the other sheets, restates the detail and is not counted twice.
func selectSheets(cands []*sheetData) (read []*sheetData, skipped []string) {
	isSummary := func(sd *sheetData) bool {
		for _, w := range summaryWords {
			if strings.Contains(sd.name, w) {
				return true
			}
		}
		return false
	}
	var detail []*sheetData
	for _, sd := range cands {
		if isSummary(sd) && len(cands) > 1 {
			skipped = append(skipped, fmt.Sprintf("“%s”（汇总表）", sd.name))
			continue
		}
		detail = append(detail, sd)
	}
	if len(detail) == 0 { // every sheet is called 汇总: read them rather than lose the return
		return cands, nil
	}
	for i, sd := range detail {
		if len(detail) > 1 && len(sd.rows) > 0 && restates(sd, detail, i) {
			skipped = append(skipped, fmt.Sprintf("“%s”（重复其他工作表的举措）", sd.name))
			continue
		}
		read = append(read, sd)
	}
	return read, skipped
}

// restates reports whether every measure of sheets[i] is also on another sheet that is kept (the
// first of two identical sheets is the one kept).
func restates(sd *sheetData, sheets []*sheetData, i int) bool {
	others := map[string]bool{}
	for j, o := range sheets {
		if j == i || (j > i && sameMeasures(o, sd)) {
			continue
		}
		for _, r := range o.rows {
			others[normKey(r.Measure)] = true
		}
	}
	for _, r := range sd.rows {
		if !others[normKey(r.Measure)] {
			return false
		}
	}
	return true
}

func sameMeasures(a, b *sheetData) bool {
	if len(a.rows) != len(b.rows) {
		return false
	}
	for i := range a.rows {
		if normKey(a.rows[i].Measure) != normKey(b.rows[i].Measure) {
			return false
		}
	}
	return true
}

// notes are the info findings of what a sheet's reading left out.
func (sd *sheetData) notes() []Finding {
	var out []Finding
	add := func(code, msg string) {
		out = append(out, Finding{Sheet: sd.name, Severity: SevInfo, Code: code, Message: msg})
	}
	if sd.hiddenRows > 0 {
		add("hidden_rows", fmt.Sprintf("工作表“%s”有%d行被隐藏，按打印所见未读取；如需报送请取消隐藏后重新报送", sd.name, sd.hiddenRows))
	}
	if sd.hiddenCols > 0 {
		add("hidden_columns", fmt.Sprintf("工作表“%s”有%d列被隐藏且有内容，按打印所见未读取；如需报送请取消隐藏后重新报送", sd.name, sd.hiddenCols))
	}
	if sd.totals > 0 {
		add("total_rows", fmt.Sprintf("工作表“%s”有%d行合计/小计，不计为举措", sd.name, sd.totals))
	}
	if sd.rowCounter {
		add("number_is_row", fmt.Sprintf("工作表“%s”的序号是逐行编号，不是任务序号；已按任务内容归类", sd.name))
	}
	return out
}

const identitySheet = "_lnvedash"

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
	where := fmt.Sprintf("第%d行", r.Row)
	if r.Item > 0 {
		where += fmt.Sprintf("第%d项", r.Item)
	}
	add := func(sev, code, msg string) {
		p.Findings = append(p.Findings, Finding{Sheet: r.Sheet, Row: r.Row, Severity: sev, Code: code, Message: where + "：" + msg})
	}
	printed := r.PrintedNo
	if r.numberIsRow {
		printed = ""
	}
	key := [2]string{printed, r.TaskText}
	tm, ok := cache[key]
	if !ok {
		tm = rd.Matcher.Match(printed, r.TaskText, r.Measure)
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
	if r.goalShared {
		return // the same goal cell's quantities are counted on the measure it first belongs to
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
