package dashboard

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// sourceView is one measure traced to its origin: the file and version, the sheet and row, the cells
// as written beside what was read from them.
type sourceView struct {
	M queries.Measure
	// CellBefore, CellAfter surround the item within the whole cell when the cell lists several measures.
	CellBefore, CellAfter string
	S                     queries.Submission
	Commitments           []queries.CommittedQuantity
	Findings              []queries.Finding
}

func (s *Server) sourcePage(c *fiber.Ctx) error {
	sid, err1 := strconv.Atoi(c.Query("sid"))
	row, err2 := strconv.Atoi(c.Query("row"))
	sheet := c.Query("sheet")
	if err1 != nil || err2 != nil || sid <= 0 || row <= 0 || sheet == "" {
		return fiber.NewError(fiber.StatusBadRequest, "出处参数不完整：需要 sid、sheet、row")
	}
	ctx, cancel := qctx()
	defer cancel()
	item := -1
	if v := c.Query("item"); v != "" {
		if item, err1 = strconv.Atoi(v); err1 != nil || item < 0 {
			return fiber.NewError(fiber.StatusBadRequest, "出处参数 item 应为非负整数")
		}
	}
	m, err := s.cfg.DB.MeasureItemAt(ctx, sid, sheet, row, item)
	if err != nil {
		return err
	}
	subs, err := s.cfg.DB.Submissions(ctx, queries.SubmissionFilter{SubmissionID: sid})
	if err != nil {
		return err
	}
	if len(subs) != 1 {
		return fiber.NewError(fiber.StatusNotFound, "找不到该文件")
	}
	v := sourceView{M: m, S: subs[0]}
	if m.Item > 0 {
		if i := strings.Index(m.Cell, m.Measure); i >= 0 {
			v.CellBefore, v.CellAfter = m.Cell[:i], m.Cell[i+len(m.Measure):]
		} else {
			v.CellBefore = m.Cell + "\n"
		}
	}
	if v.Commitments, err = s.cfg.DB.DashboardCommitments(ctx, queries.CommitmentFilter{SubmissionID: sid, Sheet: sheet, Row: row}); err != nil {
		return err
	}
	all, err := s.cfg.DB.Findings(ctx, queries.FindingFilter{SubmissionID: sid})
	if err != nil {
		return err
	}
	for _, f := range all {
		if f.Sheet == sheet && f.Row == row {
			v.Findings = append(v.Findings, f)
		}
	}
	return s.render(c, "source.html", &Page{Title: "出处", Nav: "search", Query: queryValues(c), Body: v})
}
