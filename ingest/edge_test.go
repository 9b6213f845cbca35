package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lnvedash/queries/querytest"
	"lnvedash/seeds"
)

func TestListFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		"a.xlsx", "b.XLS", "sub/c.xlsx", "sub/~$c.xlsx", ".hidden.xlsx", "README.md", "MANIFEST.csv",
		"scan.pdf", "archive/ab/abc.xlsx", ".git/x.xlsx", "batch.zip",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ListFiles(dir, filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	// README.md is taken when named explicitly, and is then a file like any other.
	want := []string{"README.md", "a.xlsx", "b.XLS", "batch.zip", "scan.pdf", "sub/c.xlsx"}
	if len(rel) != len(want) {
		t.Fatalf("got %v, want %v", rel, want)
	}
	for i := range want {
		if rel[i] != want[i] {
			t.Fatalf("got %v, want %v", rel, want)
		}
	}
	if _, err := ListFiles(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing path is an error")
	}
}

func TestRowCap(t *testing.T) {
	rd := NewReader(seeds.MustLoad())
	rd.Limits.MaxRows = 8
	_, err := rd.Read("testdata/大连市-任务落实举措清单.xlsx", "大连市.xlsx", time.Now())
	if r, ok := AsRejection(err); !ok || r.Code != CodeTooLarge {
		t.Errorf("got %v, want too_large", err)
	}
	rd.Limits = DefaultLimits
	rd.Limits.MaxFileSize = 100
	_, err = rd.Read("testdata/大连市-任务落实举措清单.xlsx", "大连市.xlsx", time.Now())
	if r, ok := AsRejection(err); !ok || r.Code != CodeTooLarge {
		t.Errorf("got %v, want too_large for the raw size", err)
	}
}

// TestRunCancelled: a run stopped before its transaction writes nothing (the archive may already
// hold copies, which is harmless: nothing received is lost).
func TestRunCancelled(t *testing.T) {
	db := querytest.Open(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, db, Options{DataDir: t.TempDir()}, "testdata")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	var n int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM ingest_runs)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows written by a cancelled run", n)
	}
}
