package review

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// State is where one unit's current version stands (the review_states view).
type State struct {
	Submitter, Kind, City string
	SubmissionID          int    // the current version
	State                 string // 待审核 / 通过 / 退回修改 / 已修改待复核
	ReviewedID            int    // the version the last decision was made on; 0 = none
	LastDecision          string
	LastReviewer          string
	LastReasons           string
	LastDecidedAt         time.Time
}

// Changed reports whether the current version is newer than the one last decided on: the reviewer
// checks the diff between the two.
func (s State) Changed() bool { return s.ReviewedID != 0 && s.ReviewedID != s.SubmissionID }

// StatesOf lists the states of every unit with a current version, or of one submitter ("" = all).
func (s *Service) StatesOf(ctx context.Context, submitter string) ([]State, error) {
	rows, err := s.db().QueryContext(ctx, mustSQL("states"), submitter, submitter)
	if err != nil {
		return nil, fmt.Errorf("review states: %w", err)
	}
	defer rows.Close()
	var out []State
	for rows.Next() {
		var st State
		var at sql.NullTime
		if err := rows.Scan(&st.Submitter, &st.Kind, &st.City, &st.SubmissionID, &st.State, &st.ReviewedID,
			&st.LastDecision, &st.LastReviewer, &st.LastReasons, &at); err != nil {
			return nil, fmt.Errorf("review states: %w", err)
		}
		st.LastDecidedAt = at.Time
		out = append(out, st)
	}
	return out, rows.Err()
}

// StateOf is one unit's state; ok false when it has no current version.
func (s *Service) StateOf(ctx context.Context, submitter string) (State, bool, error) {
	all, err := s.StatesOf(ctx, submitter)
	if err != nil || len(all) == 0 {
		return State{}, false, err
	}
	return all[0], true, nil
}

// Counts are the review figures of one kind of unit, with their denominators: the roster, and among
// it those with a current version (each of which is in exactly one state).
type Counts struct {
	Kind                                           string // city / school
	Roster, Returned                               int
	Pending, Approved, ReturnedForChanges, Revised int
}

// CountsByKind returns the figures for cities and schools.
func (s *Service) CountsByKind(ctx context.Context) ([]Counts, error) {
	rows, err := s.db().QueryContext(ctx, mustSQL("counts"))
	if err != nil {
		return nil, fmt.Errorf("review counts: %w", err)
	}
	defer rows.Close()
	var out []Counts
	for rows.Next() {
		var c Counts
		if err := rows.Scan(&c.Kind, &c.Roster, &c.Returned, &c.Pending, &c.Approved, &c.ReturnedForChanges, &c.Revised); err != nil {
			return nil, fmt.Errorf("review counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountsOf is CountsByKind folded in Go, for a caller that has the states (StatesOf) and the roster
// already: per kind of the roster (name → kind), its size, how many units have a current version (a
// state) and how many are in each state. States of units off the roster (universities) are not
// counted, as the SQL's join from the roster leaves them out.
func CountsOf(roster map[string]string, states []State) []Counts {
	byKind := map[string]*Counts{}
	for _, kind := range roster {
		c := byKind[kind]
		if c == nil {
			c = &Counts{Kind: kind}
			byKind[kind] = c
		}
		c.Roster++
	}
	for _, st := range states {
		kind, ok := roster[st.Submitter]
		if !ok {
			continue
		}
		c := byKind[kind]
		c.Returned++
		switch st.State {
		case StatePending:
			c.Pending++
		case StateApproved:
			c.Approved++
		case StateReturned:
			c.ReturnedForChanges++
		case StateRevised:
			c.Revised++
		}
	}
	out := make([]Counts, 0, len(byKind))
	for _, c := range byKind {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// Total adds the kinds up.
func Total(cs []Counts) Counts {
	t := Counts{Kind: "all"}
	for _, c := range cs {
		t.Roster += c.Roster
		t.Returned += c.Returned
		t.Pending += c.Pending
		t.Approved += c.Approved
		t.ReturnedForChanges += c.ReturnedForChanges
		t.Revised += c.Revised
	}
	return t
}

// CommentRow is one reviewer's comment with the measure it is on.
type CommentRow struct {
	ID, RoundID, SubmissionID int
	FileName, Submitter       string
	Sheet                     string
	Row                       int
	Measure                   string
	Reviewer, Comment         string
	At                        time.Time
}

// Comments lists the comments on one submitter's versions (submitter "" = all; id 0 = every version),
// newest version first, then by position.
func (s *Service) Comments(ctx context.Context, submitter string, id int) ([]CommentRow, error) {
	rows, err := s.db().QueryContext(ctx, mustSQL("comments"), submitter, submitter, id, id)
	if err != nil {
		return nil, fmt.Errorf("review comments: %w", err)
	}
	defer rows.Close()
	var out []CommentRow
	for rows.Next() {
		var c CommentRow
		if err := rows.Scan(&c.ID, &c.RoundID, &c.SubmissionID, &c.FileName, &c.Submitter, &c.Sheet, &c.Row,
			&c.Measure, &c.Reviewer, &c.Comment, &c.At); err != nil {
			return nil, fmt.Errorf("review comments: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Decision is one decision on one version.
type Decision struct {
	ID, RoundID, SubmissionID int
	FileName, Submitter       string
	Reviewer, Decision        string
	Reasons                   string
	At                        time.Time
}

// Decisions lists one submitter's decisions ("" = all), newest first.
func (s *Service) Decisions(ctx context.Context, submitter string) ([]Decision, error) {
	rows, err := s.db().QueryContext(ctx, mustSQL("decisions"), submitter, submitter)
	if err != nil {
		return nil, fmt.Errorf("review decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(&d.ID, &d.RoundID, &d.SubmissionID, &d.FileName, &d.Submitter, &d.Reviewer, &d.Decision, &d.Reasons, &d.At); err != nil {
			return nil, fmt.Errorf("review decisions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
