package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// overviewView is the front page: who returned, how much is covered, how far the commitments go
// towards the targets, when things are due, and what the latest ingests left to fix.
type overviewView struct {
	O         queries.Overview
	Deadlines queries.Deadlines
	Findings  []queries.Finding
	// Short lists the task targets neither cities nor colleges commit to in full.
	Short   []queries.TargetProgress
	Targets int // task targets
	// Delivery leads the page once a progress round exists (delivery.go).
	Delivery deliverySection
	// Complete: checklist and stamped copy both received, per kind over the roster (stamped.go).
	Complete []queries.Completion
}

const overviewFindings = 15

func (s *Server) overviewPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	asOf := s.asOf(c)
	var (
		o        queries.Overview
		targets  []queries.TargetProgress
		dl       queries.Deadlines
		cities   []queries.CityCoverage
		findings []queries.Finding
		delivery queries.Delivery
		complete []queries.Completion
		rb       *reviewBlock
	)
	db := s.cfg.DB
	err := parallel(
		func() (err error) { o, err = db.Overview(ctx, asOf); return },
		func() (err error) { delivery, err = db.Delivery(ctx); return },
		func() (err error) { complete, err = db.Completions(ctx); return },
		func() (err error) { targets, err = db.TargetProgress(ctx, queries.Filter{}); return },
		func() (err error) { dl, err = db.Deadlines(ctx, asOf, queries.Filter{}); return },
		func() (err error) { cities, err = db.CoverageByCity(ctx); return },
		func() (err error) { findings, err = db.LatestFindings(ctx, overviewFindings); return },
		func() (err error) { rb, err = s.reviewBlock(ctx); return },
	)
	if err != nil {
		return err
	}
	var short []queries.TargetProgress
	nTargets := 0
	for _, t := range targets {
		if t.TaskNo == 0 {
			continue // headline and ministry targets are not committed in the checklists
		}
		nTargets++
		if t.CityRatio < 1 && t.SchoolRatio < 1 {
			short = append(short, t)
		}
	}
	return s.render(c, "overview.html", &Page{
		Title: "总览", Nav: "overview", AsOf: asOf, Query: queryValues(c), Review: rb,
		Charts: []*charts.Chart{
			charts.WithTable(charts.ChartCityMap("citymap", cities), "coverage_by_city"),
			charts.WithTable(charts.ChartTargetProgress("targets", targets), "target_progress"),
			charts.WithTable(charts.ChartDeadlines("deadlines", dl), "deadlines"),
		},
		Body: overviewView{O: o, Deadlines: dl, Findings: findings, Short: short, Targets: nTargets, Delivery: newDeliverySection(delivery), Complete: complete},
	})
}
