package ingest

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// expandZip unpacks an uploaded .zip of workbooks into tmp. ok is false when the file is not a plain
// zip archive (an xlsx renamed .zip, a corrupt file): it is then ingested as one file and gets its
// verdict. Members are written under generated names, so an entry like "../../etc/x" cannot escape;
// the name kept is the entry's base name, which may name the submitter.
func expandZip(p, tmp string, lim Limits) ([]input, bool, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, false, nil
	}
	defer zr.Close()
	for _, e := range zr.File {
		if e.Name == "xl/workbook.xml" || e.Name == "word/document.xml" {
			return nil, false, nil // an Office file called .zip
		}
	}
	dir, err := os.MkdirTemp(tmp, "zip-")
	if err != nil {
		return nil, false, fmt.Errorf("ingest %s: %w", p, err)
	}
	var out []input
	var total int64
	n := 0
	for _, e := range zr.File {
		name := e.Name
		if e.NonUTF8 || !utf8.ValidString(name) {
			// Windows' built-in zip writes names in the local code page (GBK on Chinese systems).
			if d, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
				name = d
			}
		}
		name = strings.ReplaceAll(name, `\`, "/")
		base := path.Base(name)
		if e.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") {
			continue
		}
		if !ingestExt[strings.ToLower(path.Ext(base))] || strings.EqualFold(path.Ext(base), ".zip") {
			continue
		}
		n++
		if n > lim.MaxZipFiles {
			return nil, false, fmt.Errorf("ingest %s: more than %d files in the archive", p, lim.MaxZipFiles)
		}
		dst := filepath.Join(dir, fmt.Sprintf("%05d%s", n, archiveExt(base)))
		// An unreadable or oversized member keeps what arrived (at most MaxZipEntry+1 bytes), so it is
		// archived and gets a verdict (corrupt, too_large) rather than vanishing.
		written, err := copyMember(e, dst, lim.MaxZipEntry)
		if err != nil && written == 0 {
			if _, serr := os.Stat(dst); serr != nil {
				if werr := os.WriteFile(dst, nil, 0o644); werr != nil {
					return nil, false, fmt.Errorf("ingest %s: %w", p, werr)
				}
			}
		}
		total += written
		if total > lim.MaxZipTotal {
			return nil, false, fmt.Errorf("ingest %s: members unpack to more than %d MB", p, lim.MaxZipTotal>>20)
		}
		out = append(out, input{path: dst, display: p + "/" + name, name: base, mtime: e.Modified})
	}
	return out, true, nil
}

// copyMember extracts one entry, stopping at max bytes whatever its header claims.
func copyMember(e *zip.File, dst string, max int64) (int64, error) {
	rc, err := e.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, max+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = fmt.Errorf("member %s over %d bytes", e.Name, max)
	}
	return n, err
}
