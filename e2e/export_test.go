package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestExportBrowser checks the exports in the browser: a chart's PNG is a real 2x image with its title
// band drawn, both through the button (a captured download) and through lnveExport.png; the SVG export
// carries title and as-of date; tables marked data-export get download links with the page's filters;
// the printable report, opened from a file, prints to an A4-landscape PDF with every chart drawn.
func TestExportBrowser(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1) with chromium installed")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	ctx, b := newBrowser(t)

	t.Run("PNG export of a chart is a 2x image with its title drawn in", func(t *testing.T) {
		open(t, ctx, b, base, "/", "", true)
		size := run(t, ctx, "chart size", chromedp.Evaluate[[]int](`(() => { const el = document.getElementById('targets'); return [el.clientWidth, el.clientHeight]; })()`))
		dataURL := run(t, ctx, "lnveExport.png", chromedp.Evaluate[string](`lnveExport.png('targets')`))
		img := decodePNGDataURL(t, dataURL)
		checkExportImage(t, img, size)

		dir := t.TempDir()
		if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		}); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "click PNG", chromedp.Click(chromedp.CSS(`[data-export-png="targets"]`)))
		file := waitDownload(t, dir, ".png")
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err = png.Decode(f)
		if err != nil {
			t.Fatalf("downloaded %s is not a PNG: %v", filepath.Base(file), err)
		}
		checkExportImage(t, img, size)
		if !strings.Contains(filepath.Base(file), "量化目标") {
			t.Errorf("download named %s, want the chart's title", filepath.Base(file))
		}
		os.WriteFile(filepath.Join(artifacts, "export-targets.png"), mustRead(t, file), 0o644)

		svg := run(t, ctx, "lnveExport.svg", chromedp.Evaluate[string](`lnveExport.svg('citymap')`))
		for _, want := range []string{"<svg", "<path", "各市", "数据截至", "来源"} {
			if !strings.Contains(svg, want) {
				t.Errorf("SVG export lacks %q", want)
			}
		}
		problems, dialogs := b.take()
		for _, p := range append(problems, dialogs...) {
			t.Error(p)
		}
	})

	t.Run("tables marked data-export get xlsx and CSV links with the page's filters", func(t *testing.T) {
		open(t, ctx, b, base, "/tasks?city="+url.QueryEscape("大连市")+"&kind=school", "", true)
		hrefs := run(t, ctx, "table links", chromedp.Evaluate[[]string](`(() => {
  const t = document.createElement('table');
  t.setAttribute('data-export', 'coverage_by_task');
  document.querySelector('main').appendChild(t);
  const u = document.createElement('table');
  u.setAttribute('data-export', 'coverage_by_submitter');
  u.setAttribute('data-export-query', 'kind=city');
  document.querySelector('main').appendChild(u);
  lnveExport.tableTools();
  return Array.from(document.querySelectorAll('[data-export-link]')).map(a => a.getAttribute('href'));
})()`))
		if len(hrefs) < 2 {
			t.Fatalf("links %v", hrefs)
		}
		var xlsxHref string
		for _, h := range hrefs {
			if strings.HasPrefix(h, "/export/table/coverage_by_task.xlsx?") {
				xlsxHref = h
			}
		}
		if xlsxHref == "" || !strings.Contains(xlsxHref, "kind=school") {
			t.Fatalf("links %v", hrefs)
		}
		own := false
		for _, h := range hrefs {
			if strings.HasPrefix(h, "/export/table/coverage_by_submitter.csv?") && strings.Contains(h, "kind=city") && !strings.Contains(h, "kind=school") {
				own = true
			}
		}
		if !own {
			t.Errorf("data-export-query did not override the page's kind: %v", hrefs)
		}
		resp, err := http.Get(base + xlsxHref)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", xlsxHref, err)
		}
		defer f.Close()
		note, _ := f.GetCellValue(f.GetSheetList()[0], "A2")
		if !strings.Contains(note, "地市 大连市") || !strings.Contains(note, "类型 院校") {
			t.Errorf("the download lost the page's filters: %q", note)
		}
		b.take()
	})

	t.Run("the report prints to an A4-landscape PDF with every chart drawn", func(t *testing.T) {
		resp, err := http.Get(base + "/report?as_of=2022-06-30")
		if err != nil {
			t.Fatal(err)
		}
		html, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("/report: %d", resp.StatusCode)
		}
		sections := bytes.Count(html, []byte("<section"))
		charts := checkReportSVGs(t, html)
		file := filepath.Join(t.TempDir(), "report.html")
		if err := os.WriteFile(file, html, 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "open the report file", chromedp.Navigate("file://"+file))
		run(t, ctx, "report ready", chromedp.WaitReady(chromedp.CSS("footer")))
		drawn := run(t, ctx, "charts loaded", chromedp.Poll[int](`(() => {
  const imgs = Array.from(document.querySelectorAll('section img'));
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0;
})()`))
		if drawn != charts {
			t.Errorf("%d charts drawn in the browser, %d in the file", drawn, charts)
		}
		shot := screenshot(t, ctx, "page", 90)
		os.WriteFile(filepath.Join(artifacts, "report.png"), shot, 0o644)
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		res, err := chromedp.Call(tctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		pdf := res.Data
		os.WriteFile(filepath.Join(artifacts, "report.pdf"), pdf, 0o644)
		shoot(t, filepath.Join(artifacts, "report.pdf"), "report-page", 1, 1) // the report's first page as printed
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 8)])
		}
		pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
		if pages != sections {
			t.Errorf("%d PDF pages, want one per section (%d)", pages, sections)
		}
		if m := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]`).FindSubmatch(pdf); m == nil || !strings.HasPrefix(string(m[1]), "84") || !strings.HasPrefix(string(m[2]), "59") {
			t.Errorf("page box %q, want A4 landscape (842 x 595 pt)", m)
		}
		if pages > 0 && len(pdf)/pages < 8<<10 {
			t.Errorf("PDF %d bytes for %d pages: pages look empty", len(pdf), pages)
		}
		t.Logf("report: %d sections, %d charts, PDF %d pages, %d KB", sections, charts, pages, len(pdf)>>10)
		problems, _ := b.take()
		for _, p := range problems {
			if !strings.Contains(p, "file://") { // the watcher counts the local file as off-host
				t.Error(p)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodePNGDataURL(t *testing.T, s string) image.Image {
	t.Helper()
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(s, prefix) {
		t.Fatalf("not a PNG data URL: %.40q", s)
	}
	raw, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkExportImage: twice the chart's CSS size, something drawn in the title band at the top and in
// the footer band at the bottom, and a plot that is not blank.
func checkExportImage(t *testing.T, img image.Image, css []int) {
	t.Helper()
	bd := img.Bounds()
	if len(css) != 2 || bd.Dx() != 2*css[0] || bd.Dy() != 2*css[1] {
		t.Fatalf("image %dx%d, want 2x the chart's %v", bd.Dx(), bd.Dy(), css)
	}
	ink := func(y0, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := bd.Min.X; x < bd.Max.X; x++ {
				if !nearWhite(img.At(x, y)) {
					n++
				}
			}
		}
		return n
	}
	if n := ink(0, 2*36); n < 200 {
		t.Errorf("title band has %d inked pixels: no title", n)
	}
	if n := ink(bd.Dy()-2*22, bd.Dy()); n < 100 {
		t.Errorf("footer band has %d inked pixels: no as-of/source line", n)
	}
	if n := ink(2*36, bd.Dy()-2*22); n < bd.Dx()*bd.Dy()/100 {
		t.Errorf("plot has %d inked pixels: blank", n)
	}
}

func nearWhite(c color.Color) bool {
	r, g, b, a := c.RGBA()
	return a < 0x1000 || (r > 0xF000 && g > 0xF000 && b > 0xF000)
}

func waitDownload(t *testing.T, dir, ext string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ext) {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no %s download in %s", ext, dir)
	return ""
}

// reportImg finds the inlined charts once html/template's &#43; is turned back into +.
var reportImg = regexp.MustCompile(`<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"`)

// checkReportSVGs decodes every inlined chart and checks it has drawn paths; it returns their number.
func checkReportSVGs(t *testing.T, html []byte) int {
	t.Helper()
	ms := reportImg.FindAllSubmatch(bytes.ReplaceAll(html, []byte("&#43;"), []byte("+")), -1)
	if len(ms) == 0 {
		t.Fatal("no chart in the report")
	}
	for i, m := range ms {
		svg, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(svg, []byte("<path")); n < 3 {
			t.Errorf("chart %d has %d paths", i+1, n)
		}
	}
	return len(ms)
}
