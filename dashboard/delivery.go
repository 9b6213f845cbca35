package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// deliverySection is the overview's delivery section: the figures and their charts (status by kind,
// the trend across rounds), each exportable like every other chart.
type deliverySection struct {
	queries.Delivery
	Charts []*charts.Chart
}

func newDeliverySection(d queries.Delivery) deliverySection {
	sec := deliverySection{Delivery: d}
	if d.HasRound {
		sec.Charts = append(sec.Charts, charts.WithTable(charts.ChartDelivery("delivery", d), "delivery"))
		if len(d.Trend) > 0 {
			sec.Charts = append(sec.Charts, charts.WithTable(charts.ChartDeliveryTrend("trend", d.Trend), "completion_by_round"))
		}
	}
	return sec
}

// deliveryView is the red list: the measures past their 完成时间 and not done, for the whole province,
// one unit (?unit=) or one lead department (?dept=).
type deliveryView struct {
	D          deliverySection // what the overview's section shows, charts included
	Unit, Dept string
	Red        []queries.RedMeasure
}

func (s *Server) deliveryPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	v := deliveryView{Unit: c.Query("unit"), Dept: c.Query("dept")}
	var d queries.Delivery
	err := parallel(
		func() (err error) { d, err = s.cfg.DB.Delivery(ctx); return },
		func() (err error) { v.Red, err = s.cfg.DB.RedList(ctx, v.Unit, v.Dept); return },
	)
	if err != nil {
		return err
	}
	v.D = newDeliverySection(d)
	return s.render(c, "delivery.html", &Page{Title: "落实进展", Nav: "overview", Query: queryValues(c), Body: v})
}

// measurePage is one plan measure: its latest status and what every progress round said of it,
// each report traced to its file, sheet and row.
func (s *Server) measurePage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	h, err := s.cfg.DB.MeasureHistory(ctx, c.Params("key"))
	if err != nil {
		return err
	}
	return s.render(c, "measure.html", &Page{Title: "举措进展", Nav: "search", Body: h})
}
