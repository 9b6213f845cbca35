package dashboard

import (
	"reflect"
	"testing"

	"lnvedash/review"
)

// countsOf folds the review states per kind of the roster, as review's counts.sql did: every rostered
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
	if got := countsOf(roster, states); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got := countsOf(roster, nil); !reflect.DeepEqual(got, []review.Counts{{Kind: "city", Roster: 3}, {Kind: "school", Roster: 2}}) {
		t.Errorf("no states: %+v", got)
	}
}
