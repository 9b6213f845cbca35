package e2e

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestStampedBrowser (issue 14): the returns page shows per unit the checklist that counts, the stamped
// copy and whether the return is complete, with the complete-return rate; clicking a unit's stamped copy
// downloads the PDF it sent, byte for byte, served as an attachment of type application/pdf.
func TestStampedBrowser(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1) with chromium installed")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, b := newBrowser(t)
	open(t, ctx, b, base, "/returns", "returns-stamped", false)

	heads := run(t, ctx, "stamped table", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#stamped th')).map(th => th.textContent.trim())`))
	if strings.Join(heads, "|") != "单位|类别|所在地市|计入的清单|盖章扫描件|报送完整" {
		t.Errorf("stamped table headers %q", heads)
	}
	kpis := run(t, ctx, "complete-return KPIs", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.stamped-kpi')).map(k => k.innerText)`))
	if len(kpis) != 2 || !strings.Contains(kpis[0], "/14") || !strings.Contains(kpis[1], "/52") || !strings.Contains(kpis[1], "完整率") {
		t.Errorf("complete-return KPIs %q", kpis)
	}
	row := run(t, ctx, "大连市's row", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#stamped tr[data-unit="大连市"] td')).map(td => td.innerText)`))
	if len(row) != 6 || !strings.Contains(row[3], "大连市一市一策（修改稿）.xlsx") || !strings.Contains(row[4], "大连市-盖章版.pdf") || row[5] != "完整" {
		t.Errorf("大连市's row %q: want its current checklist, its stamped copy and 完整", row)
	}
	href := run(t, ctx, "stamped link", chromedp.Evaluate[string](`document.querySelector('#stamped tr[data-unit="大连市"] a[href^="/stamped/"]').getAttribute('href')`))

	want, err := os.ReadFile("../sample-data/大连市-盖章版.pdf")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(base + href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cd := resp.Header.Get("Content-Disposition")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(cd, "attachment;") ||
		!strings.Contains(cd, "filename*=UTF-8''%E5%A4%A7%E8%BF%9E%E5%B8%82-%E7%9B%96%E7%AB%A0%E7%89%88.pdf") || !bytes.Equal(body, want) {
		t.Errorf("GET %s: %d %q %q, %d bytes (want 200, application/pdf, attachment named 大连市-盖章版.pdf, the %d bytes sent)",
			href, resp.StatusCode, resp.Header.Get("Content-Type"), cd, len(body), len(want))
	}

	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "click the stamped copy", chromedp.Click(chromedp.CSS(`#stamped tr[data-unit="大连市"] a[href^="/stamped/"]`)))
	file := waitDownload(t, dir, ".pdf")
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("%PDF-")) || !bytes.Equal(got, want) {
		t.Errorf("downloaded %s: %d bytes, not the PDF sent (%d bytes)", filepath.Base(file), len(got), len(want))
	}
	if filepath.Base(file) != "大连市-盖章版.pdf" {
		t.Errorf("downloaded as %s, want 大连市-盖章版.pdf", filepath.Base(file))
	}
	problems, dialogs := b.take()
	for _, p := range append(problems, dialogs...) {
		t.Error(p)
	}
}
