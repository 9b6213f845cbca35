package dashboard

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
	"lnvedash/zhfmt"
)

// returnsView is the reporting rate (DHIS2-style: expected from the roster, returned, on time), every
// file received with its verdict, and the 催报 list ready to paste into a message.
type returnsView struct {
	R         queries.Returns
	Deadline  string // as entered, YYYY-MM-DD
	Grace     int    // days
	Basis     queries.Basis
	Bases     []queries.Basis // the choices
	Files     queries.SubmissionPage
	Status    string // filter of the file list
	Submitter string // filter of the file list: one unit's versions
	Unknown   string // the filter as typed when it names no unit of the roster
	Pages     pager
	Base      url.Values // the request's query without page: filter links start again at page 1
	Roster    []string   // for the unit filter's suggestions
	// AllLate: judged by ingest time, every unit that returned is late; the page then says how to
	// judge by the earliest evidence instead.
	AllLate   bool
	ChaseText string
	// Stamped: checklist and stamped copy per unit, the complete-return rate, universities apart (stamped.go).
	Stamped stampedView
}

// filesPerPage bounds the file list: it holds every version ever received (tens of thousands of rows
// by the end of a round), and the page must stay quick to send and to scroll.
const filesPerPage = 200

func (s *Server) returnsPage(c *fiber.Ctx) error {
	if r := strings.TrimSpace(c.Query("round")); r != "" && r != strconv.Itoa(queries.PlanRound) {
		// a progress round's returns are on /rounds (rounds.go)
		return c.Redirect("/rounds?round="+url.QueryEscape(r), fiber.StatusSeeOther)
	}
	// The deadline and grace are read by the parser the exports use, so the page and its download agree.
	p, err := s.exportParams(url.Values{"deadline": {c.Query("deadline")}, "grace": {c.Query("grace")}})
	if err != nil {
		return err
	}
	deadline, grace := p.Deadline, p.GraceDays
	if deadline.IsZero() {
		deadline = queries.DefaultReturnsDeadline
	}
	basis := s.basis(c)
	// Every file received so far counts, whatever the as-of date (which dates overdue measures): a
	// batch ingested later would otherwise not exist before its ingest day. Exports do the same.
	asOf := s.cfg.Now()
	status := c.Query("status")
	switch status {
	case "current", "superseded", "rejected":
	default:
		status = ""
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := qctx()
	defer cancel()
	who := strings.TrimSpace(c.Query("submitter"))
	unknown := ""
	if who != "" {
		canon, err := s.cfg.DB.ResolveSubmitter(ctx, who)
		switch {
		case errors.Is(err, queries.ErrNotFound):
			// A typo in the filter box: the page stays, with no files and a word on why.
			unknown = who
		case err != nil:
			return err
		}
		who = canon
	}
	var (
		r       queries.Returns
		files   queries.SubmissionPage
		stamped stampedView
		rb      *reviewBlock
	)
	db := s.cfg.DB
	err = parallel(
		func() (err error) { stamped, err = loadStamped(ctx, db); return },
		func() (err error) { rb, err = s.reviewBlock(ctx); return },
		func() (err error) {
			r, err = db.Returns(ctx, queries.ReturnsOptions{
				Deadline: deadline, Grace: time.Duration(grace) * 24 * time.Hour, AsOf: asOf, Basis: basis,
			})
			return
		},
		func() (err error) {
			if unknown != "" {
				return nil
			}
			files, err = db.SubmissionsPage(ctx, queries.SubmissionFilter{
				Status: status, Submitter: who, Limit: filesPerPage, Offset: (page - 1) * filesPerPage,
			})
			return
		},
	)
	if err != nil {
		return err
	}
	v := returnsView{R: r, Deadline: deadline.Format("2006-01-02"), Grace: grace, Basis: basis, Bases: queries.Bases,
		Files: files, Status: status, Submitter: who, Unknown: unknown, Pages: newPager(page, files.Total, filesPerPage), Stamped: stamped}
	v.Base = queryValues(c)
	v.Base.Del("page")
	if db.Seeds != nil {
		for _, u := range db.Seeds.Submitters {
			v.Roster = append(v.Roster, u.Name)
		}
	}
	v.ChaseText = chaseText(r, asOf)
	v.AllLate = basis == queries.BasisIngested && r.AllLate()
	return s.render(c, "returns.html", &Page{Title: "报送情况", Nav: "returns", Query: queryValues(c), Body: v, Review: rb})
}

// chaseText is the 催报 message: who has not returned, who returned late, by kind.
func chaseText(r queries.Returns, now time.Time) string {
	var missing, late [2][]string
	idx := func(kind string) int {
		if kind == queries.KindCity {
			return 0
		}
		return 1
	}
	for _, it := range r.Chase {
		name := it.Submitter
		if it.Status == "missing" {
			if it.RejectedFiles > 0 {
				name += "（所报文件无法读取，请重新报送）"
			}
			missing[idx(it.Kind)] = append(missing[idx(it.Kind)], name)
		} else {
			late[idx(it.Kind)] = append(late[idx(it.Kind)], name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "【催报】部省共建《任务落实举措清单》报送情况（截至%s）\n", zhfmt.Day(now))
	if len(missing[0])+len(missing[1]) == 0 && len(late[0])+len(late[1]) == 0 {
		b.WriteString("全部单位均已按时报送，谢谢！\n")
		return b.String()
	}
	fmt.Fprintf(&b, "报送截止时间为%s。", zhfmt.Day(r.Deadline))
	if n := len(missing[0]) + len(missing[1]); n > 0 {
		fmt.Fprintf(&b, "以下%d个单位尚未报送，请于收到本通知后尽快报送：\n", n)
		for i, label := range []string{"地市", "院校"} {
			if len(missing[i]) > 0 {
				fmt.Fprintf(&b, "%s（%d）：%s\n", label, len(missing[i]), strings.Join(missing[i], "、"))
			}
		}
	}
	if n := len(late[0]) + len(late[1]); n > 0 {
		fmt.Fprintf(&b, "以下%d个单位逾期报送，已收到，请今后注意时限：\n", n)
		for i, label := range []string{"地市", "院校"} {
			if len(late[i]) > 0 {
				fmt.Fprintf(&b, "%s（%d）：%s\n", label, len(late[i]), strings.Join(late[i], "、"))
			}
		}
	}
	return b.String()
}

// submissionView is one file received: its verdict, what was read from it and what was found.
type submissionView struct {
	S        queries.Submission
	Measures []queries.Measure
	Findings []queries.Finding
	Previous *queries.Submission // the version before it, for the diff link
	// OnlyPrefix: the archive holds only the first 64 KB of it (refused for its size), so no
	// download of the original is offered (original.go).
	OnlyPrefix bool
	// Return is, on a checklist's page, its unit's stamped copy (the latest) and whether it is older
	// than the current checklist (stamped.go).
	Return *queries.UnitReturn
}

func (s *Server) submissionPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	sub, err := s.submissionOf(ctx, c)
	if err != nil {
		return err
	}
	id := sub.SubmissionID
	v := submissionView{S: sub, OnlyPrefix: onlyPrefix(sub.ArchivePath)}
	db := s.cfg.DB
	accepted := v.S.Status != "rejected"
	var versions []queries.Submission
	err = parallel(
		func() (err error) {
			if accepted {
				v.Measures, err = db.Measures(ctx, queries.MeasureFilter{SubmissionID: id})
			}
			return
		},
		func() (err error) {
			v.Findings, err = db.Findings(ctx, queries.FindingFilter{SubmissionID: id})
			return
		},
		func() (err error) {
			if accepted && v.S.Submitter != "" {
				versions, err = db.Submissions(ctx, queries.SubmissionFilter{Submitter: v.S.Submitter})
			}
			return
		},
		func() error {
			if v.S.Submitter == "" || v.S.Status == "received" { // a stamped copy links itself
				return nil
			}
			r, err := db.UnitReturns(ctx, v.S.Submitter)
			if len(r) == 1 && r[0].StampedID != 0 {
				v.Return = &r[0]
			}
			return err
		},
	)
	if err != nil {
		return err
	}
	if versions != nil {
		v.Previous = queries.PreviousVersion(versions, v.S)
	}
	return s.render(c, "submission.html", &Page{Title: v.S.FileName, Nav: "returns", Query: queryValues(c), Body: v})
}

// diffView is what changed between two versions of one submitter's checklist.
type diffView struct {
	Submitter string
	Versions  []queries.Submission // accepted versions, to choose from
	D         *queries.Diff
	From, To  int
}

func (s *Server) diffPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	name, err := s.cfg.DB.ResolveSubmitter(ctx, c.Query("submitter"))
	if err != nil {
		return err
	}
	all, err := s.cfg.DB.Submissions(ctx, queries.SubmissionFilter{Submitter: name})
	if err != nil {
		return err
	}
	v := diffView{Submitter: name}
	for _, x := range all {
		if x.Status != "rejected" {
			v.Versions = append(v.Versions, x)
		}
	}
	v.From, _ = strconv.Atoi(c.Query("from"))
	v.To, _ = strconv.Atoi(c.Query("to"))
	if v.To == 0 || v.From == 0 {
		// default: the current version against the one before it
		for i := range v.Versions {
			if v.Versions[i].Status == "current" {
				v.To = v.Versions[i].SubmissionID
				if p := queries.PreviousVersion(v.Versions, v.Versions[i]); p != nil {
					v.From = p.SubmissionID
				}
			}
		}
	}
	if v.From != 0 && v.To != 0 {
		d, err := s.cfg.DB.VersionDiffAmong(ctx, name, all, v.From, v.To)
		if err != nil {
			return err
		}
		v.D = &d
	}
	return s.render(c, "diff.html", &Page{Title: name + "：版本比较", Nav: "returns", Query: queryValues(c), Body: v})
}
