package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSampleCommand runs `lnvedash sample -o DIR` in-process; the byte-for-byte comparison with
// sample-data/ is the sample package's own test.
func TestSampleCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"sample", "-o", dir}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("err = %v (stderr %s)", err, errb.String())
	}
	if !strings.Contains(out.String(), "MANIFEST.csv") {
		t.Errorf("stdout = %q", out.String())
	}
	for _, name := range []string{"MANIFEST.csv", "README.md", "大连市一市一策.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Run(context.Background(), []string{"sample"}, strings.NewReader(""), &out, &errb); err == nil {
		t.Error("no error without -o")
	}
}
