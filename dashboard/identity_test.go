package dashboard

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/access"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

const testHost = "lnvedash.test"

// idEnv is a server over the fixture (loadFixture) that needs a session to view, with the log kept.
type idEnv struct {
	s   *Server
	db  *queries.DB
	log *bytes.Buffer
}

func newIDServer(t *testing.T, viewersNeedLink bool) *idEnv {
	t.Helper()
	db := querytest.Open(t, "")
	loadFixture(t, db)
	var buf bytes.Buffer
	now := time.Date(2021, 10, 8, 12, 0, 0, 0, time.UTC)
	s, err := New(Config{DB: db, DataDir: t.TempDir(), AdminToken: "admin-secret", ViewersNeedLink: viewersNeedLink,
		Logger: slog.New(slog.NewTextHandler(&buf, nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return &idEnv{s: s, db: db, log: &buf}
}

// who is one browser: its session cookie and the session's CSRF token ("" = anonymous).
type who struct {
	name, cookie, csrf string
}

// login issues a link for role/subject and opens it, as a browser would.
func (e *idEnv) login(t *testing.T, role access.Role, subject string) who {
	t.Helper()
	code, _, err := e.s.id.links.Issue(context.Background(), role, subject, 24*time.Hour, access.Actor{Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	return e.open(t, string(role)+":"+subject, code)
}

func (e *idEnv) open(t *testing.T, name, code string) who {
	t.Helper()
	resp := e.do(t, who{}, "GET", access.LinkPath+code, nil, "")
	if resp.StatusCode != 200 {
		t.Fatalf("open link: status %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == access.CookieName {
			sess := e.s.id.sessions.Get(c.Value)
			return who{name: name, cookie: c.Value, csrf: sess.CSRF}
		}
	}
	t.Fatal("no session cookie")
	return who{}
}

// do sends a request from w, with this host as Origin on a POST (as a browser on this site does).
func (e *idEnv) do(t *testing.T, w who, method, target string, body io.Reader, ctype string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.Host = testHost
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(ctype, "multipart/") && w.csrf != "" {
		req.Header.Set("X-CSRF-Token", w.csrf) // as static/upload.js sends it
	}
	if method == "POST" {
		req.Header.Set("Origin", "http://"+testHost)
	}
	if w.cookie != "" {
		req.AddCookie(&http.Cookie{Name: access.CookieName, Value: w.cookie})
	}
	resp, err := e.s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (e *idEnv) body(t *testing.T, w who, method, target string, form url.Values) (int, string) {
	t.Helper()
	var r io.Reader
	ctype := ""
	if form != nil {
		if w.csrf != "" && !form.Has("_csrf") {
			form.Set("_csrf", w.csrf)
		}
		r, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	resp := e.do(t, w, method, target, r, ctype)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The role × route matrix: every route the server registers, with every role. "ok" means the route
// answered for that role (not 401/403/429); a unit link must never read or write another unit's data.
func TestRoleRouteMatrix(t *testing.T) {
	e := newIDServer(t, true)
	ws := map[string]who{
		"anon":     {name: "anon"},
		"unitDL":   e.login(t, access.Unit, "大连市"),
		"unitSY":   e.login(t, access.Unit, "沈阳职业技术学院"),
		"reviewer": e.login(t, access.Reviewer, "王专家"),
		"viewer":   e.login(t, access.Viewer, ""),
		"analyst":  e.login(t, access.Analyst, ""),
	}
	// the admin logs in with the token
	{
		form := url.Values{"token": {"admin-secret"}}
		resp := e.do(t, who{}, "POST", "/admin/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if resp.StatusCode != fiberSeeOther {
			t.Fatalf("admin login: %d", resp.StatusCode)
		}
		for _, c := range resp.Cookies() {
			if c.Name == access.CookieName {
				ws["admin"] = who{name: "admin", cookie: c.Value, csrf: e.s.id.sessions.Get(c.Value).CSRF}
			}
		}
	}
	leaders := []string{"reviewer", "viewer", "analyst", "admin"}
	units := []string{"unitDL", "unitSY"}
	type route struct {
		method, pattern, path string // pattern as registered in routes.go; path a concrete request
		form                  url.Values
		ok                    []string // roles that pass; everyone else gets 401 (anonymous) or 403
		heavy                 bool     // renders charts on the server: of the allowed roles only the viewer asks
	}
	routes := []route{
		{"GET", "/", "/", nil, leaders, false},
		{"GET", "/tasks", "/tasks", nil, leaders, false},
		{"GET", "/tasks/:no", "/tasks/3", nil, leaders, false},
		{"GET", "/cities", "/cities", nil, leaders, false},
		{"GET", "/cities/:name", "/cities/大连市", nil, leaders, false},
		{"GET", "/colleges", "/colleges", nil, leaders, false},
		{"GET", "/colleges/:name", "/colleges/沈阳职业技术学院", nil, leaders, false},
		{"GET", "/departments", "/departments", nil, leaders, false},
		{"GET", "/departments/:name", "/departments/省教育厅", nil, leaders, false},
		{"GET", "/returns", "/returns", nil, leaders, false},
		{"GET", "/returns/diff", "/returns/diff?submitter=大连市", nil, leaders, false},
		{"GET", "/submissions/:id", "/submissions/3", nil, leaders, false},
		{"GET", "/submissions/:id/original", "/submissions/3/original", nil, leaders, false},
		{"GET", "/stamped/:id", "/stamped/3", nil, leaders, false},
		{"GET", "/source", "/source?sid=3&sheet=Sheet1&row=4", nil, leaders, false},
		{"GET", "/search", "/search?q=思政", nil, leaders, false},
		{"GET", "/overdue", "/overdue", nil, leaders, false},
		{"GET", "/delivery", "/delivery", nil, leaders, false},
		{"GET", "/measures/:key", "/measures/M000000000000", nil, leaders, false},
		{"GET", "/rounds", "/rounds", nil, leaders, false},
		{"GET", "/upload", "/upload", nil, leaders, false},
		{"POST", "/rounds", "/rounds", url.Values{}, nil, false},         // the admin token, not a session
		{"POST", "/upload", "/upload", url.Values{}, nil, false},         // the admin token, not a session
		{"POST", "/api/ingest", "/api/ingest", url.Values{}, nil, false}, // likewise
		{"GET", "/sql", "/sql", nil, leaders, false},
		{"GET", "/api/sql/schema", "/api/sql/schema", nil, leaders, false},
		{"POST", "/api/sql", "/api/sql", url.Values{"sql": {"SELECT 1"}}, leaders, false},
		{"GET", "/export/pack.xlsx", "/export/pack.xlsx", nil, leaders, true},
		{"GET", "/export/table/:name", "/export/table/submissions.csv", nil, leaders, false},
		{"GET", "/export/chart/:name", "/export/chart/coverage_by_city.csv", nil, leaders, false},
		{"GET", "/report", "/report", nil, leaders, true},
		{"GET", "/stamped/:id", "/stamped/999", nil, leaders, false},
		{"GET", "/export/corrections.xlsx", "/export/corrections.xlsx", nil, leaders, false},
		{"GET", "/a/:code", "/a/x", nil, nil, false}, // a wrong code: 403 for everyone
		{"GET", "/admin/login", "/admin/login", nil, []string{"anon", "unitDL", "unitSY", "viewer", "analyst", "reviewer", "admin"}, false},
		{"POST", "/admin/login", "/admin/login", url.Values{"token": {"wrong"}}, nil, false},
		{"GET", "/my", "/my", nil, units, false},
		{"POST", "/my/upload", "/my/upload", url.Values{}, units, false}, // no file: 400 for units, refused for the rest
		{"GET", "/my/corrections.xlsx", "/my/corrections.xlsx", nil, units, false},
		{"GET", "/review", "/review", nil, []string{"reviewer"}, false},
		{"GET", "/review/:id", "/review/3", nil, []string{"reviewer"}, false},
		{"POST", "/review/:id/comment", "/review/3/comment", url.Values{"sheet": {"Sheet1"}, "row": {"4"}, "comment": {"矩阵测试"}}, []string{"reviewer"}, false},
		{"POST", "/review/:id/decision", "/review/2/decision", url.Values{"decision": {"通过"}}, []string{"reviewer"}, false},
		{"GET", "/admin/access", "/admin/access", nil, []string{"admin"}, false},
		{"POST", "/admin/access/issue", "/admin/access/issue", url.Values{"role": {"viewer"}}, []string{"admin"}, false},
		{"POST", "/admin/access/revoke", "/admin/access/revoke", url.Values{"id": {"999"}}, []string{"admin"}, false},
		// last: it ends every session
		{"POST", "/logout", "/logout", url.Values{}, []string{"anon", "unitDL", "unitSY", "viewer", "analyst", "reviewer", "admin"}, false},
	}
	// every route the server registers is in the matrix
	inMatrix := map[string]bool{}
	for _, rt := range routes {
		inMatrix[rt.method+" "+rt.pattern] = true
	}
	for _, r := range e.s.App().GetRoutes(true) {
		if (r.Method == "GET" || r.Method == "POST") && r.Path != "/healthz" && !strings.HasPrefix(r.Path, "/static") && !inMatrix[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in the role × route matrix", r.Method, r.Path)
		}
	}
	order := []string{"anon", "unitDL", "unitSY", "viewer", "analyst", "reviewer", "admin"}
	for _, rt := range routes {
		for _, name := range order {
			if rt.heavy && name != "viewer" && slices.Contains(rt.ok, name) {
				continue
			}
			w := ws[name]
			var form url.Values
			if rt.form != nil {
				form = url.Values{}
				for k, v := range rt.form {
					form[k] = append([]string(nil), v...)
				}
			}
			code, body := e.body(t, w, rt.method, rt.path, form)
			allowed := false
			for _, a := range rt.ok {
				allowed = allowed || a == name
			}
			denied := code == 401 || code == 403 || code == 429 // 429: wrong codes and tokens, limited per client
			if rt.pattern == "/my/upload" && allowed && code != 400 {
				t.Errorf("POST /my/upload without a file as %s: %d, want 400", name, code)
			}
			if allowed && denied {
				t.Errorf("%s %s as %s: %d, want it allowed", rt.method, rt.path, name, code)
			}
			if !allowed && !denied {
				t.Errorf("%s %s as %s: %d, want 401/403", rt.method, rt.path, name, code)
			}
			// nothing of another unit in what a unit is shown
			if name == "unitDL" && (strings.Contains(body, "沈阳职业技术学院.xlsx") || strings.Contains(body, "推进课程思政")) {
				t.Errorf("%s %s as 大连市 shows 沈阳职业技术学院's data", rt.method, rt.path)
			}
			if name == "unitSY" && strings.Contains(body, "大连市任务落实举措清单") {
				t.Errorf("%s %s as 沈阳职业技术学院 shows 大连市's data", rt.method, rt.path)
			}
		}
	}
	// the writes that were refused left nothing behind: one comment and one decision, both the reviewer's
	if n := count(t, e.db, "SELECT count(*) FROM review_comments WHERE reviewer = '王专家'"); n != 1 {
		t.Errorf("%d comments, want the reviewer's 1", n)
	}
	if n := count(t, e.db, "SELECT count(*) FROM reviews"); n != 1 {
		t.Errorf("%d decisions, want the reviewer's 1", n)
	}
}

const fiberSeeOther = 303

// Each unit's page and correction list hold its own files only; a city's page lists its colleges'
// status, not their content.
func TestMyPageOwnDataOnly(t *testing.T) {
	e := newIDServer(t, false)
	dl := e.login(t, access.Unit, "大连市")
	code, body := e.body(t, dl, "GET", "/my", nil)
	if code != 200 {
		t.Fatalf("/my: %d", code)
	}
	// both versions, which one counts, the finding with its cell, the round's deadline, its colleges
	for _, want := range []string{"大连市任务落实举措清单（修改）.xlsx", "大连市任务落实举措清单.xlsx", "计入统计", "清单 第7行", "2021年9月20日", "本市院校的报送情况"} {
		if !strings.Contains(body, want) {
			t.Errorf("/my of 大连市 lacks %q", want)
		}
	}
	// 沈阳职业技术学院 is in 沈阳市, not 大连市: the city page of 大连市 does not list it
	if strings.Contains(body, "沈阳职业技术学院") || strings.Contains(body, "鞍山市.xlsx") {
		t.Error("/my of 大连市 shows another unit")
	}
	// the hostile measure text of the fixture is escaped
	if strings.Contains(body, xssScript) {
		t.Error("unescaped script on /my")
	}
	resp := e.do(t, dl, "GET", "/my/corrections.xlsx", nil, "")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("corrections.xlsx: %v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "大连市" || sheets[1] != "被拒收的文件" {
		t.Errorf("sheets %v, want [大连市 被拒收的文件]", sheets)
	}
	rej, _ := f.GetRows("被拒收的文件")
	// the letter's three lines, a blank row and the header on row 5, then no file: bad.xls (no
	// submitter) and 鞍山市.xlsx are not 大连市's
	if len(rej) != 5 || rej[4][1] != "文件名" || !strings.Contains(rej[2][0], "共 0 个文件") {
		t.Errorf("rejected sheet of 大连市 has %d rows: %v", len(rej), rej)
	}
}

// The link opens a session with a cookie that is HttpOnly and SameSite=Strict; the code never
// reaches the log; wrong codes are limited per client, after which even a right one waits.
func TestLinkOpenCookieLogAndLimit(t *testing.T) {
	e := newIDServer(t, true)
	code, _, err := e.s.id.links.Issue(context.Background(), access.Reviewer, "王专家", time.Hour, access.Actor{Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	resp := e.do(t, who{}, "GET", access.LinkPath+code, nil, "")
	raw := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != 200 || !strings.Contains(raw, "HttpOnly") || !strings.Contains(strings.ToLower(raw), "samesite=strict") {
		t.Errorf("open link: %d, Set-Cookie %q", resp.StatusCode, raw)
	}
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `http-equiv="refresh" content="0;url=/review"`) {
		t.Errorf("landing page does not move on to /review:\n%s", b)
	}
	bad := strings.Repeat("A", len(code))
	for i := 0; i < linkFailures; i++ {
		if r := e.do(t, who{}, "GET", access.LinkPath+bad, nil, ""); r.StatusCode != 403 {
			t.Fatalf("wrong code %d: %d, want 403", i, r.StatusCode)
		}
	}
	if r := e.do(t, who{}, "GET", access.LinkPath+code, nil, ""); r.StatusCode != 429 || r.Header.Get("Retry-After") == "" {
		t.Errorf("after %d wrong codes a right one: %d, want 429 with Retry-After", linkFailures, r.StatusCode)
	}
	if strings.Contains(e.log.String(), code) || strings.Contains(e.log.String(), bad) {
		t.Errorf("the log holds a code:\n%s", e.log.String())
	}
	if !strings.Contains(e.log.String(), "/a/(code hidden)") {
		t.Errorf("link requests not logged at all:\n%s", e.log.String())
	}
}

// A revoked link's session ends at its next request.
func TestRevokeEndsSession(t *testing.T) {
	e := newIDServer(t, true)
	w := e.login(t, access.Viewer, "")
	if code, _ := e.body(t, w, "GET", "/tasks", nil); code != 200 {
		t.Fatalf("viewer: %d", code)
	}
	sess := e.s.id.sessions.Get(w.cookie)
	if err := e.s.id.links.Revoke(context.Background(), sess.LinkID, access.Actor{Role: "cli"}); err != nil {
		t.Fatal(err)
	}
	if code, _ := e.body(t, w, "GET", "/tasks", nil); code != 401 {
		t.Errorf("after revoke: %d, want 401", code)
	}
}

// Every state-changing route of a session checks the origin and the session's token.
func TestCSRF(t *testing.T) {
	e := newIDServer(t, false)
	r := e.login(t, access.Reviewer, "王专家")
	form := func(tok string) io.Reader {
		return strings.NewReader(url.Values{"decision": {"通过"}, "_csrf": {tok}}.Encode())
	}
	ctype := "application/x-www-form-urlencoded"
	send := func(origin, tok string) int {
		req := httptest.NewRequest("POST", "/review/2/decision", form(tok))
		req.Host = testHost
		req.Header.Set("Content-Type", ctype)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.AddCookie(&http.Cookie{Name: access.CookieName, Value: r.cookie})
		resp, err := e.s.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	tests := []struct {
		name, origin, tok string
		want              int
	}{
		{"no origin", "", r.csrf, 403},
		{"other site", "http://evil.example", r.csrf, 403},
		{"no token", "http://" + testHost, "", 403},
		{"wrong token", "http://" + testHost, r.csrf + "x", 403},
		{"right", "http://" + testHost, r.csrf, 303},
	}
	for _, tc := range tests {
		if got := send(tc.origin, tc.tok); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if n := count(t, e.db, "SELECT count(*) FROM reviews"); n != 1 {
		t.Errorf("%d decisions, want only the one with origin and token", n)
	}
}

// The whole loop on the fixture: comment (hostile text) → 退回修改 → the unit sees both, escaped, and in
// its correction list as text → the review figures on the overview change.
func TestReviewLoop(t *testing.T) {
	e := newIDServer(t, false)
	rv := e.login(t, access.Reviewer, "王专家")
	dl := e.login(t, access.Unit, "大连市")
	hostile := `<img src=x onerror=alert(1)>=HYPERLINK("http://evil","x")`
	_, before := e.body(t, who{}, "GET", "/", nil)
	if !strings.Contains(before, `data-review="returned">0/2<`) || !strings.Contains(before, `data-review="pending">2/2<`) {
		t.Fatalf("overview before review lacks 待审核 2/2, 退回修改 0/2")
	}
	if code, body := e.body(t, rv, "POST", "/review/2/comment", url.Values{"sheet": {"清单"}, "row": {"6"}, "comment": {hostile}}); code != 303 {
		t.Fatalf("comment: %d %s", code, body)
	}
	if code, body := e.body(t, rv, "POST", "/review/2/decision", url.Values{"decision": {"退回修改"}}); code != 400 || !strings.Contains(body, "退回修改须写明理由") {
		t.Errorf("return without reasons: %d", code)
	}
	if code, _ := e.body(t, rv, "POST", "/review/2/decision", url.Values{"decision": {"退回修改"}, "reasons": {"目标未量化" + xssScript}}); code != 303 {
		t.Fatalf("decision: %d", code)
	}
	_, plan := e.body(t, rv, "GET", "/review/2", nil)
	_, my := e.body(t, dl, "GET", "/my", nil)
	for name, page := range map[string]string{"/review/2": plan, "/my": my} {
		if strings.Contains(page, "<img src=x") || strings.Contains(page, xssScript) {
			t.Errorf("%s: comment or reasons unescaped", name)
		}
		if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s: the comment is not shown", name)
		}
	}
	if !strings.Contains(my, `data-state="退回修改"`) || !strings.Contains(my, "目标未量化") {
		t.Error("/my does not show the decision and its reasons")
	}
	resp := e.do(t, dl, "GET", "/my/corrections.xlsx", nil, "")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("专家审核意见")
	if len(rows) != 3 { // header, the decision, the comment
		t.Fatalf("专家审核意见 rows: %v", rows)
	}
	if rows[2][3] != "6" || rows[2][4] != "开展职业技能培训" || rows[2][7] != hostile {
		t.Errorf("comment row %v", rows[2])
	}
	if fm, _ := f.GetCellFormula("专家审核意见", "H3"); fm != "" {
		t.Errorf("comment became a formula: %q", fm)
	}
	_, after := e.body(t, who{}, "GET", "/", nil)
	if !strings.Contains(after, `data-review="returned">1/2<`) || !strings.Contains(after, `data-review="pending">1/2<`) {
		t.Error("overview figures did not change after 退回修改")
	}
	// audited: the comment and the decision, by the reviewer, on version 2
	if n := count(t, e.db, "SELECT count(*) FROM audit_log WHERE actor = '王专家' AND submission_id = 2 AND action IN ('comment', 'decision')"); n != 2 {
		t.Errorf("audit rows %d, want 2", n)
	}
}

// A unit's upload is credited to it; a file naming another unit is refused with that reason and kept
// under the uploader as rejected, never under the other unit's name.
func TestMyUploadCreditsOwnUnit(t *testing.T) {
	e := newIDServer(t, false)
	dd := e.login(t, access.Unit, "丹东市")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", dd.csrf)
	for _, name := range []string{"丹东市一市一策.xlsx", "盘锦市一市一策.xlsx"} {
		fw, _ := mw.CreateFormFile("files", name)
		b, err := os.ReadFile(filepath.Join("..", "sample-data", name))
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(b)
	}
	mw.Close()
	resp := e.do(t, dd, "POST", "/my/upload", &buf, mw.FormDataContentType())
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	page := string(body)
	if !strings.Contains(page, "不是本单位的文件") || !strings.Contains(page, "不是本单位“丹东市”") || !strings.Contains(page, "现行") {
		t.Errorf("verdicts not shown at once:\n%s", page)
	}
	if n := count(t, e.db, "SELECT count(*) FROM files WHERE submitter = '盘锦市'"); n != 0 {
		t.Errorf("%d files archived under 盘锦市", n)
	}
	if n := count(t, e.db, "SELECT count(*) FROM submissions WHERE submitter = '丹东市' AND status = 'current' AND file_name = '丹东市一市一策.xlsx'"); n != 1 {
		t.Error("丹东市's own file is not its current version")
	}
	if n := count(t, e.db, "SELECT count(*) FROM submissions WHERE submitter = '丹东市' AND reason_code = 'wrong_unit' AND file_name = '盘锦市一市一策.xlsx'"); n != 1 {
		t.Error("the refused file is not kept under the uploader as wrong_unit")
	}
	if n := count(t, e.db, "SELECT count(*) FROM audit_log WHERE actor = '丹东市' AND action = 'upload_refused'"); n != 1 {
		t.Errorf("refusal audited %d times", n)
	}
	if n := count(t, e.db, "SELECT count(*) FROM audit_log WHERE actor = '丹东市' AND action = 'upload'"); n != 1 {
		t.Errorf("upload audited %d times", n)
	}
}

// The admin page issues a link shown once and lists it without its code.
func TestAdminAccessPage(t *testing.T) {
	e := newIDServer(t, true)
	if code, _ := e.body(t, who{}, "POST", "/admin/login", url.Values{"token": {"wrong"}}); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	resp := e.do(t, who{}, "POST", "/admin/login", strings.NewReader("token=admin-secret"), "application/x-www-form-urlencoded")
	var adm who
	for _, c := range resp.Cookies() {
		if c.Name == access.CookieName {
			adm = who{cookie: c.Value, csrf: e.s.id.sessions.Get(c.Value).CSRF}
		}
	}
	code, body := e.body(t, adm, "POST", "/admin/access/issue", url.Values{"role": {"unit"}, "subject": {"大连"}, "days": {"30"}})
	if code != 200 {
		t.Fatalf("issue: %d", code)
	}
	i := strings.Index(body, "http://"+testHost+access.LinkPath)
	if i < 0 {
		t.Fatalf("no link on the page:\n%s", body)
	}
	link := body[i : i+len("http://"+testHost+access.LinkPath)+43]
	if !strings.Contains(body, "报送单位（大连市）") {
		t.Error("the alias was not resolved to 大连市")
	}
	_, list := e.body(t, adm, "GET", "/admin/access", nil)
	if strings.Contains(list, link[len(link)-43:]) {
		t.Error("the list shows the code again")
	}
	w := e.open(t, "dl", link[len(link)-43:])
	if code, _ := e.body(t, w, "GET", "/my", nil); code != 200 {
		t.Errorf("the issued link does not open /my: %d", code)
	}
	if code, _ := e.body(t, adm, "POST", "/admin/access/issue", url.Values{"role": {"unit"}, "subject": {"火星市"}}); code != 404 {
		t.Errorf("unknown unit: %d, want 404", code)
	}
}

// A version newer than the one returned is 已修改待复核 and its review page shows what changed since
// the reviewed version (the same diff as /returns/diff); the old version's page points to the new one.
func TestReviewDiffSinceReviewed(t *testing.T) {
	e := newIDServer(t, false)
	rv := e.login(t, access.Reviewer, "王专家")
	if code, _ := e.body(t, rv, "POST", "/review/2/decision", url.Values{"decision": {"退回修改"}, "reasons": {"目标不清"}}); code != 303 {
		t.Fatalf("decision: %d", code)
	}
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO files (submission_id, run_id, file_name, source_path, archive_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES (6, 2, '大连市清单（第三稿）.xlsx', NULL, NULL, 'sha6', 1200, '大连市', 'city', TIMESTAMP '2021-10-01 08:00:00', TIMESTAMP '2021-10-02 09:00:00', false, NULL, '清单', '大连市教育局', 'unit')`,
		// row 5 gets a new goal, row 6 stays, row 7 is gone
		`INSERT INTO measure_rows SELECT 6, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure,
		   CASE WHEN "row" = 5 THEN '建设30个示范课堂' ELSE goal END, owner, due, due_date, ongoing, item, cell FROM measure_rows WHERE submission_id = 2 AND "row" <> 7`,
	} {
		if _, err := e.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	e.s.DataChanged()
	code, page := e.body(t, rv, "GET", "/review/6", nil)
	if code != 200 {
		t.Fatalf("/review/6: %d\n%s", code, e.log.String())
	}
	for _, want := range []string{`data-state="已修改待复核"`, `id="review-diff"`, "编号2）以来的修改", "删除 <b>1</b> 条，修改 <b>1</b> 条，未变 1 条",
		"<del>建设20个示范课堂</del><br><ins>建设30个示范课堂</ins>", "&from=2&to=6\""} {
		if !strings.Contains(page, want) {
			t.Errorf("/review/6 lacks %q", want)
		}
	}
	if _, old := e.body(t, rv, "GET", "/review/2", nil); !strings.Contains(old, "这不是该单位的现行版本") || strings.Contains(old, `id="review-diff"`) {
		t.Error("/review/2 does not point to the current version")
	}
	if _, q := e.body(t, rv, "GET", "/review", nil); !strings.Contains(q, `data-unit="大连市"`) {
		t.Error("大连市 is not back in the queue")
	}
}
