package csvcell

import "testing"

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+86 024", "'+86 024"},
		{"-5%", "'-5%"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=cmd", "'\t=cmd"},
		{"\r=cmd", "'\r=cmd"},
		{"大连市=1", "大连市=1"},
		{" =1", " =1"},
		{"'=1", "'=1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Defuse(tt.in); got != tt.want {
			t.Errorf("Defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
