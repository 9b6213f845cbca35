package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// handBook is a one-sheet workbook written as OOXML by hand: rows of cells (inline "s:" = shared string
// index, "n:" = number, anything else a shared string added in order), hidden columns, extra strings.
func handBook(t *testing.T, rows [][]string, hiddenCols string) string {
	t.Helper()
	var ss []string
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if hiddenCols != "" {
		sheet.WriteString(`<cols><col min="` + hiddenCols + `" max="` + hiddenCols + `" hidden="1" width="0"/></cols>`)
	}
	sheet.WriteString(`<sheetData>`)
	for i, r := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for j, c := range r {
			ref := fmt.Sprintf("%s%d", colName(j), i+1)
			switch {
			case c == "":
			case strings.HasPrefix(c, "s:"):
				fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%s</v></c>`, ref, c[2:])
			case strings.HasPrefix(c, "n:"):
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, c[2:])
			default:
				fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, len(ss))
				ss = append(ss, c)
			}
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	var sst strings.Builder
	fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(ss), len(ss))
	for _, s := range ss {
		fmt.Fprintf(&sst, `<si><t xml:space="preserve">%s</t></si>`, s)
	}
	sst.WriteString(`</sst>`)
	b := minimalZip(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
		{"xl/sharedStrings.xml", sst.String()},
	})
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The look for a progress header made in the plan read (progressProbe) may answer "maybe" too often,
// never "no" where readProgressSheet (excelize's reading) finds a progress header: each case here is
// checked against readProgressSheet itself.
func TestProgressProbeNeverMissesWhatExcelizeFinds(t *testing.T) {
	rd := NewReader(corpusReader.Set)
	plan := []string{"序号", "任务内容", "具体举措", "完成目标", "完成时间"}
	progress := []string{"序号", "具体举措", "完成情况"}
	filler := func(n int) [][]string {
		var rows [][]string
		for i := 0; i < n; i++ {
			rows = append(rows, []string{fmt.Sprintf("n:%d", i+1), "说明"})
		}
		return rows
	}
	cases := []struct {
		name       string
		rows       [][]string
		hiddenCols string
		maybe      bool // the probe's answer
		excelize   bool // readProgressSheet acts on the sheet
	}{
		{"plan header", [][]string{{"单位：大连市"}, plan, {"1", "任务", "举措", "2个", "2022年"}}, "", false, false},
		{"progress header", [][]string{{"单位：大连市"}, progress, {"1", "举措", "已完成"}}, "", true, true},
		{"progress header in a hidden column", [][]string{{"序号", "具体举措", "", "完成情况"}}, "D", true, true},
		{"progress header on the 60th row with content", append(filler(59), progress), "", true, true},
		{"progress header on the 61st row with content", append(filler(60), progress), "", false, false},
		{"escape excelize decodes", [][]string{{"序号", "具体举措", "完成_x000A_情况"}}, "", true, true},
		{"shared string index out of range", [][]string{{"s:99"}, plan}, "", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := handBook(t, c.rows, c.hiddenCols)
			f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			bp, err := loadBookParts(f, path, false)
			if err != nil {
				t.Fatal(err)
			}
			sd, err := rd.readSheet(bp, "S", true)
			if err != nil {
				t.Fatal(err)
			}
			// readProgressSheet acts on the sheet (a progress return, or a verdict) or passes it on (nil, nil).
			p, perr := rd.readProgressSheet(f, "S", "book.xlsx", time.Now(), 0)
			acts := p != nil || perr != nil
			if acts != c.excelize {
				t.Fatalf("readProgressSheet acts: %v (%v), want %v", acts, perr, c.excelize)
			}
			if acts && !sd.mayBeProgress {
				t.Errorf("the probe said no where readProgressSheet acts")
			}
			if sd.mayBeProgress != c.maybe {
				t.Errorf("probe: %v, want %v", sd.mayBeProgress, c.maybe)
			}
		})
	}
}
