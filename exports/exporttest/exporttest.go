// Package exporttest reads back what the tests of exported workbooks check beyond a cell's value.
// Test code only.
package exporttest

import (
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// NumFmt is the number format code of a cell's style: its custom code, else the built-in format's id.
func NumFmt(tb testing.TB, f *excelize.File, sheet, ref string) string {
	tb.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		tb.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return strconv.Itoa(st.NumFmt)
}
