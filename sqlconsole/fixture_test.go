package sqlconsole

import (
	"context"
	"io"
	"os"
	"testing"

	"lnvedash/sqlconsole/sqltest"
)

// TestMain lets the test binary act as the worker: the console re-executes os.Executable() sql-worker.
func TestMain(m *testing.M) {
	if IsWorker() {
		if err := ServeWorker(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newFixtureDB(t testing.TB) string { return sqltest.WriteFixtureDB(t, t.TempDir()) }

func newConsole(t testing.TB, opt Options) *Console {
	t.Helper()
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
