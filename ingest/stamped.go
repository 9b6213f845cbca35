package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"lnvedash/seeds"
)

// The notice (辽教发〔2021〕55号) asks for the plan twice: the xlsx checklist and the signed, stamped paper
// copy scanned to PDF (纸质版扫描成PDF文件，与电子版一并上传). A PDF, JPEG or PNG is therefore received as the
// unit's stamped copy, never turned away as "not an xlsx".

// Document kinds stored in files.doc_kind.
const (
	DocChecklist = "checklist"
	DocStamped   = "stamped"
)

// StatusReceived is the status of a stamped copy (file_status, FileResult.Status).
const StatusReceived = "received"

// CodeStampedUnnamed is the verdict for a stamped copy whose file name names no unit.
const CodeStampedUnnamed = "stamped_unnamed"

func init() {
	// pdfcpu writes a configuration folder under the user's home on first use unless told not to; the
	// dashboard runs offline under a service account that may have no home.
	model.ConfigPath = "disable"
}

// Stamped is a received stamped copy.
type Stamped struct {
	Submitter *seeds.Submitter
	Format    string // pdf, jpeg, png
	Pages     int    // 0 when a PDF's pages could not be counted (see Findings)
	// Dated is the PDF's own ModDate (else CreationDate); zero when it has none, and the file's time
	// counts. A scanner stamps it when the paper is scanned; a file's mtime changes with every copy.
	Dated    time.Time
	Findings []Finding
}

var (
	pdfMagic  = []byte("%PDF")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// stampedFormat tells a scan (PDF, JPEG, PNG) by its first bytes; "" for anything else.
func stampedFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return "pdf"
	case bytes.HasPrefix(head, jpegMagic):
		return "jpeg"
	case bytes.HasPrefix(head, pngMagic):
		return "png"
	}
	return ""
}

// ReadStamped reads path as a stamped copy if it is one (ok false otherwise: a checklist or another
// kind of file, for Read). The unit is named by the file name alone — a scan has no 单位 cell — and a
// copy naming nobody gets its own verdict. A PDF whose pages cannot be counted is still received (the
// paper was sent); the finding says so.
func (rd *Reader) ReadStamped(path, name string) (st *Stamped, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("stamped %s: %w", name, err)
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	format := stampedFormat(head[:n])
	if format == "" {
		return nil, false, nil
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > rd.Limits.MaxFileSize {
		return nil, true, reject(CodeTooLarge, fmt.Sprintf("盖章扫描件过大（%.1f MB，上限 %d MB），请降低扫描分辨率后重新上传", float64(fi.Size())/(1<<20), rd.Limits.MaxFileSize>>20), nil)
	}
	sub, found := rd.Names.Resolve(fileNameStem(name))
	if !found {
		return nil, true, reject(CodeStampedUnnamed, fmt.Sprintf("收到一份盖章扫描件（%s），但文件名“%s”中没有可识别的单位名称。上传时请在文件名中写明单位名称（如“沈阳职业技术学院-盖章版.pdf”）后重新上传", formatLabel(format), name), nil)
	}
	st = &Stamped{Submitter: sub, Format: format, Pages: 1}
	if format == "pdf" {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, true, fmt.Errorf("stamped %s: %w", name, err)
		}
		pages, dated, perr := pdfPages(f)
		st.Pages, st.Dated = pages, dated
		if perr != nil {
			st.Findings = append(st.Findings, Finding{Severity: SevWarning, Code: "stamped_unreadable",
				Message: "盖章扫描件（PDF）已收到，但无法读取页数，文件可能已损坏，请打开核对，必要时重新扫描上传"})
		}
	}
	return st, true, nil
}

// pdfPages counts a PDF's pages with pdfcpu (relaxed validation: scanners write imperfect PDFs). A
// panic inside the library on a hostile file is an unreadable file, not a crash of the run.
func pdfPages(rs io.ReadSeeker) (pages int, dated time.Time, err error) {
	defer func() {
		if r := recover(); r != nil {
			pages, err = 0, fmt.Errorf("pdf: %v", r)
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadAndValidate(rs, conf)
	if err != nil {
		return 0, time.Time{}, err
	}
	for _, d := range []string{ctx.XRefTable.ModDate, ctx.XRefTable.CreationDate} {
		if t, ok := types.DateTime(d, true); ok && d != "" {
			return ctx.PageCount, t.UTC().Truncate(time.Second), nil
		}
	}
	return ctx.PageCount, time.Time{}, nil
}

func formatLabel(format string) string {
	switch format {
	case "pdf":
		return "PDF"
	case "jpeg":
		return "JPEG 图片"
	default:
		return "PNG 图片"
	}
}

// stampedTime is a stamped copy's modified_at: the PDF's own date where it has one, else the file's
// time as received, to the second.
func stampedTime(st *Stamped, mtime time.Time) time.Time {
	if !st.Dated.IsZero() {
		return st.Dated
	}
	return mtime.UTC().Truncate(time.Second)
}
