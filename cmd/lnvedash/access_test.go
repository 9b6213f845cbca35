package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lnvedash/access"
	"lnvedash/queries"
)

func accessRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"access"}, args...), nil, &out, &errb)
	return out.String(), errb.String(), err
}

// issue prints the link alone on stdout (an alias resolved to the roster name on stderr); list shows
// it without the code; revoke ends it; the link resolves until then.
func TestAccessCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.duckdb")
	out, errOut, err := accessRun(t, "issue", "--db", dbPath, "--base-url", "http://10.1.2.3:8080/", "--unit", "大连")
	if err != nil {
		t.Fatalf("issue: %v\n%s", err, errOut)
	}
	link := strings.TrimSpace(out)
	prefix := "http://10.1.2.3:8080" + access.LinkPath
	if !strings.HasPrefix(link, prefix) || len(link) != len(prefix)+43 || strings.Count(out, "\n") != 1 {
		t.Fatalf("stdout %q, want one link %s<43 characters>", out, prefix)
	}
	if !strings.Contains(errOut, "链接#1：报送单位（大连市）") {
		t.Errorf("stderr %q", errOut)
	}
	code := strings.TrimPrefix(link, prefix)
	if _, errOut, err := accessRun(t, "issue", "--db", dbPath, "--reviewer", "王专家", "--viewer"); err == nil {
		t.Errorf("two roles accepted: %s", errOut)
	}
	if _, _, err := accessRun(t, "issue", "--db", dbPath, "--unit", "火星市"); err == nil || !strings.Contains(err.Error(), "火星市") {
		t.Errorf("unknown unit: %v", err)
	}
	list, _, err := accessRun(t, "list", "--db", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "报送单位") || !strings.Contains(list, "大连市") || !strings.Contains(list, "有效") || strings.Contains(list, code) {
		t.Errorf("list:\n%s", list)
	}
	resolve := func() error {
		db, err := queries.Open(context.Background(), dbPath, queries.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = access.NewStore(db.DB).Resolve(context.Background(), code)
		return err
	}
	if err := resolve(); err != nil {
		t.Fatalf("issued link does not resolve: %v", err)
	}
	if _, errOut, err := accessRun(t, "revoke", "--db", dbPath, "1"); err != nil || !strings.Contains(errOut, "已收回") {
		t.Fatalf("revoke: %v %s", err, errOut)
	}
	if err := resolve(); err == nil {
		t.Error("revoked link still resolves")
	}
	if _, _, err := accessRun(t, "revoke", "--db", dbPath, "x"); err == nil {
		t.Error("revoke x accepted")
	}
	list, _, _ = accessRun(t, "list", "--db", dbPath)
	if !strings.Contains(list, "已收回") {
		t.Errorf("list after revoke:\n%s", list)
	}
}
