package sample

import (
	"fmt"
	"strings"

	"lnvedash/seeds"
)

// StatusReceived is the status of a stamped copy (纸质版扫描成PDF) in the manifest.
const StatusReceived = "received"

// ReasonStampedUnnamed is the verdict on a stamped copy whose file name names no unit.
const ReasonStampedUnnamed = "stamped_unnamed"

// The stamped copies the notice asks for beside each xlsx: most units that returned a checklist also
// send one; one college sends only the PDF; one unit's PDF predates its current checklist (the signed
// paper no longer matches); one PDF names nobody. Each PDF carries its own /ModDate, so whether it is
// stale does not depend on the file's time on disk (a git checkout resets that).
const (
	stampedOnly  = "铁岭卫生职业学院" // sends the stamped PDF and no checklist
	stampedStale = "辽宁机电职业技术学院"
	stampedDate  = "D:20210930120000+08'00'" // after every sample checklist
	staleDate    = "D:20210831120000+08'00'" // before every sample checklist
)

// stampedCopies adds the stamped PDFs to the plan ps: every fourth unit with a current checklist sends
// none, so the correction list has units to chase.
func stampedCopies(ps []planned) []planned {
	var out []planned
	add := func(e Entry, pages int, date string) {
		out = append(out, planned{e, func(*seeds.Set) ([]byte, error) { return stampedPDF(e.File, pages, date), nil }})
	}
	n := 0
	for _, p := range ps {
		e := p.entry
		if e.Status != StatusCurrent || e.Submitter == "" || e.Submitter == "沈阳市" {
			continue // 沈阳市 sends its scan under its own name below (bad.go's minimal PDF)
		}
		n++
		switch {
		case e.Submitter == stampedStale:
			add(Entry{File: e.Submitter + "-盖章版（旧）.pdf", Submitter: e.Submitter, Status: StatusReceived,
				Note: "盖章扫描件早于现行清单（PDF 自带修改日期 2021-08-31），应标记为过期"}, 2, staleDate)
		case n%4 == 0:
			// no stamped copy: the correction list asks for it
		default:
			add(Entry{File: e.Submitter + "-盖章版.pdf", Submitter: e.Submitter, Status: StatusReceived,
				Note: fmt.Sprintf("盖章扫描件（%d页）", 1+n%3)}, 1+n%3, stampedDate)
		}
	}
	add(Entry{File: stampedOnly + "-盖章版.pdf", Submitter: stampedOnly, Status: StatusReceived,
		Note: "只报送了盖章扫描件，没有电子版清单"}, 3, stampedDate)
	add(Entry{File: "盖章扫描件.pdf", Status: StatusRejected, ReasonCode: ReasonStampedUnnamed,
		Note: "文件名中没有单位名称的盖章扫描件"}, 1, stampedDate)
	return out
}

// stampedPDF is a PDF of pages blank A4 pages with an Info dictionary dated date (its /Subject the hex
// of the file name, so no two units' scans are byte-identical), hand-built so the page count read back
// by ingest (pdfcpu) is checked against an independent writer.
func stampedPDF(name string, pages int, date string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var kids []string
	for i := 0; i < pages; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", 4+i))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages)
	objs = append(objs, fmt.Sprintf("<< /Producer (lnvedash sample) /Subject (%x) /CreationDate (%s) /ModDate (%s) >>", name, date, date))
	for i := 0; i < pages; i++ {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	}
	return pdfFile(objs, " /Info 3 0 R")
}

// pdfFile writes objs as objects 1…n of a PDF 1.4 file with its cross-reference table; object 1 is
// the catalog, trailer adds entries to the trailer dictionary.
func pdfFile(objs []string, trailer string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return []byte(b.String())
}
