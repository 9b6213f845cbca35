package queries

import (
	"reflect"
	"testing"
)

// TestRankedWithin: three colleges of one city among other rows; 2/4 with 5 measures and 2/4 with 3
// share no rank (measures break the tie), 1/2 (same ratio, 5 measures) ties with the first.
func TestRankedWithin(t *testing.T) {
	rows := []SubmitterCoverage{
		{Submitter: "C", Kind: KindSchool, City: "X", TasksExpected: 4, TasksAddressed: 2, Coverage: 0.5, Measures: 3, Rank: 9},
		{Submitter: "A", Kind: KindSchool, City: "X", TasksExpected: 4, TasksAddressed: 2, Coverage: 0.5, Measures: 5, Rank: 9},
		{Submitter: "X", Kind: KindCity, City: "X", Coverage: 1, Measures: 50},
		{Submitter: "B", Kind: KindSchool, City: "X", TasksExpected: 2, TasksAddressed: 1, Coverage: 0.5, Measures: 5, Rank: 9},
		{Submitter: "D", Kind: KindSchool, City: "Y", Coverage: 1, Measures: 9},
		{Submitter: "E", Kind: KindSchool, City: "X", TasksExpected: 4, TasksAddressed: 0, Coverage: 0, Measures: 0},
	}
	var got []string
	var ranks []int
	for _, r := range rankedWithin(rows, KindSchool, "X") {
		got, ranks = append(got, r.Submitter), append(ranks, r.Rank)
	}
	if want := []string{"A", "B", "C", "E"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if want := []int{1, 1, 3, 4}; !reflect.DeepEqual(ranks, want) {
		t.Errorf("ranks %v, want %v", ranks, want)
	}
}

// TestCompletionsOf: two cities (one complete, one with a stamped copy only)
// and three colleges.
func TestCompletionsOf(t *testing.T) {
	units := []UnitReturn{
		{Kind: KindCity, ChecklistID: 3, StampedID: 4, Complete: true},
		{Kind: KindCity, StampedID: 7},
		{Kind: KindSchool, ChecklistID: 5, StampedID: 6, Complete: true, Stale: true},
		{Kind: KindSchool, ChecklistID: 8},
		{Kind: KindSchool},
	}
	want := []Completion{
		{Kind: KindCity, Roster: 2, Checklists: 1, Stamped: 2, Complete: 1, Rate: 0.5},
		{Kind: KindSchool, Roster: 3, Checklists: 2, Stamped: 1, Complete: 1, Stale: 1, Rate: 1.0 / 3},
	}
	if got := CompletionsOf(units); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
