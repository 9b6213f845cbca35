// Package e2e drives the real dashboard in Debian's chromium (headless, through chromedp): the server
// is dashboard.New on a random loopback port over a database ingested from sample-data/. Every page
// is opened, its charts must draw (a canvas in each [data-chart]), the console must stay clean, no
// request may leave the machine, and hostile text from a submitted file must show as text.
//
// Run with `make e2e` (LNVEDASH_E2E=1). Without that variable the tests skip, so `go test ./...` needs
// no browser; with it, a missing chromium is a failure, not a skip.
package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"lnvedash/dashboard"
	"lnvedash/ingest"
	"lnvedash/queries"
)

const (
	xssScript = `<script>alert('xss')</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
)

// artifacts is where screenshots go (gitignored), relative to this package.
var artifacts = filepath.Join("..", "artifacts", "e2e")

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Fatal("chromium not found: install Debian's chromium (apt-get install -y chromium); the browser tests do not skip when LNVEDASH_E2E=1")
	return ""
}

// startServer ingests sample-data into a fresh database and serves the dashboard on 127.0.0.1:<random>.
func startServer(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: dataDir, Source: "cli"}, filepath.Join("..", "sample-data")); err != nil {
		t.Fatalf("ingest sample-data: %v", err)
	}
	srv, err := dashboard.New(dashboard.Config{DB: db, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, 2*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		db.Close()
	})
	base := "http://" + ln.Addr().String()
	// The browser assets must be embedded (make assets), or nothing can draw.
	for _, asset := range []string{"/static/vendor/echarts.min.js", "/static/vendor/liaoning.json"} {
		resp, err := http.Get(base + asset)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d (run make assets)", asset, resp.StatusCode)
		}
	}
	return base
}

// browser watches a tab: console errors, exceptions, dialogs and requests to other hosts.
type browser struct {
	mu       sync.Mutex
	problems []string
	dialogs  []string
}

func (b *browser) add(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// take returns and clears what was seen since the last call.
func (b *browser) take() (problems, dialogs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	problems, dialogs = b.problems, b.dialogs
	b.problems, b.dialogs = nil, nil
	return problems, dialogs
}

func localURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	}
	h := u.Hostname()
	return h == "127.0.0.1" || h == "localhost" || h == "::1"
}

func newBrowser(t *testing.T) (context.Context, *browser) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); acancel() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{}
	dialogs := make(chan string, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.add("console.%s: %s", e.Type, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.add("exception: %s (%s:%d)", msg, d.URL, d.LineNumber)
		case *cdplog.EventEntryAdded:
			// failed loads, CSP violations, deprecations the browser reports itself
			if e.Entry != nil && (e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning) {
				b.add("browser log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if e.Request != nil && !localURL(e.Request.URL) {
				b.add("request left localhost: %s", e.Request.URL)
			}
		case *page.EventJavascriptDialogOpening:
			b.mu.Lock()
			b.dialogs = append(b.dialogs, string(e.Type)+": "+e.Message)
			b.mu.Unlock()
			select {
			case dialogs <- e.Message:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// A dialog would block the page; dismiss it from another goroutine (the listener must not call).
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-dialogs:
				chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}
		}
	}()
	return ctx, b
}

// chartsDrawn is true when every chart container on the page has drawn into a canvas.
const chartsDrawn = `(() => {
  const els = Array.from(document.querySelectorAll('[data-chart]'));
  return els.length > 0 && els.every(el => el.getAttribute('data-rendered') === 'true' && el.querySelector('canvas') !== null);
})()`

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot waits until the document is loaded and laid out, then takes a full-page screenshot. After a
// click the old document may still be the one laid out, and a screenshot then has 0 width (seen once on
// a loaded machine).
func screenshot(t *testing.T, ctx context.Context, what string, quality int) []byte {
	t.Helper()
	run(t, ctx, "laid out: "+what, chromedp.Poll[bool](`document.readyState === 'complete' && document.documentElement.getBoundingClientRect().width > 0`))
	return run(t, ctx, "screenshot "+what, chromedp.FullScreenshot(quality))
}

// open navigates to path, waits for the page and its charts, saves a screenshot and checks that the
// browser saw no error, no dialog and no request to another host.
func open(t *testing.T, ctx context.Context, b *browser, base, path, shot string, wantCharts bool) {
	t.Helper()
	resp := run(t, ctx, "open "+path, chromedp.NavigateResponse(base+path))
	if resp == nil || resp.Status != 200 {
		st := int64(0)
		if resp != nil {
			st = resp.Status
		}
		t.Fatalf("%s: status %d", path, st)
	}
	run(t, ctx, "page ready "+path, chromedp.WaitReady(chromedp.CSS("footer")))
	if wantCharts {
		run(t, ctx, "charts drawn on "+path, chromedp.Poll[bool](chartsDrawn))
	}
	if shot != "" {
		png := screenshot(t, ctx, path, 100)
		if err := os.WriteFile(filepath.Join(artifacts, shot+".png"), png, 0o644); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
	problems, dialogs := b.take()
	for _, p := range problems {
		t.Errorf("%s: %s", path, p)
	}
	for _, d := range dialogs {
		t.Errorf("%s: a dialog opened (%s): page script ran from data", path, d)
	}
}

// waitPath waits until the tab's location path starts with prefix (percent-encoding compared
// case-insensitively); navigation may be in flight, so errors are retried.
func waitPath(t *testing.T, ctx context.Context, prefix string) {
	t.Helper()
	waitURL(t, ctx, "a path starting with "+prefix, func(u *url.URL) bool {
		return strings.HasPrefix(strings.ToUpper(u.EscapedPath()), strings.ToUpper(prefix))
	})
}

// waitURL polls the location until ok holds; a navigation in flight makes single reads fail, so
// errors are retried rather than fatal (a Poll in the page would lose its context).
func waitURL(t *testing.T, ctx context.Context, want string, ok func(*url.URL) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil {
			last = loc
			if u, err := url.Parse(loc); err == nil && ok(u) {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("location is %s, want %s", last, want)
}

func TestBrowser(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1) with chromium installed")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, b := newBrowser(t)

	pages := []struct {
		path, shot string
		charts     bool
	}{
		{"/", "overview", true},
		{"/tasks", "tasks", true},
		{"/tasks?m=school", "tasks-colleges", true},
		{"/tasks/3", "task-3", true},
		{"/cities", "cities", true},
		{"/cities/" + url.PathEscape("大连市"), "city-dalian", true},
		{"/cities/" + url.PathEscape("铁岭市"), "city-tieling-missing", true},
		{"/colleges", "colleges", true},
		{"/colleges/" + url.PathEscape("沈阳职业技术学院"), "college", true},
		{"/departments", "departments", true},
		{"/departments/" + url.PathEscape("省教育厅"), "department", true},
		{"/returns", "returns", false},
		{"/returns/diff?submitter=" + url.QueryEscape("大连市"), "diff", false},
		{"/search?q=" + url.QueryEscape("实训基地"), "search", false},
		{"/upload", "upload", false},
	}
	for _, p := range pages {
		t.Run(p.shot, func(t *testing.T) { open(t, ctx, b, base, p.path, p.shot, p.charts) })
	}

	t.Run("click through: overview → city on the map → task", func(t *testing.T) {
		open(t, ctx, b, base, "/", "", true)
		// The point is the region's own centre (cp in the map geometry), turned into a pixel by the
		// chart; the click is a real mouse event on the canvas.
		xy := run(t, ctx, "locate 沈阳市 on the map", chromedp.Evaluate[[]float64](`(async () => {
  const el = document.querySelector('[data-chart="citymap"]');
  el.scrollIntoView({block: 'center'});
  const geo = await (await fetch('/static/vendor/liaoning.json')).json();
  const f = geo.features.find(f => f.properties.name === '沈阳市');
  const p = el.lnveChart.convertToPixel({seriesIndex: 0}, f.properties.cp);
  const r = el.getBoundingClientRect();
  return [r.left + p[0], r.top + p[1]];
})()`, chromedp.EvalAwaitPromise))
		if len(xy) != 2 {
			t.Fatalf("pixel %v", xy)
		}
		// Hovering shows the region's figures in the tooltip (app.js's escaped formatter).
		run(t, ctx, "hover the map", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1]))
		tip := run(t, ctx, "map tooltip", chromedp.Poll[string](`(() => { const t = document.querySelector('.lnve-tip'); return t && t.innerText.includes('沈阳市') ? t.innerText : ''; })()`))
		if !strings.Contains(tip, "覆盖率") {
			t.Errorf("map tooltip = %q", tip)
		}
		run(t, ctx, "click the map", chromedp.MouseClickXY(xy[0], xy[1]))
		want := "/cities/" + url.PathEscape("沈阳市")
		waitPath(t, ctx, want)
		run(t, ctx, "city page", chromedp.WaitVisible(chromedp.CSS("h1")))
		h1 := run(t, ctx, "city title", chromedp.Text(chromedp.CSS("h1")))
		if h1 != "沈阳市" {
			t.Fatalf("after the map click: h1 = %q", h1)
		}
		run(t, ctx, "charts on the city page", chromedp.Poll[bool](chartsDrawn))
		run(t, ctx, "click a task", chromedp.Click(chromedp.CSS(`main table a[href^="/tasks/"]`)))
		waitPath(t, ctx, "/tasks/")
		run(t, ctx, "task page", chromedp.WaitReady(chromedp.CSS("footer")))
		if h1 := run(t, ctx, "task title", chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(h1, "任务") {
			t.Errorf("after the task click: h1 = %q", h1)
		}
		png := screenshot(t, ctx, "page", 100)
		os.WriteFile(filepath.Join(artifacts, "clickthrough-task.png"), png, 0o644)
		problems, dialogs := b.take()
		for _, p := range append(problems, dialogs...) {
			t.Error(p)
		}
	})

	t.Run("chart exports and the 催报 copy button run cleanly", func(t *testing.T) {
		open(t, ctx, b, base, "/", "", true)
		run(t, ctx, "PNG export", chromedp.Click(chromedp.CSS(`[data-export-png="targets"]`)))
		run(t, ctx, "SVG export", chromedp.Click(chromedp.CSS(`[data-export-svg="citymap"]`)))
		open(t, ctx, b, base, "/returns", "", false)
		text := run(t, ctx, "催报 text", chromedp.Evaluate[string](`document.querySelector('#chase-text').value`))
		for _, w := range []string{"铁岭市", "朝阳市", "尚未报送"} {
			if !strings.Contains(text, w) {
				t.Errorf("催报 text lacks %q:\n%s", w, text)
			}
		}
		run(t, ctx, "copy", chromedp.Click(chromedp.CSS(`[data-copy="#chase-text"]`)))
		run(t, ctx, "copied", chromedp.Poll[bool](`document.querySelector('[data-copy="#chase-text"]').textContent === '已复制'`))
		problems, dialogs := b.take()
		for _, p := range append(problems, dialogs...) {
			t.Error(p)
		}
	})

	t.Run("returns: filter the file list by unit, then show every unit again", func(t *testing.T) {
		open(t, ctx, b, base, "/returns", "", false)
		run(t, ctx, "type a short name", chromedp.SendKeys(chromedp.CSS(`#files input[name="submitter"]`), "大连"))
		run(t, ctx, "filter", chromedp.Submit(chromedp.CSS(`#files input[name="submitter"]`)))
		waitURL(t, ctx, "a unit filter", func(u *url.URL) bool { return u.Query().Get("submitter") == "大连" })
		run(t, ctx, "page ready", chromedp.WaitReady(chromedp.CSS("footer")))
		h2 := run(t, ctx, "list title", chromedp.Text(chromedp.CSS("#files h2")))
		// The sample holds two versions of 大连市's checklist (一市一策 and its 修改稿) and its stamped copy.
		if h2 != "收到的全部文件（3，大连市）" {
			t.Errorf("after filtering by 大连: %q", h2)
		}
		units := run(t, ctx, "units listed", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#files tbody tr td:nth-child(2)')].map(td => td.innerText)`))
		if len(units) != 3 || units[0] != "大连市" || units[1] != "大连市" || units[2] != "大连市" {
			t.Errorf("units listed: %q", units)
		}
		run(t, ctx, "current versions tab", chromedp.Click(chromedp.CSS(`#files .tabs a:nth-child(2)`)))
		waitURL(t, ctx, "status=current", func(u *url.URL) bool { return u.Query().Get("status") == "current" })
		run(t, ctx, "page ready", chromedp.WaitReady(chromedp.CSS("footer")))
		if n := run(t, ctx, "rows", chromedp.Evaluate[int](`document.querySelectorAll('#files tbody tr').length`)); n != 1 {
			t.Errorf("大连市's current versions: %d rows, want 1", n)
		}
		run(t, ctx, "all units again", chromedp.Click(chromedp.CSS(`#files form a`)))
		waitURL(t, ctx, "no unit filter", func(u *url.URL) bool { return !u.Query().Has("submitter") })
		run(t, ctx, "page ready", chromedp.WaitReady(chromedp.CSS("footer")))
		if h2 := run(t, ctx, "list title", chromedp.Text(chromedp.CSS("#files h2"))); strings.Contains(h2, "大连市") {
			t.Errorf("after 显示全部单位: %q", h2)
		}
		problems, dialogs := b.take()
		for _, p := range append(problems, dialogs...) {
			t.Error(p)
		}
	})

	t.Run("hostile text from a submitted file shows as text", func(t *testing.T) {
		for _, tc := range []struct {
			path   string
			charts bool
			want   []string
		}{
			{"/cities/" + url.PathEscape("营口市"), true, []string{xssScript, xssImg}},
			{"/search?q=xss", false, []string{xssScript}},
			{"/search?q=onerror", false, []string{xssImg}},
			{"/tasks/3", true, nil},
		} {
			path := tc.path
			open(t, ctx, b, base, path, "", tc.charts)
			text := run(t, ctx, "page text", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: the measure %q is not visible as text", path, w)
				}
			}
			// Chart options travel in <script type="application/json">; anything else is injected.
			injected := run(t, ctx, "injected elements", chromedp.Evaluate[int](`document.querySelectorAll('main script:not([type="application/json"]), img[src="x"], img[onerror]').length`))
			if injected != 0 {
				t.Errorf("%s: %d elements injected from data", path, injected)
			}
		}
		shot := screenshot(t, ctx, "page", 100)
		os.WriteFile(filepath.Join(artifacts, "xss-as-text.png"), shot, 0o644)
	})
}
