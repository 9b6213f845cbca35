package sqlconsole

import (
	"context"
	"strings"
	"testing"
)

// FuzzWrap: the cut text is a prefix of the input, and wrapping a statement the guard accepts in our
// LIMIT leaves the statement itself unchanged (the console runs it only then).
func FuzzWrap(f *testing.F) {
	for _, s := range []string{"SELECT 1", "SELECT 1;", "SELECT ';' -- x\n;", "SELECT 1 /* */ ;; -- c",
		"WITH a AS (SELECT 1) SELECT * FROM a", "SELECT $$;$$", `SELECT 1 AS "x;"`, "VALUES (1)", "FROM tasks"} {
		f.Add(s)
	}
	g, err := newGuard(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { g.Close() })
	f.Fuzz(func(t *testing.T, q string) {
		if cut := trimTerminator(q); !strings.HasPrefix(q, cut) {
			t.Fatalf("trimTerminator(%q) = %q is not a prefix", q, cut)
		}
		st, err := g.parse(context.Background(), q)
		if err != nil {
			return
		}
		w, err := g.parse(context.Background(), wrap(q, 11))
		if err != nil {
			return // refused: fine
		}
		if w.isLimitWrapper(11) && !w.wraps(st) {
			// Not a hole (the console refuses it), but an analyst's valid statement would be refused.
			t.Fatalf("wrapping changed %q", q)
		}
	})
}
