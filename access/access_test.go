package access_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"lnvedash/access"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

func openStore(t *testing.T) (*access.Store, *queries.DB, *time.Time) {
	t.Helper()
	db := querytest.Open(t, "")
	now := time.Date(2021, 9, 1, 9, 0, 0, 0, time.UTC)
	st := access.NewStore(db.DB)
	st.Now = func() time.Time { return now }
	return st, db, &now
}

// A link's code is long, random, shown once: nothing stored equals or contains it, only its hash.
func TestIssueStoresOnlyTheHash(t *testing.T) {
	st, db, _ := openStore(t)
	ctx := context.Background()
	admin := access.Actor{Role: access.Admin}
	code, l, err := st.Issue(ctx, access.Unit, "大连市", 24*time.Hour, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 43 || strings.ContainsAny(code, "+/=") {
		t.Errorf("code %q: want 43 base64url characters (256 bits)", code)
	}
	code2, _, err := st.Issue(ctx, access.Unit, "大连市", 24*time.Hour, admin)
	if err != nil || code2 == code {
		t.Fatalf("second code %q equals the first or failed: %v", code2, err)
	}
	// every stored column, as text, of every table the feature writes
	for _, q := range []string{"SELECT CAST(access_links AS VARCHAR) FROM access_links", "SELECT CAST(audit_log AS VARCHAR) FROM audit_log"} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			if strings.Contains(s, code) || strings.Contains(s, code[:20]) {
				t.Errorf("%s holds the code: %s", q, s)
			}
		}
		rows.Close()
	}
	var hash string
	db.QueryRowContext(ctx, "SELECT code_hash FROM access_links WHERE link_id = ?", l.ID).Scan(&hash)
	// sha256("") would be e3b0…; the hash of the code is 64 hex digits and differs per link
	if len(hash) != 64 || hash != access.HashCode(code) {
		t.Errorf("stored hash %q, want sha256 of the code", hash)
	}
	got, err := st.Resolve(ctx, code)
	if err != nil || got.ID != l.ID || got.Role != access.Unit || got.Subject != "大连市" {
		t.Errorf("Resolve = %+v, %v; want link %d of 大连市", got, err, l.ID)
	}
}

func TestResolveRefuses(t *testing.T) {
	st, _, now := openStore(t)
	ctx := context.Background()
	admin := access.Actor{Role: access.Admin}
	code, l, err := st.Issue(ctx, access.Reviewer, "王专家", 48*time.Hour, admin)
	if err != nil {
		t.Fatal(err)
	}
	flipped := []byte(code)
	flipped[10] ^= 1
	for _, bad := range []string{"", "short", string(flipped), code + "x", strings.ToUpper(code)} {
		if _, err := st.Resolve(ctx, bad); !errors.Is(err, access.ErrBadCode) {
			t.Errorf("Resolve(%q) = %v, want ErrBadCode", bad, err)
		}
	}
	*now = now.Add(47 * time.Hour)
	if _, err := st.Resolve(ctx, code); err != nil {
		t.Errorf("before expiry: %v", err)
	}
	*now = now.Add(time.Hour)
	if _, err := st.Resolve(ctx, code); !errors.Is(err, access.ErrBadCode) {
		t.Errorf("at expiry: %v, want ErrBadCode", err)
	}
	code2, l2, _ := st.Issue(ctx, access.Viewer, "", time.Hour, admin)
	if err := st.Revoke(ctx, l2.ID, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Resolve(ctx, code2); !errors.Is(err, access.ErrBadCode) {
		t.Errorf("revoked: %v, want ErrBadCode", err)
	}
	if err := st.Revoke(ctx, l2.ID, admin); !errors.Is(err, access.ErrRevoked) {
		t.Errorf("second revoke: %v, want ErrRevoked", err)
	}
	if err := st.Revoke(ctx, 999, admin); !errors.Is(err, access.ErrNoLink) {
		t.Errorf("unknown link: %v, want ErrNoLink", err)
	}
	_ = l
}

func TestIssueValidates(t *testing.T) {
	st, _, _ := openStore(t)
	ctx := context.Background()
	admin := access.Actor{Role: access.Admin}
	tests := []struct {
		role    access.Role
		subject string
		ttl     time.Duration
	}{
		{access.Admin, "", time.Hour},         // admin is the token, never a link
		{access.Unit, "", time.Hour},          // a unit link names its unit
		{access.Reviewer, "  ", time.Hour},    // a reviewer link names the expert
		{access.Reviewer, "张\n三", time.Hour},  // no line breaks in a name
		{access.Viewer, "", 0},                // no lifetime
		{access.Role("root"), "x", time.Hour}, // unknown role
		{access.Reviewer, strings.Repeat("长", 61), time.Hour},
	}
	for _, tc := range tests {
		if _, _, err := st.Issue(ctx, tc.role, tc.subject, tc.ttl, admin); !errors.Is(err, access.ErrBadInput) {
			t.Errorf("Issue(%s, %q, %v) = %v, want ErrBadInput", tc.role, tc.subject, tc.ttl, err)
		}
	}
	links, err := st.List(ctx)
	if err != nil || len(links) != 0 {
		t.Errorf("refused issues left links: %v %v", links, err)
	}
}

// Issue and revoke are audited with who did it and which link.
func TestLinksAudited(t *testing.T) {
	st, _, _ := openStore(t)
	ctx := context.Background()
	_, l, err := st.Issue(ctx, access.Unit, "沈阳市", time.Hour, access.Actor{Role: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Revoke(ctx, l.ID, access.Actor{Role: access.Admin}); err != nil {
		t.Fatal(err)
	}
	es, err := st.AuditEntries(ctx, "沈阳市", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Action != access.ActLinkRevoked || es[1].Action != access.ActLinkIssued ||
		es[0].Actor.Role != access.Admin || es[1].Actor.Role != "cli" || !strings.Contains(es[1].Detail, "链接#1") {
		t.Errorf("audit = %+v", es)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	l := access.NewLimiter(3, 10*time.Minute)
	l.Now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if b, _ := l.Blocked("1.2.3.4"); b {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("1.2.3.4")
	}
	b, retry := l.Blocked("1.2.3.4")
	if !b || retry != 10*time.Minute {
		t.Errorf("after 3 failures: blocked %v retry %v, want true 10m", b, retry)
	}
	if b, _ := l.Blocked("5.6.7.8"); b {
		t.Error("another client is blocked too")
	}
	now = now.Add(10 * time.Minute)
	if b, _ := l.Blocked("1.2.3.4"); b {
		t.Error("still blocked after the window")
	}
}

func TestSessions(t *testing.T) {
	now := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	ss := access.NewSessions()
	ss.Now = func() time.Time { return now }
	a := ss.Open(access.Unit, "大连市", 7)
	b := ss.Open(access.Reviewer, "王专家", 8)
	if a.ID == b.ID || a.CSRF == a.ID || len(a.ID) < 40 {
		t.Fatalf("weak ids: %+v %+v", a, b)
	}
	if got := ss.Get(a.ID); got == nil || got.Subject != "大连市" {
		t.Fatalf("Get = %+v", got)
	}
	if !a.CSRFOK(a.CSRF) || a.CSRFOK(b.CSRF) || a.CSRFOK("") {
		t.Error("CSRF comparison")
	}
	ss.EndLink(7)
	if ss.Get(a.ID) != nil || ss.Get(b.ID) == nil {
		t.Error("EndLink ended the wrong sessions")
	}
	now = now.Add(access.SessionTTL + time.Second)
	if ss.Get(b.ID) != nil {
		t.Error("session outlived its TTL")
	}
}
