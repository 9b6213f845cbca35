package dashboard

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/exports"
	"lnvedash/queries"
)

// searchView is the measure list: free text over every current measure, narrowed by the filters in
// the URL. Every count on the dashboard links here with its filter.
type searchView struct {
	Q         string
	Submitter string
	Filter    queries.Filter
	Options   filterOptions
	Hits      queries.SearchResult
	Measures  []queries.Measure
	Page      int
	More      bool
	Overdue   bool   // only measures due before the as-of date
	Quarter   string // only measures due in this quarter (a bar of the deadlines chart)
}

const searchPageSize = 200

func (s *Server) searchPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	v := searchView{Q: strings.TrimSpace(c.Query("q")), Submitter: strings.TrimSpace(c.Query("submitter")),
		Filter: filterFromQuery(c), Options: s.filterOptions()}
	v.Overdue = c.Query("overdue") == "1"
	v.Quarter = exports.ParseQuarter(c.Query("quarter"))
	mf := queries.MeasureFilter{Filter: v.Filter, Submitter: v.Submitter, Query: v.Q, Quarter: v.Quarter}
	if v.Overdue {
		mf.OverdueAsOf = s.asOf(c)
	}
	v.Page, _ = strconv.Atoi(c.Query("p"))
	if v.Page < 1 {
		v.Page = 1
	}
	var ms []queries.Measure
	err := parallel(
		func() (err error) {
			if v.Q != "" {
				v.Hits, err = s.cfg.DB.Search(ctx, v.Q, 10)
			}
			return
		},
		func() (err error) {
			mf.Limit, mf.Offset = searchPageSize+1, (v.Page-1)*searchPageSize
			ms, err = s.cfg.DB.Measures(ctx, mf)
			return
		},
	)
	if err != nil {
		return err
	}
	if len(ms) > searchPageSize {
		v.More, ms = true, ms[:searchPageSize]
	}
	v.Measures = ms
	return s.render(c, "search.html", &Page{Title: "检索举措", Nav: "search", Query: queryValues(c), Body: v})
}
