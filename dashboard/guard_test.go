package dashboard

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

// guardServer is a server over an empty in-memory database with the given config on top.
func guardServer(t *testing.T, cfg Config) (*Server, *queries.DB) {
	t.Helper()
	db := querytest.Open(t, "")
	cfg.DB, cfg.Logger = db, discardLogger()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// do sends req through the app and returns the status, body and Retry-After.
func do(t *testing.T, s *Server, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Retry-After")
}

// State-changing and SQL requests must name an allowed Host (DNS rebinding) and, when a browser sends
// one, an allowed Origin or Referer (a foreign page's form); pages are not affected.
func TestOriginCheck(t *testing.T) {
	s, _ := guardServer(t, Config{AllowedHosts: []string{"dash.intranet:8080", "10.1.2.3"}, AdminToken: "secret"})
	tests := []struct {
		name, method, path, host, origin, referer string
		want                                      int
	}{
		{"sql, foreign host", "POST", "/api/sql", "attacker.example", "", "", 403},
		{"sql, foreign origin", "POST", "/api/sql", "dash.intranet:8080", "http://attacker.example", "", 403},
		{"sql, foreign referer", "POST", "/api/sql", "dash.intranet:8080", "", "http://attacker.example/x.html", 403},
		{"sql, origin of another port", "POST", "/api/sql", "dash.intranet:8080", "http://dash.intranet:9999", "", 403},
		{"sql, null origin", "POST", "/api/sql", "dash.intranet:8080", "null", "", 403},
		{"sql, own origin", "POST", "/api/sql", "dash.intranet:8080", "http://dash.intranet:8080", "", 503}, // passes: console off
		{"sql, no origin (a program)", "POST", "/api/sql", "dash.intranet:8080", "", "", 503},
		{"sql, bare host allows any port", "POST", "/api/sql", "10.1.2.3:8080", "http://10.1.2.3:8080", "", 503},
		{"sql schema GET, foreign host", "GET", "/api/sql/schema", "attacker.example", "", "", 403},
		{"upload, foreign origin", "POST", "/upload", "dash.intranet:8080", "http://attacker.example", "", 403},
		{"upload, own origin reaches the token check", "POST", "/upload", "dash.intranet:8080", "http://dash.intranet:8080", "", 401},
		{"page, foreign host", "GET", "/upload", "attacker.example", "", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(`{"sql":"SELECT 1"}`))
			req.Host = tt.host
			req.Header.Set("Content-Type", "application/json")
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.referer != "" {
				req.Header.Set("Referer", tt.referer)
			}
			if code, body, _ := do(t, s, req); code != tt.want {
				t.Errorf("status %d, want %d: %.200s", code, tt.want, body)
			}
		})
	}
}

// With no allow-list set, the listen address is the default; listening on every interface allows the
// loopback names and this machine's names on that port, and nothing on another port.
func TestDefaultAllowedHosts(t *testing.T) {
	if got := defaultAllowedHosts("127.0.0.1:8080"); !slices.Equal(got, []string{"127.0.0.1:8080"}) {
		t.Errorf("loopback listen: %v", got)
	}
	hs := newHostSet(defaultAllowedHosts("[::]:8080"))
	for h, want := range map[string]bool{"localhost:8080": true, "127.0.0.1:8080": true, "[::1]:8080": true,
		"localhost:9090": false, "attacker.example:8080": false, "attacker.example": false} {
		if hs.allows(h) != want {
			t.Errorf("allows(%s) = %v, want %v", h, !want, want)
		}
	}
	if hn, err := os.Hostname(); err == nil && !hs.allows(strings.ToLower(hn)+":8080") {
		t.Errorf("own host name %s not allowed", hn)
	}
}

// A path or query that is not UTF-8 (or not decodable) is a 400 with a Chinese message, not a 500.
func TestInvalidUTF8(t *testing.T) {
	s, _ := guardServer(t, Config{})
	for _, p := range []string{"/cities/%FF%FE", "/?city=%FF", "/search?q=%E4%B8", "/search?q=%zz", "/tasks/%C0%AF"} {
		code, body, _ := do(t, s, httptest.NewRequest("GET", p, nil))
		if code != 400 || !strings.Contains(body, "网址") {
			t.Errorf("%s: status %d: %.200s", p, code, body)
		}
	}
	if code, _, _ := do(t, s, httptest.NewRequest("GET", "/cities/%E6%B2%88%E9%98%B3%E5%B8%82", nil)); code == 400 {
		t.Errorf("a valid Chinese path: %d", code)
	}
}

// Pages are keyed on the parameters they read: a new junk parameter per request is the same page,
// rendered once, and the junk does not reach the rendered links.
func TestCacheKeyIgnoresUnknownParams(t *testing.T) {
	s, _ := newFixtureServer(t)
	_, a, ha := get(t, s, "/tasks?u=1&sort=coverage")
	_, b, hb := get(t, s, "/tasks?sort=coverage&u=2&u3=x")
	if ha["Etag"] == "" || ha["Etag"] != hb["Etag"] || a != b {
		t.Errorf("etags %q %q, bodies equal %v", ha["Etag"], hb["Etag"], a == b)
	}
	if strings.Contains(a, "u=1") {
		t.Errorf("junk parameter echoed in the page")
	}
	if n := len(s.cache.entries); n != 1 {
		t.Errorf("%d cache entries, want 1", n)
	}
	if got := canonicalQuery("u=1&city=%E5%A4%A7&city=x&sort=a"); got != "city=%E5%A4%A7&sort=a" {
		t.Errorf("canonicalQuery = %q", got)
	}
}

// Renders beyond the limiter's slots and queue are refused at once with 503 and Retry-After; a cached
// page and /healthz still answer.
func TestRenderLimit(t *testing.T) {
	s, _ := newFixtureServer(t)
	if code, _, _ := get(t, s, "/cities"); code != 200 { // cached before the limiter fills
		t.Fatalf("cities: %d", code)
	}
	s.renders = newLimiter(1, 0, 10*time.Millisecond)
	release, ok := s.renders.acquire()
	if !ok {
		t.Fatal("acquire")
	}
	code, body, retry := do(t, s, httptest.NewRequest("GET", "/tasks", nil))
	if code != 503 || retry == "" || !strings.Contains(body, "繁忙") {
		t.Errorf("render over the limit: %d, Retry-After %q", code, retry)
	}
	if code, _, _ := do(t, s, httptest.NewRequest("GET", "/report", nil)); code != 503 {
		t.Errorf("report over the limit: %d", code)
	}
	if code, _, _ := get(t, s, "/cities"); code != 200 {
		t.Errorf("cached page: %d", code)
	}
	if code, _, _ := get(t, s, "/healthz"); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	release()
	if code, _, _ := get(t, s, "/tasks"); code != 200 {
		t.Errorf("after release: %d", code)
	}
	if s.Refused() != 2 {
		t.Errorf("refused %d, want 2", s.Refused())
	}
}

// The limiter admits slots + queue at once and refuses the rest without waiting.
func TestLimiter(t *testing.T) {
	l := newLimiter(2, 3, time.Second)
	var held []func()
	for i := 0; i < 2; i++ {
		r, ok := l.acquire()
		if !ok {
			t.Fatal("slot refused")
		}
		held = append(held, r)
	}
	var wg sync.WaitGroup
	got := make(chan bool, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, ok := l.acquire()
			got <- ok
			if ok {
				r()
			}
		}()
	}
	for len(l.queue) < 3 { // the three are waiting
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	if _, ok := l.acquire(); ok || time.Since(start) > 100*time.Millisecond {
		t.Errorf("a sixth was admitted (%v) or waited %v", ok, time.Since(start))
	}
	for _, r := range held {
		r()
	}
	wg.Wait()
	close(got)
	for ok := range got {
		if !ok {
			t.Error("a queued acquire was refused after the slots freed")
		}
	}
}

// Wrong tokens are counted per client: after authMaxFails the client gets 429 even with the right
// token, until the window ends; the token is read only from the Authorization header.
func TestAuthFailLimit(t *testing.T) {
	s, _ := guardServer(t, Config{AnalystToken: "tok"})
	post := func(tok string) (int, string) {
		req := httptest.NewRequest("POST", "/api/sql?token=tok", strings.NewReader(`{"sql":"SELECT 1"}`))
		req.Header.Set("Content-Type", "application/json")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		code, _, retry := do(t, s, req)
		return code, retry
	}
	if code, _ := post(""); code != 401 {
		t.Errorf("token in the query string: %d, want 401", code)
	}
	if code, _ := post("tok"); code != 503 { // past the token check: console off
		t.Errorf("right token: %d", code)
	}
	for i := 1; i < authMaxFails; i++ {
		if code, _ := post("guess"); code != 401 {
			t.Fatalf("wrong token %d: %d", i, code)
		}
	}
	code, retry := post("tok")
	if code != 429 || retry == "" {
		t.Errorf("after %d wrong tokens the right one: %d, Retry-After %q; want 429", authMaxFails, code, retry)
	}
	// The window passes: the client may try again.
	now := time.Now().Add(authWindow + time.Second)
	if s.fails.blocked("0.0.0.0", now) != 0 {
		t.Error("still blocked after the window")
	}
}

// The console's workers are shared fairly: a client with many queries waiting cannot keep a newcomer
// waiting behind all of them — the next free worker goes to the client with the fewest running — and
// a client's waiting queries are capped.
func TestFairQueue(t *testing.T) {
	q := newFairQueue(2)
	var held []func()
	for range 2 { // the runaway client takes both workers…
		r, ok := q.acquire("runaway", time.Second)
		if !ok {
			t.Fatal("refused with free workers")
		}
		held = append(held, r)
	}
	order := make(chan string, 8)
	var wg sync.WaitGroup
	wait := func(client string) {
		defer wg.Done()
		r, ok := q.acquire(client, 10*time.Second)
		if ok {
			order <- client
			r()
		}
	}
	for range 3 { // …and queues three more
		wg.Add(1)
		go wait("runaway")
	}
	waitFor(t, func() bool { return waitingOf(q, "runaway") == 3 })
	wg.Add(1)
	go wait("analyst") // arrives last
	waitFor(t, func() bool { return waitingOf(q, "analyst") == 1 })
	held[0]() // one worker frees
	if got := <-order; got != "analyst" {
		t.Errorf("the freed worker went to %s, want the analyst (fewest running)", got)
	}
	held[1]()
	wg.Wait()
	// The cap on waiting: sqlClientQueue wait, the next is refused at once.
	q = newFairQueue(1)
	r, _ := q.acquire("a", time.Second)
	for range sqlClientQueue {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = q.acquire("a", 50*time.Millisecond) }()
	}
	waitFor(t, func() bool { return waitingOf(q, "a") == sqlClientQueue })
	start := time.Now()
	if _, ok := q.acquire("a", 5*time.Second); ok || time.Since(start) > time.Second {
		t.Errorf("over the cap: admitted %v after %v", ok, time.Since(start))
	}
	wg.Wait() // the waiters gave up
	r()
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) != 0 || q.running != 0 || len(q.by) != 0 {
		t.Errorf("left: waiting %d running %d by %v", len(q.waiting), q.running, q.by)
	}
}

func waitingOf(q *fairQueue, client string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting[client])
}

// waitFor polls cond until it holds (5 s at most).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// File names of any length are taken (stored under a short name, kept whole in the database) and
// bidi controls in them are shown as their code points, never applied.
func TestUploadNames(t *testing.T) {
	s, db := guardServer(t, Config{AdminToken: "secret"})
	long := strings.Repeat("辽宁省职业教育改革任务落实举措清单", 6) + "营口市.xlsx" // 102 runes, 300 bytes
	bidi := "营口市\u202Excod.xlsx"
	src, err := os.ReadFile("../sample-data/营口市一市一策.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for i := range 2 {
		p := filepath.Join(dir, fmt.Sprint(i)+".xlsx")
		if err := os.WriteFile(p, append(append([]byte{}, src...), byte(i)), 0o644); err != nil { // distinct bytes
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	body, ct := namedMultipart(t, map[string]string{long: paths[0], bidi: paths[1]})
	code, html := postAs(t, s, "/upload", body, ct, "secret")
	if code != 200 {
		t.Fatalf("upload: %d: %.300s", code, html)
	}
	var names []string
	rows, err := db.QueryContext(context.Background(), `SELECT file_name FROM files ORDER BY submission_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	if !slices.Contains(names, long) || !slices.Contains(names, bidi) {
		t.Errorf("names in the database: %q", names)
	}
	_, page, _ := get(t, s, "/returns")
	for _, p := range []string{html, page} {
		if strings.ContainsRune(p, '\u202E') || !strings.Contains(p, "营口市[U+202E]xcod.xlsx") {
			t.Errorf("bidi control not neutralised in %.100s…", p)
		}
	}
	if !strings.Contains(html, long) {
		t.Error("the long name is not shown whole")
	}
}

// The token is checked before the body is read: a client announcing a 60 MB upload without the token
// is answered once it has sent its headers and the first 8 KB (what the server reads ahead), and the
// connection is closed rather than drained.
func TestUploadTokenBeforeBody(t *testing.T) {
	s, _ := guardServer(t, Config{AdminToken: "secret", AllowedHosts: []string{"*"}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, time.Second) }()
	defer func() { cancel(); <-done }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n--b\r\n", 60<<20)
	if _, err := conn.Write(make([]byte, 16<<10)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !resp.Close {
		t.Errorf("status %d, close %v; want 401 and the connection closed", resp.StatusCode, resp.Close)
	}
}

// An upload over MaxUpload is refused with 413 and nothing is ingested.
func TestUploadCap(t *testing.T) {
	s, db := guardServer(t, Config{AdminToken: "secret", MaxUpload: 64 << 10})
	p := filepath.Join(t.TempDir(), "big.xlsx")
	if err := os.WriteFile(p, make([]byte, 128<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, "", p)
	if code, html := postAs(t, s, "/api/ingest", body, ct, "secret"); code != 413 || !strings.Contains(html, "上限") {
		t.Errorf("status %d: %.200s", code, html)
	}
	if n := count(t, db, `SELECT count(*) FROM files`); n != 0 {
		t.Errorf("%d files ingested", n)
	}
}

// namedMultipart is an upload of files under the given names (name → path of the bytes).
func namedMultipart(t *testing.T, files map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for name, p := range files {
		fw, err := w.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(b)
	}
	_ = w.Close()
	return &buf, w.FormDataContentType()
}

// Every bidi control is made visible; text without one (Chinese punctuation shares its first bytes)
// is returned as is.
func TestNeutraliseBidi(t *testing.T) {
	for in, want := range map[string]string{
		"营口市\u202Excod.xlsx":            "营口市[U+202E]xcod.xlsx",
		"a\u2066b\u2069c\u061Cd\u202Ae": "a[U+2066]b[U+2069]c[U+061C]d[U+202A]e",
		"“引号”…—\u2013":                  "“引号”…—\u2013",
	} {
		if got := string(neutraliseBidi([]byte(in))); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
