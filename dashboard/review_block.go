package dashboard

import (
	"context"

	"lnvedash/review"
)

// reviewBlock is what the overview, returns and roster pages show of the review: the counts per
// state with their denominators, and each unit's state for the roster tables.
type reviewBlock struct {
	Counts []review.Counts
	Total  review.Counts
	State  map[string]string // roster name → state; absent = no current version
}

func (s *Server) reviewBlock(ctx context.Context) (*reviewBlock, error) {
	var counts []review.Counts
	var states []review.State
	err := parallel(
		func() (err error) { counts, err = s.id.reviews.CountsByKind(ctx); return },
		func() (err error) { states, err = s.id.reviews.StatesOf(ctx, ""); return },
	)
	if err != nil {
		return nil, err
	}
	b := &reviewBlock{Counts: counts, Total: review.Total(counts), State: map[string]string{}}
	for _, st := range states {
		b.State[st.Submitter] = st.State
	}
	return b, nil
}
