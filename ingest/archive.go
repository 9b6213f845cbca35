package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// emptyKey is files.sha256 of an empty file: the hash of nothing, then "#" and the name received.
func emptyKey(sha, name string) string { return sha + "#" + name }

// refusedPrefix is how much of a file refused for its size is archived: enough to see what it was.
const refusedPrefix = 64 << 10

// archive copies a received file to <datadir>/archive/<sha[:2]>/<sha256><ext> through a temp file
// and a rename, so the archive never holds a partial file under a final name. On Linux the run makes
// its archived files durable all at once before it commits (syncArchive); elsewhere each file is
// synced here. keep ≥ 0 archives only the first keep bytes, as <sha256>.prefix (the hash and size
// still cover the whole file): a refused file of hundreds of MB must not stay on disk for good.
func archive(dataDir, src, name string, keep int64) (sha string, size int64, rel string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	defer in.Close()
	dir := filepath.Join(dataDir, "archive")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	tmp, err := os.CreateTemp(dir, incomingPrefix())
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	h := sha256.New()
	var w io.Writer = tmp
	if keep >= 0 {
		w = &prefixWriter{w: tmp, n: keep}
	}
	size, err = io.Copy(io.MultiWriter(w, h), in)
	if err == nil && syncEachFile {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	ext := archiveExt(name)
	if keep >= 0 && size > keep {
		ext = ".prefix"
	}
	rel = filepath.ToSlash(filepath.Join("archive", sha[:2], sha+ext))
	final := filepath.Join(dataDir, filepath.FromSlash(rel))
	if _, err := os.Stat(final); err == nil {
		return sha, size, rel, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	return sha, size, rel, nil
}

// prefixWriter writes the first n bytes to w and swallows the rest.
type prefixWriter struct {
	w io.Writer
	n int64
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if p.n > 0 {
		k := b
		if int64(len(k)) > p.n {
			k = k[:p.n]
		}
		if _, err := p.w.Write(k); err != nil {
			return 0, err
		}
		p.n -= int64(len(k))
	}
	return len(b), nil
}

// StoredExt is the extension a received file is stored under: archiveExt of its name.
func StoredExt(name string) string { return archiveExt(name) }

// archiveExt keeps a plain extension (".xlsx") and drops anything odd a file name may carry.
func archiveExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if len(ext) < 2 || len(ext) > 6 {
		return ""
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return ext
}
