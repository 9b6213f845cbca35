package dashboard

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"lnvedash/queries"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// A page of a unit that does not exist answers 404 and is logged 404 (the request log took any error
// but *fiber.Error for a 500), on the cached routes too, and the first time and the repeat alike.
func TestNotFoundLoggedAs404(t *testing.T) {
	db, err := queries.Open(context.Background(), "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var buf bytes.Buffer
	s, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if code, _, _ := get(t, s, "/cities/%E4%B8%8D%E5%AD%98%E5%9C%A8%E5%B8%82"); code != 404 {
			t.Fatalf("status %d, want 404", code)
		}
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var logged int
	for _, l := range lines {
		if strings.Contains(l, "msg=request ") {
			logged++
			if !strings.Contains(l, "status=404") {
				t.Errorf("logged %s", l)
			}
		}
	}
	if logged != 2 {
		t.Errorf("%d request lines, want 2:\n%s", logged, buf.String())
	}
}
