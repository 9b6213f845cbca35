package ingest

import "testing"

// The normalisation table of issue 17, case by case; expected values written by hand.
func TestNormaliseStatus(t *testing.T) {
	for _, c := range []struct {
		in      string
		status  string
		percent float64
		hasPct  bool
		ok      bool
	}{
		{"已完成", StatusDone, 0, false, true},
		{"完成", StatusDone, 0, false, true},
		{"全部完成", StatusDone, 0, false, true},
		{" 已 完成 ", StatusDone, 0, false, true},
		{"基本完成", StatusOnTrack, 0, false, true},
		{"80%", StatusOnTrack, 80, true, true},
		{"８０％", StatusOnTrack, 80, true, true},
		{"完成80%", StatusOnTrack, 80, true, true},
		{"100%", StatusDone, 100, true, true},
		{"正在推进", StatusOnTrack, 0, false, true},
		{"推进中", StatusOnTrack, 0, false, true},
		{"按期推进", StatusOnTrack, 0, false, true},
		{"未开展", StatusNotStarted, 0, false, true},
		{"尚未启动", StatusNotStarted, 0, false, true},
		{"未启动", StatusNotStarted, 0, false, true},
		{"滞后", StatusLate, 0, false, true},
		{"已调整", StatusAdjusted, 0, false, true},
		{"已取消", StatusCancelled, 0, false, true},
		{"看情况", "", 0, false, false},
		{"150%", "", 0, false, false},
		{"", "", 0, false, false},
	} {
		st, pct, has, ok := NormaliseStatus(c.in)
		if st != c.status || pct != c.percent || has != c.hasPct || ok != c.ok {
			t.Errorf("NormaliseStatus(%q) = %q %v %v %v, want %q %v %v %v", c.in, st, pct, has, ok, c.status, c.percent, c.hasPct, c.ok)
		}
	}
}

// A description in an own-layout 完成情况 column gives its status only when it opens with one.
func TestStatusLead(t *testing.T) {
	for _, c := range []struct {
		in     string
		status string
		ok     bool
	}{
		{"已完成，共建成产业学院2个", StatusDone, true},
		{"正在推进：已完成选址", StatusOnTrack, true},
		{"尚未启动。", StatusNotStarted, true},
		{"建成产业学院2个，已完成", "", false},
		{"已完成", StatusDone, true},
	} {
		st, ok := statusLead(c.in)
		if st != c.status || ok != c.ok {
			t.Errorf("statusLead(%q) = %q %v, want %q %v", c.in, st, ok, c.status, c.ok)
		}
	}
}
