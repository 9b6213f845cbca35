package dashboard

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// roundsView is every round, and for one progress round who returned the progress workbook and
// whether on time (by the end of the round's deadline day); the admin form adds a round.
type roundsView struct {
	Rounds                              []queries.Round
	Selected                            queries.Round
	HasRound                            bool // a progress round is selected
	Returns                             []queries.ProgressReturn
	Returned, OnTime, Expected, Missing int
	Admin                               bool // the add form is enabled (an admin token is configured)
}

// roundsPage: GET /rounds?round=N (number or name; default the latest progress round).
func (s *Server) roundsPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	v := roundsView{Admin: s.cfg.AdminToken != ""}
	var err error
	if v.Rounds, err = s.cfg.DB.Rounds(ctx); err != nil {
		return err
	}
	if ref := strings.TrimSpace(c.Query("round")); ref != "" {
		if v.Selected, err = queries.FindRound(v.Rounds, ref); err != nil {
			return err
		}
		v.HasRound = v.Selected.Kind == queries.RoundProgress
	} else {
		v.Selected, v.HasRound = queries.LatestProgressRound(v.Rounds)
	}
	if v.HasRound {
		if v.Returns, err = s.cfg.DB.ProgressReturns(ctx, v.Selected); err != nil {
			return err
		}
		v.Expected = len(v.Returns)
		for _, r := range v.Returns {
			if !r.FirstAt.IsZero() {
				v.Returned++
			}
			if r.OnTime {
				v.OnTime++
			}
		}
		v.Missing = v.Expected - v.Returned
	}
	return s.render(c, "rounds.html", &Page{Title: "轮次与进展报送", Nav: "returns", Body: v})
}

// roundsPost adds a progress round from the admin form (name, as_of, deadline), behind requireAdmin.
// A clerk's mistake is answered in Chinese with 400; the new round's page follows.
func (s *Server) roundsPost(c *fiber.Ctx) error {
	r := queries.Round{Name: c.FormValue("name"), Kind: queries.RoundProgress}
	for _, f := range []struct {
		field, label string
		dst          *time.Time
	}{{"as_of", "统计截止日期", &r.AsOf}, {"deadline", "报送截止日期", &r.Deadline}} {
		v := strings.TrimSpace(c.FormValue(f.field))
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, f.label+"格式应为 2022-06-30")
		}
		*f.dst = t
	}
	ctx, cancel := qctx()
	defer cancel()
	added, err := s.cfg.DB.AddRound(ctx, r)
	if err != nil {
		if errors.Is(err, ctx.Err()) || ctx.Err() != nil {
			return err
		}
		return fiber.NewError(fiber.StatusBadRequest, strings.TrimPrefix(err.Error(), "add round: "))
	}
	s.DataChanged()
	return c.Redirect("/rounds?round="+strconv.Itoa(added.ID), fiber.StatusSeeOther)
}
