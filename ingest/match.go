package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"lnvedash/seeds"
)

// Match methods stored in measure_rows.match_method.
const (
	MethodContent  = "content"  // 任务内容 matched a canonical task of 附件2
	MethodTemplate = "template" // 任务内容 matched a row of the notice template (its drift included)
	MethodMeasure  = "measure"  // template row 7 (tasks 7+8): decided by the measure's own text
	MethodNumber   = "number"   // no usable 任务内容; the printed 序号 decided
	MethodNone     = "none"
)

// Score thresholds for the bigram Dice similarity of 任务内容, chosen on the template's own rows: a
// copied-and-trimmed task text scores above 0.6, a different task of the same area rarely above 0.3.
const (
	strongMatch = 0.6
	weakMatch   = 0.3
)

type candidate struct {
	tasks    []int // canonical task numbers; two for the template's merged row 7
	grams    bigrams
	n        int
	template bool
	position int
}

// Matcher maps a returned row to its canonical task.
type Matcher struct {
	set       *seeds.Set
	cands     []candidate
	taskGrams map[int]candidate
	byPrinted map[string][]int // printed 序号 of the template → canonical tasks

	// seen holds the verdicts by (序号, 任务内容) that did not need the measure's text: returns copy the
	// template's task texts, so across a run most rows repeat a verdict already reached. Bounded: past
	// matchCacheSize entries, new texts are matched without being kept.
	mu   sync.RWMutex
	seen map[[2]string]TaskMatch
}

// matchCacheSize bounds Matcher.seen (a hostile corpus of distinct texts costs no more than this).
const matchCacheSize = 1 << 14

// NewMatcher prepares the 54 tasks and the template rows for comparison.
func NewMatcher(set *seeds.Set) *Matcher {
	m := &Matcher{set: set, taskGrams: map[int]candidate{}, byPrinted: map[string][]int{}, seen: map[[2]string]TaskMatch{}}
	for _, t := range set.Tasks {
		g, n := makeBigrams(normKey(t.Content))
		c := candidate{tasks: []int{t.No}, grams: g, n: n}
		m.cands = append(m.cands, c)
		m.taskGrams[t.No] = c
	}
	for _, r := range set.TemplateRows {
		if _, seen := m.byPrinted[r.PrintedNo]; !seen && len(r.TaskNos) > 0 {
			m.byPrinted[r.PrintedNo] = r.TaskNos
		}
		if strings.TrimSpace(r.Content) == "" || len(r.TaskNos) == 0 {
			continue
		}
		g, n := makeBigrams(normKey(r.Content))
		m.cands = append(m.cands, candidate{tasks: r.TaskNos, grams: g, n: n, template: true, position: r.Position})
	}
	return m
}

// TaskMatch is the verdict for one row.
type TaskMatch struct {
	TaskNo   int // 0 = none
	Method   string
	Score    float64
	Findings []Finding
}

// Match decides the canonical task of a row from its 任务内容 (first), its printed 序号 (second) and,
// where the template merged two tasks, the measure's own text.
// It is safe for concurrent use; the Findings of the verdict returned are shared, not to be modified.
func (m *Matcher) Match(printedNo, taskText, measure string) TaskMatch {
	k := [2]string{printedNo, taskText}
	m.mu.RLock()
	tm, ok := m.seen[k]
	m.mu.RUnlock()
	if ok {
		return tm
	}
	tm, byMeasure := m.match(printedNo, taskText, measure)
	if !byMeasure {
		tm.Findings = slices.Clip(tm.Findings) // a caller's append copies rather than writing into the shared array
		m.mu.Lock()
		if len(m.seen) < matchCacheSize {
			m.seen[k] = tm
		}
		m.mu.Unlock()
	}
	return tm
}

// match is Match uncached; byMeasure says the measure's text took part in the verdict.
func (m *Matcher) match(printedNo, taskText, measure string) (_ TaskMatch, byMeasure bool) {
	key := normKey(taskText)
	no := parsePrintedNo(printedNo)
	byNumber := m.numberTasks(printedNo, no)
	if key == "" {
		if len(byNumber) > 0 {
			tm := TaskMatch{TaskNo: byNumber[0], Method: MethodNumber}
			if len(byNumber) > 1 {
				tm.TaskNo, tm.Method, tm.Findings = m.byMeasure(byNumber, measure, printedNo)
				byMeasure = true
			}
			tm.Findings = append(tm.Findings, Finding{Severity: SevInfo, Code: "task_by_number",
				Message: fmt.Sprintf("任务内容为空，已按序号“%s”归入第%d项任务，请补填任务内容", printedNo, tm.TaskNo)})
			return tm, byMeasure
		}
		return TaskMatch{Method: MethodNone, Findings: []Finding{{Severity: SevError, Code: "unknown_task",
			Message: "任务内容和序号都为空，无法确定该举措属于哪项任务，请补填"}}}, false
	}
	g, n := makeBigrams(key)
	best, second := -1, -1
	scores := make([]float64, len(m.cands))
	for i, c := range m.cands {
		scores[i] = dice(g, n, c.grams, c.n)
		switch {
		case best < 0 || scores[i] > scores[best]:
			if best >= 0 && !sameTasks(m.cands[best].tasks, c.tasks) {
				second = best
			}
			best = i
		case !sameTasks(m.cands[best].tasks, c.tasks) && (second < 0 || scores[i] > scores[second]):
			second = i
		}
	}
	score := scores[best]
	if score < weakMatch {
		if len(byNumber) > 0 {
			tm := TaskMatch{TaskNo: byNumber[0], Method: MethodNumber, Score: score}
			if len(byNumber) > 1 {
				tm.TaskNo, tm.Method, tm.Findings = m.byMeasure(byNumber, measure, printedNo)
				byMeasure = true
			}
			tm.Findings = append(tm.Findings, Finding{Severity: SevWarning, Code: "unknown_task",
				Message: fmt.Sprintf("任务内容“%s”与任务清单中的任何一项都对不上，已按序号“%s”归入第%d项任务，请核对", clip(taskText), printedNo, tm.TaskNo)})
			return tm, byMeasure
		}
		return TaskMatch{Method: MethodNone, Score: score, Findings: []Finding{{Severity: SevError, Code: "unknown_task",
			Message: fmt.Sprintf("任务内容“%s”与任务清单中的任何一项都对不上，且没有可用的序号，请按模板填写任务内容", clip(taskText))}}}, false
	}
	c := m.cands[best]
	tm := TaskMatch{TaskNo: c.tasks[0], Method: MethodContent, Score: score}
	if c.template {
		tm.Method = MethodTemplate
	}
	if len(c.tasks) > 1 {
		tm.TaskNo, tm.Method, tm.Findings = m.byMeasure(c.tasks, measure, printedNo)
		byMeasure = true
	}
	if score < strongMatch {
		tm.Findings = append(tm.Findings, Finding{Severity: SevWarning, Code: "weak_match",
			Message: fmt.Sprintf("任务内容“%s”与任务清单只是部分相符（相似度%.2f），已归入第%d项任务，请核对", clip(taskText), score, tm.TaskNo)})
	}
	if second >= 0 && scores[second] >= weakMatch && score-scores[second] < 0.05 {
		tm.Findings = append(tm.Findings, Finding{Severity: SevWarning, Code: "ambiguous_task",
			Message: fmt.Sprintf("任务内容“%s”与第%d项、第%d项任务都相近，已归入第%d项，请核对", clip(taskText),
				c.tasks[0], m.cands[second].tasks[0], tm.TaskNo)})
	}
	if no > 0 && len(byNumber) > 0 && !containsInt(byNumber, tm.TaskNo) {
		tm.Findings = append(tm.Findings, Finding{Severity: SevWarning, Code: "number_mismatch",
			Message: fmt.Sprintf("序号“%s”与任务内容不一致：任务内容是第%d项任务，已按任务内容归入第%d项，请核对序号", printedNo, tm.TaskNo, tm.TaskNo)})
	}
	return tm, byMeasure
}

// byMeasure picks among tasks the template merged into one row, by the measure's own text.
func (m *Matcher) byMeasure(tasks []int, measure, printedNo string) (int, string, []Finding) {
	g, n := makeBigrams(normKey(measure))
	best, bestScore, secondScore := tasks[0], -1.0, -1.0
	for _, t := range tasks {
		c := m.taskGrams[t]
		s := dice(g, n, c.grams, c.n)
		if s > bestScore {
			secondScore, bestScore, best = bestScore, s, t
		} else if s > secondScore {
			secondScore = s
		}
	}
	list := joinInts(tasks, "、")
	if n > 0 && bestScore-secondScore >= 0.02 {
		return best, MethodMeasure, []Finding{{Severity: SevInfo, Code: "ambiguous_task",
			Message: fmt.Sprintf("该行可能属于第%s项任务（模板把这几项合并或改了序号），已按具体举措的内容归入第%d项，如有误请分行填写并写明任务内容", list, best)}}
	}
	return tasks[0], MethodTemplate, []Finding{{Severity: SevWarning, Code: "ambiguous_task",
		Message: fmt.Sprintf("该行可能属于第%s项任务（模板把这几项合并或改了序号），具体举措无法区分属于哪一项，暂归入第%d项，请分行填写并写明任务内容", list, tasks[0])}}
}

// numberTasks is what a printed 序号 points at: the template's numbering where the template printed
// that number, else the canonical number (the template left out 40–45).
func (m *Matcher) numberTasks(printed string, no int) []int {
	if no <= 0 {
		return nil
	}
	if ts, ok := m.byPrinted[strconv.Itoa(no)]; ok {
		if !containsInt(ts, no) && no <= len(m.set.Tasks) {
			return append(append([]int{}, ts...), no)
		}
		return ts
	}
	if no <= len(m.set.Tasks) {
		return []int{no}
	}
	return nil
}

// parsePrintedNo reads "7", "７", "7.", "（7）", "7.0" (a number cell); 0 when it is no number.
func parsePrintedNo(s string) int {
	t := strings.Trim(stripSpace(halfWidth(s)), "().、。")
	t = strings.TrimSuffix(t, ".0")
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func sameTasks(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func joinInts(xs []int, sep string) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, sep)
}

// clip shortens a quoted cell for a message; the full text stays in the database.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
