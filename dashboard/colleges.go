package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// collegesView ranks the colleges; those that have not returned stay in the list, marked 未报送.
type collegesView struct {
	City    string
	Cities  []string
	Rows    []queries.SubmitterCoverage
	Missing int
}

func (s *Server) collegesPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	f := filterFromQuery(c)
	rows, err := s.cfg.DB.CoverageBySubmitter(ctx, queries.KindSchool, queries.Filter{City: f.City})
	if err != nil {
		return err
	}
	v := collegesView{City: f.City, Cities: s.filterOptions().Cities, Rows: rows}
	for _, r := range rows {
		if !r.Returned {
			v.Missing++
		}
	}
	rb, err := s.reviewBlock(ctx)
	if err != nil {
		return err
	}
	return s.render(c, "colleges.html", &Page{
		Title: "院校", Nav: "colleges", Query: queryValues(c), Review: rb,
		Charts: []*charts.Chart{charts.WithTable(charts.ChartSubmitterRanking("ranking", "院校覆盖率排名（灰色：未报送）", "/colleges/{name}", rows), "coverage_by_submitter")},
		Body:   v,
	})
}

func (s *Server) collegePage(c *fiber.Ctx) error { return s.submitterPage(c, queries.KindSchool) }
