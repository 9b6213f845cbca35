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

// zipBudget is what is left of a run's budget for archive members: their count and unpacked bytes.
// Each archive has its own budget as well (Limits.MaxZipFiles, MaxZipTotal).
type zipBudget struct {
	files int
	bytes int64
}

// expandZip unpacks an uploaded .zip of workbooks into tmp. ok is false when the file is not a plain
// zip archive (an xlsx renamed .zip, a corrupt file): it is then ingested as one file and gets its
// verdict. Members are written under generated names, so an entry like "../../etc/x" cannot escape;
// the name kept is the entry's base name, which may name the submitter.
//
// An archive over its budgets (entries, members, unpacked bytes — its own or what is left of the
// run's) is refused as a whole with a Chinese verdict: one input, the archive itself, of which only a
// prefix is archived. What was unpacked of it is removed at once. Overlapping entries (one compressed
// stream shared by many entries) are caught by the unpacked-bytes budget, which counts what was read,
// not what the headers claim.
func expandZip(in input, tmp string, lim Limits, run *zipBudget) ([]input, bool, error) {
	p := in.path
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
	refuse := func(msg string) ([]input, bool, error) {
		in.refused = reject(CodeTooLarge, msg, nil)
		return []input{in}, true, nil
	}
	// An archive with nothing to read still gets a verdict: the sender must hear about it.
	nothing := func() ([]input, bool, error) {
		in.refused = reject(CodeNotXLSX, "压缩包中没有 Excel 清单（xlsx）文件，请把填好的清单放入压缩包后重新报送", nil)
		return []input{in}, true, nil
	}
	if len(zr.File) > lim.MaxZipEntries {
		return refuse(fmt.Sprintf("压缩包中有 %d 个条目，超过上限 %d 个，疑似异常文件；请只打包要报送的清单后重新上传", len(zr.File), lim.MaxZipEntries))
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
		name = strings.ToValidUTF8(strings.ReplaceAll(name, `\`, "/"), "\uFFFD")
		base := path.Base(name)
		if e.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") {
			continue
		}
		if !ingestExt[strings.ToLower(path.Ext(base))] || strings.EqualFold(path.Ext(base), ".zip") {
			continue
		}
		n++
		if n > lim.MaxZipFiles || n > run.files {
			os.RemoveAll(dir)
			return refuse(fmt.Sprintf("压缩包中的文件超过 %d 个，请分成几个压缩包上传", min(lim.MaxZipFiles, run.files)))
		}
		budget := min(lim.MaxZipTotal-total, run.bytes-total)
		dst := filepath.Join(dir, fmt.Sprintf("%05d%s", n, archiveExt(base)))
		// An unreadable or oversized member keeps what arrived (at most MaxZipEntry+1 bytes), so it gets
		// a verdict (corrupt, too_large) rather than vanishing; ingest archives only a prefix of it.
		written, err := copyMember(e, dst, min(lim.MaxZipEntry+1, budget+1))
		if err != nil && written == 0 {
			if _, serr := os.Stat(dst); serr != nil {
				if werr := os.WriteFile(dst, nil, 0o644); werr != nil {
					return nil, false, fmt.Errorf("ingest %s: %w", p, werr)
				}
			}
		}
		total += written
		if written > budget {
			os.RemoveAll(dir)
			return refuse(fmt.Sprintf("压缩包解压后超过 %d MB（或含有相互重叠的条目），疑似异常文件，请检查后重新报送", min(lim.MaxZipTotal, run.bytes)>>20))
		}
		out = append(out, input{path: dst, display: in.display + "/" + name, name: base, mtime: e.Modified})
	}
	run.files -= n
	run.bytes -= total
	if len(out) == 0 {
		os.RemoveAll(dir)
		return nothing()
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
	n, err := io.Copy(out, io.LimitReader(rc, max))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
