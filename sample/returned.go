package sample

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/checklist"
	"lnvedash/seeds"
)

// measure is one 具体举措 row as the submitter wrote it. due is a string, or a float64 Excel serial
// written into a date-styled cell.
type measure struct {
	text, goal, owner string
	due               any
}

// group is one task row of a returned sheet with the measures written under it.
type group struct {
	no      string // 序号 as printed
	area    string // 主要任务, set on the first group of an area
	content string
	depts   string
	task    int // canonical task whose phrases fill it; 0 for the template's page-break fragment
	ms      []measure
}

// Header layouts found in returned files.
const (
	headerNotice    = iota // 序号/主要任务 merged down, 部省共建任务 over C:D, 落实具体举措 over E:H
	headerPageBreak        // the notice's repeated header: 部省共建任务 over A:D, then all eight labels
	headerFlat             // one row of eight labels
)

// How 序号/主要任务/任务内容/责任部门 are written over a task's several measure rows.
const (
	mergeDown  = iota // merged down over the rows
	blankBelow        // written on the first row only
	repeatDown        // copied onto every row
)

// layout is everything that varies between returned files.
type layout struct {
	file      string
	who       seeds.Submitter // Name "" for a submitter not in the roster
	unknown   string          // the name an unknown submitter writes
	unit      string          // text after 单位：; "" leaves the notice's 单位：（公章）
	annex     bool            // an "附件" line above the title
	title     bool
	contacts  bool // 联系人/联系电话 lines
	header    int
	labels    int  // header text variant, see headerLabels
	repeat    int  // repeat the header after this many data rows; 0 never
	merge     int  // mergeDown etc.
	template  bool // numbered and worded like the notice's drifting template
	fullWidth bool // full-width digits in 序号 and goals
	intro     bool // a 填表说明 sheet before the checklist
	hidden    bool // a hidden sheet
	unrelated bool // an unrelated sheet after the checklist
	remark    bool // an extra 备注 column
	drop      bool // tasks without measures are deleted rather than left blank
	skip      float64
	maxPer    int // most measures per task
	hostile   bool
	created   time.Time
	modified  time.Time
	author    string
}

// headerLabels gives the eight labels and the two group labels of a header variant.
func headerLabels(v int) (labels []string, task, measure string) {
	labels = append([]string{}, checklist.Columns...)
	task, measure = checklist.GroupTask, checklist.GroupMeasure
	switch v {
	case 1: // half-width brackets and line breaks
		labels[6] = "责任单位(部门)"
		labels[7] = "完成\n时间"
		labels[4] = "具体\n举措"
	case 2: // stray spaces, as typed
		labels[0] = "序 号"
		labels[1] = " 主要任务"
		labels[2] = "任务内容 "
		labels[6] = "责任单位 （部门）"
		labels[7] = "完成时间 "
		measure = "落实具体举措 "
	case 3: // as the notice's text layer prints it
		labels[6] = "责任单位 (部门)"
		task = "部省 共建任务"
	}
	return labels, task, measure
}

// --- measures ---

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func fill(r *rand.Rand, s string) string {
	rep := []struct {
		key string
		val func() string
	}{
		{"{企业}", func() string { return pick(r, partners) }},
		{"{产业}", func() string { return pick(r, industries) }},
		{"{专业}", func() string { return pick(r, specialties) }},
		{"{地区}", func() string { return pick(r, regions) }},
		{"{国家}", func() string { return pick(r, countries) }},
		{"{平台}", func() string { return pick(r, platforms) }},
		{"{n}", func() string { return strconv.Itoa(2 + r.IntN(9)) }},
		{"{m}", func() string { return strconv.Itoa((1 + r.IntN(40)) * pick(r, []int{10, 50, 100})) }},
		// {k} draws exactly what {m} draws, so switching a template between them changes only that number.
		{"{k}", func() string { a := 1 + r.IntN(40); _ = pick(r, []int{10, 50, 100}); return strconv.Itoa(4 + a) }},
		{"{w}", func() string { return strconv.FormatFloat(float64(1+r.IntN(50))/10, 'f', -1, 64) }},
		{"{cn}", func() string { return pick(r, chineseNums) }},
	}
	for _, p := range rep {
		for strings.Contains(s, p.key) {
			s = strings.Replace(s, p.key, p.val(), 1)
		}
	}
	return s
}

// phrases returns the measure templates of a task open to a kind of submitter.
func phrases(task int, kind string) (ms, goals []string) {
	b, ok := banks[task]
	if !ok {
		return genericMeasures, genericGoals
	}
	for _, m := range b.measures {
		switch {
		case strings.HasPrefix(m, "c:"):
			if kind == seeds.KindCity {
				ms = append(ms, m[2:])
			}
		case strings.HasPrefix(m, "s:"):
			if kind == seeds.KindSchool {
				ms = append(ms, m[2:])
			}
		default:
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		ms = genericMeasures
	}
	return ms, b.goals
}

// dueForms are the ways people write 完成时间; dueSerial marks an Excel date serial.
const dueSerial = "serial"

var dueForms = []string{
	dueSerial, dueSerial, dueSerial, "2022年6月", "2022年底前", "2021.12", "2022/9", "2022年第二季度",
	"2023年上半年", "2021年9月—2022年12月", "长期", "持续推进", "2022年12月", "2022年", "2021年12月底",
	"2022年9月", "2023年", "常态化推进", "2021年10月—2022年6月", "2022.6", "每年", "尽快", "2022年12月31日",
}

func due(r *rand.Rand) any {
	f := pick(r, dueForms)
	if f != dueSerial {
		return f
	}
	// A date between 2021-10-31 and 2023-12-31, usually a month end.
	y := 2021 + r.IntN(3)
	mo := 1 + r.IntN(12)
	if y == 2021 && mo < 10 {
		mo += 9
	}
	last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC)
	return float64(excelSerial(last))
}

func excelSerial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func owner(r *rand.Rand, area int, kind string) string {
	if kind == seeds.KindCity {
		return pick(r, cityOwners[area])
	}
	return pick(r, schoolOwners[area])
}

// measuresFor writes 1..max measures for a task, no two alike.
func measuresFor(r *rand.Rand, set *seeds.Set, task int, kind string, max int) []measure {
	t, _ := set.Task(task)
	ms, goals := phrases(task, kind)
	n := 1 + r.IntN(max)
	if n > len(ms) {
		n = len(ms)
	}
	order := r.Perm(len(ms))
	out := make([]measure, 0, n)
	for _, i := range order[:n] {
		m := measure{text: fill(r, ms[i]), owner: owner(r, t.AreaNo, kind), due: due(r)}
		if len(goals) > 0 {
			m.goal = fill(r, pick(r, goals))
		}
		out = append(out, m)
	}
	return out
}

var fullDigits = strings.NewReplacer("0", "０", "1", "１", "2", "２", "3", "３", "4", "４", "5", "５", "6", "６", "7", "７", "8", "８", "9", "９", ".", "．")

// groups lays out the task rows of a returned file, canonical or as the drifting template.
func groups(set *seeds.Set, l *layout, r *rand.Rand) []group {
	kind := l.who.Kind
	if kind == "" {
		kind = seeds.KindSchool
	}
	expects := func(no int) bool {
		t, ok := set.Task(no)
		if !ok {
			return false
		}
		if kind == seeds.KindCity {
			return t.ExpectsCity(l.who.Name)
		}
		return t.ExpectsSchools
	}
	var out []group
	if !l.template {
		for _, t := range set.Tasks {
			g := group{no: strconv.Itoa(t.No), content: t.Content, depts: checklist.Departments(t), task: t.No}
			if len(out) == 0 || set.Tasks[t.No-2].AreaNo != t.AreaNo {
				g.area = t.Area
			}
			out = append(out, g)
		}
	} else {
		// The template as printed: its own numbers, texts and departments, its missing rows.
		for _, tr := range set.TemplateRows {
			g := group{no: tr.PrintedNo, area: tr.Area, content: tr.Content, depts: tr.Departments}
			if len(tr.TaskNos) > 0 && tr.Content != "" {
				g.task = tr.TaskNos[r.IntN(len(tr.TaskNos))]
			}
			out = append(out, g)
		}
	}
	for i := range out {
		g := &out[i]
		if g.task == 0 || !expects(g.task) || r.Float64() < l.skip {
			continue
		}
		g.ms = measuresFor(r, set, g.task, kind, l.maxPer)
	}
	if l.drop {
		kept := out[:0]
		area := ""
		for _, g := range out {
			if g.area != "" {
				area = g.area
			}
			if len(g.ms) == 0 {
				continue
			}
			// Keep the area title when the group that carried it was dropped.
			if area != "" && (len(kept) == 0 || g.area == "") {
				g.area = area
			}
			area = ""
			kept = append(kept, g)
		}
		out = kept
	}
	if l.hostile {
		hostile := []string{
			"<script>alert('xss')</script>加强实训基地建设",
			"</script><img src=x onerror=alert(1)>",
			"'); DROP TABLE measures; --",
		}
		k := 0
		for i := range out {
			if len(out[i].ms) > 0 && k < len(hostile) {
				out[i].ms[0].text = hostile[k]
				k++
			}
		}
	}
	return out
}

// revise makes the corrected version of a plan: a few measures given new targets and dates (one
// reworded), a few added, a few removed — what a clerk changes after the province's first review.
func revise(set *seeds.Set, gs []group, r *rand.Rand, kind string) []group {
	out := make([]group, len(gs))
	for i, g := range gs {
		g.ms = append([]measure{}, g.ms...)
		out[i] = g
	}
	changed, added, removed := 0, 0, 0
	for i := range out {
		g := &out[i]
		switch {
		case len(g.ms) > 0 && changed < 3 && r.IntN(5) == 0:
			fresh := measuresFor(r, set, g.task, kind, 1)[0]
			g.ms[0].goal, g.ms[0].due = fresh.goal, fresh.due
			if changed == 0 {
				g.ms[0].text = fresh.text
			}
			changed++
		case len(g.ms) > 1 && removed < 2 && r.IntN(5) == 0:
			g.ms = g.ms[:len(g.ms)-1]
			removed++
		case g.task != 0 && added < 3 && r.IntN(5) == 0:
			g.ms = append(g.ms, measuresFor(r, set, g.task, kind, 1)...)
			added++
		}
	}
	return out
}

// --- workbook ---

type sheetStyles struct{ head, title, text, date int }

func newSheetStyles(f *excelize.File, r *rand.Rand) (sheetStyles, error) {
	var st sheetStyles
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	dateFmts := []string{"yyyy年m月d日", "yyyy/m/d", "yyyy-mm-dd", "yyyy年m月"}
	df := pick(r, dateFmts)
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.head, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.title, excelize.Style{Font: &excelize.Font{Family: "方正小标宋简体", Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.text, excelize.Style{Font: &excelize.Font{Family: "仿宋_GB2312", Size: 10}, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&st.date, excelize.Style{Font: &excelize.Font{Family: "仿宋_GB2312", Size: 10}, Border: border, CustomNumFmt: &df, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return st, err
		}
		*d.dst = id
	}
	return st, nil
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// sheetWriter writes one returned checklist sheet top to bottom.
type sheetWriter struct {
	f     *excelize.File
	sh    string
	l     *layout
	st    sheetStyles
	row   int
	ncol  int
	merge [][2]string
}

func (w *sheetWriter) set(col int, v any, style int) error {
	c := cellName(col, w.row)
	if err := w.f.SetCellValue(w.sh, c, v); err != nil {
		return err
	}
	return w.f.SetCellStyle(w.sh, c, c, style)
}

func (w *sheetWriter) line(text string, style int) error {
	if err := w.f.SetCellValue(w.sh, cellName(1, w.row), text); err != nil {
		return err
	}
	if style != 0 {
		w.merge = append(w.merge, [2]string{cellName(1, w.row), cellName(w.ncol, w.row)})
		if err := w.f.SetCellStyle(w.sh, cellName(1, w.row), cellName(1, w.row), style); err != nil {
			return err
		}
	}
	w.row++
	return nil
}

func (w *sheetWriter) header(kind int) error {
	labels, gt, gm := headerLabels(w.l.labels)
	if w.l.remark {
		labels = append(labels, "备注")
	}
	st := w.st.head
	switch kind {
	case headerFlat:
		for i, s := range labels {
			if err := w.set(i+1, s, st); err != nil {
				return err
			}
		}
		w.row++
		return nil
	case headerPageBreak:
		if err := w.set(1, gt, st); err != nil {
			return err
		}
		if err := w.set(5, gm, st); err != nil {
			return err
		}
		w.merge = append(w.merge, [2]string{cellName(1, w.row), cellName(4, w.row)}, [2]string{cellName(5, w.row), cellName(8, w.row)})
		w.row++
		for i, s := range labels {
			if err := w.set(i+1, s, st); err != nil {
				return err
			}
		}
		w.row++
		return nil
	}
	top := w.row
	for i, s := range []string{labels[0], labels[1], gt, "", gm} {
		if s != "" {
			if err := w.set(i+1, s, st); err != nil {
				return err
			}
		}
	}
	w.merge = append(w.merge,
		[2]string{cellName(1, top), cellName(1, top+1)}, [2]string{cellName(2, top), cellName(2, top+1)},
		[2]string{cellName(3, top), cellName(4, top)}, [2]string{cellName(5, top), cellName(8, top)})
	if w.l.remark {
		if err := w.set(9, labels[8], st); err != nil {
			return err
		}
		w.merge = append(w.merge, [2]string{cellName(9, top), cellName(9, top+1)})
	}
	w.row++
	for i := 2; i < 8; i++ {
		if err := w.set(i+1, labels[i], st); err != nil {
			return err
		}
	}
	w.row++
	return nil
}

func (w *sheetWriter) groups(gs []group, r *rand.Rand) error {
	since := 0
	areaTop, area := 0, ""
	flushArea := func(bottom int) {
		if w.l.merge == mergeDown && area != "" && bottom > areaTop {
			w.merge = append(w.merge, [2]string{cellName(2, areaTop), cellName(2, bottom)})
		}
		area = ""
	}
	for _, g := range gs {
		n := len(g.ms)
		if n == 0 {
			n = 1
		}
		if w.l.repeat > 0 && since >= w.l.repeat {
			flushArea(w.row - 1)
			if err := w.header(headerPageBreak); err != nil {
				return err
			}
			since = 0
		}
		if g.area != "" {
			flushArea(w.row - 1)
			area, areaTop = g.area, w.row
		}
		top := w.row
		no := g.no
		if w.l.fullWidth {
			no = fullDigits.Replace(no)
		}
		var noVal any = no
		if v, err := strconv.Atoi(no); err == nil && r.IntN(2) == 0 {
			noVal = v // some clerks' 序号 are numbers, some text
		}
		for i := 0; i < n; i++ {
			first := i == 0
			if first || w.l.merge == repeatDown {
				if err := w.set(1, noVal, w.st.text); err != nil {
					return err
				}
				if err := w.set(3, g.content, w.st.text); err != nil {
					return err
				}
				if err := w.set(4, g.depts, w.st.text); err != nil {
					return err
				}
			}
			if (first && g.area != "") || (w.l.merge == repeatDown && area != "") {
				if err := w.set(2, area, w.st.text); err != nil {
					return err
				}
			}
			if i < len(g.ms) {
				written++
				m := g.ms[i]
				goal := m.goal
				if w.l.fullWidth && r.IntN(2) == 0 {
					goal = fullDigits.Replace(goal)
				}
				for c, v := range []string{m.text, goal, m.owner} {
					if err := w.set(5+c, v, w.st.text); err != nil {
						return err
					}
				}
				if s, ok := m.due.(float64); ok {
					if err := w.set(8, s, w.st.date); err != nil {
						return err
					}
				} else if err := w.set(8, m.due, w.st.text); err != nil {
					return err
				}
			}
			w.row++
		}
		since += n
		if w.l.merge == mergeDown && n > 1 {
			for _, c := range []int{1, 3, 4} {
				w.merge = append(w.merge, [2]string{cellName(c, top), cellName(c, top+n-1)})
			}
		}
	}
	flushArea(w.row - 1)
	return nil
}

// returnedWorkbook builds a returned checklist from a layout and its task rows.
func returnedWorkbook(l *layout, gs []group, r *rand.Rand) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	names := []string{"Sheet1", "清单", "任务落实举措清单", "附件", "一市一策", "一校一案"}
	want := pick(r, names)
	if l.who.Kind == seeds.KindCity && want == "一校一案" || l.who.Kind != seeds.KindCity && want == "一市一策" {
		want = "Sheet1"
	}
	if l.intro {
		if err := f.SetSheetName("Sheet1", "填表说明"); err != nil {
			return nil, err
		}
		intro := []string{
			"填表说明",
			"1. 请对照《意见》任务逐项填写落实具体举措，一项任务可填写多条举措，每条举措占一行。",
			"2. 完成目标请尽量量化，如“建设2个”“培训1万人次”。",
			"3. 完成时间请填写到月，如“2022年6月”；长期任务填写“长期”。",
			"4. 责任单位（部门）填写本地、本校的具体责任部门。",
			"5. 不承担的任务可不填写，请勿删除任务行。",
		}
		for i, s := range intro {
			if err := f.SetCellValue("填表说明", cellName(1, i+1), s); err != nil {
				return nil, err
			}
		}
		if _, err := f.NewSheet(want); err != nil {
			return nil, err
		}
		sh = want
	} else if want != "Sheet1" {
		if err := f.SetSheetName("Sheet1", want); err != nil {
			return nil, err
		}
		sh = want
	}
	st, err := newSheetStyles(f, r)
	if err != nil {
		return nil, err
	}
	w := &sheetWriter{f: f, sh: sh, l: l, st: st, row: 1, ncol: 8}
	if l.remark {
		w.ncol = 9
	}
	if l.annex {
		if err := w.line("附件", 0); err != nil {
			return nil, err
		}
	}
	if l.title {
		if err := w.line(checklist.Title, st.title); err != nil {
			return nil, err
		}
		if err := f.SetRowHeight(sh, w.row-1, 40); err != nil {
			return nil, err
		}
	}
	unit := "单位：（公章）"
	if l.unit != "" {
		unit = "单位：" + l.unit
	}
	if err := w.line(unit, 0); err != nil {
		return nil, err
	}
	if l.contacts {
		// Made-up placeholders; never the notice's real contacts.
		for _, s := range []string{"联系人：" + pick(r, []string{"王老师", "李老师", "张老师", "刘老师", "陈老师"}),
			fmt.Sprintf("联系电话：%s-0000%04d", pick(r, []string{"024", "0411", "0412", "0415", "0416"}), r.IntN(10000))} {
			if err := w.line(s, 0); err != nil {
				return nil, err
			}
		}
	}
	if err := w.header(l.header); err != nil {
		return nil, err
	}
	if err := w.groups(gs, r); err != nil {
		return nil, err
	}
	for _, m := range w.merge {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			return nil, err
		}
	}
	for i, wd := range []float64{6, 14, 36, 18, 36, 16, 14, 14, 10} {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, c, c, wd); err != nil {
			return nil, err
		}
	}
	if l.hidden {
		hs := "下拉选项"
		if _, err := f.NewSheet(hs); err != nil {
			return nil, err
		}
		for i, s := range append([]string{"责任单位"}, cityOwners[6]...) {
			if err := f.SetCellValue(hs, cellName(1, i+1), s); err != nil {
				return nil, err
			}
		}
		if err := f.SetSheetVisible(hs, false); err != nil {
			return nil, err
		}
	}
	if l.unrelated {
		us := "经费测算"
		if _, err := f.NewSheet(us); err != nil {
			return nil, err
		}
		rows := [][]any{{"项目", "金额（万元）", "来源"}, {"实训基地建设", 1200, "专项债券"}, {"师资培训", 85.5, "省级奖补"}, {"信息化建设", 300, "自筹"}}
		for i, row := range rows {
			if err := f.SetSheetRow(us, cellName(1, i+1), &row); err != nil {
				return nil, err
			}
		}
	}
	idx, err := f.GetSheetIndex(sh)
	if err != nil {
		return nil, err
	}
	f.SetActiveSheet(idx)
	return finish(f, l)
}

func finish(f *excelize.File, l *layout) ([]byte, error) {
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: l.author, LastModifiedBy: l.author,
		Created:  l.created.UTC().Format(time.RFC3339),
		Modified: l.modified.UTC().Format(time.RFC3339),
	}); err != nil {
		return nil, err
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// identityWorkbook fills the blank checklist made out for the submitter (checklist.Build with For),
// as next round's files will look; the 单位 line is left as printed blank so the embedded identity is
// the only clue besides nothing in the file name.
func identityWorkbook(set *seeds.Set, l *layout, r *rand.Rand) ([]byte, error) {
	f, err := checklist.Build(set, checklist.Options{For: l.who.Name})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sh := checklist.SheetName
	if err := f.SetCellValue(sh, "A2", "单位：（公章）"); err != nil {
		return nil, err
	}
	if err := f.SetCellValue(sh, "A3", "联系人：赵老师"); err != nil {
		return nil, err
	}
	if err := f.SetCellValue(sh, "A4", "联系电话：0415-00001234"); err != nil {
		return nil, err
	}
	l.maxPer = checklist.RowsPerTask
	for _, g := range groups(set, l, r) {
		for i, m := range g.ms {
			written++
			row := checklist.TaskRow(g.task) + i
			for c, v := range []any{m.text, m.goal, m.owner, m.due} {
				if err := f.SetCellValue(sh, cellName(5+c, row), v); err != nil {
					return nil, err
				}
			}
		}
	}
	return finish(f, l)
}
