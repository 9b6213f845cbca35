package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Exports are written readable by others (0644), not 0600 as os.CreateTemp makes them,
// and replace an old file whole.
func TestWriteFileAtomicMode(t *testing.T) {
	name := filepath.Join(t.TempDir(), "sub", "pack.xlsx")
	for _, data := range []string{"first", "second"} {
		if err := writeFileAtomic(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want -rw-r--r--", st.Mode().Perm())
		}
		if b, _ := os.ReadFile(name); string(b) != data {
			t.Errorf("content %q, want %q", b, data)
		}
	}
}
