package dashboard

// The unit's own page (/my): its files and verdicts, the findings of the version that counts, the
// experts' comments and decisions, its correction list and its upload form. Everything is read for
// the session's unit only; nothing here takes a unit's name from the request.

import (
	"bytes"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/access"
	"lnvedash/exports"
	"lnvedash/ingest"
	"lnvedash/queries"
	"lnvedash/review"
	"lnvedash/seeds"
)

type myView struct {
	Unit      seeds.Submitter
	CSRF      string
	Deadline  time.Time
	State     review.State
	HasState  bool
	Files     []queries.Submission
	Current   *queries.Submission
	Findings  []queries.Finding
	Decisions []review.Decision
	Comments  []review.CommentRow
	Result    *ingest.Result
	// Colleges is, for a city, its colleges' return and review status (never their content).
	Colleges []collegeStatus
}

type collegeStatus struct {
	Name     string
	Returned bool
	State    string
}

// unitOf is the roster entry of the session's unit.
func (s *Server) unitOf(c *fiber.Ctx) (seeds.Submitter, error) {
	name := session(c).Subject
	for _, sub := range s.cfg.DB.Seeds.Submitters {
		if sub.Name == name {
			return sub, nil
		}
	}
	return seeds.Submitter{}, fiber.NewError(fiber.StatusForbidden, fmt.Sprintf("链接所属单位“%s”不在名单中", name))
}

func (s *Server) myPage(c *fiber.Ctx) error {
	return s.renderMy(c, nil)
}

func (s *Server) renderMy(c *fiber.Ctx, res *ingest.Result) error {
	ctx, cancel := qctx()
	defer cancel()
	unit, err := s.unitOf(c)
	if err != nil {
		return err
	}
	v := myView{Unit: unit, CSRF: session(c).CSRF, Deadline: queries.DefaultReturnsDeadline, Result: res}
	var states []review.State
	db := s.cfg.DB
	err = parallel(
		func() (err error) {
			v.Files, err = db.Submissions(ctx, queries.SubmissionFilter{Submitter: unit.Name})
			return
		},
		func() (err error) { v.Decisions, err = s.id.reviews.Decisions(ctx, unit.Name); return },
		func() (err error) { v.Comments, err = s.id.reviews.Comments(ctx, unit.Name, 0); return },
		func() (err error) { states, err = s.id.reviews.StatesOf(ctx, ""); return },
	)
	if err != nil {
		return err
	}
	byUnit := map[string]review.State{}
	for _, st := range states {
		byUnit[st.Submitter] = st
	}
	v.State, v.HasState = byUnit[unit.Name]
	for i := range v.Files {
		if v.Files[i].Status == "current" {
			v.Current = &v.Files[i]
		}
	}
	if v.Current != nil {
		if v.Findings, err = db.Findings(ctx, queries.FindingFilter{SubmissionID: v.Current.SubmissionID}); err != nil {
			return err
		}
	}
	if unit.Kind == seeds.KindCity {
		for _, sub := range db.Seeds.Submitters {
			if sub.Kind == seeds.KindSchool && sub.City == unit.Name {
				st, ok := byUnit[sub.Name]
				v.Colleges = append(v.Colleges, collegeStatus{Name: sub.Name, Returned: ok, State: st.State})
			}
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "my.html", &Page{Title: unit.Name + "：本单位报送", Nav: "my", Body: v})
}

// myUpload ingests the files as the session's unit: a file naming another unit is refused (and kept
// under this unit as rejected, never under the other's name). Each file's outcome is audited.
func (s *Server) myUpload(c *fiber.Ctx) error {
	unit, err := s.unitOf(c)
	if err != nil {
		return err
	}
	res, err := s.ingestUploadAs(c, "link", unit.Name)
	if err != nil {
		return err
	}
	actor := session(c).Actor()
	for _, f := range res.Files {
		act := access.ActUpload
		if f.ReasonCode == ingest.CodeWrongUnit {
			act = access.ActUploadRefused
		}
		detail := fmt.Sprintf("%s：%s %s", f.FileName, queries.StatusLabel(f.Status), f.Message)
		if err := s.id.links.Log(c.UserContext(), access.Entry{Actor: actor, Action: act, Submitter: unit.Name,
			SubmissionID: f.SubmissionID, Detail: detail}); err != nil {
			return err
		}
	}
	return s.renderMy(c, res)
}

// myCorrections is the unit's correction list: its own sheets and the experts' notes on its versions.
func (s *Server) myCorrections(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	unit, err := s.unitOf(c)
	if err != nil {
		return err
	}
	notes, err := s.reviewNotes(ctx, unit.Name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteCorrectionsWith(ctx, &buf, s.cfg.DB, exports.CorrectionsOptions{Unit: unit.Name, Notes: notes}); err != nil {
		return err
	}
	name := unit.Name + "-修改清单.xlsx"
	c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+url.PathEscape(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("xlsx")
	return c.Send(buf.Bytes())
}
