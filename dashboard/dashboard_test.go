package dashboard

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"lnvedash/charts"
	"lnvedash/queries/querytest"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	db := querytest.Open(t, "")
	s, err := New(Config{DB: db, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t *testing.T, s *Server, path string) (int, string, map[string]string) {
	t.Helper()
	resp, err := s.App().Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return resp.StatusCode, string(b), h
}

// A series name from a submitted file must not be able to close the <script> that carries the option.
func TestChartJSONIsEscaped(t *testing.T) {
	hostile := `</script><img src=x onerror=alert(1)>__f__function(){alert(2)}__f__`
	bar := echarts.NewBar()
	bar.SetXAxis([]string{hostile}).AddSeries(hostile, []opts.BarData{{Value: 1}})
	ch := charts.NewChart("c1", "测试", bar)
	tpl := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_chart.html"))
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "chart", ch); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if strings.Contains(html, "</script><img") || strings.Contains(html, "<img") {
		t.Fatalf("hostile text reached the page unescaped:\n%s", html)
	}
	// The JSON inside the script element must still parse and carry the text verbatim.
	start := strings.Index(html, `id="c1-option">`) + len(`id="c1-option">`)
	end := strings.Index(html[start:], "</script>")
	var opt map[string]any
	if err := json.Unmarshal([]byte(html[start:start+end]), &opt); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, html[start:start+end])
	}
	series := opt["series"].([]any)[0].(map[string]any)
	if series["name"] != hostile {
		t.Errorf("series name = %q, want it verbatim", series["name"])
	}
}

func TestHeadersHealthAndErrors(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		name, path string
		status     int
		contains   string
	}{
		{"health", "/healthz", 200, `"status":"ok"`},
		{"overview", "/", 200, "<title>总览"},
		{"echarts embedded", "/static/vendor/echarts.min.js", 200, "echarts"},
		{"map embedded", "/static/vendor/liaoning.json", 200, "沈阳市"},
		{"unknown page in Chinese", "/nope", 404, "页面不存在"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := get(t, s, tc.path)
			if code != tc.status {
				t.Errorf("status = %d, want %d", code, tc.status)
			}
			if !strings.Contains(body, tc.contains) {
				t.Errorf("body lacks %q: %.300s", tc.contains, body)
			}
			if !strings.Contains(h["Content-Security-Policy"], "script-src 'self'") {
				t.Errorf("CSP = %q", h["Content-Security-Policy"])
			}
		})
	}
}
