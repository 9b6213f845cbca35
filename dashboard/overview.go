package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// overviewView is the front page: who returned, how much is covered, how far the commitments go
// towards the targets, when things are due, and what the latest ingests left to fix.
type overviewView struct {
	O         queries.Overview
	Deadlines queries.Deadlines
	Findings  []queries.Finding
}

const overviewFindings = 15

func (s *Server) overviewPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	asOf := s.cfg.Now()
	o, err := s.cfg.DB.Overview(ctx, asOf)
	if err != nil {
		return err
	}
	targets, err := s.cfg.DB.TargetProgress(ctx, queries.Filter{})
	if err != nil {
		return err
	}
	dl, err := s.cfg.DB.Deadlines(ctx, asOf, queries.Filter{})
	if err != nil {
		return err
	}
	cities, err := s.cfg.DB.CoverageByCity(ctx)
	if err != nil {
		return err
	}
	findings, err := s.cfg.DB.Findings(ctx, queries.FindingFilter{CurrentOnly: true, Severity: "error", Limit: overviewFindings})
	if err != nil {
		return err
	}
	if len(findings) < overviewFindings {
		warn, err := s.cfg.DB.Findings(ctx, queries.FindingFilter{CurrentOnly: true, Severity: "warning", Limit: overviewFindings - len(findings)})
		if err != nil {
			return err
		}
		findings = append(findings, warn...)
	}
	return s.render(c, "overview.html", &Page{
		Title: "总览", Nav: "overview", AsOf: asOf, Query: queryValues(c),
		Charts: []*Chart{
			ChartCityMap("citymap", cities),
			ChartTargetProgress("targets", targets),
			ChartDeadlines("deadlines", dl),
		},
		Body: overviewView{O: o, Deadlines: dl, Findings: findings},
	})
}
