package ingest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ingestExt lists the extensions picked up when walking a folder; a file named explicitly is always
// taken, whatever it is called, and gets a verdict.
// Notes beside the files (README.md, MANIFEST.csv) are not: .md, .csv and .txt are left out.
var ingestExt = map[string]bool{".xlsx": true, ".xlsm": true, ".xlsb": true, ".xls": true, ".et": true, ".ods": true,
	".zip": true, ".docx": true, ".doc": true, ".wps": true, ".pdf": true, ".jpg": true, ".jpeg": true, ".png": true}

// ListFiles lists the files a run over paths would take: files named explicitly, and in folders
// (recursively) those with a spreadsheet, document, picture or .zip extension, leaving out hidden
// files, Office lock files (~$name.xlsx) and a data folder's archive/. Sorted, so reruns number alike.
func ListFiles(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if q != p && (strings.HasPrefix(name, ".") || name == "archive") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") || !d.Type().IsRegular() {
				return nil
			}
			if ingestExt[strings.ToLower(filepath.Ext(name))] {
				out = append(out, q)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

// collect lists the inputs of a run, .zip uploads expanded into tmp. The run's budget (members and
// unpacked bytes over all its archives) is shared by the archives in order; an archive over its own or
// the run's budget becomes one refused input with a Chinese verdict, never an error for the batch.
func collect(paths []string, tmp string, lim Limits, names map[string]string) ([]input, error) {
	files, err := ListFiles(paths...)
	if err != nil {
		return nil, err
	}
	out := make([]input, 0, len(files)) // one per file, bar zips: no doubling slack (100,000 files hold ≈8 MB)
	run := &zipBudget{files: lim.MaxRunFiles, bytes: lim.MaxRunUnzipped}
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
		name, display := filepath.Base(p), p
		if n, ok := names[p]; ok && n != "" {
			name, display = n, filepath.Join(filepath.Dir(p), n)
		}
		in := input{path: p, display: display, name: name, mtime: st.ModTime()}
		if strings.EqualFold(filepath.Ext(name), ".zip") || strings.EqualFold(filepath.Ext(p), ".zip") {
			members, ok, err := expandZip(in, tmp, lim, run)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, members...)
				continue
			}
		}
		out = append(out, in)
	}
	return out, nil
}
