package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The sheet reader streams a worksheet's XML once and hands back what a person sees: each visible row's
// cells as displayed (number formats applied, a formula's cached value), with the row's hidden flag,
// the hidden columns, the print header and footer and the merged ranges of that same pass. excelize's
// row iterator gives raw values without their styles and stops at </sheetData>, and asking excelize for
// styles, merges or the header/footer parses the whole sheet again.

// bookParts is what every sheet of one workbook is read against: shared strings, the number format of
// each cell style, the date system, and where each sheet's XML lives.
type bookParts struct {
	strings  []string
	formats  []string // by style index (cellXfs): the number format code, "" for General
	date1904 bool
	paths    map[string]string // sheet name → part name (xl/worksheets/sheet1.xml)
	open     func(name string) (io.ReadCloser, error)
	inMemory func(name string) ([]byte, bool) // the part as excelize unpacked it, if it kept it
	zip      *zip.ReadCloser                  // opened for a part excelize left on disk
}

// close releases the zip opened for parts excelize did not keep in memory.
func (bp *bookParts) close() {
	if bp != nil && bp.zip != nil {
		bp.zip.Close()
	}
}

// tokens opens a part for reading token by token: with fast, by fastTokens when the part is in memory.
func (bp *bookParts) tokens(name string, fast bool) (tokenReader, io.Closer, error) {
	if fast {
		if b, ok := bp.inMemory(name); ok {
			return newFastTokens(b), io.NopCloser(nil), nil
		}
	}
	rc, err := bp.open(name)
	if err != nil {
		return nil, nil, err
	}
	return xml.NewDecoder(rc), rc, nil
}

// errMissingPart is a part the workbook's own index names but the package does not hold.
var errMissingPart = errors.New("part missing from the package")

// loadBookParts reads the workbook's index, shared strings and styles. Parts come from what excelize
// already unpacked (f.Pkg) or, for a part too large to keep in memory, from the zip itself.
func loadBookParts(f *excelize.File, zipPath string, date1904 bool) (_ *bookParts, err error) {
	bp := &bookParts{date1904: date1904, paths: map[string]string{}}
	defer func() {
		if err != nil {
			bp.close()
		}
	}()
	bp.inMemory = func(name string) ([]byte, bool) {
		if v, ok := f.Pkg.Load(name); ok {
			b, ok := v.([]byte)
			return b, ok
		}
		return nil, false
	}
	bp.open = func(name string) (io.ReadCloser, error) {
		if b, ok := bp.inMemory(name); ok {
			return io.NopCloser(bytes.NewReader(b)), nil
		}
		if bp.zip == nil {
			zr, err := zip.OpenReader(zipPath)
			if err != nil {
				return nil, err
			}
			bp.zip = zr
		}
		for _, e := range bp.zip.File {
			if strings.TrimPrefix(e.Name, "/") == name {
				return e.Open()
			}
		}
		return nil, fmt.Errorf("%s: %w", name, errMissingPart)
	}
	// The sheets' part names: workbook.xml's r:id through its relationships.
	rels := map[string]string{}
	if err := bp.readXML("xl/_rels/workbook.xml.rels", func() { clear(rels) }, func(d tokenReader, se xml.StartElement) error {
		if se.Name.Local == "Relationship" {
			rels[attr(se, "Id")] = attr(se, "Target")
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := bp.readXML("xl/workbook.xml", func() { clear(bp.paths) }, func(d tokenReader, se xml.StartElement) error {
		if se.Name.Local == "sheet" {
			target := rels[attrNS(se, "id")]
			if target == "" {
				return nil
			}
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join("xl", target)
			}
			bp.paths[attr(se, "name")] = target
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := bp.readXML("xl/sharedStrings.xml", func() { bp.strings = nil }, func(d tokenReader, se xml.StartElement) error {
		if se.Name.Local != "si" {
			return nil
		}
		s, err := richText(d, se)
		bp.strings = append(bp.strings, s)
		return err
	}); err != nil && !errors.Is(err, errMissingPart) {
		return nil, err
	}
	custom := map[int]string{}
	inXfs := false
	if err := bp.readXML("xl/styles.xml", func() { clear(custom); inXfs = false; bp.formats = nil }, func(d tokenReader, se xml.StartElement) error {
		switch se.Name.Local {
		case "numFmt":
			if id, err := strconv.Atoi(attr(se, "numFmtId")); err == nil {
				custom[id] = attr(se, "formatCode")
			}
		case "cellXfs":
			inXfs = true
		case "cellStyleXfs", "dxfs":
			inXfs = false
		case "xf":
			if inXfs {
				id, _ := strconv.Atoi(attr(se, "numFmtId"))
				code, ok := custom[id]
				if !ok {
					code = builtinFormats[id]
				}
				bp.formats = append(bp.formats, code)
			}
		}
		return nil
	}); err != nil && !errors.Is(err, errMissingPart) {
		return nil, err
	}
	return bp, nil
}

// readXML calls fn for each start element of a part; fn may consume the element's content. The part
// is read by fastTokens first; where it doubts, reset undoes what fn gathered and encoding/xml reads
// the part again.
func (bp *bookParts) readXML(name string, reset func(), fn func(tokenReader, xml.StartElement) error) error {
	err := bp.readXMLWith(name, fastXML, fn)
	if errors.Is(err, errDoubt) {
		reset()
		err = bp.readXMLWith(name, false, fn)
	}
	return err
}

func (bp *bookParts) readXMLWith(name string, fast bool, fn func(tokenReader, xml.StartElement) error) error {
	d, c, err := bp.tokens(name, fast)
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// attrNS finds a namespaced attribute (r:id) by its local name, whatever the prefix.
func attrNS(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != "" {
			return a.Value
		}
	}
	return attr(se, local)
}

// richText reads the text of a shared string or inline string: <t> directly or in runs <r>, leaving
// out phonetic guides (<rPh>), which are not shown in the cell.
func richText(d tokenReader, start xml.StartElement) (string, error) {
	var b strings.Builder
	depth, inT, skip := 0, false, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "rPh", "phoneticPr":
				skip++
			case "t":
				inT = skip == 0
			}
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
			switch t.Name.Local {
			case "rPh", "phoneticPr":
				skip--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				b.Write(t)
			}
		}
	}
}

// sheetRow is one <row> as displayed.
type sheetRow struct {
	No     int
	Hidden bool
	Cells  []string // by column index from 0; hidden columns are blank
	// HiddenText counts the non-blank cells of hidden columns in this row.
	HiddenText int
	// Raw is the row as excelize reads it (see streamSheet's rawRows); nil past those rows.
	Raw     []string
	wantRaw bool
}

// sheetTail is what a worksheet says after (or around) its rows.
type sheetTail struct {
	HiddenCols   map[int]bool // 0-based
	HiddenUsed   map[int]bool // hidden columns that hold text
	HeaderFooter []string     // print headers and footers, control codes removed
	Merges       [][4]int     // c1, r1, c2, r2 (1-based)
	// Uncertain: a row read raw may differ from excelize's reading of it (an _xHHHH_ escape, a shared
	// string index out of range or a cell reference excelize refuses).
	Uncertain bool
}

// errUncertain is cellValue's word that the raw value may not be excelize's.
var errUncertain = errors.New("cell may read differently in excelize")

// streamSheet reads a sheet part once, calling fn for each row with content. fn returning errStop ends
// the read early (the tail is then incomplete). Damaged XML is an error.
//
// rawRows > 0 also gives, for the first rawRows rows with content, the cells as excelize's row iterator
// reads them under RawCellValue (sheetRow.Raw): hidden columns kept, numbers, dates and booleans as
// stored. They serve the look for a progress return's header (mayBeProgress) in the same pass; where
// the two readers might differ, tail.Uncertain is set instead of guessing.
//
// With fast, the part is read by fastTokens where it can be; errDoubt then means: read it again
// without (from the start, fn's state included).
func (bp *bookParts) streamSheet(sheet string, maxCols, rawRows int, fast bool, fn func(r *sheetRow) error) (*sheetTail, error) {
	name, ok := bp.paths[sheet]
	if !ok {
		return nil, fmt.Errorf("sheet %s: %w", sheet, errMissingPart)
	}
	d, c, err := bp.tokens(name, fast)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	tail := &sheetTail{HiddenCols: map[int]bool{}, HiddenUsed: map[int]bool{}}
	var row *sheetRow
	rowNo := 0
	col := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return tail, nil
		}
		if err != nil {
			return tail, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "col":
				if attr(t, "hidden") == "1" || attr(t, "hidden") == "true" {
					lo, _ := strconv.Atoi(attr(t, "min"))
					hi, _ := strconv.Atoi(attr(t, "max"))
					for c := lo; c <= hi && c <= maxCols; c++ {
						if c >= 1 {
							tail.HiddenCols[c-1] = true
						}
					}
				}
			case "row":
				rowNo++
				if r, err := strconv.Atoi(attr(t, "r")); err == nil && r > 0 {
					rowNo = r
				}
				h := attr(t, "hidden")
				row = &sheetRow{No: rowNo, Hidden: h == "1" || h == "true", wantRaw: rawRows > 0}
				col = 0
			case "c":
				col++
				if r := attr(t, "r"); r != "" {
					if c, _, err := excelize.CellNameToCoordinates(r); err == nil {
						col = c
					} else if row != nil && row.wantRaw {
						tail.Uncertain = true // excelize's iterator fails on it
					}
				}
				v, rawV, err := bp.cellValue(d, t, row != nil && row.wantRaw)
				if err == errUncertain {
					tail.Uncertain, err = true, nil
				}
				if err != nil {
					return tail, err
				}
				if row == nil || col > maxCols {
					continue
				}
				if row.wantRaw && rawV != "" {
					if strings.Contains(rawV, "_x") {
						tail.Uncertain = true // excelize decodes the escape
					}
					row.Raw = appendAt(row.Raw, col, rawV)
				}
				if v == "" {
					continue
				}
				if tail.HiddenCols[col-1] {
					row.HiddenText++
					tail.HiddenUsed[col-1] = true
					continue
				}
				row.Cells = appendAt(row.Cells, col, v)
			case "mergeCell":
				if a, b, ok := strings.Cut(attr(t, "ref"), ":"); ok {
					c1, r1, err1 := excelize.CellNameToCoordinates(a)
					c2, r2, err2 := excelize.CellNameToCoordinates(b)
					if err1 == nil && err2 == nil {
						tail.Merges = append(tail.Merges, [4]int{c1, r1, c2, r2})
					}
				}
			case "oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter":
				s, err := textOf(d)
				if err != nil {
					return tail, err
				}
				if s = stripHeaderCodes(s); s != "" {
					tail.HeaderFooter = append(tail.HeaderFooter, s)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "row" && row != nil {
				r := row
				row = nil
				if len(r.Raw) > 0 {
					rawRows--
				}
				if len(r.Cells) == 0 && r.HiddenText == 0 && len(r.Raw) == 0 {
					continue
				}
				if err := fn(r); err != nil {
					return tail, err
				}
			}
		}
	}
}

// appendAt puts v in column col (1-based) of cells, padding with blanks.
func appendAt(cells []string, col int, v string) []string {
	for len(cells) < col-1 {
		cells = append(cells, "")
	}
	return append(cells, v)
}

// textOf reads the character data up to the end of the current element.
func textOf(d tokenReader) (string, error) {
	if ft, ok := d.(*fastTokens); ok {
		if s, ok, err := ft.elementText(); ok || err != nil {
			return s, err
		}
	}
	var b strings.Builder
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		case xml.CharData:
			b.Write(t)
		}
	}
}

// cellValue reads a <c> element to its end and returns the text it displays and, when raw, the value
// as excelize reads it under RawCellValue (the stored number, date or boolean); errUncertain (with
// the values) when excelize might read it otherwise.
func (bp *bookParts) cellValue(d tokenReader, start xml.StartElement, raw bool) (shown, rawV string, err error) {
	typ := attr(start, "t")
	style, _ := strconv.Atoi(attr(start, "s"))
	var v string
	inline := ""
	hasInline := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				if v, err = textOf(d); err != nil {
					return "", "", err
				}
			case "is":
				if inline, err = richText(d, t); err != nil {
					return "", "", err
				}
				hasInline = true
			default:
				if _, err := textOf(d); err != nil { // <f>, <extLst>: not shown
					return "", "", err
				}
			}
		case xml.EndElement:
			if t.Name.Local != start.Name.Local {
				continue
			}
			switch typ {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || i < 0 || i >= len(bp.strings) {
					if raw && v != "" {
						return "", "", errUncertain // excelize refuses the index or reads another string
					}
					return "", "", nil
				}
				return bp.strings[i], bp.strings[i], nil
			case "inlineStr":
				if hasInline {
					return inline, inline, nil
				}
				return v, v, nil
			case "str", "e":
				return v, v, nil
			}
			return bp.display(typ, v, style), v, nil
		}
	}
}

// display is how a number, date or boolean cell shows its stored value v.
func (bp *bookParts) display(typ, v string, style int) string {
	switch typ {
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE"
		}
		if v == "" {
			return ""
		}
		return "FALSE"
	case "d":
		return formatISODate(v, bp.format(style))
	}
	if v == "" {
		return ""
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return v
	}
	return formatNumber(f, bp.format(style), bp.date1904)
}

func (bp *bookParts) format(style int) string {
	if style >= 0 && style < len(bp.formats) {
		return bp.formats[style]
	}
	return ""
}

// stripHeaderCodes removes the control codes of a print header or footer (&L &C &R sections, &P page
// numbers, &"font,style", &12 sizes, &K colours), keeping the text a printout shows.
func stripHeaderCodes(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '&' || i+1 >= len(rs) {
			b.WriteRune(rs[i])
			continue
		}
		i++
		switch c := rs[i]; {
		case c == '&':
			b.WriteRune('&')
		case c == '"':
			for i+1 < len(rs) && rs[i+1] != '"' {
				i++
			}
			i++
		case c >= '0' && c <= '9':
			for i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9' {
				i++
			}
		case c == 'K':
			i += 6
		case c == 'L' || c == 'C' || c == 'R':
			b.WriteRune(' ')
		}
	}
	return strings.TrimSpace(b.String())
}
