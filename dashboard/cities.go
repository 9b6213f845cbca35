package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// citiesView is the 14 cities: the map, each city's own plan beside its colleges.
type citiesView struct {
	Rows []queries.CityCoverage
}

func (s *Server) citiesPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	rows, err := s.cfg.DB.CoverageByCity(ctx)
	if err != nil {
		return err
	}
	rb, err := s.reviewBlock(ctx)
	if err != nil {
		return err
	}
	return s.render(c, "cities.html", &Page{
		Title: "地市", Nav: "cities", Query: queryValues(c), Review: rb,
		Charts: []*charts.Chart{charts.WithTable(charts.ChartCityMap("citymap", rows), "coverage_by_city"), charts.WithTable(charts.ChartCitiesSideBySide("citybars", rows), "coverage_by_city")},
		Body:   citiesView{Rows: rows},
	})
}

func (s *Server) cityPage(c *fiber.Ctx) error { return s.submitterPage(c, queries.KindCity) }
