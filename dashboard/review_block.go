package dashboard

import (
	"context"

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

// reviewBlock reads the states only and counts them against the roster of the seeds (review.CountsOf): one
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
		counts = review.CountsOf(roster, states)
	} else if counts, err = s.id.reviews.CountsByKind(ctx); err != nil {
		return nil, err
	}
	b := &reviewBlock{Counts: counts, Total: review.Total(counts), State: map[string]string{}}
	for _, st := range states {
		b.State[st.Submitter] = st.State
	}
	return b, nil
}
