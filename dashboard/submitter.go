package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// submitterView is a city's or a college's page: its plan's coverage by main task, its measures and
// deadlines, the files it sent and what ingest found in them; for a city, its colleges beside it.
type submitterView struct {
	D         queries.SubmitterDetail
	Measures  []queries.Measure
	Deadlines queries.Deadlines
	Findings  []queries.Finding
	Colleges  []queries.SubmitterCoverage // a city's colleges
	City      *collegesSummary            // a city's colleges, pooled
	Task      int                         // measures filtered to one task
	Return    *queries.UnitReturn         // its checklist and stamped copy (stamped.go)
}

// submitterPage renders /cities/:name and /colleges/:name. A name of the other kind redirects to its
// proper page, so a link built from a name alone still lands.
func (s *Server) submitterPage(c *fiber.Ctx, kind string) error {
	ctx, cancel := qctx()
	defer cancel()
	name := param(c, "name")
	d, err := s.cfg.DB.Submitter(ctx, name)
	if err != nil {
		return err
	}
	if d.Kind != kind || d.Submitter != name {
		return c.Redirect(unitPath(d.Kind, d.Submitter), fiber.StatusFound)
	}
	v := submitterView{D: d, Task: filterFromQuery(c).TaskNo, Colleges: d.Colleges}
	db := s.cfg.DB
	err = parallel(
		func() error {
			r, err := db.UnitReturns(ctx, d.Submitter)
			if len(r) == 1 {
				v.Return = &r[0]
			}
			return err
		},
		func() (err error) {
			v.Measures, err = db.Measures(ctx, queries.MeasureFilter{Submitter: d.Submitter, Filter: queries.Filter{TaskNo: v.Task}})
			return
		},
		// Deadlines of its own plan: the city filter alone would add its colleges.
		func() (err error) { v.Deadlines, err = db.SubmitterDeadlines(ctx, s.asOf(c), d.Submitter); return },
		func() (err error) {
			v.Findings, err = db.Findings(ctx, queries.FindingFilter{Submitter: d.Submitter, Limit: 200})
			return
		},
	)
	if err != nil {
		return err
	}
	// A unit that sent nothing has no plan to chart: its page says 未报送 where the plan's charts
	// would be, not empty axes a leader reads as "covered nothing".
	var chs []*charts.Chart
	if d.Returned {
		chs = append(chs, charts.ChartAreaCoverage("areas", "本单位方案：各主要任务覆盖率", d.Areas))
	}
	title := d.Submitter
	nav := "colleges"
	if kind == queries.KindCity {
		nav = "cities"
		v.City = summariseColleges(v.Colleges)
		if len(v.Colleges) > 0 {
			chs = append(chs, charts.ChartSubmitterRanking("colleges", "本市院校覆盖率（含未报送）", "/colleges/{name}", v.Colleges))
		}
	}
	if d.Returned {
		chs = append(chs, charts.ChartDeadlines("deadlines", v.Deadlines))
	}
	// A city's page exports the city's materials (its plan and its colleges'); a college's, its city's.
	return s.render(c, "submitter.html", &Page{Title: title, Nav: nav, Query: queryValues(c), Charts: chs, Body: v,
		MeetingExtra: map[string]string{"city": d.City}})
}

// collegesSummary pools a city's colleges as coverage_by_city does: addressed (college, task) pairs
// over expected pairs across all its rostered colleges, returned or not.
type collegesSummary struct {
	SchoolsExpected, SchoolsReturned int
	PairsExpected, PairsAddressed    int
	SchoolCoverage                   float64
}

func summariseColleges(rows []queries.SubmitterCoverage) *collegesSummary {
	c := &collegesSummary{SchoolsExpected: len(rows)}
	for _, r := range rows {
		if r.Returned {
			c.SchoolsReturned++
		}
		c.PairsExpected += r.TasksExpected
		c.PairsAddressed += r.TasksAddressed
	}
	if c.PairsExpected > 0 {
		c.SchoolCoverage = float64(c.PairsAddressed) / float64(c.PairsExpected)
	}
	return c
}
