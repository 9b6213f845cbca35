package dashboard

// The experts' review (审核确认): /review is the queue, /review/:id one version with every measure, a
// comment form per measure and the decision form. A version newer than the one last decided on shows
// the diff since that one (queries.VersionDiff, the same as /returns/diff).

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
	"lnvedash/review"
)

type queueView struct {
	Reviewer string
	Todo     []review.State // 待审核 and 已修改待复核
	Done     []review.State // 通过 and 退回修改
	Counts   []review.Counts
	Total    review.Counts
}

func (s *Server) reviewQueue(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	var states []review.State
	var counts []review.Counts
	err := parallel(
		func() (err error) { states, err = s.id.reviews.StatesOf(ctx, ""); return },
		func() (err error) { counts, err = s.id.reviews.CountsByKind(ctx); return },
	)
	if err != nil {
		return err
	}
	v := queueView{Reviewer: session(c).Subject, Counts: counts, Total: review.Total(counts)}
	for _, st := range states {
		if st.State == review.StatePending || st.State == review.StateRevised {
			v.Todo = append(v.Todo, st)
		} else {
			v.Done = append(v.Done, st)
		}
	}
	// re-reviews first: the unit did what it was told and waits for the answer
	sort.SliceStable(v.Todo, func(i, j int) bool {
		return v.Todo[i].State == review.StateRevised && v.Todo[j].State != review.StateRevised
	})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "review_queue.html", &Page{Title: "审核确认", Nav: "review", Body: v})
}

type planRow struct {
	queries.Measure
	Comments []review.CommentRow
}

type planView struct {
	CSRF      string
	Version   queries.Submission
	State     review.State
	HasState  bool
	Rows      []planRow
	Findings  []queries.Finding
	Decisions []review.Decision
	Diff      *queries.Diff // since the version last decided on, when the current one is newer
}

func (s *Server) reviewPlan(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	id, err := strconv.Atoi(c.Params("id"))
	if err != nil || id <= 0 {
		return fiber.NewError(fiber.StatusBadRequest, "文件编号不正确")
	}
	db := s.cfg.DB
	vs, err := db.Submissions(ctx, queries.SubmissionFilter{SubmissionID: id})
	if err != nil {
		return err
	}
	if len(vs) == 0 || vs[0].Submitter == "" || vs[0].Status == "rejected" {
		return fiber.NewError(fiber.StatusNotFound, fmt.Sprintf("没有可审核的文件（编号%d）", id))
	}
	v := planView{CSRF: session(c).CSRF, Version: vs[0]}
	var measures []queries.Measure
	var comments []review.CommentRow
	err = parallel(
		func() (err error) { measures, err = db.Measures(ctx, queries.MeasureFilter{SubmissionID: id}); return },
		func() (err error) { comments, err = s.id.reviews.Comments(ctx, v.Version.Submitter, id); return },
		func() (err error) { v.Decisions, err = s.id.reviews.Decisions(ctx, v.Version.Submitter); return },
		func() (err error) {
			v.Findings, err = db.Findings(ctx, queries.FindingFilter{SubmissionID: id})
			return
		},
		func() (err error) { v.State, v.HasState, err = s.id.reviews.StateOf(ctx, v.Version.Submitter); return },
	)
	if err != nil {
		return err
	}
	byRow := map[string][]review.CommentRow{}
	for _, cm := range comments {
		k := cm.Sheet + "\x00" + strconv.Itoa(cm.Row)
		byRow[k] = append(byRow[k], cm)
	}
	for _, m := range measures {
		v.Rows = append(v.Rows, planRow{Measure: m, Comments: byRow[m.Sheet+"\x00"+strconv.Itoa(m.Row)]})
	}
	if v.HasState && v.State.SubmissionID == id && v.State.Changed() {
		d, err := db.VersionDiff(ctx, v.Version.Submitter, v.State.ReviewedID, id)
		if err != nil {
			return err
		}
		v.Diff = &d
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "review_plan.html", &Page{Title: v.Version.Submitter + "：审核", Nav: "review", Body: v})
}

// reviewError turns the reviewer's correctable mistakes into a 400 with their Chinese message.
func reviewError(err error) error {
	if errors.Is(err, review.ErrInput) {
		return fiber.NewError(fiber.StatusBadRequest, err.Error())
	}
	return err
}

func (s *Server) reviewComment(c *fiber.Ctx) error {
	id, _ := strconv.Atoi(c.Params("id"))
	row, err := strconv.Atoi(c.FormValue("row"))
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "行号不正确")
	}
	if err := s.id.reviews.Comment(c.UserContext(), session(c).Actor(), id, c.FormValue("sheet"), row, c.FormValue("comment")); err != nil {
		return reviewError(err)
	}
	s.DataChanged()
	return c.Redirect(fmt.Sprintf("/review/%d#r%d", id, row), fiber.StatusSeeOther)
}

func (s *Server) reviewDecide(c *fiber.Ctx) error {
	id, _ := strconv.Atoi(c.Params("id"))
	if err := s.id.reviews.Decide(c.UserContext(), session(c).Actor(), id, c.FormValue("decision"), c.FormValue("reasons")); err != nil {
		return reviewError(err)
	}
	s.DataChanged()
	return c.Redirect(fmt.Sprintf("/review/%d", id), fiber.StatusSeeOther)
}
