package ingest

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// The parts of a workbook are read token by token (RawToken). encoding/xml reads byte by byte through
// interfaces and costs most of a sheet's read; fastTokens gives the same tokens from a part already in
// memory, for the plain XML every spreadsheet writer produces: elements, attributes in quotes, the five
// named entities and character references, an <?xml?> declaration. Anything else — a comment, CDATA,
// a DOCTYPE, a carriage return, a control character, invalid UTF-8, any syntax encoding/xml might
// refuse — is errDoubt, and the part is read again with encoding/xml, whose answer (tokens or error)
// then stands. So the fast reader never decides what a damaged or unusual part means.

// fastXML turns the fast reader on; tests turn it off to read every part with encoding/xml alone and
// compare.
var fastXML = true

// tokenReader is what the part readers need of a decoder: xml.Decoder's RawToken.
type tokenReader interface {
	RawToken() (xml.Token, error)
}

// errDoubt: the fast tokenizer met something it does not handle; read the part with encoding/xml.
var errDoubt = errors.New("xml outside the fast reader's subset")

type fastTokens struct {
	b        []byte
	pos      int
	closeTag xml.Name // a self-closing tag's end, due next
	pending  bool
	scratch  []byte
	attrs    []xml.Attr
}

func newFastTokens(b []byte) *fastTokens { return &fastTokens{b: b} }

// RawToken returns the next token. CharData aliases the input or a scratch buffer: valid until the
// next call, as encoding/xml's is. The Attr slice is reused likewise.
func (t *fastTokens) RawToken() (xml.Token, error) {
	if t.pending {
		t.pending = false
		return xml.EndElement{Name: t.closeTag}, nil
	}
	b := t.b
	if t.pos >= len(b) {
		return nil, io.EOF
	}
	if b[t.pos] != '<' {
		return t.text()
	}
	p := t.pos + 1
	if p >= len(b) {
		return nil, errDoubt
	}
	switch b[p] {
	case '/':
		name, q, ok := t.name(p + 1)
		if !ok {
			return nil, errDoubt
		}
		q = skipSpace(b, q)
		if q >= len(b) || b[q] != '>' {
			return nil, errDoubt
		}
		t.pos = q + 1
		return xml.EndElement{Name: name}, nil
	case '?':
		return t.procInst(p + 1)
	case '!':
		return nil, errDoubt // comment, CDATA, DOCTYPE
	}
	name, q, ok := t.name(p)
	if !ok {
		return nil, errDoubt
	}
	t.attrs = t.attrs[:0]
	for {
		r := skipSpace(b, q)
		if r >= len(b) {
			return nil, errDoubt
		}
		switch b[r] {
		case '>':
			t.pos = r + 1
			return xml.StartElement{Name: name, Attr: t.attrs}, nil
		case '/':
			if r+1 >= len(b) || b[r+1] != '>' {
				return nil, errDoubt
			}
			t.pos = r + 2
			t.pending, t.closeTag = true, name
			return xml.StartElement{Name: name, Attr: t.attrs}, nil
		}
		if r == q {
			return nil, errDoubt // an attribute must follow white space
		}
		an, s, ok := t.name(r)
		if !ok {
			return nil, errDoubt
		}
		s = skipSpace(b, s)
		if s >= len(b) || b[s] != '=' {
			return nil, errDoubt
		}
		s = skipSpace(b, s+1)
		if s >= len(b) || b[s] != '"' && b[s] != '\'' {
			return nil, errDoubt
		}
		quote := b[s]
		end := s + 1
		for end < len(b) && b[end] != quote {
			end++
		}
		if end >= len(b) {
			return nil, errDoubt
		}
		raw := b[s+1 : end]
		v, ok := t.unescape(raw, true)
		if !ok {
			return nil, errDoubt
		}
		t.attrs = append(t.attrs, xml.Attr{Name: an, Value: t.str(v, raw)})
		q = end + 1
	}
}

// str is v as a string: without a copy when v is the input itself (no reference decoded). The input
// is a part excelize unpacked and nobody writes to, so such a string stays valid.
func (t *fastTokens) str(v, raw []byte) string {
	if len(v) == 0 {
		return ""
	}
	if len(v) == len(raw) && &v[0] == &raw[0] {
		return unsafe.String(&v[0], len(v))
	}
	return string(v)
}

// elementText reads the text of an element holding only text up to its end tag, as textOf would,
// without copying it; ok is false (nothing read) when the element holds more than plain text.
func (t *fastTokens) elementText() (s string, ok bool, err error) {
	b := t.b
	end := t.pos
	for end < len(b) && b[end] != '<' {
		end++
	}
	if end+1 >= len(b) || b[end+1] != '/' || t.pending {
		return "", false, nil
	}
	raw := b[t.pos:end]
	v, ok := t.unescape(raw, false)
	if !ok {
		return "", false, errDoubt
	}
	s = t.str(v, raw)
	t.pos = end
	if _, err := t.RawToken(); err != nil { // the end tag
		return "", false, err
	}
	return s, true, nil
}

func (t *fastTokens) text() (xml.Token, error) {
	b := t.b
	end := t.pos
	for end < len(b) && b[end] != '<' {
		end++
	}
	raw := b[t.pos:end]
	v, ok := t.unescape(raw, false)
	if !ok {
		return nil, errDoubt
	}
	t.pos = end
	return xml.CharData(v), nil
}

// procInst accepts only the <?xml …?> declaration (encoding/xml refuses a declared encoding other
// than UTF-8 without a CharsetReader, so any encoding but UTF-8 is a doubt).
func (t *fastTokens) procInst(p int) (xml.Token, error) {
	b := t.b
	if p+3 > len(b) || string(b[p:p+3]) != "xml" || p+3 >= len(b) || !isSpace(b[p+3]) {
		return nil, errDoubt
	}
	end := p
	for end+1 < len(b) && !(b[end] == '?' && b[end+1] == '>') {
		end++
	}
	if end+1 >= len(b) {
		return nil, errDoubt
	}
	inst := b[p+3 : end]
	for i := 0; i < len(inst); i++ {
		if inst[i] >= 0x80 || inst[i] < 0x20 && !isSpace(inst[i]) {
			return nil, errDoubt
		}
	}
	if v := declared(string(inst), "version"); v != "" && v != "1.0" {
		return nil, errDoubt
	}
	if enc := declared(string(inst), "encoding"); enc != "" && !strings.EqualFold(enc, "utf-8") {
		return nil, errDoubt
	}
	t.pos = end + 2
	return xml.ProcInst{Target: "xml", Inst: inst}, nil
}

// declared is the key="…" of a declaration; "" when absent; "?" when unreadable.
func declared(s, key string) string {
	i := strings.Index(s, key)
	if i < 0 {
		return ""
	}
	s = s[i+len(key):]
	j := 0
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != '=' {
		return "?"
	}
	j++
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != '"' && s[j] != '\'' {
		return "?"
	}
	q := s[j]
	k := j + 1
	for k < len(s) && s[k] != q {
		k++
	}
	if k >= len(s) {
		return "?"
	}
	return s[j+1 : k]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, p int) int {
	for p < len(b) && isSpace(b[p]) {
		p++
	}
	return p
}

// name reads an ASCII name at p, split at one colon as encoding/xml's nsname does; names outside
// ASCII, or with more than one colon, are doubts.
func (t *fastTokens) name(p int) (xml.Name, int, bool) {
	b := t.b
	start, colon := p, -1
	for p < len(b) {
		c := b[p]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		case c >= '0' && c <= '9' || c == '-' || c == '.':
			if p == start {
				return xml.Name{}, p, false
			}
		case c == ':':
			if colon >= 0 || p == start {
				return xml.Name{}, p, false
			}
			colon = p
		case c >= 0x80:
			return xml.Name{}, p, false
		default:
			if p == start {
				return xml.Name{}, p, false
			}
			return t.split(b[start:p], colon-start), p, true
		}
		p++
	}
	return xml.Name{}, p, false // the input ends inside a tag
}

func (t *fastTokens) split(s []byte, colon int) xml.Name {
	if colon < 0 {
		return xml.Name{Local: internName(s)}
	}
	if colon == len(s)-1 {
		return xml.Name{Local: string(s)}
	}
	return xml.Name{Space: internName(s[:colon]), Local: internName(s[colon+1:])}
}

// internName spares an allocation for the names a worksheet repeats on every cell.
func internName(s []byte) string {
	switch string(s) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "r":
		return "r"
	case "s":
		return "s"
	case "t":
		return "t"
	case "f":
		return "f"
	case "row":
		return "row"
	case "si":
		return "si"
	case "is":
		return "is"
	case "spans":
		return "spans"
	case "x14ac":
		return "x14ac"
	case "dyDescent":
		return "dyDescent"
	case "ht":
		return "ht"
	case "customHeight":
		return "customHeight"
	case "xml":
		return "xml"
	case "space":
		return "space"
	case "rPr":
		return "rPr"
	}
	return string(s)
}

// unescape checks and decodes character data or an attribute value. The result aliases s when s holds
// no reference. ok is false for whatever encoding/xml might read otherwise or refuse.
func (t *fastTokens) unescape(s []byte, inAttr bool) ([]byte, bool) {
	amp := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				if amp < 0 {
					amp = i
				}
			case c == '\r':
				return nil, false // encoding/xml rewrites line ends
			case c < 0x20 && c != '\t' && c != '\n':
				return nil, false
			case c == '<' && inAttr:
				return nil, false
			case c == ']' && !inAttr && i+2 < len(s) && s[i+1] == ']' && s[i+2] == '>':
				return nil, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			return nil, false
		}
		i += size
	}
	if amp < 0 {
		return s, true
	}
	out := append(t.scratch[:0], s[:amp]...)
	for i := amp; i < len(s); {
		if s[i] != '&' {
			out = append(out, s[i])
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != ';' && j-i < 12 {
			j++
		}
		if j >= len(s) || s[j] != ';' {
			return nil, false
		}
		ref := string(s[i+1 : j])
		switch ref {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			if len(ref) < 2 || ref[0] != '#' {
				return nil, false
			}
			var n uint64
			var err error
			if ref[1] == 'x' {
				n, err = strconv.ParseUint(ref[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ref[1:], 10, 32)
			}
			r := rune(n)
			if err != nil || !xmlChar(r) || r == '\r' {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
		}
		i = j + 1
	}
	t.scratch = out
	return out, true
}

// xmlChar is XML 1.0's Char production, as encoding/xml checks a character reference.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
