package sqlfmt

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var sample = &Table{
	Columns: []string{"单位", "数量", "比例", "现行", "备注", "列表"},
	Types:   []string{"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR", "VARCHAR[]"},
	Rows: [][]any{
		{"大连市", int64(12000), 0.5, true, "=1+1", []any{"a", "b"}},
		{"沈阳市, 铁西", nil, 1.25, false, "多行\n文本", nil},
	},
	Elapsed: 12 * time.Millisecond,
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, ""},
		{"int", int64(-3), "-3"},
		{"float", 0.25, "0.25"},
		{"big float", 1e21, "1000000000000000000000"},
		{"bool", true, "true"},
		{"list", []any{int64(1), "x"}, `[1,"x"]`},
		{"struct", map[string]any{"k": "v"}, `{"k":"v"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample); err != nil {
		t.Fatal(err)
	}
	// Formula-like text is defused as in every CSV lnvedash writes ('=1+1); numbers are not text.
	want := "\uFEFF单位,数量,比例,现行,备注,列表\r\n大连市,12000,0.5,true,'=1+1,\"[\"\"a\"\",\"\"b\"\"]\"\r\n\"沈阳市, 铁西\",,1.25,false,\"多行\r\n文本\",\r\n" // CRLF throughout, as Excel writes it
	if b.String() != want {
		t.Errorf("csv =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestWriteXLSX(t *testing.T) {
	long := &Table{Columns: []string{"x"}, Types: []string{"VARCHAR"}, Rows: [][]any{{strings.Repeat("长", 40000)}}}
	var b bytes.Buffer
	if err := WriteXLSX(&b, sample); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "查询结果"
	tests := []struct {
		name, cell, value string
		typ               excelize.CellType
	}{
		{"chinese header", "A1", "单位", excelize.CellTypeSharedString},
		{"integer is a number", "B2", "12000", excelize.CellTypeNumber},
		{"float is a number", "C3", "1.25", excelize.CellTypeNumber},
		{"bool", "D2", "TRUE", excelize.CellTypeBool},
		{"formula-like text stays text", "E2", "=1+1", excelize.CellTypeInlineString},
		{"null is empty", "B3", "", excelize.CellTypeUnset},
		{"list as JSON", "F2", `["a","b"]`, excelize.CellTypeInlineString},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := f.GetCellValue(sh, tt.cell)
			typ, _ := f.GetCellType(sh, tt.cell)
			if v != tt.value {
				t.Errorf("%s = %q, want %q", tt.cell, v, tt.value)
			}
			if typ != tt.typ && !(tt.typ == excelize.CellTypeSharedString && typ == excelize.CellTypeInlineString) &&
				!(tt.typ == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) {
				t.Errorf("%s type %v, want %v", tt.cell, typ, tt.typ)
			}
			if f, _ := f.GetCellFormula(sh, tt.cell); f != "" {
				t.Errorf("%s has a formula %q", tt.cell, f)
			}
		})
	}
	b.Reset()
	if err := WriteXLSX(&b, long); err != nil {
		t.Fatal(err)
	}
}

func TestWriteJSONAndText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample); err != nil {
		t.Fatal(err)
	}
	var j JSON
	if err := json.Unmarshal(b.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.RowCount != 2 || j.ElapsedMS != 12 || j.Columns[0] != "单位" || j.Rows[1][1] != nil {
		t.Errorf("json %+v", j)
	}
	if empty := ToJSON(&Table{Columns: []string{"a"}}); empty.Rows == nil {
		t.Error("no rows must be [] in JSON, not null")
	}
	b.Reset()
	if err := WriteText(&b, sample); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.HasPrefix(lines[0], "单位         | 数量") || !strings.Contains(lines[3], "NULL") || !strings.Contains(b.String(), "(2 行，12 ms)") {
		t.Errorf("text:\n%s", b.String())
	}
}
