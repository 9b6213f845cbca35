package ingest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

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

// writeProgress links and appends the run's progress returns inside the run's transaction, after the
// plan files (the derived tables are refreshed first so that a plan sent in the same run is the one
// linked to).
func writeProgress(ctx context.Context, tx *queries.IngestTx, rd *Reader, opt Options, later []pendingProgress, runID int, at time.Time,
	existing map[string]queries.StoredFile, seen map[string]int, results []FileResult, lastID *int) error {
	if err := tx.Refresh(ctx); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	rounds, err := tx.ProgressRounds(ctx)
	if err != nil {
		return err
	}
	plans, err := tx.PlanLinks(ctx)
	if err != nil {
		return err
	}
	var forced *queries.RoundRef
	if opt.Round != "" {
		for i := range rounds {
			if strconv.Itoa(rounds[i].ID) == strings.TrimSpace(opt.Round) || rounds[i].Name == strings.TrimSpace(opt.Round) {
				forced = &rounds[i]
			}
		}
		if forced == nil || forced.Kind != queries.RoundProgress {
			return fmt.Errorf("ingest: 没有进展轮次“%s”（lnvedash round list 可查看已有轮次）", opt.Round)
		}
	}
	return tx.Append(func(ap *queries.Appender) error {
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
				err = appendProgress(ap, fr.SubmissionID, round, j.parsed.Progress)
			}
			if err != nil {
				return err
			}
			results[pj.i] = fr
			if _, ok := seen[j.sha]; !ok {
				seen[j.sha] = pj.i
			}
		}
		return nil
	})
}

// resolveRound decides a progress return's round: the one it embeds, else the one the run was told
// (--round), else the latest progress round. None of them is a verdict on the file.
func resolveRound(j *job, rounds []queries.RoundRef, forced *queries.RoundRef) int {
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
			if r.ID == n {
				if r.Kind != queries.RoundProgress {
					return refuse(fmt.Sprintf("文件标明的第%d轮“%s”不是进展轮次，请用下发的进展报送表填写", n, r.Name))
				}
				if forced != nil && forced.ID != n {
					p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevWarning, Code: "round_conflict",
						Message: fmt.Sprintf("文件标明属于第%d轮“%s”，导入时指定的是第%d轮，已按文件标明的轮次入库", n, r.Name, forced.ID)})
				}
				return n
			}
		}
		return refuse(fmt.Sprintf("文件标明属于第%d轮进展报送，但系统中没有这一轮次，请与省教育厅核对", n))
	}
	if forced != nil {
		return forced.ID
	}
	for _, r := range rounds { // latest progress round first
		if r.Kind == queries.RoundProgress {
			p.Findings = append(p.Findings, Finding{Sheet: p.Sheet, Severity: SevInfo, Code: "round_assumed",
				Message: fmt.Sprintf("文件未使用下发的进展报送表，已按最近一轮“%s”入库", r.Name)})
			return r.ID
		}
	}
	return refuse("这是进展情况报送表，但系统中尚未设立进展轮次（lnvedash round add），请设立后重新导入")
}

// appendProgress appends a progress return's round, rows and quantities.
func appendProgress(ap *queries.Appender, id, round int, pr *ProgressReturn) error {
	if err := ap.FileRound(id, round); err != nil {
		return fmt.Errorf("file_rounds: %w", err)
	}
	for _, r := range pr.Rows {
		row := queries.ProgressRow{SubmissionID: id, Sheet: r.Sheet, Row: r.Row, MeasureKey: r.LinkKey,
			LinkMethod: r.LinkMethod, LinkScore: r.LinkScore, TaskNo: r.TaskNo, Measure: r.Measure, Status: r.Status,
			StatusText: r.StatusText, AchievedText: r.Achieved, Note: r.Note, Evidence: r.Evidence, Lag: r.LagReason}
		if r.HasPercent {
			row.Percent = &r.Percent
		}
		if err := ap.Progress(row); err != nil {
			return fmt.Errorf("progress_rows row %d: %w", r.Row, err)
		}
		for _, q := range r.Quantities {
			if err := ap.Quantity(queries.QuantityRow{SubmissionID: id, Sheet: r.Sheet, Row: r.Row, Seq: q.Seq,
				TaskNo: r.TaskNo, Metric: q.Metric, Value: q.Value, Unit: q.Unit, Source: q.Source}); err != nil {
				return fmt.Errorf("progress_quantity_rows row %d: %w", r.Row, err)
			}
		}
	}
	return nil
}
