package e2e

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lnvedash/access"
	"lnvedash/dashboard"
	"lnvedash/ingest"
	"lnvedash/queries"
)

// The issue-18 loop in the browser: a unit link uploads its plan and sees the verdict; a reviewer
// returns it with a comment; the unit sees the comment and downloads its correction list; a new
// version goes to 已修改待复核 with the diff; the reviewer approves; the overview's figures change.
func TestBrowserReviewLoop(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1) with chromium installed")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx0, cancel := context.WithCancel(context.Background())
	db, err := queries.Open(ctx0, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	// another city has returned already, so the figures have a denominator beyond 大连市
	if _, err := ingest.Run(ctx0, db, ingest.Options{DataDir: dataDir, Source: "cli"}, filepath.Join("..", "sample-data", "丹东市一市一策.xlsx")); err != nil {
		t.Fatal(err)
	}
	srv, err := dashboard.New(dashboard.Config{DB: db, DataDir: dataDir, ViewersNeedLink: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx0, ln, 2*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		db.Close()
	})
	base := "http://" + ln.Addr().String()
	links := access.NewStore(db.DB)
	issue := func(role access.Role, subject string) string {
		u, _, err := links.IssueURL(ctx0, role, subject, 1, base, access.Actor{Role: "cli"},
			func(n string) (string, error) { return db.ResolveSubmitter(ctx0, n) })
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, base)
	}
	unitLink, reviewerLink := issue(access.Unit, "大连"), issue(access.Reviewer, "王专家")
	ctx, b := newBrowser(t)
	text := func(what, js string) string {
		return run(t, ctx, what, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	}
	shot := func(name string) {
		png := screenshot(t, ctx, name, 100)
		if err := os.WriteFile(filepath.Join(artifacts, name+".png"), png, 0o644); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
	clean := func(where string) {
		problems, dialogs := b.take()
		for _, p := range problems {
			t.Errorf("%s: %s", where, p)
		}
		for _, d := range dialogs {
			t.Errorf("%s: a dialog opened (%s)", where, d)
		}
	}
	enter := func(link, home string) {
		open(t, ctx, b, base, link, "", false)
		waitPath(t, ctx, home)
		run(t, ctx, "page "+home, chromedp.WaitReady(chromedp.CSS("footer")))
	}
	upload := func(name string) {
		abs, err := filepath.Abs(filepath.Join("..", "sample-data", name))
		if err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "choose "+name, chromedp.SetUploadFiles(chromedp.CSS(`form[action="/my/upload"] input[type=file]`), []string{abs}))
		run(t, ctx, "upload "+name, chromedp.Click(chromedp.CSS(`form[action="/my/upload"] button`)))
		run(t, ctx, "verdict of "+name, chromedp.WaitVisible(chromedp.CSS(`#upload-result`)))
	}
	figure := func(state string) string {
		open(t, ctx, b, base, "/", "", true)
		return text("figure "+state, `document.querySelector('[data-review="`+state+`"]').innerText`)
	}
	hostile := `请量化目标<img src=x onerror=alert(1)>`

	t.Run("the unit uploads its plan and sees the verdict", func(t *testing.T) {
		enter(unitLink, "/my")
		upload("大连市一市一策.xlsx")
		if v := text("verdict", `document.querySelector('#upload-result .verdict').innerText`); !strings.Contains(v, "现行") {
			t.Errorf("verdict %q, want 现行", v)
		}
		if st := text("state", `document.querySelector('.review-state').innerText`); st != "待审核" {
			t.Errorf("state %q, want 待审核", st)
		}
		shot("my-uploaded")
		clean("/my/upload")
	})

	var approvedBefore string
	t.Run("the reviewer returns it with a comment", func(t *testing.T) {
		enter(reviewerLink, "/review")
		approvedBefore = figure("approved")
		open(t, ctx, b, base, "/review", "", false)
		run(t, ctx, "open the plan", chromedp.Click(chromedp.CSS(`#review-todo a[data-unit="大连市"]`)))
		waitPath(t, ctx, "/review/")
		run(t, ctx, "plan", chromedp.WaitVisible(chromedp.CSS(`#review-measures`)))
		run(t, ctx, "type a comment", chromedp.SendKeys(chromedp.CSS(`#review-measures .comment-form textarea`), hostile))
		run(t, ctx, "send the comment", chromedp.Click(chromedp.CSS(`#review-measures .comment-form button`)))
		run(t, ctx, "comment shown", chromedp.WaitVisible(chromedp.CSS(`#review-measures .review-comment`)))
		run(t, ctx, "choose 退回修改", chromedp.Click(chromedp.CSS(`input[name=decision][value="退回修改"]`)))
		run(t, ctx, "reasons", chromedp.SendKeys(chromedp.CSS(`textarea[name=reasons]`), "目标须量化"))
		run(t, ctx, "decide", chromedp.Click(chromedp.CSS(`#decide`)))
		run(t, ctx, "decided", chromedp.WaitVisible(chromedp.CSS(`.review-state[data-state="退回修改"]`)))
		shot("review-returned")
		clean("/review")
	})

	t.Run("the unit sees the comment and its correction list", func(t *testing.T) {
		enter(unitLink, "/my")
		if st := text("state", `document.querySelector('.review-state').innerText`); st != "退回修改" {
			t.Errorf("state %q, want 退回修改", st)
		}
		if c := text("comment", `document.querySelector('#my-comments .review-comment').innerText`); c != hostile {
			t.Errorf("comment %q, want it verbatim as text", c)
		}
		got := text("download", `fetch('/my/corrections.xlsx').then(async r => r.status + ' ' + r.headers.get('content-type') + ' ' + new Uint8Array(await r.arrayBuffer()).slice(0, 2).join(','))`)
		if !strings.HasPrefix(got, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 80,75") {
			t.Errorf("correction list: %q, want an xlsx (PK…)", got)
		}
		shot("my-returned")
		clean("/my")
	})

	t.Run("a new version goes to 已修改待复核 with the diff", func(t *testing.T) {
		upload("大连市一市一策（修改稿）.xlsx")
		if st := text("state", `document.querySelector('.review-state').innerText`); st != "已修改待复核" {
			t.Errorf("state %q, want 已修改待复核", st)
		}
		enter(reviewerLink, "/review")
		if st := text("queue", `document.querySelector('#review-todo .review-state').innerText`); st != "已修改待复核" {
			t.Errorf("queue state %q", st)
		}
		run(t, ctx, "open the new version", chromedp.Click(chromedp.CSS(`#review-todo a[data-unit="大连市"]`)))
		run(t, ctx, "diff", chromedp.WaitVisible(chromedp.CSS(`#review-diff`)))
		if d := text("diff", `document.querySelector('#review-diff p').innerText`); !strings.Contains(d, "新增") {
			t.Errorf("diff summary %q", d)
		}
		shot("review-diff")
		clean("/review/diff")
	})

	t.Run("the reviewer approves and the overview changes", func(t *testing.T) {
		run(t, ctx, "choose 通过", chromedp.Click(chromedp.CSS(`input[name=decision][value="通过"]`)))
		run(t, ctx, "decide", chromedp.Click(chromedp.CSS(`#decide`)))
		run(t, ctx, "approved", chromedp.WaitVisible(chromedp.CSS(`.review-state[data-state="通过"]`)))
		after := figure("approved")
		if approvedBefore != "0/2" || after != "1/2" {
			t.Errorf("overview 通过: before %q after %q, want 0/2 then 1/2", approvedBefore, after)
		}
		shot("overview-approved")
		clean("/")
	})
}
