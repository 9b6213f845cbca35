package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of round (rounds.kind).
const (
	RoundPlan     = "方案" // the plan round (round 1): 一市一策、一校一案
	RoundProgress = "进展" // a progress round (定期考核)
)

// PlanRound is the round every plan file belongs to; databases made before rounds existed hold it
// already (schema/0005_rounds.sql).
const PlanRound = 1

// Round is one collection the province runs.
type Round struct {
	ID        int
	Name      string
	Kind      string
	AsOf      time.Time // zero when not set
	Deadline  time.Time // zero when not set
	CreatedAt time.Time
}

// Rounds lists every round, the plan round first.
func (db *DB) Rounds(ctx context.Context) ([]Round, error) {
	rows, err := db.QueryContext(ctx, mustSQL("rounds"))
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	defer rows.Close()
	var out []Round
	for rows.Next() {
		var r Round
		var asOf, deadline sql.NullTime
		if err := rows.Scan(&r.ID, &r.Name, &r.Kind, &asOf, &deadline, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("rounds: %w", err)
		}
		r.AsOf, r.Deadline = asOf.Time, deadline.Time
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	return out, nil
}

// LatestProgressRound is the progress round with the latest as-of date (ties: the later number);
// ok is false when there is none.
func LatestProgressRound(rounds []Round) (Round, bool) {
	var best Round
	found := false
	for _, r := range rounds {
		if r.Kind != RoundProgress {
			continue
		}
		if !found || r.AsOf.After(best.AsOf) || r.AsOf.Equal(best.AsOf) && r.ID > best.ID {
			best, found = r, true
		}
	}
	return best, found
}

// FindRound picks a round by number or by name; an unknown one is a NotFoundError.
func FindRound(rounds []Round, ref string) (Round, error) {
	ref = strings.TrimSpace(ref)
	n, numErr := strconv.Atoi(ref)
	for _, r := range rounds {
		if numErr == nil && r.ID == n || r.Name == ref {
			return r, nil
		}
	}
	return Round{}, notFound("轮次", ref)
}

// AddRound adds a progress round and rebuilds the derived tables (what counts as overdue is judged at
// the latest round's as-of date). Errors about the input are in Chinese, for the clerk who typed it.
func (db *DB) AddRound(ctx context.Context, r Round) (Round, error) {
	r.Name = strings.TrimSpace(r.Name)
	if r.Kind == "" {
		r.Kind = RoundProgress
	}
	switch {
	case r.Name == "":
		return r, fmt.Errorf("add round: 轮次名称不能为空（如“2022年上半年进展”）")
	case r.Kind != RoundProgress:
		return r, fmt.Errorf("add round: 只能新增“%s”轮次；方案轮次（第1轮）已存在", RoundProgress)
	case r.AsOf.IsZero():
		return r, fmt.Errorf("add round: 需要统计截止日期（--as-of，如 2022-06-30）")
	case !r.Deadline.IsZero() && r.Deadline.Before(r.AsOf):
		return r, fmt.Errorf("add round: 报送截止日期 %s 早于统计截止日期 %s", r.Deadline.Format(time.DateOnly), r.AsOf.Format(time.DateOnly))
	}
	existing, err := db.Rounds(ctx)
	if err != nil {
		return r, err
	}
	for _, e := range existing {
		if e.Name == r.Name {
			return r, fmt.Errorf("add round: 已有同名轮次“%s”（第%d轮）", r.Name, e.ID)
		}
	}
	r.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	var deadline any
	if !r.Deadline.IsZero() {
		deadline = r.Deadline
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, mustSQL("round_add"), r.Name, r.Kind, r.AsOf, deadline, r.CreatedAt).Scan(&r.ID); err != nil {
			return err
		}
		return Refresh(ctx, tx)
	})
	if err != nil {
		return r, fmt.Errorf("add round %s: %w", r.Name, err)
	}
	return r, nil
}
