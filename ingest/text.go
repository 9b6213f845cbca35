// Package ingest loads returned 任务落实举措清单 workbooks into the database. It is a pipeline: sniff
// the file kind (verdicts for files that are not checklists), find the checklist sheet and its header by
// what the columns say, read the rows with excelize's streaming iterator, normalise them (due.go,
// quantity.go, match.go, submitter.go) and write one run in one DuckDB transaction. Problems in the
// data become findings for the submitter; an error means the infrastructure failed.
package ingest

import (
	"strings"
	"unicode"
)

// halfWidth maps full-width ASCII variants (Ａ１％（) and the ideographic space to their ASCII forms, so
// "２０２２年" and "2022年" read alike.
func halfWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		case r == 0x3000:
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normKey is the comparison form of a text: half-width, lower case, letters and digits only. Spaces,
// line breaks and punctuation (Chinese or not) are what people vary while meaning the same thing.
func normKey(s string) string {
	s = halfWidth(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stripSpace removes every white-space rune (line breaks inside cells included).
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// bigrams is the multiset of adjacent rune pairs of a normalised text; a one-rune text is its own gram.
type bigrams map[[2]rune]int

func makeBigrams(key string) (bigrams, int) {
	rs := []rune(key)
	g := bigrams{}
	if len(rs) == 1 {
		g[[2]rune{rs[0], 0}] = 1
		return g, 1
	}
	for i := 0; i+1 < len(rs); i++ {
		g[[2]rune{rs[i], rs[i+1]}]++
	}
	n := len(rs) - 1
	if n < 0 {
		n = 0
	}
	return g, n
}

// dice is the Sørensen–Dice coefficient of two bigram multisets: 1 for equal texts, 0 for nothing shared.
func dice(a bigrams, na int, b bigrams, nb int) float64 {
	if na+nb == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	common := 0
	for k, ca := range a {
		if cb := b[k]; cb > 0 {
			common += min(ca, cb)
		}
	}
	return 2 * float64(common) / float64(na+nb)
}

// similarity compares two texts as written.
func similarity(x, y string) float64 {
	a, na := makeBigrams(normKey(x))
	b, nb := makeBigrams(normKey(y))
	return dice(a, na, b, nb)
}
