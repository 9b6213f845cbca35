package dashboard

import (
	"context"
	"fmt"
	"sort"
	"time"

	"lnvedash/queries"
)

// ownDeadlines is the due-date picture of one submitter's own plan. Deadlines filters by kind and city:
// for a city, kind=city and city=itself is exactly its own plan; a college is the only college of its
// own name, so its picture is built from its measures.
func (s *Server) ownDeadlines(ctx context.Context, d queries.SubmitterDetail) (queries.Deadlines, error) {
	asOf := s.cfg.Now()
	if d.Kind == queries.KindCity {
		return s.cfg.DB.Deadlines(ctx, asOf, queries.Filter{Kind: queries.KindCity, City: d.Submitter})
	}
	ms, err := s.cfg.DB.Measures(ctx, queries.MeasureFilter{Submitter: d.Submitter})
	if err != nil {
		return queries.Deadlines{}, err
	}
	return deadlinesOf(ms, asOf), nil
}

// deadlinesOf folds measures into the buckets queries.Deadlines uses (see queries/deadlines.go).
func deadlinesOf(ms []queries.Measure, asOf time.Time) queries.Deadlines {
	d := queries.Deadlines{AsOf: asOf}
	asOfDay := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	quarters := map[string]*queries.PeriodCount{}
	months := map[string]*queries.PeriodCount{}
	for _, m := range ms {
		d.Total++
		overdue := false
		switch {
		case m.Ongoing:
			d.Ongoing++
			continue
		case m.DueDate.IsZero():
			d.NoDate++
			continue
		case m.DueDate.Before(asOfDay):
			d.Overdue++
			overdue = true
		case !m.DueDate.After(queries.TargetYearEnd):
			d.DueByTarget++
		default:
			d.Later++
		}
		if !m.DueDate.After(queries.TargetYearEnd) {
			d.WithinTargetYear++
		}
		for _, p := range []struct {
			m   map[string]*queries.PeriodCount
			key string
		}{
			{quarters, fmt.Sprintf("%dQ%d", m.DueDate.Year(), (int(m.DueDate.Month())+2)/3)},
			{months, m.DueDate.Format("2006-01")},
		} {
			pc := p.m[p.key]
			if pc == nil {
				pc = &queries.PeriodCount{Period: p.key}
				p.m[p.key] = pc
			}
			pc.Measures++
			if overdue {
				pc.Overdue++
			}
		}
	}
	d.ByQuarter, d.ByMonth = sortedPeriods(quarters), sortedPeriods(months)
	return d
}

func sortedPeriods(m map[string]*queries.PeriodCount) []queries.PeriodCount {
	out := make([]queries.PeriodCount, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}
