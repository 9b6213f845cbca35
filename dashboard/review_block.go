package dashboard

import (
	"context"
	"sort"

	"lnvedash/queries"
	"lnvedash/review"
)

// reviewBlock is what the overview, returns and roster pages show of the review: the counts per
// state with their denominators, and each unit's state for the roster tables.
type reviewBlock struct {
	Counts []review.Counts
	Total  review.Counts
	State  map[string]string // roster name → state; absent = no current version
}

// reviewBlock reads the states only and counts them against the roster of the seeds (countsOf): one
// statement fewer on every page that shows it. Without seeds it asks review's own counts.
func (s *Server) reviewBlock(ctx context.Context) (*reviewBlock, error) {
	states, err := s.id.reviews.StatesOf(ctx, "")
	if err != nil {
		return nil, err
	}
	var counts []review.Counts
	if set := s.cfg.DB.Seeds; set != nil {
		roster := map[string]string{}
		for _, u := range set.Submitters {
			if u.Kind == queries.KindCity || u.Kind == queries.KindSchool {
				roster[u.Name] = u.Kind
			}
		}
		counts = countsOf(roster, states)
	} else if counts, err = s.id.reviews.CountsByKind(ctx); err != nil {
		return nil, err
	}
	b := &reviewBlock{Counts: counts, Total: review.Total(counts), State: map[string]string{}}
	for _, st := range states {
		b.State[st.Submitter] = st.State
	}
	return b, nil
}

// countsOf is review's counts.sql folded in Go: per kind of the roster (name → kind), its size, how
// many units have a current version (a state) and how many are in each state. States of units off
// the roster (universities) are not counted, as the SQL's join from the roster leaves them out.
func countsOf(roster map[string]string, states []review.State) []review.Counts {
	byKind := map[string]*review.Counts{}
	for _, kind := range roster {
		c := byKind[kind]
		if c == nil {
			c = &review.Counts{Kind: kind}
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
		case review.StatePending:
			c.Pending++
		case review.StateApproved:
			c.Approved++
		case review.StateReturned:
			c.ReturnedForChanges++
		case review.StateRevised:
			c.Revised++
		}
	}
	out := make([]review.Counts, 0, len(byKind))
	for _, c := range byKind {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}
