// Package ingest loads returned 任务落实举措清单 workbooks into the database. It is a pipeline: sniff
// the file kind (verdicts for files that are not checklists), find the checklist sheet and its header by
// what the columns say, read the rows with excelize's streaming iterator, normalise them (due.go,
// quantity.go, match.go, submitter.go) and write one run in one DuckDB transaction. A run is collected
// (collect.go: inputs, zips expanded), archived (archive.go), read in parallel (pipeline.go) and
// stored (store.go): ingest hands typed rows to queries, which owns the tables and appends them.
// Problems in the data become findings for the submitter; an error means the infrastructure failed.
package ingest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
// One pass, without halfWidth's copy (keyRune).
func normKey(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if k, ok := keyRune(r); ok {
			b = utf8.AppendRune(b, k)
		}
	}
	return string(b)
}

// keyRune is what r contributes to normKey: itself lower-cased if a letter or digit (a full-width
// ASCII variant as its ASCII form), else nothing. ASCII and the CJK ideographs (all letters, no case)
// skip the Unicode tables.
func keyRune(r rune) (rune, bool) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			return r, true
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A', true
		}
		return 0, false
	case r >= 0x4E00 && r <= 0x9FFF:
		return r, true
	case r >= 0xFF01 && r <= 0xFF5E:
		return keyRune(r - 0xFEE0) // full-width ASCII
	case r == 0x3000:
		return 0, false // ideographic space
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return unicode.ToLower(r), true
	}
	return 0, false
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

// bigrams is the multiset of adjacent rune pairs of a normalised text, as sorted keys (a sorted slice
// intersects by a merge, several times faster than maps for texts this short); a one-rune text is its
// own gram.
type bigrams []uint64

func makeBigrams(key string) (bigrams, int) {
	rs := []rune(key)
	if len(rs) == 1 {
		return bigrams{uint64(rs[0]) << 32}, 1
	}
	if len(rs) == 0 {
		return nil, 0
	}
	g := make(bigrams, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		g = append(g, uint64(rs[i])<<32|uint64(rs[i+1]))
	}
	slices.Sort(g)
	return g, len(g)
}

// dice is the Sørensen–Dice coefficient of two bigram multisets: 1 for equal texts, 0 for nothing shared.
func dice(a bigrams, na int, b bigrams, nb int) float64 {
	if na+nb == 0 {
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
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
