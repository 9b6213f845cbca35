package dashboard

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// /returns reads its deadline and grace with the exports' parser: a bad one is a 400 naming the
// parameter in Chinese, and parameters the page does not read (a bad task=) do not refuse it.
func TestReturnsParams(t *testing.T) {
	s, _ := guardServer(t, Config{})
	for _, c := range []struct {
		query string
		code  int
		word  string
	}{
		{"deadline=2021-13-01", 400, "截止日期"},
		{"deadline=yesterday", 400, "截止日期"},
		{"grace=-1", 400, "宽限天数"},
		{"grace=3651", 400, "宽限天数"},
		{"grace=x", 400, "宽限天数"},
		{"deadline=2021-09-20&grace=5&task=abc", 200, "2021-09-25 23:59"},
	} {
		code, body, _ := do(t, s, httptest.NewRequest("GET", "/returns?"+c.query, nil))
		if code != c.code || !strings.Contains(body, c.word) {
			t.Errorf("/returns?%s: status %d, want %d with %q: %.300s", c.query, code, c.code, c.word, body)
		}
	}
}
