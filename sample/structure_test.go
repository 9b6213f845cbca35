package sample

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"lnvedash/checklist"
	"lnvedash/seeds"
)

// These tests read the committed sample-data/ (TestSampleGolden proves it is what Generate writes)
// and check that it holds what the ingest and browser tests rely on.

const dataDir = "../sample-data"

func readManifest(t *testing.T) []Entry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "MANIFEST.csv"))
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
		t.Fatalf("manifest header = %v", recs[0])
	}
	var out []Entry
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[5])
		if err != nil {
			t.Fatalf("%s: measures %q", rec[0], rec[5])
		}
		out = append(out, Entry{File: rec[0], Submitter: rec[1], Status: rec[2], ReasonCode: rec[3], Note: rec[4], Measures: n})
	}
	return out
}

// cells returns every cell of every sheet as written (raw values: serials stay numbers).
func cells(t *testing.T, name string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(dataDir, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s!%s: %v", name, sh, err)
		}
		out[sh] = rows
	}
	return out
}

func TestSampleManifest(t *testing.T) {
	set := seeds.MustLoad()
	es := readManifest(t)
	inDir := map[string]bool{}
	for _, n := range listDir(t, dataDir) {
		if n != "MANIFEST.csv" && n != "README.md" {
			inDir[n] = true
		}
	}
	known := map[string]string{}
	for _, s := range set.Submitters {
		known[s.Name] = s.Kind
	}
	reasons := map[string]bool{}
	for _, r := range []string{ReasonCorrupt, ReasonLegacyXLS, ReasonEncrypted, ReasonEmpty, ReasonNotChecklist, ReasonTooLarge, ReasonNotXLSX, ReasonUnknownSubmitter} {
		reasons[r] = true
	}
	current := map[string]int{}
	gotReasons := map[string]int{}
	stamped := map[string]int{}
	for _, e := range es {
		if !inDir[e.File] {
			t.Errorf("manifest lists %s, not in sample-data/", e.File)
		}
		delete(inDir, e.File)
		if e.Submitter != "" && known[e.Submitter] == "" {
			t.Errorf("%s: submitter %q not in the roster", e.File, e.Submitter)
		}
		switch e.Status {
		case StatusCurrent:
			current[e.Submitter]++
			if e.ReasonCode != "" || e.Submitter == "" {
				t.Errorf("%s: current with reason %q, submitter %q", e.File, e.ReasonCode, e.Submitter)
			}
		case StatusSuperseded:
			if e.ReasonCode != "" {
				t.Errorf("%s: superseded with reason %q", e.File, e.ReasonCode)
			}
		case StatusReceived:
			stamped[e.Submitter]++
		case StatusRejected:
			if e.ReasonCode == ReasonStampedUnnamed {
				gotReasons[e.ReasonCode]++
				continue
			}
			if !reasons[e.ReasonCode] {
				t.Errorf("%s: rejected with reason %q", e.File, e.ReasonCode)
			}
			gotReasons[e.ReasonCode]++
		default:
			t.Errorf("%s: status %q", e.File, e.Status)
		}
	}
	for f := range inDir {
		t.Errorf("%s is in sample-data/ but not in the manifest", f)
	}
	for r := range reasons {
		if gotReasons[r] == 0 {
			t.Errorf("no file rejected as %s", r)
		}
	}
	cities, schools := 0, 0
	for who, n := range current {
		if n != 1 {
			t.Errorf("%s has %d current files", who, n)
		}
		if known[who] == seeds.KindCity {
			cities++
		} else {
			schools++
		}
	}
	if cities != 12 || current["铁岭市"] != 0 || current["朝阳市"] != 0 {
		t.Errorf("%d cities returned (铁岭市 %d, 朝阳市 %d), want 12 without 铁岭市 and 朝阳市", cities, current["铁岭市"], current["朝阳市"])
	}
	// 52 colleges; the silent and bad ones (9) return no usable checklist.
	if schools < 40 || schools > 45 {
		t.Errorf("%d colleges returned, want about 43 of 52", schools)
	}
	// Stamped copies: most units with a checklist, one college with only the PDF, one stale, one unnamed.
	if n := len(stamped); n < (cities+schools)/2 || stamped["铁岭卫生职业学院"] != 1 || current["铁岭卫生职业学院"] != 0 {
		t.Errorf("%d units sent a stamped copy; 铁岭卫生职业学院 stamped %d, current %d", n, stamped["铁岭卫生职业学院"], current["铁岭卫生职业学院"])
	}
	if gotReasons[ReasonStampedUnnamed] != 1 {
		t.Errorf("%d unnamed stamped copies, want 1", gotReasons[ReasonStampedUnnamed])
	}
}

func TestSampleSize(t *testing.T) {
	var total int64
	for _, n := range listDir(t, dataDir) {
		fi, err := os.Stat(filepath.Join(dataDir, n))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	if total > 3<<20 {
		t.Errorf("sample-data/ is %d bytes, want under 3 MB", total)
	}
}

// TestSampleReturned opens every returned file and checks the quirks spread over them.
func TestSampleReturned(t *testing.T) {
	set := seeds.MustLoad()
	due, goals := map[string]bool{}, map[string]bool{}
	serials, measures, templateNumbered := 0, 0, 0
	var all strings.Builder
	for _, e := range readManifest(t) {
		if e.Status == StatusRejected && e.ReasonCode != ReasonUnknownSubmitter || e.Status == StatusReceived {
			continue
		}
		sheets := cells(t, e.File)
		header := false
		for _, rows := range sheets {
			dueCol := -1
			for _, row := range rows {
				joined := strings.Join(row, "|")
				all.WriteString(joined + "\n")
				for i, c := range row {
					if strings.Join(strings.Fields(c), "") == "完成时间" && i >= 2 {
						dueCol, header = i, true
					}
				}
				if strings.Contains(joined, set.TemplateRows[6].Content) {
					templateNumbered++
				}
				if dueCol < 0 || len(row) <= dueCol || row[dueCol] == "" || strings.Join(strings.Fields(row[dueCol]), "") == "完成时间" {
					continue
				}
				measures++
				due[row[dueCol]] = true
				if isNumber(row[dueCol]) {
					serials++
				}
				goals[row[dueCol-2]] = true
			}
		}
		if !header {
			t.Errorf("%s: no header with 完成时间", e.File)
		}
	}
	if measures < 1500 {
		t.Errorf("%d measures in all returned files, want hundreds per kind", measures)
	}
	if serials < 100 {
		t.Errorf("%d date serials", serials)
	}
	if templateNumbered < 3 {
		t.Errorf("%d files follow the notice's drifting template", templateNumbered)
	}
	for _, d := range []string{"2022年6月", "2022年底前", "2021.12", "2022/9", "2022年第二季度", "2023年上半年", "2021年9月—2022年12月", "长期", "持续推进", "尽快"} {
		if !due[d] {
			t.Errorf("no 完成时间 written %q", d)
		}
	}
	var g strings.Builder
	for k := range goals {
		g.WriteString(k + "\n")
	}
	for _, s := range []string{"万人次", "不少于", "两", "十门", "100%", "个、", "２", "\n\n"} {
		if !strings.Contains("\n"+g.String(), s) {
			t.Errorf("no 完成目标 containing %q", s)
		}
	}
	if !goals[""] {
		t.Error("no blank 完成目标")
	}
	// The notice's real contacts, phone numbers and platform password never appear.
	for _, secret := range []string{"张彬彬", "邸金南", "86896980", "赵楚", "13390551766", "bsss2021"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("sample data contains %q from the notice", secret)
		}
	}
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

func TestSampleSpecialFiles(t *testing.T) {
	t.Run("hostile text", func(t *testing.T) {
		var all strings.Builder
		for _, rows := range cells(t, "营口市一市一策.xlsx") {
			for _, r := range rows {
				all.WriteString(strings.Join(r, "|"))
			}
		}
		for _, s := range []string{"<script>alert('xss')</script>加强实训基地建设", "</script><img src=x onerror=alert(1)>", "'); DROP TABLE measures; --"} {
			if !strings.Contains(all.String(), s) {
				t.Errorf("营口市 file lacks %q", s)
			}
		}
	})
	t.Run("embedded identity", func(t *testing.T) {
		for file, who := range map[string]string{"部省共建任务落实举措清单.xlsx": "本溪市", "清单-1.xlsx": "沈阳职业技术学院"} {
			f, err := excelize.OpenFile(filepath.Join(dataDir, file))
			if err != nil {
				t.Fatal(err)
			}
			var dn string
			for _, d := range f.GetDefinedName() {
				if d.Name == checklist.SubmitterDefinedName && d.Scope == "Workbook" {
					dn = d.RefersTo
				}
			}
			b1, _ := f.GetCellValue(checklist.IdentitySheet, "B1")
			b2, _ := f.GetCellValue(checklist.IdentitySheet, "B2")
			unit, _ := f.GetCellValue(checklist.SheetName, "A2")
			if dn != `"`+who+`"` || b1 != who || b2 != checklist.TemplateID || unit != "单位：（公章）" {
				t.Errorf("%s: defined name %s, B1 %q, B2 %q, unit %q", file, dn, b1, b2, unit)
			}
			f.Close()
		}
	})
	t.Run("resubmission", func(t *testing.T) {
		for _, pair := range [][2]string{{"大连市一市一策.xlsx", "大连市一市一策（修改稿）.xlsx"}, {"辽宁农业职业技术学院一校一案.xlsx", "辽宁农业职业技术学院一校一案v2.xlsx"}} {
			var mod [2]string
			var text [2]string
			for i, name := range pair {
				f, err := excelize.OpenFile(filepath.Join(dataDir, name))
				if err != nil {
					t.Fatal(err)
				}
				p, err := f.GetDocProps()
				if err != nil {
					t.Fatal(err)
				}
				mod[i] = p.Modified
				f.Close()
				var b strings.Builder
				for _, rows := range cells(t, name) {
					for _, r := range rows {
						b.WriteString(strings.Join(r, "|") + "\n")
					}
				}
				text[i] = b.String()
			}
			if !(mod[0] < mod[1]) {
				t.Errorf("%s modified %s, not before %s's %s", pair[0], mod[0], pair[1], mod[1])
			}
			if text[0] == text[1] {
				t.Errorf("%s and %s hold the same cells", pair[0], pair[1])
			}
		}
	})
	t.Run("legacy xls", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dataDir, "朝阳师范高等专科学校一校一案.xls"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := mscfb.New(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not a compound file: %v", err)
		}
		var names []string
		var wb []byte
		for e, err := r.Next(); err == nil; e, err = r.Next() {
			names = append(names, e.Name)
			if e.Name == "Workbook" {
				wb, _ = io.ReadAll(e)
			}
		}
		if len(wb) != 4096 || wb[0] != 0x09 || wb[1] != 0x08 {
			t.Errorf("streams %v; Workbook %d bytes starting % x", names, len(wb), wb[:min(4, len(wb))])
		}
		if _, err := excelize.OpenReader(bytes.NewReader(b)); err == nil {
			t.Error("excelize opened the .xls")
		}
	})
	t.Run("renamed docx", func(t *testing.T) {
		zr, err := zip.OpenReader(filepath.Join(dataDir, "辽宁特殊教育师范高等专科学校一校一案.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		if strings.Join(names, ",") != "[Content_Types].xml,_rels/.rels,word/document.xml" {
			t.Errorf("entries %v", names)
		}
	})
	t.Run("zip bomb", func(t *testing.T) {
		name := filepath.Join(dataDir, bombFile)
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.OpenReader(name)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var inflated uint64
		for _, f := range zr.File {
			inflated += f.UncompressedSize64
		}
		if fi.Size() >= 1<<20 || inflated < 300<<20 {
			t.Errorf("bomb is %d bytes, inflates to %d", fi.Size(), inflated)
		}
		// What ingest is expected to do: refuse it at open with a total unzip limit.
		_, err = excelize.OpenFile(name, excelize.Options{UnzipSizeLimit: 64 << 20})
		if err == nil || !strings.Contains(err.Error(), "unzip size exceeds") {
			t.Errorf("open with a 64 MB unzip limit: err = %v", err)
		}
	})
	t.Run("corrupt, empty, unrelated", func(t *testing.T) {
		if _, err := excelize.OpenFile(filepath.Join(dataDir, "大连翻译职业学院一校一案.xlsx")); err == nil {
			t.Error("truncated file opened")
		}
		if fi, err := os.Stat(filepath.Join(dataDir, "辽宁广告职业学院一校一案.xlsx")); err != nil || fi.Size() != 0 {
			t.Errorf("empty file: %v %v", fi, err)
		}
		rows := cells(t, "经费预算.xlsx")["经费预算"]
		if len(rows) < 2 || rows[1][1] != "项目名称" {
			t.Errorf("budget rows = %v", rows)
		}
	})
}
