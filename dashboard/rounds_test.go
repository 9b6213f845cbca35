package dashboard

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"lnvedash/progressbook"
	"lnvedash/queries"
)

// The rounds page: the admin form adds a progress round (token required; a clerk's bad date is told
// in Chinese), and the round's page lists who returned its progress workbook and whether on time.
func TestRoundsAddAndReturns(t *testing.T) {
	s, db, _ := freshServer(t, "secret")
	ctx := context.Background()
	if _, err := s.runIngest(ctx, "cli", "../sample-data/营口市一市一策.xlsx"); err != nil {
		t.Fatal(err)
	}
	form := func(name, asOf, deadline string) string {
		return url.Values{"name": {name}, "as_of": {asOf}, "deadline": {deadline}}.Encode()
	}
	const ct = "application/x-www-form-urlencoded"
	if code, _ := postAs(t, s, "/rounds", strings.NewReader(form("2022年上半年进展", "2022-06-30", "2099-12-31")), ct, "wrong"); code != 401 {
		t.Errorf("wrong token: status %d, want 401", code)
	}
	if code, body := postAs(t, s, "/rounds", strings.NewReader(form("2022年上半年进展", "6/30", "")), ct, "secret"); code != 400 || !strings.Contains(body, "统计截止日期格式应为") {
		t.Errorf("bad date: status %d, %.300s", code, body)
	}
	if code, body := postAs(t, s, "/rounds", strings.NewReader(form("2022年上半年进展", "2022-06-30", "2022-06-01")), ct, "secret"); code != 400 || !strings.Contains(body, "早于统计截止日期") {
		t.Errorf("deadline before as-of: status %d, %.300s", code, body)
	}
	if n := count(t, db, `SELECT count(*) FROM rounds`); n != 1 {
		t.Fatalf("refused forms still added rounds: %d rounds", n)
	}
	if code, _ := postAs(t, s, "/rounds", strings.NewReader(form("2022年上半年进展", "2022-06-30", "2099-12-31")), ct, "secret"); code != 303 {
		t.Fatalf("add round: status %d, want 303", code)
	}
	if code, body := postAs(t, s, "/rounds", strings.NewReader(form("2022年上半年进展", "2022-06-30", "")), ct, "secret"); code != 400 || !strings.Contains(body, "已有同名轮次") {
		t.Errorf("same name twice: status %d, %.300s", code, body)
	}
	// before any return: 66 rostered units expected (14 cities, 52 colleges), none returned
	_, html, _ := get(t, s, "/rounds?round=2")
	for _, w := range []string{"2022年上半年进展：进展表报送情况", "应报送 66 个单位，已报送 <b class=\"ok\">0</b>"} {
		if !strings.Contains(html, w) {
			t.Errorf("/rounds?round=2 lacks %q", w)
		}
	}
	// 营口市 returns its progress workbook
	rounds, err := db.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := queries.LatestProgressRound(rounds)
	who, ms, err := db.PlanMeasures(ctx, "营口市")
	if err != nil || len(ms) == 0 {
		t.Fatalf("PlanMeasures 营口市: %d, %v", len(ms), err)
	}
	book, err := progressbook.Build(r, who, ms)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "营口市_进展.xlsx")
	if err := book.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	book.Close()
	if _, err := s.runIngest(ctx, "cli", path); err != nil {
		t.Fatal(err)
	}
	_, html, _ = get(t, s, "/rounds")
	for _, w := range []string{"已报送 <b class=\"ok\">1</b>", "其中按时 <b>1</b>", "尚未报送 <b class=\"bad\">65</b>"} {
		if !strings.Contains(html, w) {
			t.Errorf("/rounds after 营口市's return lacks %q", w)
		}
	}
	// /returns?round=2 goes to the round's page; the plan round stays on /returns
	if code, _, _ := get(t, s, "/returns?round=2"); code != 303 {
		t.Errorf("/returns?round=2: status %d, want 303", code)
	}
	if code, _, _ := get(t, s, "/rounds?round=火星"); code != 404 {
		t.Errorf("/rounds?round=火星: status %d, want 404", code)
	}
}
