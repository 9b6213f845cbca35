package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"lnvedash/queries/querytest"
)

// Files uploaded through one unit's link (Options.Unit) are that unit's: a file naming no roster
// unit is credited to it, one naming another unit is refused as wrong_unit, and every rejected file
// is kept under the uploader, never under the name it carries.
func TestRunAsUnit(t *testing.T) {
	db := querytest.Open(t, "")
	sample := func(n string) string { return filepath.Join("..", "sample-data", n) }
	res, err := Run(context.Background(), db, Options{DataDir: t.TempDir(), Source: "link", Unit: "抚顺市"},
		sample("某某职业培训中心任务落实举措清单.xlsx"), // 单位 not on the roster
		sample("清单-1.xlsx"),          // template identity: 沈阳职业技术学院
		sample("朝阳师范高等专科学校一校一案.xls"), // legacy format, named after another college
	)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ status, code, submitter, source string }{
		"某某职业培训中心任务落实举措清单.xlsx": {"current", "", "抚顺市", IdentityLink},
		"清单-1.xlsx": {"rejected", CodeWrongUnit, "抚顺市", IdentityLink},
		"朝阳师范高等专科学校一校一案.xls": {"rejected", CodeLegacyXLS, "抚顺市", IdentityLink},
	}
	byName := map[string]FileResult{}
	for _, f := range res.Files {
		byName[f.FileName] = f
	}
	if len(byName) != len(want) {
		t.Fatalf("results %+v", res.Files)
	}
	for name, w := range want {
		f := byName[name]
		var source, submitter string
		if err := db.QueryRow("SELECT identity_source, submitter FROM files WHERE submission_id = ?", f.SubmissionID).Scan(&source, &submitter); err != nil {
			t.Fatal(err)
		}
		if f.Status != w.status || f.ReasonCode != w.code || f.Submitter != w.submitter || submitter != w.submitter || source != w.source {
			t.Errorf("%s: %s %s %s (stored %s, %s), want %+v", f.FileName, f.Status, f.ReasonCode, f.Submitter, submitter, source, w)
		}
	}
	if msg := byName["清单-1.xlsx"].Message; msg != "文件的模板内置的单位名写的是“沈阳职业技术学院”，不是本单位“抚顺市”：未入库。请上传本单位的清单" {
		t.Errorf("refusal message %q", msg)
	}
	var n int
	db.QueryRow("SELECT count(*) FROM finding_rows WHERE submission_id = ? AND code = 'unit_from_link'", byName["某某职业培训中心任务落实举措清单.xlsx"].SubmissionID).Scan(&n)
	if n != 1 {
		t.Errorf("the credited file has %d unit_from_link findings, want 1", n)
	}
	if _, err := Run(context.Background(), db, Options{DataDir: t.TempDir(), Unit: "火星市"}, sample("清单-1.xlsx")); err == nil {
		t.Error("a unit off the roster was accepted")
	}
}
