package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tokenDump renders a token stream, as far as it goes, in a form two readers can be compared on; the
// last line is the error that ended it ("EOF" at the end).
func tokenDump(d tokenReader) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.RawToken()
		if err != nil {
			fmt.Fprintf(&b, "end %v\n", err == io.EOF)
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			fmt.Fprintf(&b, "start %q:%q", t.Name.Space, t.Name.Local)
			for _, a := range t.Attr {
				fmt.Fprintf(&b, " %q:%q=%q", a.Name.Space, a.Name.Local, a.Value)
			}
			b.WriteString("\n")
		case xml.EndElement:
			fmt.Fprintf(&b, "end %q:%q\n", t.Name.Space, t.Name.Local)
		case xml.CharData:
			fmt.Fprintf(&b, "text %q\n", string(t))
		case xml.ProcInst:
			fmt.Fprintf(&b, "pi %q\n", t.Target)
		default:
			fmt.Fprintf(&b, "other %T\n", t)
		}
	}
}

// sameTokens checks the fast tokenizer against encoding/xml on one input: where it does not doubt,
// every token and the end must be encoding/xml's. It reports whether the fast reader doubted.
func sameTokens(t *testing.T, what string, b []byte) bool {
	t.Helper()
	fast, ferr := tokenDump(newFastTokens(b))
	if errors.Is(ferr, errDoubt) {
		return true
	}
	slow, serr := tokenDump(xml.NewDecoder(bytes.NewReader(b)))
	if serr != io.EOF {
		t.Fatalf("%s: encoding/xml fails (%v) where the fast reader did not doubt", what, serr)
	}
	if fast != slow {
		t.Fatalf("%s: tokens differ\nfast:\n%s\nencoding/xml:\n%s", what, clipDump(fast), clipDump(slow))
	}
	return false
}

func clipDump(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// Every XML part of every committed workbook (the corpus of openpyxl, LibreOffice and hand-built
// OOXML, and the fixtures) reads the same through both; the parts Excel-like writers produce are
// read without doubt.
func TestFastTokensAgreeOnCommittedWorkbooks(t *testing.T) {
	var books []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xlsx") {
			books = append(books, p)
		}
		return err
	})
	if len(books) < 20 {
		t.Fatalf("only %d workbooks under testdata", len(books))
	}
	parts, doubted := 0, 0
	for _, p := range books {
		zr, err := zip.OpenReader(p)
		if err != nil {
			continue // the fixtures that are not zips (renamed files, encrypted ones)
		}
		for _, e := range zr.File {
			if !strings.HasSuffix(e.Name, ".xml") && !strings.HasSuffix(e.Name, ".rels") {
				continue
			}
			rc, err := e.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(rc, 8<<20))
			rc.Close()
			if err != nil {
				continue
			}
			parts++
			if sameTokens(t, p+"!"+e.Name, b) {
				doubted++
				if strings.HasPrefix(e.Name, "xl/worksheets/") || e.Name == "xl/sharedStrings.xml" {
					t.Logf("doubted: %s!%s", p, e.Name)
				}
			}
		}
		zr.Close()
	}
	t.Logf("%d parts, %d left to encoding/xml", parts, doubted)
	if parts < 100 {
		t.Fatalf("only %d parts read", parts)
	}
}

func TestFastTokensDoubtOrAgree(t *testing.T) {
	cases := []struct {
		in    string
		doubt bool
	}{
		{`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<a x="1" y='&lt;2&gt;'><b/>t&amp;u&#x4E2D;&#25991;</a>`, false},
		{`<x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>`, false},
		{`<a>中文 text	tab` + "\n" + `</a>`, false},
		{`<a xml:space="preserve"> x </a >`, false},
		{`<?xml version="1.0" encoding="GBK"?><a/>`, true},
		{`<?xml version="1.1"?><a/>`, true},
		{`<!-- c --><a/>`, true},
		{`<a><![CDATA[x]]></a>`, true},
		{"<a>x\r\ny</a>", true},
		{"<a>\x01</a>", true},
		{"<a>\xff</a>", true},
		{`<a>&nbsp;</a>`, true},
		{`<a>x]]>y</a>`, true},
		{`<a b=1/>`, true},
		{`<a b="<"/>`, true},
		{`<a b="1"c="2"/>`, true},
		{`<a:b:c/>`, true},
		{`<名/>`, true},
		{`<a`, true},
		{`<a b="1`, true},
		{`<a>&#0;</a>`, true},
		{`<a>&#13;</a>`, true},
	}
	for _, c := range cases {
		if got := sameTokens(t, c.in, []byte(c.in)); got != c.doubt {
			t.Errorf("%q: doubt %v, want %v", c.in, got, c.doubt)
		}
	}
}

// FuzzFastTokens: on any input, the fast tokenizer doubts or gives exactly encoding/xml's tokens.
func FuzzFastTokens(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
		`<sst><si><t xml:space="preserve"> a&amp;b </t></si><si><r><t>x</t></r><rPh><t>y</t></rPh></si></sst>`,
		`<a b='&#x41;' c="&quot;"/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameTokens(t, "fuzz input", b)
	})
}

// Every committed workbook reads to the same result, findings and verdicts included, with the fast
// reader and with encoding/xml alone.
func TestFastReaderReadsCommittedWorkbooksAsEncodingXML(t *testing.T) {
	var books []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xlsx") {
			books = append(books, p)
		}
		return err
	})
	mtime := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	read := func(p string) string {
		got, err := corpusReader.ReadIn(p, filepath.Base(p), "", mtime)
		return fmt.Sprintf("%+v\n%v", got, err)
	}
	accepted := 0
	for _, p := range books {
		fast := read(p)
		fastXML = false
		slow := read(p)
		fastXML = true
		if fast != slow {
			t.Errorf("%s reads otherwise with the fast reader:\nfast: %s\nencoding/xml: %s", p, clipDump(fast), clipDump(slow))
		}
		if strings.HasSuffix(fast, "<nil>") {
			accepted++
		}
	}
	if accepted < 20 {
		t.Fatalf("only %d of %d workbooks accepted", accepted, len(books))
	}
}
