package ingest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"lnvedash/queries/querytest"
)

// withLimits runs the test with DefaultLimits changed (Run reads them through NewReader).
func withLimits(t *testing.T, change func(*Limits)) {
	t.Helper()
	old := DefaultLimits
	change(&DefaultLimits)
	t.Cleanup(func() { DefaultLimits = old })
}

// zipOf writes a zip of the given members (deflated) to path.
func zipOf(t *testing.T, path string, members map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dirSize is the bytes of regular files under dir.
func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// An empty file gets its "empty" verdict before any duplicate check: one unit's 0-byte return is
// never answered "duplicate" of another unit's (every empty file has the same sha256) nor credited to
// it. The same empty file under the same name again is still recognised.
func TestEmptyBeforeDuplicate(t *testing.T) {
	in := t.TempDir()
	for _, n := range []string{"大连市.xlsx", "营口市.xlsx"} {
		if err := os.WriteFile(filepath.Join(in, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := querytest.Open(t, "")
	data := t.TempDir()
	first := run(t, db, data, filepath.Join(in, "大连市.xlsx"))
	second := run(t, db, data, filepath.Join(in, "营口市.xlsx"))
	a, b := first.Files[0], second.Files[0]
	if a.Status != "rejected" || a.ReasonCode != CodeEmpty || a.Submitter != "大连市" {
		t.Errorf("first empty file: %+v", a)
	}
	if b.Status != "rejected" || b.ReasonCode != CodeEmpty || b.Submitter != "营口市" || b.SubmissionID == a.SubmissionID {
		t.Errorf("second unit's empty file: %+v, want its own rejected submission for 营口市", b)
	}
	// Both in one run, too.
	both := run(t, querytest.Open(t, ""), t.TempDir(), in)
	if len(both.Files) != 2 || both.Files[0].Status != "rejected" || both.Files[1].Status != "rejected" ||
		both.Files[0].SubmissionID == both.Files[1].SubmissionID {
		t.Errorf("one run: %+v", both.Files)
	}
	again := run(t, db, data, filepath.Join(in, "营口市.xlsx")).Files[0]
	if again.Status != StatusDuplicate || again.SubmissionID != b.SubmissionID || again.ReasonCode != CodeEmpty || !strings.Contains(again.Message, "空的") {
		t.Errorf("same empty file again: %+v", again)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM files WHERE size_bytes = 0`).Scan(&n); err != nil || n != 2 {
		t.Errorf("empty files stored: %d (%v), want 2", n, err)
	}
}

// A file over the size limit is refused without being copied whole into the archive: a prefix is
// kept, and its hash and size are of the whole file.
func TestRefusedFileArchivesPrefix(t *testing.T) {
	withLimits(t, func(l *Limits) { l.MaxFileSize = 1 << 20 })
	in := filepath.Join(t.TempDir(), "大连市.xlsx")
	big := bytes.Repeat([]byte("0123456789abcdef"), 3<<20/16) // 3 MB
	if err := os.WriteFile(in, big, 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	db := querytest.Open(t, "")
	f := run(t, db, data, in).Files[0]
	sum := sha256.Sum256(big)
	if f.Status != "rejected" || f.ReasonCode != CodeTooLarge || f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("%+v", f)
	}
	var archivePath string
	var size int64
	if err := db.QueryRow(`SELECT archive_path, size_bytes FROM files`).Scan(&archivePath, &size); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(data, archivePath))
	if err != nil || !bytes.Equal(got, big[:refusedPrefix]) || !strings.HasSuffix(archivePath, ".prefix") || size != int64(len(big)) {
		t.Errorf("archive %s holds %d bytes (%v), size %d; want the first %d bytes and size %d", archivePath, len(got), err, size, refusedPrefix, len(big))
	}
	if n := dirSize(t, filepath.Join(data, "archive")); n > 2*refusedPrefix {
		t.Errorf("archive holds %d bytes after one refused file", n)
	}
}

// Members that each inflate past the member limit are refused one by one, and the archive keeps only
// a prefix of each (before: every one kept whole, hundreds of MB from a small zip).
func TestZipMembersOverLimit(t *testing.T) {
	withLimits(t, func(l *Limits) { l.MaxFileSize, l.MaxZipEntry = 1<<20, 1<<20 })
	dir := t.TempDir()
	members := map[string][]byte{}
	for i := 0; i < 9; i++ {
		members[string(rune('a'+i))+".xlsx"] = bytes.Repeat([]byte{byte('a' + i)}, 2<<20)
	}
	zp := filepath.Join(dir, "batch.zip")
	zipOf(t, zp, members)
	data := t.TempDir()
	res := run(t, querytest.Open(t, ""), data, zp)
	if len(res.Files) != 9 {
		t.Fatalf("%d results, want 9", len(res.Files))
	}
	for _, f := range res.Files {
		if f.Status != "rejected" || f.ReasonCode != CodeTooLarge {
			t.Errorf("%s: %s %s", f.FileName, f.Status, f.ReasonCode)
		}
	}
	if n := dirSize(t, filepath.Join(data, "archive")); n > 9*refusedPrefix {
		t.Errorf("archive holds %d bytes, want at most 9 prefixes (%d)", n, 9*refusedPrefix)
	}
}

// A zip over its unpacked budget, or with too many entries, is refused as a whole with a Chinese
// verdict — not a failed batch — and the other files of the run still go in.
func TestZipBudgets(t *testing.T) {
	dalian, err := os.ReadFile("testdata/大连市-任务落实举措清单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		limits  func(*Limits)
		members map[string][]byte
		message string
	}{
		{"unpacked total", func(l *Limits) { l.MaxZipTotal = 3 << 20 },
			map[string][]byte{"a.xlsx": make([]byte, 2<<20), "b.xlsx": make([]byte, 2<<20)}, "压缩包解压后超过 3 MB"},
		{"run total", func(l *Limits) { l.MaxRunUnzipped = 3 << 20 },
			map[string][]byte{"a.xlsx": make([]byte, 2<<20), "b.xlsx": make([]byte, 2<<20)}, "压缩包解压后超过 3 MB"},
		{"entries", func(l *Limits) { l.MaxZipEntries = 5 },
			map[string][]byte{"1.txt": nil, "2.txt": nil, "3.txt": nil, "4.txt": nil, "5.txt": nil, "6.txt": nil}, "压缩包中有 6 个条目，超过上限 5 个"},
		{"members", func(l *Limits) { l.MaxZipFiles = 2 },
			map[string][]byte{"a.xlsx": {1}, "b.xlsx": {2}, "c.xlsx": {3}}, "压缩包中的文件超过 2 个"},
		{"nothing to read", func(*Limits) {}, map[string][]byte{"readme.txt": {1}, "dir/": nil}, "压缩包中没有 Excel 清单"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withLimits(t, tt.limits)
			dir := t.TempDir()
			zipOf(t, filepath.Join(dir, "a-batch.zip"), tt.members)
			if err := os.WriteFile(filepath.Join(dir, "b-大连市.xlsx"), dalian, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Run(t.Context(), querytest.Open(t, ""), Options{DataDir: t.TempDir()}, dir)
			if err != nil {
				t.Fatalf("the batch failed: %v", err)
			}
			got := byName(res)
			z := got["a-batch.zip"]
			code := CodeTooLarge
			if tt.name == "nothing to read" {
				code = CodeNotXLSX
			}
			if len(res.Files) != 2 || z.Status != "rejected" || z.ReasonCode != code || !strings.Contains(z.Message, tt.message) {
				t.Errorf("zip: %+v (of %d results), want too_large %q", z, len(res.Files), tt.message)
			}
			if d := got["b-大连市.xlsx"]; d.Status != "current" {
				t.Errorf("the other file: %+v", d)
			}
		})
	}
}

// A workbook with one cell longer than the cell budget is refused before excelize reads it, so its
// memory is bounded by the budget, not the input. The cell is an inline string spliced into a real
// checklist's sheet XML (excelize itself cannot write a cell over 32,767 characters).
func TestCellBudget(t *testing.T) {
	withLimits(t, func(l *Limits) { l.MaxCellBytes = 256 << 10 })
	good, err := os.ReadFile("testdata/大连市-任务落实举措清单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("举措", 50000) // 300 KB of UTF-8
	dir := t.TempDir()
	for name, text := range map[string]string{"大连市-长.xlsx": long, "大连市-短.xlsx": "短文本"} {
		if err := os.WriteFile(filepath.Join(dir, name), withInlineCell(t, good, text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := run(t, querytest.Open(t, ""), t.TempDir(), dir)
	got := byName(res)
	if f := got["大连市-长.xlsx"]; f.Status != "rejected" || f.ReasonCode != CodeTooLarge || !strings.Contains(f.Message, "单元格内容超过 256 KB") {
		t.Errorf("long cell: %+v", f)
	}
	// The same splice with a short text is still a checklist: the budget, not the splice, refused it.
	if f := got["大连市-短.xlsx"]; f.Status != "current" {
		t.Errorf("short cell: %+v", f)
	}
}

// withInlineCell returns the workbook with an inline-string cell holding text added to the first row
// of its first worksheet.
func withInlineCell(t *testing.T, xlsx []byte, text string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		body := b.Bytes()
		if e.Name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(body, []byte("</row>"))
			if i < 0 {
				t.Fatal("no row in sheet1")
			}
			cell := `<c r="ZZ1" t="inlineStr"><is><t>` + text + `</t></is></c>`
			body = append(append(append([]byte{}, body[:i]...), cell...), body[i:]...)
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Scratch files of a killed process (archive/.incoming-<pid>-*, uploads/upload-<pid>-*) are swept;
// those of a live process, and unrelated files, are left.
func TestSweepOrphans(t *testing.T) {
	data := t.TempDir()
	dead := deadPID(t)
	live := os.Getpid()
	mk := func(rel string, dir bool) string {
		p := filepath.Join(data, rel)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		var err error
		if dir {
			err = os.MkdirAll(filepath.Join(p, "x"), 0o755)
		} else {
			err = os.WriteFile(p, []byte("partial"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	gone := []string{
		mk(filepath.Join("archive", ".incoming-"+itoa(dead)+"-123"), false),
		mk(filepath.Join("uploads", "upload-"+itoa(dead)+"-456"), true),
	}
	kept := []string{
		mk(filepath.Join("archive", ".incoming-"+itoa(live)+"-123"), false),
		mk(filepath.Join("uploads", "upload-"+itoa(live)+"-456"), true),
		mk(filepath.Join("archive", "ab", "abcdef.xlsx"), false),
		mk(filepath.Join("uploads", "notes.txt"), false),
	}
	if n := SweepOrphans(data); n != len(gone) {
		t.Errorf("removed %d, want %d", n, len(gone))
	}
	for _, p := range gone {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}

// deadPID is the pid of a child that has exited and been waited for.
func deadPID(t *testing.T) int {
	t.Helper()
	child := exec.Command("true")
	if err := child.Run(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(child.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("kill(%d, 0) = %v, want ESRCH", child.Process.Pid, err)
	}
	return child.Process.Pid
}

func itoa(n int) string { return strconv.Itoa(n) }
