package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// tool finds a program the print checks need; missing, the test fails (.ci/run installs them).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: apt-get install %s (.ci/run does)", name, pkg)
	}
	return p
}

// pdfPages reads pdfinfo's page count and every page's size in points.
func pdfPages(t *testing.T, pdf string) (int, []string) {
	t.Helper()
	out, err := exec.Command(tool(t, "pdfinfo", "poppler-utils"), "-f", "1", "-l", "9999", pdf).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	var sizes []string
	for _, s := range regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+ x [\d.]+)`).FindAllSubmatch(out, -1) {
		sizes = append(sizes, string(s[1]))
	}
	return n, sizes
}

// shoot renders pages first..last of pdf to artifacts/e2e/<stem>-<n>.png.
func shoot(t *testing.T, pdf, stem string, first, last int) {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftoppm", "poppler-utils"), "-r", "60", "-png", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last),
		pdf, filepath.Join(artifacts, stem)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
}

// The meeting pack, printed through LibreOffice as a clerk would (soffice --convert-to pdf), is a
// handout: A4 pages, each chart whole on a page, and no more pages than its sheets need. The bound is
// worked out from the sheets: a page holds at least 20 table rows (landscape A4 at 100 %, 15-pt rows,
// some wrapped to two lines; fit-to-width only shrinks), plus one page per chart. Without print setup
// LibreOffice printed 138 pages with charts cut across them. The pages land in artifacts/e2e/pack-*.png.
func TestPackPrintsAsHandout(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1)")
	}
	soffice := tool(t, "soffice", "libreoffice-calc-nogui")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startServer(t)
	resp, err := http.Get(base + "/export/pack.xlsx?as_of=2022-06-30")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/export/pack.xlsx: %d", resp.StatusCode)
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "pack.xlsx")
	if err := os.WriteFile(xlsx, body, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	bound := 0
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		bound += (len(rows) + 19) / 20
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			bound++
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, xlsx)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "pack.pdf")
	pages, sizes := pdfPages(t, pdf)
	if pages == 0 || pages > bound {
		t.Errorf("the pack prints on %d pages, want 1–%d (its sheets' rows at 20 a page, one page a chart)", pages, bound)
	}
	for i, s := range sizes {
		if s != "841.89 x 595.304" && s != "595.304 x 841.89" {
			t.Errorf("page %d is %s pt, not A4", i+1, s)
		}
	}
	os.WriteFile(filepath.Join(artifacts, "pack.pdf"), mustRead(t, pdf), 0o644)
	shoot(t, pdf, "pack-page", 1, min(pages, 14))
	t.Logf("pack: %d pages (bound %d)", pages, bound)
}
