package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"lnvedash/ingest/ingesttest"
)

// manifestUnits reads sample-data/MANIFEST.csv (the generator's intended verdicts, an independent path
// from ingest): the units with a current checklist and those with a stamped copy received.
func manifestUnits(t *testing.T) (checklist, stamped map[string]bool) {
	t.Helper()
	b, err := os.ReadFile("../sample-data/MANIFEST.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment, r.FieldsPerRecord = '#', -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checklist, stamped = map[string]bool{}, map[string]bool{}
	for _, rec := range recs {
		if len(rec) < 3 || rec[1] == "" {
			continue
		}
		switch rec[2] {
		case "current":
			checklist[rec[1]] = true
		case "received":
			stamped[rec[1]] = true
		}
	}
	return checklist, stamped
}

func newArchiveServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{DB: sampleDB, DataDir: ingesttest.Dir, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The returns page and the overview give the complete-return rate (checklist and stamped copy) per kind
// over the roster (14 cities, 52 colleges), as the manifest says; per unit which checklist counts, the
// stamped copy with its download link, and the stale one flagged.
func TestReturnsStampedColumns(t *testing.T) {
	checklist, stamped := manifestUnits(t)
	complete := [2]int{}
	for u := range checklist {
		if stamped[u] {
			if strings.HasSuffix(u, "市") {
				complete[0]++
			} else {
				complete[1]++
			}
		}
	}
	if complete[0] == 0 || complete[1] == 0 || complete[0] == 14 {
		t.Fatalf("manifest gives complete %v: the sample no longer exercises the rate", complete)
	}
	s := newArchiveServer(t)
	code, html, _ := get(t, s, "/returns")
	if code != 200 {
		t.Fatalf("/returns: %d", code)
	}
	_, overview, _ := get(t, s, "/")
	for _, page := range []struct{ name, html string }{{"/returns", html}, {"/", overview}} {
		for i, den := range []int{14, 52} {
			kind := []string{"city", "school"}[i]
			want := fmt.Sprintf(`data-kind="%s"><div class="v">%d<span class="den">/%d</span>`, kind, complete[i], den)
			if !strings.Contains(page.html, want) {
				t.Errorf("%s lacks the complete-return figure %s", page.name, want)
			}
		}
	}
	row := func(unit string) string {
		i := strings.Index(html, `<tr data-unit="`+unit+`">`)
		if i < 0 {
			t.Fatalf("/returns has no row for %s", unit)
		}
		j := strings.Index(html[i:], "</tr>")
		return html[i : i+j]
	}
	only := row("铁岭卫生职业学院") // only the PDF
	if !strings.Contains(only, "未收到") || !strings.Contains(only, "/stamped/") || !strings.Contains(only, "不完整") {
		t.Errorf("铁岭卫生职业学院 (stamped copy only): %s", only)
	}
	stale := row("辽宁机电职业技术学院")
	if !strings.Contains(stale, "已过期") || !strings.Contains(stale, "完整") {
		t.Errorf("辽宁机电职业技术学院 (stale stamped copy): %s", stale)
	}
	if fresh := row("大连市"); strings.Contains(fresh, "已过期") || !strings.Contains(fresh, `<span class="ok">完整</span>`) {
		t.Errorf("大连市 (checklist and fresh stamped copy): %s", fresh)
	}
	_, unit, _ := get(t, s, "/colleges/"+url.PathEscape("辽宁机电职业技术学院"))
	if !strings.Contains(unit, `id="stamped-kpi"`) || !strings.Contains(unit, "已过期") || !strings.Contains(unit, `href="/stamped/`) {
		t.Error("the unit's page lacks its stale stamped copy and link")
	}
}

// /stamped/:id downloads the archived stamped copy: the bytes received, application/pdf by what they
// are, attachment with an ASCII fallback and the name as sent (RFC 5987); a checklist or a junk id is 404.
func TestStampedDownload(t *testing.T) {
	s := newArchiveServer(t)
	id := count(t, sampleDB, `SELECT submission_id FROM files WHERE file_name = '大连市-盖章版.pdf'`)
	want, err := os.ReadFile("../sample-data/大连市-盖章版.pdf")
	if err != nil {
		t.Fatal(err)
	}
	code, body, h := get(t, s, "/stamped/"+strconv.Itoa(id))
	if code != 200 || body != string(want) {
		t.Fatalf("/stamped/%d: %d, %d bytes; want 200 and the %d bytes sent", id, code, len(body), len(want))
	}
	if h["Content-Type"] != "application/pdf" {
		t.Errorf("Content-Type %q", h["Content-Type"])
	}
	cd := h["Content-Disposition"]
	wantCD := fmt.Sprintf(`attachment; filename="stamped-%d.pdf"; filename*=UTF-8''%s`, id, "%E5%A4%A7%E8%BF%9E%E5%B8%82-%E7%9B%96%E7%AB%A0%E7%89%88.pdf")
	if cd != wantCD {
		t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
	}
	checklist := count(t, sampleDB, `SELECT submission_id FROM files WHERE file_name = '大连市一市一策.xlsx'`)
	rejected := count(t, sampleDB, `SELECT submission_id FROM files WHERE file_name = '盖章扫描件.pdf'`)
	for _, p := range []string{"/stamped/" + strconv.Itoa(checklist), "/stamped/" + strconv.Itoa(rejected), "/stamped/abc", "/stamped/0", "/stamped/99999"} {
		if code, _, _ := get(t, s, p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
}

// A submitted name is made safe for the header, and the header value is encoded as RFC 5987 asks
// (attr-chars only; ':' '@' '=' and spaces encoded).
func TestDownloadName(t *testing.T) {
	for _, c := range []struct{ in, safe, enc string }{
		{"大连市", "大连市", "%E5%A4%A7%E8%BF%9E%E5%B8%82"},
		{"a\"b\r\nc/d", "a_bc_d", "a_bc_d"},
		{"  ", "盖章扫描件", "%E7%9B%96%E7%AB%A0%E6%89%AB%E6%8F%8F%E4%BB%B6"},
		{"..", "盖章扫描件", "%E7%9B%96%E7%AB%A0%E6%89%AB%E6%8F%8F%E4%BB%B6"},
		{"a@b=c d(1)", "a@b=c d(1)", "a%40b%3Dc%20d%281%29"},
	} {
		if got := safeFileName(c.in, "盖章扫描件"); got != c.safe {
			t.Errorf("safeFileName(%q) = %q, want %q", c.in, got, c.safe)
		}
		if got := rfc5987(safeFileName(c.in, "盖章扫描件")); got != c.enc {
			t.Errorf("rfc5987(%q) = %q, want %q", c.safe, got, c.enc)
		}
	}
}
