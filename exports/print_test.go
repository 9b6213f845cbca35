package exports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// anchorRe reads a drawing's two-cell anchor: 0-based columns and rows, the end's row offset in EMU.
var (
	anchorRe = regexp.MustCompile(`<xdr:from><xdr:col>(\d+)</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>.*?<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff>`)
	brkRe    = regexp.MustCompile(`<brk id="(\d+)"[^>]*man="true"`)
	areaRe   = regexp.MustCompile(`!\$A\$1:\$([A-Z]+)\$(\d+)$`)
	drawRe   = regexp.MustCompile(`Target="../drawings/(drawing\d+\.xml)"`)
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// The pack prints as a handout: every sheet A4, one page wide, header row repeated, a print area that
// holds the table and its chart; each chart sits under its table after a manual page break, fits a
// landscape page and lies inside the print area; narrow sheets print portrait, wide ones landscape
// (widths worked out from the column widths: 报送情况 7 narrow columns, 各任务覆盖率 a 50-character
// task column and 1100-px chart). Before, nothing was set and LibreOffice printed 138 pages with the
// charts cut across them.
func TestPackPrintSetup(t *testing.T) {
	b, f := openPack(t, params())
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range zr.File {
		files[zf.Name] = readZip(t, zf)
	}
	areas := map[string]string{}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm.Print_Area":
			areas[dn.Scope] = dn.RefersTo
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = dn.RefersTo
		}
	}
	charts := 0
	for i, sh := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Size == nil || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, want A4 one page wide", sh, pl)
		}
		if want := fmt.Sprintf("'%s'!$%d:$%d", sh, HeaderRow, HeaderRow); titles[sh] != want {
			t.Errorf("%s: print titles %q, want %q", sh, titles[sh], want)
		}
		m := areaRe.FindStringSubmatch(areas[sh])
		if m == nil {
			t.Errorf("%s: print area %q", sh, areas[sh])
			continue
		}
		areaCol, _ := excelize.ColumnNameToNumber(m[1])
		areaRow := atoi(m[2])
		rows, _ := f.GetRows(sh)
		if areaRow < len(rows) {
			t.Errorf("%s: print area ends at row %d, the table at %d", sh, areaRow, len(rows))
		}
		sheetXML := files[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)]
		rel := drawRe.FindStringSubmatch(files[fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", i+1)])
		if rel == nil {
			continue
		}
		charts++
		drawing := files["xl/drawings/"+rel[1]]
		a := anchorRe.FindStringSubmatch(drawing)
		if a == nil {
			t.Fatalf("%s: no anchor in %s", sh, rel[1])
		}
		fromRow, toCol, toRow := atoi(a[2]), atoi(a[3]), atoi(a[4])
		if fromRow+1 <= len(rows) {
			t.Errorf("%s: chart starts at row %d, on the table (rows 1–%d)", sh, fromRow+1, len(rows))
		}
		brk := brkRe.FindAllStringSubmatch(sheetXML, -1)
		if len(brk) != 1 || atoi(brk[0][1]) != fromRow {
			t.Errorf("%s: page breaks %v, want one after row %d (the chart begins a page)", sh, brk, fromRow)
		}
		if toCol+1 > areaCol || toRow+1 > areaRow {
			t.Errorf("%s: chart reaches column %d row %d, outside the print area %s", sh, toCol+1, toRow+1, areas[sh])
		}
		// A landscape A4 page inside 0.4" margins, less header and footer: 7.47"−0.8" at 96 dpi = 640 px.
		// The pack's rows keep the default 20 px; the anchor's end offset is in EMU (9525 a pixel).
		if px := (toRow-fromRow)*20 + atoi(a[5])/9525; px > 640 {
			t.Errorf("%s: chart %d px tall, more than a page", sh, px)
		}
	}
	if charts != 4 {
		t.Errorf("%d sheets with a chart, want 4", charts)
	}
	for sh, want := range map[string]string{"报送情况": "portrait", "各任务覆盖率": "landscape", "量化目标进度": "landscape"} {
		pl, _ := f.GetPageLayout(sh)
		if pl.Orientation == nil || *pl.Orientation != want {
			t.Errorf("%s prints %v, want %s", sh, pl.Orientation, want)
		}
	}
	if strings.Count(files["xl/workbook.xml"], "_xlnm.Print_Area") != len(f.GetSheetList()) {
		t.Error("not every sheet has a print area")
	}
}
