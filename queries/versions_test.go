package queries

import (
	"testing"
	"time"
)

func TestPreviousVersion(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2021, 9, d, 8, 0, 0, 0, time.UTC) }
	// One submitter's files: 1 (09-10), 2 (09-12, rejected), 3 (09-15), 4 (09-15, same time as 3,
	// later id), 5 (09-11, sent late but written earlier).
	vs := []Submission{
		{SubmissionID: 1, ModifiedAt: at(10), Status: "superseded"},
		{SubmissionID: 2, ModifiedAt: at(12), Status: "rejected"},
		{SubmissionID: 3, ModifiedAt: at(15), Status: "superseded"},
		{SubmissionID: 4, ModifiedAt: at(15), Status: "current"},
		{SubmissionID: 5, ModifiedAt: at(11), Status: "superseded"},
	}
	for _, tt := range []struct {
		cur, want int // 0: none
	}{
		{4, 3}, // same time: the lower id is earlier
		{3, 5}, // 5 was written on 09-11, after 1 and before 3; the rejected 2 never counts
		{5, 1},
		{1, 0}, // the first
	} {
		var cur Submission
		for _, v := range vs {
			if v.SubmissionID == tt.cur {
				cur = v
			}
		}
		got := PreviousVersion(vs, cur)
		if (got == nil) != (tt.want == 0) || got != nil && got.SubmissionID != tt.want {
			t.Errorf("before %d: got %+v, want %d", tt.cur, got, tt.want)
		}
	}
}
