package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/richardlehane/mscfb"
)

// Limits on untrusted input. Sizes are bytes. A real checklist is well under 1 MB; these leave room
// for pictures pasted into a sheet while keeping a zip bomb from taking the machine.
type Limits struct {
	MaxFileSize  int64 // the file as received
	MaxUnzipped  int64 // all parts of the workbook unpacked (excelize UnzipSizeLimit)
	MaxXMLMemory int64 // one sheet held in memory; larger ones stream from a temp file (UnzipXMLSizeLimit)
	MaxRows      int   // rows read from one sheet
	MaxCols      int   // cells read from one row
	MaxCell      int   // runes kept from one cell
	MaxZipEntry  int64 // one member of an uploaded .zip
	MaxZipTotal  int64 // all members of an uploaded .zip
	MaxZipFiles  int   // members of an uploaded .zip
	// Budgets of issue 16: entries of a .zip (any kind), members and unpacked bytes over a whole run,
	// one text run (a cell) in a workbook's XML and its shared-strings part (budget.go).
	MaxZipEntries    int
	MaxRunFiles      int
	MaxRunUnzipped   int64
	MaxCellBytes     int64
	MaxSharedStrings int64
}

// DefaultLimits are used by Run.
var DefaultLimits = Limits{
	MaxFileSize:  50 << 20,
	MaxUnzipped:  100 << 20,
	MaxXMLMemory: 16 << 20,
	MaxRows:      20000,
	MaxCols:      200,
	MaxCell:      10000,
	MaxZipEntry:  50 << 20,
	MaxZipTotal:  256 << 20,
	MaxZipFiles:  2000,

	MaxZipEntries:    10000,
	MaxRunFiles:      5000,
	MaxRunUnzipped:   512 << 20,
	MaxCellBytes:     1 << 20,
	MaxSharedStrings: 32 << 20,
}

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// sniff looks at a file before excelize does, so each kind of non-checklist gets its own verdict:
// excelize reports an encrypted workbook and a corrupt one with the same "not a valid zip file".
func sniff(path string, lim Limits) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sniff %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("sniff %s: %w", path, err)
	}
	size := st.Size()
	if size == 0 {
		return reject(CodeEmpty, "文件是空的（0 字节），请重新导出并上传清单", nil)
	}
	if size > lim.MaxFileSize {
		return reject(CodeTooLarge, fmt.Sprintf("文件过大（%.1f MB，上限 %d MB），请删除清单以外的内容（如图片）后重新报送", float64(size)/(1<<20), lim.MaxFileSize>>20), nil)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return sniffOLE(f)
	case bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return sniffZip(f, size, lim)
	case bytes.HasPrefix(head, []byte("%PDF")):
		return reject(CodeNotXLSX, "这是 PDF 文件，不是 Excel 清单，请报送 xlsx 格式的清单", nil)
	default:
		return reject(CodeNotXLSX, "文件不是 Excel 工作簿（xlsx），请用模板填写后另存为 xlsx 再报送", nil)
	}
}

// sniffOLE tells a legacy .xls from an encrypted xlsx (both are OLE2 containers) by their streams.
func sniffOLE(f *os.File) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r, err := mscfb.New(f)
	if err != nil {
		return reject(CodeCorrupt, "文件已损坏，无法打开，请重新导出后报送", err)
	}
	var names []string
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		names = append(names, e.Name)
	}
	has := func(n string) bool {
		for _, x := range names {
			if x == n {
				return true
			}
		}
		return false
	}
	switch {
	case has("EncryptionInfo") || has("EncryptedPackage"):
		return reject(CodeEncrypted, "文件设置了打开密码，请取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后重新报送", nil)
	case has("Workbook") || has("Book"):
		return reject(CodeLegacyXLS, "文件是旧版 Excel 97-2003 格式（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重新报送", nil)
	case has("WordDocument"):
		return reject(CodeNotXLSX, "这是 Word 文档（.doc），不是 Excel 清单，请用清单模板（xlsx）填写后报送", nil)
	case len(names) == 0:
		return reject(CodeCorrupt, "文件已损坏，无法打开，请重新导出后报送", nil)
	default:
		return reject(CodeNotXLSX, "文件不是 Excel 工作簿（xlsx），请用模板填写后另存为 xlsx 再报送", nil)
	}
}

// sniffZip checks that an OOXML package is a workbook, and refuses ones that declare more unpacked
// bytes than allowed (excelize's own limit still catches packages that lie about their sizes).
func sniffZip(f *os.File, size int64, lim Limits) error {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return reject(CodeCorrupt, "文件已损坏（压缩结构不完整），无法打开，请重新导出后报送", err)
	}
	var total uint64
	has := map[string]bool{}
	for _, e := range zr.File {
		has[e.Name] = true
		total += e.UncompressedSize64
	}
	switch {
	case has["word/document.xml"]:
		return reject(CodeNotXLSX, "这是 Word 文档（.docx）改了扩展名，不是 Excel 清单，请用清单模板（xlsx）填写后报送", nil)
	case has["ppt/presentation.xml"]:
		return reject(CodeNotXLSX, "这是 PowerPoint 演示文稿，不是 Excel 清单，请用清单模板（xlsx）填写后报送", nil)
	case !has["xl/workbook.xml"]:
		return reject(CodeNotXLSX, "文件不是 Excel 工作簿（xlsx），请用模板填写后另存为 xlsx 再报送", nil)
	}
	if total > uint64(lim.MaxUnzipped) {
		return reject(CodeTooLarge, fmt.Sprintf("文件解压后过大（超过 %d MB），疑似异常文件，请检查后重新报送", lim.MaxUnzipped>>20), nil)
	}
	return checkCellBudget(zr, lim)
}

var errTooManyRows = errors.New("too many rows")
