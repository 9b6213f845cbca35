package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"lnvedash/queries"
)

// PlanMeasure is one current plan measure of a unit, as a progress row may report on it (read by
// queries inside the run's transaction).
type PlanMeasure = queries.PlanLink

// Link thresholds on the similarity of the measure texts (Dice over bigrams, text.go): at or above
// linkStrong a row is linked without remark; down to linkWeak it is linked with a finding; below, it
// is kept as a new measure.
const (
	linkStrong = 0.6
	linkWeak   = 0.35
)

// Link methods (progress_rows.link_method).
const (
	LinkKey      = "key"
	LinkText     = "text"
	LinkTextWeak = "text_weak"
	LinkNew      = "new"
)

// linkProgress links each row of a unit's progress return to one of its plan measures — by the
// embedded key, else by task and text — reads 已完成数量, and adds the findings: weak or missing links,
// contradictions, and the plan measures the return does not report on.
func (rd *Reader) linkProgress(p *Parsed, plan []PlanMeasure) {
	add := func(sheet string, row int, sev, code, msg string) {
		if row > 0 {
			msg = fmt.Sprintf("第%d行：%s", row, msg)
		}
		p.Findings = append(p.Findings, Finding{Sheet: sheet, Row: row, Severity: sev, Code: code, Message: msg})
	}
	byKey := map[string]int{}
	for i, m := range plan {
		byKey[m.Key] = i
	}
	linked := map[int]int{} // plan index → row that took it
	reported := map[int]bool{}
	for ri := range p.Progress.Rows {
		r := &p.Progress.Rows[ri]
		pi := -1
		if r.Key != "" {
			if i, ok := byKey[r.Key]; ok {
				pi, r.LinkMethod, r.LinkScore = i, LinkKey, 1
			} else {
				add(r.Sheet, r.Row, SevWarning, "key_unknown", fmt.Sprintf("举措编号“%s”不在本单位现行方案中（方案可能已更新），已按举措文字关联", clip(r.Key)))
			}
		}
		if pi < 0 {
			tm := rd.Matcher.Match(r.PrintedNo, r.TaskText, r.Measure)
			r.TaskNo = tm.TaskNo
			best, score := bestPlanMatch(plan, linked, r.Measure, r.TaskNo)
			switch {
			case best >= 0 && score >= linkStrong:
				pi, r.LinkMethod, r.LinkScore = best, LinkText, score
			case best >= 0 && score >= linkWeak:
				pi, r.LinkMethod, r.LinkScore = best, LinkTextWeak, score
				add(r.Sheet, r.Row, SevWarning, "link_weak", fmt.Sprintf("举措与方案中的“%s”仅部分相符（相似度%.2f），已按此关联，请核对", clip(plan[best].Measure), score))
			default:
				r.LinkMethod, r.LinkScore = LinkNew, score
				add(r.Sheet, r.Row, SevInfo, "measure_new", fmt.Sprintf("方案中没有与“%s”相符的举措，已作为新增举措保存", clip(r.Measure)))
			}
		}
		if pi >= 0 {
			m := plan[pi]
			r.LinkKey, r.TaskNo = m.Key, m.TaskNo
			if r.Measure == "" {
				r.Measure = m.Measure
			}
			if prev, dup := linked[pi]; dup {
				add(r.Sheet, r.Row, SevWarning, "measure_twice", fmt.Sprintf("与第%d行报告的是同一条方案举措，统计时以第%d行为准", prev, prev))
			} else {
				linked[pi] = r.Row
			}
			if !r.blank() {
				reported[pi] = true
			}
		}
		rd.readAchieved(r, p, plan, pi, add)
	}
	for i, m := range plan {
		if !reported[i] {
			add(p.Sheet, 0, SevInfo, "measure_not_reported", fmt.Sprintf("方案中任务%d的举措“%s”本次未报告进展，请补报", m.TaskNo, clip(m.Measure)))
		}
	}
}

// bestPlanMatch is the not-yet-linked plan measure most like text, preferring the row's own task: a
// measure of another task must be clearly alike (linkStrong) to win.
func bestPlanMatch(plan []PlanMeasure, linked map[int]int, text string, task int) (int, float64) {
	best, score := -1, 0.0
	for i, m := range plan {
		if _, taken := linked[i]; taken {
			continue
		}
		s := similarity(text, m.Measure)
		if task != 0 && m.TaskNo != task && s < linkStrong {
			continue
		}
		if s > score {
			best, score = i, s
		}
	}
	return best, score
}

// readAchieved reads 已完成数量 with the rules of 完成目标; a bare number counts in the unit of the
// plan measure's first committed quantity. Contradictions with the status become findings.
func (rd *Reader) readAchieved(r *ProgressRow, p *Parsed, plan []PlanMeasure, pi int, add func(string, int, string, string, string)) {
	text := strings.TrimSpace(r.Achieved)
	if text == "" {
		if r.Status == StatusDone && pi >= 0 && plan[pi].Committed {
			add(r.Sheet, r.Row, SevInfo, "achieved_missing", "完成状态为“已完成”，但未填写已完成数量")
		}
		return
	}
	if v, err := strconv.ParseFloat(strings.ReplaceAll(halfWidth(text), ",", ""), 64); err == nil {
		c := Commitment{Seq: 1, TaskNo: r.TaskNo, Value: v, Source: text}
		if pi >= 0 {
			c.Unit, c.Metric = plan[pi].Unit, plan[pi].Metric
		}
		r.Quantities = []Commitment{c}
	} else {
		qs := ParseQuantities(text)
		if len(qs) == 0 {
			add(r.Sheet, r.Row, SevWarning, "achieved_unreadable", fmt.Sprintf("已完成数量“%s”中没有读出数量，请填写数字（如“2”）", clip(text)))
			return
		}
		var targets = rd.Set.TargetsFor(r.TaskNo)
		if r.TaskNo == 0 {
			targets = nil
		}
		r.Quantities = commitments(text, r.TaskNo, qs, targets)
	}
	for _, q := range r.Quantities {
		switch {
		case r.Status == StatusDone && q.Value == 0:
			add(r.Sheet, r.Row, SevWarning, "status_contradiction", "完成状态为“已完成”，但已完成数量为0，请核对")
		case r.Status == StatusNotStarted && q.Value > 0:
			add(r.Sheet, r.Row, SevWarning, "status_contradiction", fmt.Sprintf("完成状态为“未启动”，但已完成数量为%s，请核对", strconv.FormatFloat(q.Value, 'f', -1, 64)))
		default:
			continue
		}
		break
	}
}
