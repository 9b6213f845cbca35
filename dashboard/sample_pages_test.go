package dashboard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

func newSampleServer(t *testing.T) *Server {
	t.Helper()
	// The real clock: files were ingested just now, and /returns ignores files received after its as-of time.
	s, err := New(Config{DB: sampleDB, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The key figures of each page against sample-data, each worked out independently: by hand from
// sample-data/MANIFEST.csv (12 of 14 cities returned; 铁岭市 and 朝阳市 did not) and by direct SQL
// counts over the analyst views.
func TestPagesSampleData(t *testing.T) {
	s := newSampleServer(t)
	db := sampleDB
	// From the generator's MANIFEST.csv and the seeds file's lines, not from the database the pages read.
	kinds := seedKinds(t)
	schools, files, rejected, yingkou := 0, 0, 0, 0
	for _, k := range kinds {
		if k == "school" {
			schools++
		}
	}
	returned := map[string]bool{}
	for _, e := range sampleManifest(t) {
		files++
		switch {
		case e.status == "rejected":
			rejected++
		case e.status == "current" && kinds[e.submitter] == "school":
			returned[e.submitter] = true
		}
		if e.status == "current" && e.submitter == "营口市" {
			yingkou += e.measures
		}
	}
	schoolsReturned := len(returned)
	// The task page's count has no independent source short of the workbooks; the measures view is
	// at least another path than the page's own query.
	task3 := count(t, db, `SELECT count(*) FROM measures WHERE task_no = 3`)
	if schoolsReturned < 30 {
		t.Fatalf("only %d colleges returned: did the sample ingest?", schoolsReturned)
	}
	escapedScript := `&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;`
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{`12<span class="den">/14</span>`, fmt.Sprintf(`%d<span class="den">/%d</span>`, schoolsReturned, schools),
			"铁岭市", "朝阳市", fmt.Sprintf("共收到文件 %d 个，其中 %d 个未能读取", files, rejected)}},
		{"/tasks", []string{`data-chart="matrix"`, "营口市"}},
		{"/tasks?m=school", []string{"沈阳职业技术学院"}},
		{"/tasks/3", []string{fmt.Sprintf("各单位举措（%d）", task3), "思想政治课示范课堂"}},
		{"/cities", []string{"铁岭市", "未报送"}},
		{"/cities/" + url.PathEscape("营口市"), []string{escapedScript, fmt.Sprintf("举措清单（%d 条）", yingkou)}},
		{"/cities/" + url.PathEscape("铁岭市"), []string{"尚未收到 铁岭市 的《任务落实举措清单》"}},
		{"/colleges", []string{fmt.Sprintf("共 %d 所院校，其中 <b class=\"bad\">%d</b> 所未报送", schools, schools-schoolsReturned)}},
		{"/colleges/" + url.PathEscape("辽宁政法职业学院"), []string{"未报送", "文件已加密"}},
		{"/departments", []string{"省教育厅"}},
		// Ingested just now, years after the notice's deadline: by ingest time every unit is late, and the
		// page offers the earliest evidence (the default basis, issue 20), by which they were on time.
		{"/returns?by=ingested", []string{`12<span class="den">/14</span>`, "铁岭市、朝阳市", "辽宁政法职业学院（所报文件无法读取，请重新报送）",
			`id="all-late"`, `href="?by=earliest"`}},
		{"/returns", []string{`12<span class="den">/14</span>`, "按最早的收到凭据（文件修改时间与入库时间取早者）判定是否按时"}},
		{"/returns/diff?submitter=" + url.QueryEscape("大连市"), []string{"新增 <b>", "删除 <b>", "修改 <b>"}},
		{"/search?q=xss", []string{escapedScript, "营口市"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			code, body, _ := get(t, s, tc.path)
			if code != 200 {
				t.Fatalf("status %d: %.400s", code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, bad := range []string{"<script>alert", "<img src=x"} {
				if strings.Contains(body, bad) {
					t.Errorf("hostile text unescaped: %q", bad)
				}
			}
		})
	}
}

type manifestEntry struct {
	file, submitter, status string
	measures                int
}

// sampleManifest reads sample-data/MANIFEST.csv (file,submitter,status,reason_code,note,measures).
func sampleManifest(t *testing.T) []manifestEntry {
	t.Helper()
	b, err := os.ReadFile("../sample-data/MANIFEST.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "file,submitter,status,reason_code,note,measures" {
		t.Fatalf("manifest header %q", recs[0])
	}
	var out []manifestEntry
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[5])
		if err != nil {
			t.Fatalf("%s: measures %q", rec[0], rec[5])
		}
		out = append(out, manifestEntry{rec[0], rec[1], rec[2], n})
	}
	return out
}

// seedKinds maps every rostered name to its kind by reading the lines of seeds/submitters.csv.
func seedKinds(t *testing.T) map[string]string { return seedColumn(t, 1) }

// seedCities maps every rostered name to its city the same way.
func seedCities(t *testing.T) map[string]string { return seedColumn(t, 2) }

func seedColumn(t *testing.T, col int) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../seeds/submitters.csv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(l), ",")
		if len(f) >= 3 && (f[1] == "city" || f[1] == "school") {
			out[f[0]] = f[col]
		}
	}
	return out
}

// A measure's provenance link leads to its file, sheet, row and the cells as written.
func TestSourceSampleData(t *testing.T) {
	s := newSampleServer(t)
	var sid, row int
	var sheet, measure, file string
	err := sampleDB.QueryRowContext(context.Background(),
		`SELECT submission_id, sheet, "row", measure, file_name FROM measures WHERE submitter = '营口市' AND measure LIKE '%xss%' LIMIT 1`).
		Scan(&sid, &sheet, &row, &measure, &file)
	if err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, s, fmt.Sprintf("/source?sid=%d&sheet=%s&row=%d", sid, url.QueryEscape(sheet), row))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, w := range []string{file, fmt.Sprintf("第 %d 行", row), "&lt;script&gt;"} {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q", w)
		}
	}
}

// Pages are cached per data version: the ETag holds until an ingest commits.
func TestPageCacheETag(t *testing.T) {
	s := newSampleServer(t)
	_, b1, h1 := get(t, s, "/tasks")
	_, b2, h2 := get(t, s, "/tasks")
	if h1["Etag"] == "" || h1["Etag"] != h2["Etag"] || b1 != b2 {
		t.Fatalf("etag %q vs %q", h1["Etag"], h2["Etag"])
	}
	req := httptest.NewRequest("GET", "/tasks", nil)
	req.Header.Set("If-None-Match", h1["Etag"])
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 304 {
		t.Errorf("If-None-Match: status %d, want 304", resp.StatusCode)
	}
	s.DataChanged()
	_, _, h3 := get(t, s, "/tasks")
	if h3["Etag"] == h1["Etag"] {
		t.Errorf("etag unchanged after DataChanged")
	}
}

// multipartBody is an upload of the files at paths. The token goes in the Authorization header
// (postAs); a token field in the form is sent as well, to show it is ignored.
func multipartBody(t *testing.T, token string, paths ...string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if token != "" {
		w.WriteField("token", token)
	}
	for _, p := range paths {
		fw, err := w.CreateFormFile("files", filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(b)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func post(t *testing.T, s *Server, path string, body io.Reader, ctype string) (int, string) {
	t.Helper()
	return postAs(t, s, path, body, ctype, "")
}

// postAs posts with the token in the Authorization header ("" = none).
func postAs(t *testing.T, s *Server, path string, body io.Reader, ctype, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func freshServer(t *testing.T, token string) (*Server, *queries.DB, *int) {
	t.Helper()
	db := querytest.Open(t, "")
	after := new(int)
	s, err := New(Config{DB: db, DataDir: t.TempDir(), AdminToken: token, Logger: discardLogger(),
		AfterIngest: func(context.Context) error { *after++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s, db, after
}

// Uploads need the admin token; a committed upload shows its verdicts, bumps the data version and
// runs AfterIngest; the new data is on the pages at once.
func TestUploadAndAPIIngest(t *testing.T) {
	s, db, after := freshServer(t, "secret")
	good := "../sample-data/营口市一市一策.xlsx"
	bad := "../sample-data/经费预算.xlsx"

	body, ct := multipartBody(t, "wrong", good)
	if code, _ := postAs(t, s, "/upload", body, ct, "wrong"); code != 401 {
		t.Errorf("wrong token: status %d", code)
	}
	// The right token in the form (or the query string) is not a token: only the header is.
	body, ct = multipartBody(t, "secret", good)
	if code, _ := post(t, s, "/upload?token=secret", body, ct); code != 401 {
		t.Errorf("token in form and query: status %d, want 401", code)
	}
	if n := count(t, db, `SELECT count(*) FROM files`); n != 0 {
		t.Fatalf("wrong token still ingested %d files", n)
	}
	_, before, _ := get(t, s, "/")
	body, ct = multipartBody(t, "", good, bad)
	code, html := postAs(t, s, "/upload", body, ct, "secret")
	if code != 200 {
		t.Fatalf("upload: status %d: %.500s", code, html)
	}
	for _, w := range []string{"营口市一市一策.xlsx", "现行版本", "经费预算.xlsx", "不是任务落实举措清单"} {
		if !strings.Contains(html, w) {
			t.Errorf("upload result lacks %q", w)
		}
	}
	if *after != 1 || s.version.Load() != 1 {
		t.Errorf("AfterIngest ran %d times, version %d", *after, s.version.Load())
	}
	_, now, _ := get(t, s, "/")
	if before == now || !strings.Contains(now, `1<span class="den">/14</span>`) {
		t.Errorf("overview not refreshed after upload")
	}

	// The JSON API: the same file again is recognised as a duplicate.
	body, ct = multipartBody(t, "", good)
	req := httptest.NewRequest("POST", "/api/ingest", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		RunID int
		Files []struct{ FileName, Status, Submitter string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
		t.Fatalf("api: status %d, %v", resp.StatusCode, err)
	}
	if len(res.Files) != 1 || res.Files[0].Status != "duplicate" || res.Files[0].Submitter != "营口市" {
		t.Errorf("api result %+v", res)
	}
	if n := count(t, db, `SELECT count(*) FROM files`); n != 2 {
		t.Errorf("files = %d, want 2", n)
	}
}

func TestUploadDisabledWithoutToken(t *testing.T) {
	s, _, _ := freshServer(t, "")
	body, ct := multipartBody(t, "x", "../sample-data/营口市一市一策.xlsx")
	if code, _ := post(t, s, "/upload", body, ct); code != 403 {
		t.Errorf("status %d, want 403", code)
	}
	if code, body, _ := get(t, s, "/upload"); code != 200 || !strings.Contains(body, "上传功能未启用") {
		t.Errorf("upload page: %d", code)
	}
}

// The inbox ingests a file once it is stable over two polls and moves it into 已处理; nothing is deleted.
func TestInbox(t *testing.T) {
	s, db, _ := freshServer(t, "")
	inbox := t.TempDir()
	os.MkdirAll(filepath.Join(inbox, inboxDone), 0o755)
	src, err := os.ReadFile("../sample-data/葫芦岛市一市一策.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(inbox, "葫芦岛市一市一策.xlsx")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	state := s.pollInbox(ctx, inbox, nil)
	if n := count(t, db, `SELECT count(*) FROM files`); n != 0 {
		t.Fatalf("ingested on first sight (%d files)", n)
	}
	state = s.pollInbox(ctx, inbox, state)
	if n := count(t, db, `SELECT count(*) FROM submissions WHERE submitter = '葫芦岛市' AND status = 'current'`); n != 1 {
		t.Fatalf("not ingested after two stable polls (%d)", n)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("file still in inbox: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(inbox, inboxDone, "葫芦岛市一市一策.xlsx")); err != nil || !bytes.Equal(b, src) {
		t.Errorf("file not moved intact into %s: %v", inboxDone, err)
	}
	if s.version.Load() != 1 {
		t.Errorf("version %d after inbox ingest", s.version.Load())
	}
	// The same name again: kept beside the first, never overwritten.
	os.WriteFile(name, src, 0o644)
	state = s.pollInbox(ctx, inbox, state)
	s.pollInbox(ctx, inbox, state)
	if _, err := os.Stat(filepath.Join(inbox, inboxDone, "葫芦岛市一市一策(2).xlsx")); err != nil {
		t.Errorf("second copy: %v", err)
	}
}

// A cached page goes out gzipped from the cache to clients that accept it (no compression per request),
// and decompresses to exactly the page a client without gzip gets.
func TestPageCacheServesGzip(t *testing.T) {
	s := newSampleServer(t)
	_, plain, _ := get(t, s, "/cities") // renders and caches
	fetch := func(enc string) (*http.Response, []byte) {
		req := httptest.NewRequest("GET", "/cities", nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := s.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := fetch("gzip, deflate, br")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("cache hit: Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	}
	// the very bytes compressed when the page was cached, not a fresh compression by the middleware
	s.cache.mu.Lock()
	entry := s.cache.entries["/cities?"]
	s.cache.mu.Unlock()
	if entry.gz == nil || !bytes.Equal(body, entry.gz) {
		t.Errorf("cache hit sent %d bytes, not the cached gzip (%d bytes)", len(body), len(entry.gz))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plain || !strings.Contains(plain, "沈阳市") {
		t.Errorf("gzipped page differs from the plain one (%d vs %d bytes)", len(unzipped), len(plain))
	}
	if resp, body := fetch(""); resp.Header.Get("Content-Encoding") != "" || string(body) != plain {
		t.Errorf("client without gzip: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}
}

// The all-late hint appears only when ingest time makes every returning unit late: not when judged
// by the files' own times, and not on the fixture, where 大连市 was ingested before the deadline.
func TestReturnsAllLateHint(t *testing.T) {
	sample := newSampleServer(t)
	fixture, _ := newFixtureServer(t)
	for _, tc := range []struct {
		name string
		s    *Server
		path string
	}{
		{"sample by modified time", sample, "/returns?by=modified"},
		{"fixture", fixture, "/returns"},
	} {
		code, body, _ := get(t, tc.s, tc.path)
		if code != 200 {
			t.Fatalf("%s: status %d", tc.name, code)
		}
		if strings.Contains(body, `id="all-late"`) {
			t.Errorf("%s: shows the all-late hint", tc.name)
		}
		if !strings.Contains(body, "按时报送") {
			t.Errorf("%s: no on-time figures", tc.name)
		}
	}
}
