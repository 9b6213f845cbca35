package ingest

import (
	"strings"

	"lnvedash/seeds"
)

// keywordHits reports whether a target keyword names the text: every "+"-joined term appears and no
// "!"-prefixed term does. The keyword is normalised like the text it is matched against (half-width),
// so a seed written "专业（群）" matches a cell read as "专业(群)".
func keywordHits(keyword, text string) bool {
	hit := false
	for _, term := range strings.Split(halfWidth(keyword), "+") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		if neg, ok := strings.CutPrefix(term, "!"); ok {
			if neg != "" && strings.Contains(text, neg) {
				return false
			}
			continue
		}
		if !strings.Contains(text, term) {
			return false
		}
		hit = true
	}
	return hit
}

// unitFits reports whether a measure word as written counts in the target's unit: the unit itself or
// one the seeds list as the same count (所 for 个 where the target counts institutions, 人 for 人次).
func unitFits(t seeds.Target, unit string) bool {
	if t.Unit == unit {
		return true
	}
	for _, u := range t.AlsoUnits {
		if u == unit {
			return true
		}
	}
	return false
}

// attribute names the target a quantity counts toward, and the unit it counts in (the target's unit;
// the written one when no target claims it): the first target of the task whose unit fits and one of
// whose keywords names the quantity's own clause — whether the noun comes before the number
// ("课程思政案例200个") or after it ("2个产业学院"). Only a lone quantity may borrow a keyword from
// elsewhere in the cell ("产业学院建设：2个"); with several, a keyword in another clause names another
// quantity, so a quantity without one of its own stays unattributed (listed in unattributed_commitments).
func attribute(targets []seeds.Target, unit, clause, whole string, lone bool) (metric, normUnit string) {
	texts := []string{clause}
	if lone {
		texts = append(texts, whole)
	}
	for _, text := range texts {
		for _, t := range targets {
			if !unitFits(t, unit) {
				continue
			}
			for _, kw := range t.Keywords {
				if keywordHits(kw, text) {
					return t.Metric, t.Unit
				}
			}
		}
	}
	return "", unit
}
