package exports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"lnvedash/queries"
)

// buildStampedCopies is the returns page's per-unit table (issue 14): every rostered unit's checklist
// that counts beside its stamped copy (纸质版扫描成PDF), complete only with both, stale when the scan
// is older than the current checklist. The caption gives the complete-return rate per kind over the
// whole roster, whatever the filters.
func buildStampedCopies(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	sub, err := resolveSubmitter(ctx, db, p.Submitter)
	if err != nil {
		return nil, err
	}
	var units []queries.UnitReturn
	var rates []queries.Completion
	if units, err = db.UnitReturns(ctx, sub); err != nil {
		return nil, err
	}
	if rates, err = db.Completions(ctx); err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0},
		{"计入的清单", Text, 36}, {"清单修改时间", DateTime, 17},
		{"盖章扫描件", Text, 36}, {"页数", Int, 0}, {"盖章件修改时间", DateTime, 17}, {"收到盖章件份数", Int, 0},
		{"报送完整", Text, 8}, {"盖章件早于现行清单", Text, 8},
	}}
	for _, u := range units {
		if p.Filter.Kind != "" && u.Kind != p.Filter.Kind || p.Filter.City != "" && u.City != p.Filter.City {
			continue
		}
		stale := ""
		if u.StampedID != 0 {
			stale = yesNo(u.Stale)
		}
		t.Rows = append(t.Rows, []any{u.Submitter, queries.KindLabel(u.Kind), u.City,
			orNone(u.ChecklistFile), timeOr(u.ChecklistModified),
			orNone(u.StampedFile), u.StampedPages, timeOr(u.StampedModified), u.StampedCopies,
			yesNo(u.Complete), stale})
	}
	var rate []string
	for _, c := range rates {
		rate = append(rate, fmt.Sprintf("%s %d/%d（%.1f%%）", queries.KindLabel(c.Kind), c.Complete, c.Roster, 100*c.Rate))
	}
	t.Caption = p.Caption("报送完整 = 清单与盖章扫描件都已收到；" + strings.Join(rate, "，") + "（分母为名册上的全部单位）")
	return t, nil
}

// orNone is s, or 未收到 when nothing was received.
func orNone(s string) string {
	if s == "" {
		return "未收到"
	}
	return s
}

// timeOr is t's time, or the zero time (a blank cell) when it is NULL.
func timeOr(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time
}
