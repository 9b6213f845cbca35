package queries

import (
	"context"
	"testing"
)

// TestLatestFindings: of the fixture's current files (2, 3, 4, 6), one error (file 4,
// task_not_expected) and one warning (file 2, number_mismatch); the error comes first although file 2
// sorts before file 4, infos and the findings of superseded or rejected files are left out, and n trims.
func TestLatestFindings(t *testing.T) {
	db := MustOpenFixture(t)
	for _, c := range []struct {
		n    int
		want []string
	}{
		{15, []string{"task_not_expected", "number_mismatch"}},
		{1, []string{"task_not_expected"}},
	} {
		got, err := db.LatestFindings(context.Background(), c.n)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, f := range got {
			codes = append(codes, f.Code)
		}
		if len(codes) != len(c.want) || len(codes) > 0 && codes[0] != c.want[0] || len(codes) > 1 && codes[1] != c.want[1] {
			t.Errorf("LatestFindings(%d) = %v, want %v", c.n, codes, c.want)
		}
	}
}

// TestCommitmentsByTarget: a commitment joins the target of its metric and unit only (same metric in
// another unit does not), every target stays, in order, with or without commitments.
func TestCommitmentsByTarget(t *testing.T) {
	targets := []TargetProgress{{Metric: "示范课堂", Unit: "个"}, {Metric: "培训", Unit: "人次"}, {Metric: "空", Unit: "个"}}
	comm := []CommittedQuantity{
		{Submitter: "大连市", Metric: "示范课堂", Unit: "个", Value: 20},
		{Submitter: "沈阳市", Metric: "示范课堂", Unit: "所", Value: 3},
		{Submitter: "沈阳市", Metric: "培训", Unit: "人次", Value: 12000},
		{Submitter: "鞍山市", Metric: "示范课堂", Unit: "个", Value: 5},
	}
	got := CommitmentsByTarget(targets, comm)
	want := [][]string{{"大连市", "鞍山市"}, {"沈阳市"}, nil}
	if len(got) != len(want) {
		t.Fatalf("%d targets, want %d", len(got), len(want))
	}
	for i, tc := range got {
		if tc.Metric != targets[i].Metric {
			t.Errorf("target %d is %s, want %s", i, tc.Metric, targets[i].Metric)
		}
		var who []string
		for _, c := range tc.Commitments {
			who = append(who, c.Submitter)
		}
		if len(who) != len(want[i]) {
			t.Errorf("target %s: %v, want %v", tc.Metric, who, want[i])
			continue
		}
		for j := range who {
			if who[j] != want[i][j] {
				t.Errorf("target %s: %v, want %v", tc.Metric, who, want[i])
			}
		}
	}
}
