package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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

// /submissions/:id/original downloads the file as received, from the archive: the bytes sent, the
// xlsx content type, attachment under an ASCII fallback and the name as sent (RFC 5987); the page
// links it. A junk or unknown id is 404.
func TestOriginalDownload(t *testing.T) {
	s := newArchiveServer(t)
	id := count(t, sampleDB, `SELECT submission_id FROM files WHERE file_name = '大连市一市一策.xlsx'`)
	want, err := os.ReadFile("../sample-data/大连市一市一策.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	path := "/submissions/" + strconv.Itoa(id) + "/original"
	code, body, h := get(t, s, path)
	if code != 200 || body != string(want) {
		t.Fatalf("%s: %d, %d bytes; want 200 and the %d bytes sent", path, code, len(body), len(want))
	}
	if ct := h["Content-Type"]; ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	// 大连市一市一策 percent-encoded by hand from its UTF-8 bytes
	wantCD := fmt.Sprintf(`attachment; filename="file-%d.xlsx"; filename*=UTF-8''%s`, id, "%E5%A4%A7%E8%BF%9E%E5%B8%82%E4%B8%80%E5%B8%82%E4%B8%80%E7%AD%96.xlsx")
	if cd := h["Content-Disposition"]; cd != wantCD {
		t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
	}
	if h["X-Content-Type-Options"] != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", h["X-Content-Type-Options"])
	}
	_, page, _ := get(t, s, "/submissions/"+strconv.Itoa(id))
	if !strings.Contains(page, `href="`+path+`" download>下载收到的原件`) {
		t.Errorf("/submissions/%d does not link its original", id)
	}
	for _, p := range []string{"/submissions/abc/original", "/submissions/0/original", "/submissions/99999/original"} {
		if code, _, _ := get(t, s, p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
}

// A file refused for its size is archived as its first 64 KB only (<sha256>.prefix): that is never
// served as the original, even though the bytes are on disk, and its page says why. An archive path
// leading out of the archive is not followed.
func TestOriginalPrefixNotServed(t *testing.T) {
	s, db := newFixtureServer(t)
	dir := t.TempDir()
	s.cfg.DataDir = dir
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("archive/s3/sha3.xlsx", "the whole file")
	write("archive/s5/sha5.prefix", "only the start")
	write("secret.txt", "outside the archive")
	for id, rel := range map[int]string{3: "archive/s3/sha3.xlsx", 5: "archive/s5/sha5.prefix", 7: "archive/../secret.txt"} {
		if _, err := db.ExecContext(context.Background(), `UPDATE files SET archive_path = ? WHERE submission_id = ?`, rel, id); err != nil {
			t.Fatal(err)
		}
	}
	if code, body, _ := get(t, s, "/submissions/3/original"); code != 200 || body != "the whole file" {
		t.Errorf("a whole archived file: %d %q", code, body)
	}
	code, body, _ := get(t, s, "/submissions/5/original")
	if code != 404 || strings.Contains(body, "only the start") || !strings.Contains(body, "64 KB") {
		t.Errorf("a .prefix archive: %d %q; want 404 saying only 64 KB is kept", code, body)
	}
	_, page, _ := get(t, s, "/submissions/5")
	if strings.Contains(page, "/submissions/5/original") || !strings.Contains(page, "只保留了开头 64 KB") {
		t.Error("the page of a file archived as a prefix offers it as the original or does not say why not")
	}
	if code, body, _ := get(t, s, "/submissions/7/original"); code != 404 || strings.Contains(body, "outside") {
		t.Errorf("an archive path out of the archive: %d %q", code, body)
	}
}

// /delivery renders once a progress round exists: its delivery section is the overview's, charts
// included (it answered 500, "can't evaluate field Charts", when given the bare figures).
func TestDeliveryPageWithRound(t *testing.T) {
	s, db := newFixtureServer(t)
	if _, err := db.ExecContext(context.Background(), `INSERT INTO rounds VALUES
		(2, '2022年上半年进展', '进展', DATE '2022-06-30', DATE '2022-07-15', TIMESTAMP '2022-06-01 00:00:00')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, html, _ := get(t, s, "/delivery")
	if code != 200 {
		t.Fatalf("/delivery with a progress round: %d %s", code, html)
	}
	for _, want := range []string{"落实进展（第2轮：2022年上半年进展", `data-chart="delivery"`, `id="red-measures"`} {
		if !strings.Contains(html, want) {
			t.Errorf("/delivery lacks %s", want)
		}
	}
	// A measure's page links its source cell with the sheet encoded once: the fixture's 大连市 sheet is
	// 清单 (UTF-8 e6 b8 85 e5 8d 95); it was encoded twice (%25E6…), and /source answered 404.
	var key string
	if err := db.QueryRowContext(context.Background(), `SELECT measure_key FROM measure_status WHERE submitter = '大连市' AND measure = '开展职业技能培训'`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	_, page, _ := get(t, s, "/measures/"+key)
	const src = `href="/source?sid=2&amp;sheet=%e6%b8%85%e5%8d%95&amp;row=6"`
	if !strings.Contains(page, src) {
		t.Errorf("/measures/%s does not link %s", key, src)
	}
	if code, _, _ := get(t, s, "/source?sid=2&sheet=%e6%b8%85%e5%8d%95&row=6"); code != 200 {
		t.Errorf("the source cell it links: %d", code)
	}
}

// A stamped copy's page opens it; a unit's checklist page (any version) links the unit's stamped copy
// and flags it when it is older than the current checklist; the returns page's per-unit table exports.
func TestStampedLinkedFromSubmissions(t *testing.T) {
	s := newArchiveServer(t)
	pdf := count(t, sampleDB, `SELECT submission_id FROM files WHERE file_name = '大连市-盖章版.pdf'`)
	_, page, _ := get(t, s, "/submissions/"+strconv.Itoa(pdf))
	if want := fmt.Sprintf(`id="stamped-copy" href="/stamped/%d"`, pdf); !strings.Contains(page, want) {
		t.Errorf("the stamped copy's page lacks %s", want)
	}
	for _, tc := range []struct {
		sql   string
		pdf   string
		stale bool
	}{
		{`SELECT submission_id FROM files WHERE file_name = '大连市一市一策（修改稿）.xlsx'`, "大连市-盖章版.pdf", false},
		{`SELECT submission_id FROM files WHERE file_name = '大连市一市一策.xlsx'`, "大连市-盖章版.pdf", false}, // superseded version
		{`SELECT submission_id FROM submissions WHERE submitter = '辽宁机电职业技术学院' AND status = 'current'`, "", true},
	} {
		id := count(t, sampleDB, tc.sql)
		_, page, _ := get(t, s, "/submissions/"+strconv.Itoa(id))
		i := strings.Index(page, `id="unit-stamped"`)
		if i < 0 {
			t.Errorf("checklist %d's page does not link its unit's stamped copy", id)
			continue
		}
		cell := page[i : i+strings.Index(page[i:], "</td>")]
		if !strings.Contains(cell, `href="/stamped/`) || !strings.Contains(cell, tc.pdf) || strings.Contains(cell, "已过期") != tc.stale {
			t.Errorf("checklist %d: stamped cell %q (want %s, stale %v)", id, cell, tc.pdf, tc.stale)
		}
	}
	if _, html, _ := get(t, s, "/returns"); !strings.Contains(html, `<table data-export="stamped_copies">`) {
		t.Error("the returns page's checklist and stamped-copy table offers no export")
	}
}
