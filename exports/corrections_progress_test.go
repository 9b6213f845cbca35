package exports

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/checklist"
	"lnvedash/ingest"
	"lnvedash/progressbook"
	"lnvedash/queries"
	"lnvedash/seeds"
)

// progressDB: 锦州市 sends a plan of two measures (task 3: 建设市级实训基地 due 2021-12, 评选思政示范课堂
// due 2022-12) and a return of round 2 (as of 2022-06-30) that reports the first 已完成 and leaves the
// second blank.
func progressDB(t *testing.T) *queries.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	dir, data := t.TempDir(), t.TempDir()
	set, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := checklist.Build(set, checklist.Options{For: "锦州市"})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range [][2]string{{"建设市级实训基地", "2021年12月"}, {"评选思政示范课堂", "2022年12月"}} {
		row := strconv.Itoa(checklist.TaskRow(3) + i)
		for col, v := range map[string]string{"E": m[0], "F": "完成", "G": "市教育局", "H": m[1]} {
			if err := plan.SetCellStr(checklist.SheetName, col+row, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	planPath := filepath.Join(dir, "锦州市_方案.xlsx")
	if err := plan.SaveAs(planPath); err != nil {
		t.Fatal(err)
	}
	plan.Close()
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: data}, planPath); err != nil {
		t.Fatal(err)
	}
	round, err := db.AddRound(ctx, queries.Round{Name: "2022年上半年进展", AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	who, ms, err := db.PlanMeasures(ctx, "锦州市")
	if err != nil || len(ms) != 2 {
		t.Fatalf("PlanMeasures: %d measures, %v; want 2", len(ms), err)
	}
	book, err := progressbook.Build(round, who, ms)
	if err != nil {
		t.Fatal(err)
	}
	for row := progressbook.FirstRow; row < progressbook.FirstRow+2; row++ {
		measure, _ := book.GetCellValue(progressbook.SheetName, "D"+strconv.Itoa(row))
		if measure == "建设市级实训基地" {
			cell, _ := excelize.CoordinatesToCellName(progressbook.ColStatus, row)
			if err := book.SetCellStr(progressbook.SheetName, cell, "已完成"); err != nil {
				t.Fatal(err)
			}
		}
	}
	progPath := filepath.Join(dir, "锦州市_进展.xlsx")
	if err := book.SaveAs(progPath); err != nil {
		t.Fatal(err)
	}
	book.Close()
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: data}, progPath); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestCorrectionsProgressNotReported: 锦州市 sends a plan of two measures and a progress return that
// reports only the first. Its correction list holds two letters — the plan's and the progress
// return's — and the progress letter names the unreported measure under its Chinese label, while the
// plan letter does not carry the progress return's findings.
func TestCorrectionsProgressNotReported(t *testing.T) {
	ctx := context.Background()
	db := progressDB(t)
	var buf bytes.Buffer
	if err := WriteCorrections(ctx, &buf, db, "锦州"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	progSheet := "锦州市（2022年上半年进展）"
	text := func(sheet string) string {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v (sheets %v)", sheet, err, f.GetSheetList())
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
		return b.String()
	}
	prog, planText := text(progSheet), text("锦州市")
	for _, want := range []string{"锦州市《2022年上半年进展》进展报送表整改通知", "举措未报告进展", "评选思政示范课堂", "请补报"} {
		if !strings.Contains(prog, want) {
			t.Errorf("progress letter lacks %q:\n%s", want, prog)
		}
	}
	if strings.Contains(prog, "建设市级实训基地") {
		t.Errorf("progress letter names the reported measure:\n%s", prog)
	}
	if strings.Contains(planText, "未报告") || !strings.Contains(planText, "《任务落实举措清单》整改通知") {
		t.Errorf("plan letter carries the progress return's findings or lost its title:\n%s", planText)
	}
}

// The delivery tables, the meeting pack and the printable report on 锦州市's round. By hand: 2 measures,
// 1 已完成, 1 未报告; at 2022-06-30 the first (due 2021-12) is overdue but done, so none is red.
func TestDeliveryExports(t *testing.T) {
	ctx := context.Background()
	db := progressDB(t)
	p := Params{Now: time.Now()}
	tb, err := Build(ctx, db, "completion_by_submitter", p)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range tb.Rows {
		if r[0] == "锦州市" {
			found = true
			// 举措数, 已完成, 按期推进, 滞后, 未启动, 已调整, 已取消, 未报告, 已过完成时间, 逾期未完成
			if got := fmt.Sprint(r[2:12]); got != "[2 1 0 0 0 0 0 1 1 0]" {
				t.Errorf("锦州市 row %s, want [2 1 0 0 0 0 0 1 1 0]", got)
			}
			if r[12] != 0.5 || r[13] != 0.5 {
				t.Errorf("锦州市 完成率 %v 报告率 %v, want 0.5 0.5", r[12], r[13])
			}
		}
	}
	if !found || !strings.Contains(tb.Caption, "2022年上半年进展") {
		t.Errorf("completion_by_submitter: 锦州市 found %v; caption %q names no round", found, tb.Caption)
	}
	var pack bytes.Buffer
	if err := WritePack(ctx, &pack, db, p); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&pack)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), ",")
	if !strings.HasPrefix(sheets, "概览,完成情况,逾期未完成举措,各市完成情况,各牵头部门完成情况,量化目标完成情况,各轮次完成情况,") {
		t.Errorf("pack sheets %s: the delivery sheets do not follow the key numbers", sheets)
	}
	var report bytes.Buffer
	if err := WriteReport(ctx, &report, db, p); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"落实进展：各举措完成状态", "2 条现行举措中，已完成 1 条（50.0%）", "各轮进展对比"} {
		if !strings.Contains(report.String(), w) {
			t.Errorf("report lacks %q", w)
		}
	}
}
