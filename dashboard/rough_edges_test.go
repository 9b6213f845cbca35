package dashboard

import (
	"net/url"
	"strings"
	"testing"
)

// A unit that sent nothing (鞍山市; 大连职业技术学院, whose only file was refused) gets 未报送 where its
// plan's charts would be, not empty coverage and deadline charts; a unit that returned keeps them.
func TestUnreturnedUnitNoEmptyCharts(t *testing.T) {
	s, _ := newFixtureServer(t)
	for _, tc := range []struct {
		path     string
		returned bool
	}{
		{"/cities/" + url.PathEscape("鞍山市"), false},
		{"/colleges/" + url.PathEscape("大连职业技术学院"), false},
		{"/cities/" + url.PathEscape("大连市"), true},
		{"/colleges/" + url.PathEscape("沈阳职业技术学院"), true},
	} {
		code, html, _ := get(t, s, tc.path)
		if code != 200 {
			t.Fatalf("%s: %d", tc.path, code)
		}
		for _, chart := range []string{`data-chart="areas"`, `data-chart="deadlines"`} {
			if strings.Contains(html, chart) != tc.returned {
				t.Errorf("%s (returned %v): has %s = %v", tc.path, tc.returned, chart, !tc.returned)
			}
		}
		i := strings.Index(html, `id="unreturned-box"`)
		if (i >= 0) == tc.returned {
			t.Errorf("%s (returned %v): 未报送 placeholder present = %v", tc.path, tc.returned, i >= 0)
		}
		if i >= 0 && !strings.Contains(html[i:i+300], "未报送") {
			t.Errorf("%s: the placeholder does not say 未报送: %s", tc.path, html[i:i+300])
		}
	}
}
