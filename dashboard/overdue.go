package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/exports"
	"lnvedash/queries"
)

// overdueView is what every overdue figure opens: the measures past their due date at the as-of date,
// by unit and by lead department, then one by one; each table downloadable.
type overdueView struct {
	O        queries.Overdue
	Quarter  string // "2022Q2" or ""
	Total    int
	Measures []queries.Measure
	More     bool
	Form     filterForm
}

func (s *Server) overduePage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	asOf := s.asOf(c)
	f := filterFromQuery(c)
	v := overdueView{Quarter: exports.ParseQuarter(c.Query("quarter"))}
	db := s.cfg.DB
	err := parallel(
		func() (err error) { v.O, err = db.Overdue(ctx, asOf, v.Quarter, f); return },
		func() (err error) {
			v.Measures, err = db.Measures(ctx, queries.MeasureFilter{Filter: f, OverdueAsOf: asOf, Quarter: v.Quarter, Limit: searchPageSize + 1})
			return
		},
	)
	if err != nil {
		return err
	}
	if len(v.Measures) > searchPageSize {
		v.More, v.Measures = true, v.Measures[:searchPageSize]
	}
	for _, u := range v.O.Units {
		v.Total += u.Measures
	}
	q := queryValues(c)
	v.Form = newFilterForm(f, s.filterOptions(), q, "as_of", "quarter", "by")
	title := "已过完成时间的举措"
	if v.Quarter != "" {
		title += "（" + exports.QuarterLabel(v.Quarter) + "）"
	}
	return s.render(c, "overdue.html", &Page{Title: title, Nav: "overdue", AsOf: asOf, Query: q, Body: v})
}
