package ingest

import (
	"strings"
	"testing"
	"unicode"
)

// normKeyByDefinition is normKey as its comment defines it, written the plain way (half-width first,
// then every rune through the Unicode tables): the reference the fast version must agree with.
func normKeyByDefinition(s string) string {
	var b strings.Builder
	for _, r := range halfWidth(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func TestNormKeyAgreesWithDefinitionOnEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r)
		if got, want := normKey(s), normKeyByDefinition(s); got != want {
			t.Fatalf("normKey(%q U+%04X) = %q, want %q", s, r, got, want)
		}
	}
}

func TestNormKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"具体\n举措", "具体举措"},
		{"（一）Ａｂ１２　完成目标", "一ab12完成目标"},
		{"序 号", "序号"},
		{"ÀÉ-İ", "àéi"},
		{"bad\xffutf8", "badutf8"},
		{"", ""},
	} {
		if got := normKey(c.in); got != c.want {
			t.Errorf("normKey(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := normKeyByDefinition(c.in); got != c.want {
			t.Errorf("reference(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
