package ingest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"path"
	"strings"
)

// checkCellBudget bounds a workbook's memory by its budget rather than by its input, before excelize
// reads it: excelize decodes one cell's text whole (a 50 MB inline string is 50 MB of heap, times
// the workers), and reads the shared-strings part whole. So every worksheet and the shared strings
// are scanned first, as a stream in constant memory, for a text run (the characters between two
// tags: one cell's value) longer than MaxCellBytes, and the shared strings for more than
// MaxSharedStrings unpacked bytes. Excel itself stores at most 32,767 characters in a cell, so no
// workbook from Excel or WPS comes near either budget.
func checkCellBudget(zr *zip.Reader, lim Limits) error {
	if lim.MaxCellBytes <= 0 {
		return nil
	}
	for _, e := range zr.File {
		name := strings.ToLower(e.Name)
		shared := name == "xl/sharedstrings.xml"
		if !shared && !(strings.HasPrefix(name, "xl/worksheets/") && path.Ext(name) == ".xml") {
			continue
		}
		if shared && lim.MaxSharedStrings > 0 && e.UncompressedSize64 > uint64(lim.MaxSharedStrings) {
			return tooBigStrings(lim)
		}
		long, n, err := longestText(e, lim.MaxCellBytes)
		if err != nil {
			return reject(CodeCorrupt, "文件已损坏，无法打开，请重新导出后报送", err)
		}
		if long {
			return reject(CodeTooLarge, fmt.Sprintf("文件中有单元格内容超过 %d KB（Excel 单元格最多 32767 个字符），疑似异常文件，请检查后重新报送", lim.MaxCellBytes>>10), nil)
		}
		if shared && lim.MaxSharedStrings > 0 && n > lim.MaxSharedStrings {
			return tooBigStrings(lim) // the header lied about the size
		}
	}
	return nil
}

func tooBigStrings(lim Limits) error {
	return reject(CodeTooLarge, fmt.Sprintf("文件中的文字内容解压后超过 %d MB，疑似异常文件，请检查后重新报送", lim.MaxSharedStrings>>20), nil)
}

// longestText reports whether a text run between tags in e is longer than max bytes, and how many
// bytes e unpacks to (reading stops at the first run too long).
func longestText(e *zip.File, max int64) (bool, int64, error) {
	rc, err := e.Open()
	if err != nil {
		return false, 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var n, run int64
	inTag := false
	for {
		chunk, err := br.ReadSlice('<')
		for _, c := range chunk {
			switch {
			case c == '<':
				inTag, run = true, 0
			case inTag:
				inTag = c != '>'
			default: // a literal '>' in text is text too
				if run++; run > max {
					return true, n, nil
				}
			}
		}
		n += int64(len(chunk))
		switch err {
		case nil, bufio.ErrBufferFull:
		case io.EOF:
			return false, n, nil
		default:
			return false, n, err
		}
	}
}
