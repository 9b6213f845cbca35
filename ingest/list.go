package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A 具体举措 cell often lists several measures: "1.……；2.……", "（1）……\n（2）……", "①……②……",
// "一、……二、……". Each item is a measure of its own. A number inside a sentence ("1+X证书", "2所以上",
// "1.2万人次") is not a list marker: a marker starts the cell or follows a line break, a semicolon, a
// full stop or a space, and the markers of one list count 1, 2, 3 … in one style.

var listMarkerRe = regexp.MustCompile(`(?:(?:^|[\n；;。，,\s])\s*(?:[（(]\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*[）)]|(\d{1,2})\s*[.、．)）]|([一二三四五六七八九十]{1,2})\s*、)|\s*([①-⑳]))`)

var yearNextRe = regexp.MustCompile(`^\d{4}\s*年`)

// markerStyle and number of a match of listMarkerRe.
func markerOf(s string, m []int) (style int, n int) {
	for g := 1; g <= 4; g++ {
		if m[2*g] < 0 {
			continue
		}
		v := s[m[2*g]:m[2*g+1]]
		switch g {
		case 4:
			r, _ := utf8.DecodeRuneInString(v)
			return g, int(r-'①') + 1
		default:
			if v[0] >= '0' && v[0] <= '9' {
				k := 0
				for _, c := range v {
					k = k*10 + int(c-'0')
				}
				return g, k
			}
			k, ok := parseChineseNumber(v)
			if !ok {
				return 0, 0
			}
			return g + 10, k // Chinese numerals are a style of their own
		}
	}
	return 0, 0
}

// splitList returns the items of a cell that lists two or more, nil otherwise.
func splitList(cell string) []string {
	t := halfWidth(cell) // "（１）" reads as "(1)"; items are cut from this mapped text
	ms := listMarkerRe.FindAllStringSubmatchIndex(t, -1)
	if len(ms) < 2 {
		return nil
	}
	var starts, ends []int // item text bounds
	style, next := 0, 1
	for _, m := range ms {
		st, n := markerOf(t, m)
		if st == 0 {
			continue
		}
		// "1." followed by a digit is a decimal (1.2万人次), not an item.
		// A year after the marker ("1.2022年6月") is an item of a list of dates.
		if rest := t[m[1]:]; rest != "" && rest[0] >= '0' && rest[0] <= '9' && !yearNextRe.MatchString(rest) {
			continue
		}
		if len(starts) == 0 {
			if n != 1 {
				continue
			}
			style = st
		} else if st != style || n != next {
			continue
		}
		// the item before ends where this marker's separator begins
		// (text before the first marker introduces the list; it stays with the whole cell)
		if len(starts) > 0 {
			ends = append(ends, m[0])
		}
		starts = append(starts, m[1])
		next = n + 1
	}
	if len(starts) < 2 {
		return nil
	}
	ends = append(ends, len(t))
	items := make([]string, 0, len(starts))
	for i := range starts {
		s := strings.TrimSpace(t[starts[i]:ends[i]])
		s = strings.TrimRight(s, "；;。，, \n")
		if s == "" {
			return nil
		}
		items = append(items, strings.TrimSpace(s))
	}
	return items
}

// splitLists turns each row whose 具体举措 lists several measures into one row per item. A 完成目标,
// 责任单位 or 完成时间 cell that holds a parallel list of as many items gives each item its own; a
// single 完成目标 serving the whole list keeps its text on every item but counts its quantities once.
func splitLists(rows []MeasureRow) []MeasureRow {
	var out []MeasureRow
	for _, r := range rows {
		items := splitList(r.Measure)
		if items == nil {
			out = append(out, r)
			continue
		}
		goals, owners, dues := parallel(r.Goal, len(items)), parallel(r.Owner, len(items)), parallel(r.Due, len(items))
		for i, it := range items {
			m := r
			m.Cell, m.Item, m.Measure = r.Measure, i+1, it
			if goals != nil {
				m.Goal = goals[i]
			} else if i > 0 {
				m.goalShared = true
			}
			if owners != nil {
				m.Owner = owners[i]
			}
			if dues != nil {
				m.Due = dues[i]
			}
			out = append(out, m)
		}
	}
	return out
}

// parallel returns a cell's items when it lists exactly n, nil otherwise.
func parallel(cell string, n int) []string {
	if items := splitList(cell); len(items) == n {
		return items
	}
	return nil
}
