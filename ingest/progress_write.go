package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"lnvedash/queries"
)

// CodeNoRound rejects a progress return that belongs to no progress round.
const CodeNoRound = "no_round"

// pendingProgress is a progress return held back until the run's plan files are written: its rows
// link to the plan measures current after them.
type pendingProgress struct {
	i int
	j *job
}

type roundInfo struct {
	id         int
	name, kind string
}

// writeProgress links and appends the run's progress returns, on the run's connection and inside its
// transaction, after the plan files (the derived tables are refreshed first so that a plan sent in
// the same run is the one linked to).
func writeProgress(ctx context.Context, conn *sql.Conn, rd *Reader, opt Options, later []pendingProgress, runID int, at time.Time,
	existing map[string]existingFile, seen map[string]int, results []FileResult, lastID *int) error {
	if err := queries.Refresh(ctx, conn); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	rounds, err := readRounds(ctx, conn)
	if err != nil {
		return err
	}
	plans, err := readPlans(ctx, conn)
	if err != nil {
		return err
	}
	var forced *roundInfo
	if opt.Round != "" {
		for i := range rounds {
			if strconv.Itoa(rounds[i].id) == strings.TrimSpace(opt.Round) || rounds[i].name == strings.TrimSpace(opt.Round) {
				forced = &rounds[i]
			}
		}
		if forced == nil || forced.kind != queries.RoundProgress {
			return fmt.Errorf("ingest: 没有进展轮次“%s”（lnvedash round list 可查看已有轮次）", opt.Round)
		}
	}
	return conn.Raw(func(dc any) error {
		ap, err := openAppenders(dc.(driver.Conn))
		if err != nil {
			return err
		}
		pa, err := openProgressAppenders(dc.(driver.Conn))
		if err != nil {
			ap.close()
			return err
		}
		for _, pj := range later {
			j := pj.j
			round := resolveRound(j, rounds, forced)
			if j.rej == nil && !j.dup {
				if _, dupe := existing[j.sha]; !dupe {
					if _, dupe := seen[j.sha]; !dupe {
						rd.linkProgress(j.parsed, plans[j.parsed.Submitter.Name])
					}
				}
			}
			fr, err := appendJob(ap, j, runID, at, existing, seen, results, lastID)
			if err == nil && fr.Status == "" && j.parsed != nil {
				fr.Measures = len(j.parsed.Progress.Rows)
				err = pa.add(fr.SubmissionID, round, j.parsed.Progress)
			}
			if err != nil {
				ap.close()
				pa.close()
				return err
			}
			results[pj.i] = fr
			if _, ok := seen[j.sha]; !ok {
				seen[j.sha] = pj.i
			}
		}
		if err := pa.close(); err != nil {
			ap.close()
			return err
		}
		return ap.close()
	})
}

// resolveRound decides a progress return's round: the one it embeds, else the one the run was told
// (--round), else the latest progress round. None of them is a verdict on the file.
func resolveRound(j *job, rounds []roundInfo, forced *roundInfo) int {
	if j.parsed == nil || j.rej != nil {
		return 0
	}
	p := j.parsed
	refuse := func(msg string) int {
		j.rej = reject(CodeNoRound, msg, nil)
		j.rejSubmitter, j.rejKind = p.Submitter.Name, p.Submitter.Kind
		j.parsed = nil
		return 0
	}
	if n := p.Progress.Round; n > 0 {
		for _, r := range rounds {
			if r.id == n {
				if r.kind != queries.RoundProgress {
					return refuse(fmt.Sprintf("文件标明的第%d轮“%s”不是进展轮次，请用下发的进展报送表填写", n, r.name))
				}
				if forced != nil && forced.id != n {
					p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevWarning, Code: "round_conflict",
						Message: fmt.Sprintf("文件标明属于第%d轮“%s”，导入时指定的是第%d轮，已按文件标明的轮次入库", n, r.name, forced.id)})
				}
				return n
			}
		}
		return refuse(fmt.Sprintf("文件标明属于第%d轮进展报送，但系统中没有这一轮次，请与省教育厅核对", n))
	}
	if forced != nil {
		return forced.id
	}
	for _, r := range rounds { // latest progress round first
		if r.kind == queries.RoundProgress {
			p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevInfo, Code: "round_assumed",
				Message: fmt.Sprintf("文件未使用下发的进展报送表，已按最近一轮“%s”入库", r.name)})
			return r.id
		}
	}
	return refuse("这是进展情况报送表，但系统中尚未设立进展轮次（lnvedash round add），请设立后重新导入")
}

func readRounds(ctx context.Context, conn *sql.Conn) ([]roundInfo, error) {
	rows, err := conn.QueryContext(ctx, mustSQL("progress_rounds"))
	if err != nil {
		return nil, fmt.Errorf("progress_rounds: %w", err)
	}
	defer rows.Close()
	var out []roundInfo
	for rows.Next() {
		var r roundInfo
		if err := rows.Scan(&r.id, &r.name, &r.kind); err != nil {
			return nil, fmt.Errorf("progress_rounds: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func readPlans(ctx context.Context, conn *sql.Conn) (map[string][]PlanMeasure, error) {
	rows, err := conn.QueryContext(ctx, mustSQL("progress_plans"))
	if err != nil {
		return nil, fmt.Errorf("progress_plans: %w", err)
	}
	defer rows.Close()
	out := map[string][]PlanMeasure{}
	for rows.Next() {
		var m PlanMeasure
		if err := rows.Scan(&m.Key, &m.Submitter, &m.TaskNo, &m.Measure, &m.Goal, &m.Metric, &m.Unit, &m.Committed); err != nil {
			return nil, fmt.Errorf("progress_plans: %w", err)
		}
		out[m.Submitter] = append(out[m.Submitter], m)
	}
	return out, rows.Err()
}

type progressAppenders struct {
	rounds, rows, quantities *duckdb.Appender
}

func openProgressAppenders(dc driver.Conn) (*progressAppenders, error) {
	pa := &progressAppenders{}
	for _, t := range []struct {
		table string
		dst   **duckdb.Appender
	}{{"file_rounds", &pa.rounds}, {"progress_rows", &pa.rows}, {"progress_quantity_rows", &pa.quantities}} {
		a, err := duckdb.NewAppenderFromConn(dc, "", t.table)
		if err != nil {
			pa.close()
			return nil, fmt.Errorf("appender %s: %w", t.table, err)
		}
		*t.dst = a
	}
	return pa, nil
}

func (pa *progressAppenders) close() error {
	var first error
	for _, a := range []*duckdb.Appender{pa.rounds, pa.rows, pa.quantities} {
		if a == nil {
			continue
		}
		if err := a.Close(); err != nil && first == nil {
			first = fmt.Errorf("appender flush: %w", err)
		}
	}
	*pa = progressAppenders{}
	return first
}

func (pa *progressAppenders) add(submissionID, round int, pr *ProgressReturn) error {
	id := int32(submissionID)
	if err := pa.rounds.AppendRow(id, int32(round)); err != nil {
		return fmt.Errorf("file_rounds: %w", err)
	}
	for _, r := range pr.Rows {
		var task, pct any
		if r.TaskNo > 0 {
			task = int32(r.TaskNo)
		}
		if r.HasPercent {
			pct = r.Percent
		}
		if err := pa.rows.AppendRow(id, r.Sheet, int32(r.Row), nullable(r.LinkKey), r.LinkMethod, r.LinkScore, task,
			nullable(r.Measure), nullable(r.Status), nullable(r.StatusText), pct, nullable(r.Achieved), nullable(r.Note),
			nullable(r.Evidence), nullable(r.LagReason)); err != nil {
			return fmt.Errorf("progress_rows row %d: %w", r.Row, err)
		}
		for _, q := range r.Quantities {
			if err := pa.quantities.AppendRow(id, r.Sheet, int32(r.Row), int32(q.Seq), task, nullable(q.Metric),
				q.Value, nullable(q.Unit), q.Source); err != nil {
				return fmt.Errorf("progress_quantity_rows row %d: %w", r.Row, err)
			}
		}
	}
	return nil
}
