package e2e

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestDeliveryBrowser (issue 17) follows a leader's path through the real binary loaded as `make run`
// loads it (sample-data, the round 2022年上半年进展, sample-progress): the overview leads with delivery →
// its red list (/delivery) → one late measure's history across rounds (/measures/:key) → the plan's
// source cell (/source). What each page says is checked against the sample workbooks themselves, read
// with excelize, not against the code under test.
func TestDeliveryBrowser(t *testing.T) {
	if os.Getenv("LNVEDASH_E2E") != "1" {
		t.Skip("browser tests: run `make e2e` (LNVEDASH_E2E=1) with chromium installed")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startBinary(t,
		[]string{"round", "add", "--db", "{db}", "--name", "2022年上半年进展", "--as-of", "2022-06-30", "--deadline", "2022-07-15"},
		[]string{"ingest", "--db", "{db}", filepath.Join("..", "sample-progress")})
	ctx, b := newBrowser(t)
	text := func(what, js string) string { return run(t, ctx, what, chromedp.Evaluate[string](js)) }
	step := func(path, shot string) {
		t.Helper()
		waitPath(t, ctx, path)
		run(t, ctx, "page ready "+path, chromedp.WaitReady(chromedp.CSS("footer")))
		run(t, ctx, "charts drawn on "+path, chromedp.Poll[bool](`document.querySelector('[data-chart]') === null || `+chartsDrawn))
		png := screenshot(t, ctx, path, 100)
		if err := os.WriteFile(filepath.Join(artifacts, shot+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
		problems, dialogs := b.take()
		for _, p := range append(problems, dialogs...) {
			t.Errorf("%s: %s", path, p)
		}
	}

	// 1. The overview leads with the progress round's delivery picture.
	open(t, ctx, b, base, "/", "delivery-1-overview", true)
	head := text("delivery heading", `document.querySelector('section.delivery h2').textContent`)
	if !strings.Contains(head, "2022年上半年进展") || !strings.Contains(head, "2022年6月30日") {
		t.Errorf("overview's delivery section is headed %q, want the round and its as-of date", head)
	}
	verdict := text("delivery verdict", `document.querySelector('section.delivery .verdict').textContent`)
	red := regexp.MustCompile(`已过完成时间而未完成的 (\d[\d,]*) 条`).FindStringSubmatch(verdict)
	if red == nil || red[1] == "0" {
		t.Fatalf("overview's delivery verdict %q names no red measures", verdict)
	}

	// 2. Its red-list link opens /delivery with those measures listed.
	run(t, ctx, "open the red list", chromedp.Click(chromedp.CSS(`section.delivery .verdict a[href="/delivery"]`)))
	step("/delivery", "delivery-2-red-list")
	n := run(t, ctx, "red rows", chromedp.Evaluate[int](`document.querySelectorAll('#red-measures tbody a.measure-link').length`))
	if want, _ := strconv.Atoi(strings.ReplaceAll(red[1], ",", "")); n != want {
		t.Errorf("the red list shows %d measures, the overview said %d", n, want)
	}
	// The red list by unit links each unit's own list (its name encoded once: it was encoded twice).
	unit := run(t, ctx, "first red unit", chromedp.Evaluate[map[string]string](`(() => {
		const a = document.querySelector('#red-units a');
		return a ? {name: a.textContent, href: a.getAttribute('href')} : {};
	})()`))
	if unit["href"] == "" {
		t.Fatal("the red list by unit is empty")
	}
	resp, err := http.Get(base + unit["href"])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "逾期未完成的举措："+unit["name"]) {
		t.Errorf("GET %s: %d; want %s's own red list", unit["href"], resp.StatusCode, unit["name"])
	}

	// A measure the unit did report on (its status is not 未报告), so it has a history to show.
	pick := run(t, ctx, "a reported red measure", chromedp.Evaluate[map[string]string](`(() => {
		for (const tr of document.querySelectorAll('#red-measures tbody tr')) {
			const td = tr.querySelectorAll('td');
			if (td.length === 5 && !td[4].textContent.startsWith('未报告')) {
				const a = td[2].querySelector('a');
				a.id = 'picked';
				return {unit: td[0].textContent, measure: a.textContent, status: td[4].textContent};
			}
		}
		return {};
	})()`))
	if pick["measure"] == "" {
		t.Fatal("no measure on the red list was reported on: the sample round no longer exercises the history")
	}

	// 3. The measure's page: its plan text, its latest status, its history with the progress cell.
	run(t, ctx, "open the measure", chromedp.Click(chromedp.CSS(`#picked`)))
	step("/measures/", "delivery-3-measure")
	if got := text("measure", `document.querySelector('table.kv tr td').textContent`); got != pick["measure"] {
		t.Errorf("the measure page shows %q, the red list %q", got, pick["measure"])
	}
	if got := text("status", `document.getElementById('latest-status').textContent`); !strings.HasPrefix(pick["status"], got) || got == "" {
		t.Errorf("latest status %q, the red list says %q", got, pick["status"])
	}
	hist := run(t, ctx, "history", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#history tbody tr:first-child td')).map(td => td.textContent)`))
	if len(hist) != 8 || !strings.Contains(hist[0], "2022年上半年进展") {
		t.Fatalf("history's first row %q: want the round 2022年上半年进展", hist)
	}
	loc := regexp.MustCompile(`^(.+) · (.+) 第(\d+)行`).FindStringSubmatch(hist[7])
	if loc == nil {
		t.Fatalf("history's source cell %q names no file, sheet and row", hist[7])
	}
	said := hist[2] // 完成状态 as written
	if said == "" {
		said = hist[4] // 完成情况说明
	}
	if said == "" {
		t.Fatalf("history's first row %q has neither the status as written nor a note", hist)
	}
	if row := sheetRow(t, filepath.Join("..", "sample-progress", loc[1]), loc[2], loc[3]); !strings.Contains(row, said) {
		t.Errorf("%s %s row %s reads %q; the measure page says it holds %q", loc[1], loc[2], loc[3], row, said)
	}

	// 4. The plan's source cell: the unit's own words, where they sit in its checklist.
	run(t, ctx, "open the source", chromedp.Click(chromedp.CSS(`table.kv a[href^="/source?"]`)))
	step("/source", "delivery-4-source")
	src := run(t, ctx, "source", chromedp.Evaluate[map[string]string](`({
		unit: document.querySelector('table.kv tr:nth-child(1) td a').textContent,
		file: document.querySelector('table.kv tr:nth-child(2) td a').textContent,
		where: document.querySelector('table.kv tr:nth-child(3) td').textContent,
		measure: document.querySelector('table.cells td.measure').textContent,
	})`))
	if src["unit"] != pick["unit"] || !strings.Contains(src["measure"], pick["measure"]) {
		t.Errorf("source page %q: want %s's measure %q", src, pick["unit"], pick["measure"])
	}
	at := regexp.MustCompile(`工作表“(.+)”第 (\d+) 行`).FindStringSubmatch(src["where"])
	if at == nil {
		t.Fatalf("source page location %q", src["where"])
	}
	if row := sheetRow(t, filepath.Join("..", "sample-data", src["file"]), at[1], at[2]); !strings.Contains(row, pick["measure"]) {
		t.Errorf("%s %s row %s reads %q; the source page says it holds %q", src["file"], at[1], at[2], row, pick["measure"])
	}
}

// sheetRow is one row of a workbook's sheet (row counted from 1), its cells joined by " | ".
func sheetRow(t *testing.T, file, sheet, row string) string {
	t.Helper()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	r, _ := strconv.Atoi(row)
	if r < 1 || r > len(rows) {
		t.Fatalf("%s %s has %d rows, no row %d", file, sheet, len(rows), r)
	}
	return strings.Join(rows[r-1], " | ")
}
