package review_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"lnvedash/access"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
	"lnvedash/review"
	"lnvedash/seeds"
)

type env struct {
	db  *queries.DB
	svc *review.Service
	now *time.Time
}

func open(t *testing.T) *env {
	t.Helper()
	db := querytest.Open(t, "")
	now := time.Date(2021, 10, 1, 9, 0, 0, 0, time.UTC)
	st := access.NewStore(db.DB)
	st.Now = func() time.Time { return now }
	return &env{db: db, svc: &review.Service{Access: st}, now: &now}
}

// addVersion stores an accepted file of submitter (modified on day d of October 2021, so a higher d
// is the newer version) with one measure per text, at rows 5, 6, …, and refreshes the derived tables.
func (e *env) addVersion(t *testing.T, id int, submitter, kind string, d int, measures ...string) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{
		fmt.Sprintf(`INSERT INTO ingest_runs VALUES (%d, TIMESTAMP '2021-10-01 09:00:00', NULL, 'link', 1)`, id),
		fmt.Sprintf(`INSERT INTO files (submission_id, run_id, file_name, source_path, archive_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES (%d, %d, '%s-%d.xlsx', NULL, NULL, 'sha%d', 100, '%s', '%s',
			TIMESTAMP '2021-10-%02d 08:00:00', TIMESTAMP '2021-10-%02d 09:00:00', false, NULL, '清单', '%s', 'unit')`,
			id, id, submitter, id, id, submitter, kind, d, d, submitter),
	}
	for i, m := range measures {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES (%d, '清单', %d, '3', '', '', 3, 'content', 0.9,
			'%s', '', '', '', NULL, false)`, id, 5+i, strings.ReplaceAll(m, "'", "''")))
	}
	for _, s := range stmts {
		if _, err := e.db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	if err := e.db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *env) state(t *testing.T, submitter string) review.State {
	t.Helper()
	st, ok, err := e.svc.StateOf(context.Background(), submitter)
	if err != nil || !ok {
		t.Fatalf("StateOf(%s) = %v, %v", submitter, ok, err)
	}
	return st
}

var expert = access.Actor{Role: access.Reviewer, Name: "王专家"}

// The whole cycle of one unit: 待审核 → 退回修改 → (new version) 已修改待复核 → 通过 → (new version) 待审核.
func TestStates(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	e.addVersion(t, 1, "大连市", "city", 10, "建设示范课堂")
	if st := e.state(t, "大连市"); st.State != review.StatePending || st.ReviewedID != 0 || st.Changed() {
		t.Fatalf("new return: %+v, want 待审核 never reviewed", st)
	}
	if err := e.svc.Decide(ctx, expert, 1, review.Return, "目标未量化"); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, "大连市"); st.State != review.StateReturned || st.LastReasons != "目标未量化" || st.LastReviewer != "王专家" {
		t.Fatalf("after 退回修改: %+v", st)
	}
	e.addVersion(t, 2, "大连市", "city", 12, "建设示范课堂20个")
	st := e.state(t, "大连市")
	if st.State != review.StateRevised || st.SubmissionID != 2 || st.ReviewedID != 1 || !st.Changed() {
		t.Fatalf("after a new version: %+v, want 已修改待复核 on 2 reviewed 1", st)
	}
	// a decision on the superseded version is refused: decisions belong to the version reviewed
	if err := e.svc.Decide(ctx, expert, 1, review.Approve, ""); !errors.Is(err, review.ErrInput) {
		t.Errorf("decide on superseded version: %v, want ErrInput", err)
	}
	if err := e.svc.Decide(ctx, expert, 2, review.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, "大连市"); st.State != review.StateApproved {
		t.Fatalf("after 通过: %+v", st)
	}
	e.addVersion(t, 3, "大连市", "city", 14, "建设示范课堂30个")
	if st := e.state(t, "大连市"); st.State != review.StatePending || st.ReviewedID != 2 || !st.Changed() {
		t.Fatalf("new version after 通过: %+v, want 待审核 with the diff since 2", st)
	}
	// an older file arriving later does not become current, so it does not reopen the review
	e.addVersion(t, 4, "大连市", "city", 11, "旧稿")
	if st := e.state(t, "大连市"); st.SubmissionID != 3 {
		t.Fatalf("older file became current: %+v", st)
	}
	ds, err := e.svc.Decisions(ctx, "大连市")
	if err != nil || len(ds) != 2 || ds[0].SubmissionID != 2 || ds[1].Decision != review.Return {
		t.Errorf("Decisions = %+v, %v", ds, err)
	}
}

func TestDecideAndCommentValidate(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	e.addVersion(t, 1, "大连市", "city", 10, "建设示范课堂")
	if _, err := e.db.ExecContext(ctx, `INSERT INTO files (submission_id, run_id, file_name, source_path, archive_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES (9, 1, 'bad.xls', NULL, NULL, 'sha9', 1, '鞍山市', 'city', NULL,
		TIMESTAMP '2021-10-01 09:00:00', true, 'legacy_xls: 旧版', NULL, NULL, 'file_name')`); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
	}{
		{"return without reasons", e.svc.Decide(ctx, expert, 1, review.Return, "  ")},
		{"unknown decision", e.svc.Decide(ctx, expert, 1, "同意", "")},
		{"unknown version", e.svc.Decide(ctx, expert, 77, review.Approve, "")},
		{"rejected file", e.svc.Decide(ctx, expert, 9, review.Approve, "")},
		{"too long", e.svc.Decide(ctx, expert, 1, review.Return, strings.Repeat("长", 2001))},
		{"empty comment", e.svc.Comment(ctx, expert, 1, "清单", 5, " ")},
		{"no such row", e.svc.Comment(ctx, expert, 1, "清单", 99, "意见")},
		{"no such sheet", e.svc.Comment(ctx, expert, 1, "Sheet1", 5, "意见")},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, review.ErrInput) {
			t.Errorf("%s: %v, want ErrInput", tc.name, tc.err)
		}
	}
	var n int
	e.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM reviews) + (SELECT count(*) FROM review_comments) + (SELECT count(*) FROM audit_log)").Scan(&n)
	if n != 0 {
		t.Errorf("refused requests wrote %d rows", n)
	}
}

// Comments keep their text verbatim (escaping is the page's job) and are audited with the version.
func TestCommentsAudited(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	e.addVersion(t, 1, "大连市", "city", 10, "建设示范课堂", "开展培训")
	hostile := `<script>alert(1)</script>=1+1`
	if err := e.svc.Comment(ctx, expert, 1, "清单", 6, hostile); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Decide(ctx, expert, 1, review.Return, "见逐条意见"); err != nil {
		t.Fatal(err)
	}
	cs, err := e.svc.Comments(ctx, "大连市", 0)
	if err != nil || len(cs) != 1 || cs[0].Comment != hostile || cs[0].Measure != "开展培训" || cs[0].Row != 6 {
		t.Fatalf("Comments = %+v, %v", cs, err)
	}
	es, err := e.svc.Access.AuditEntries(ctx, "大连市", 10)
	if err != nil || len(es) != 2 {
		t.Fatalf("audit = %+v, %v", es, err)
	}
	if es[0].Action != access.ActDecision || es[0].SubmissionID != 1 || es[0].Actor.Name != "王专家" ||
		es[1].Action != access.ActComment || !strings.Contains(es[1].Detail, hostile) {
		t.Errorf("audit = %+v", es)
	}
}

// The figures' denominators: the roster by kind (from the seeds, counted here independently) and the
// units with a current version; each of those is in exactly one state.
func TestCounts(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	e.addVersion(t, 1, "大连市", "city", 10, "a")
	e.addVersion(t, 2, "沈阳市", "city", 10, "b")
	e.addVersion(t, 3, "辽宁职业学院", "school", 10, "c")
	if err := e.svc.Decide(ctx, expert, 2, review.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Decide(ctx, expert, 3, review.Return, "缺任务"); err != nil {
		t.Fatal(err)
	}
	set, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	roster := map[string]int{}
	for _, s := range set.Submitters {
		roster[s.Kind]++
	}
	cs, err := e.svc.CountsByKind(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]review.Counts{
		"city":   {Kind: "city", Roster: roster["city"], Returned: 2, Pending: 1, Approved: 1},
		"school": {Kind: "school", Roster: roster["school"], Returned: 1, ReturnedForChanges: 1},
	}
	if len(cs) != 2 || cs[0] != want["city"] || cs[1] != want["school"] {
		t.Errorf("counts = %+v, want %+v", cs, want)
	}
	// The same figures folded in Go from the states and the roster (what the dashboard's pages use).
	states, err := e.svc.StatesOf(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, s := range set.Submitters {
		if s.Kind == "city" || s.Kind == "school" {
			kinds[s.Name] = s.Kind
		}
	}
	if fs := review.CountsOf(kinds, states); len(fs) != 2 || fs[0] != want["city"] || fs[1] != want["school"] {
		t.Errorf("folded counts = %+v, want %+v", fs, want)
	}
	if tot := review.Total(cs); tot.Roster != 14+roster["school"] || tot.Returned != 3 {
		t.Errorf("total = %+v", tot)
	}
}

// CountsOf folds the review states per kind of the roster, as review's counts.sql did: every rostered
// unit counts in Roster, a state counts once in Returned and once in its own column, a state of a unit
// off the roster (a university) counts nowhere. Expected figures counted by hand from the rows below.
func TestCountsOf(t *testing.T) {
	roster := map[string]string{
		"大连市": "city", "沈阳市": "city", "鞍山市": "city",
		"辽宁机电职业技术学院": "school", "沈阳职业技术学院": "school",
	}
	states := []review.State{
		{Submitter: "大连市", State: review.StatePending},
		{Submitter: "沈阳市", State: review.StateApproved},
		{Submitter: "辽宁机电职业技术学院", State: review.StateReturned},
		{Submitter: "沈阳职业技术学院", State: review.StateRevised},
		{Submitter: "东北大学", State: review.StateApproved}, // a university: not on the roster
	}
	want := []review.Counts{
		{Kind: "city", Roster: 3, Returned: 2, Pending: 1, Approved: 1},
		{Kind: "school", Roster: 2, Returned: 2, ReturnedForChanges: 1, Revised: 1},
	}
	if got := review.CountsOf(roster, states); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got := review.CountsOf(roster, nil); !reflect.DeepEqual(got, []review.Counts{{Kind: "city", Roster: 3}, {Kind: "school", Roster: 2}}) {
		t.Errorf("no states: %+v", got)
	}
}
