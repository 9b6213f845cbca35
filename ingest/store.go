package ingest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lnvedash/queries"
)

// store writes the run in one transaction (queries.IngestTx) on one connection, appending each file's
// rows as the pipeline hands the file back, in input order. Progress returns are held back and
// written after the plans (progress_write.go).
func store(ctx context.Context, db *queries.DB, rd *Reader, dataDir string, opt Options, started time.Time, inputs []input) (*Result, error) {
	tx, err := db.BeginIngest(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	testHook("begin")
	existing, err := tx.StoredFiles(ctx)
	if err != nil {
		return nil, err
	}
	lastID, lastRun, err := tx.LastIDs(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{RunID: lastRun + 1}
	if err := tx.InsertRun(ctx, queries.RunRow{RunID: res.RunID, StartedAt: started, Source: opt.Source, Files: len(inputs)}); err != nil {
		return nil, err
	}
	next, stop := process(ctx, rd, dataDir, inputs, existing, opt)
	results := make([]FileResult, len(inputs))
	seen := map[string]int{}
	var later []pendingProgress // progress returns, written after the plans (progress_write.go)
	err = tx.Append(func(ap *queries.Appender) error {
		for i := range inputs {
			j, err := next(i)
			if err == nil && j.parsed != nil && j.parsed.Progress != nil {
				later = append(later, pendingProgress{i, j})
				continue
			}
			if err == nil {
				results[i], err = appendJob(ap, j, res.RunID, started, existing, seen, results, &lastID)
				if _, ok := seen[j.key]; !ok {
					seen[j.key] = i
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	stop()
	if err == nil && len(later) > 0 {
		err = writeProgress(ctx, tx, rd, opt, later, res.RunID, started, existing, seen, results, &lastID)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	if err := tx.FinishRun(ctx, res.RunID, time.Now().UTC()); err != nil {
		return nil, err
	}
	if err := tx.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	if err := syncArchive(dataDir); err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	testHook("precommit")
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	testHook("committed")

	status, err := tx.RunStatus(ctx, res.RunID)
	if err != nil {
		return nil, err
	}
	for i := range results {
		if results[i].Status == "" || results[i].Status == "rejected" {
			results[i].Status = status[results[i].SubmissionID]
		}
		if results[i].Status == "superseded" {
			results[i].Message = "已被同一单位更新的版本取代"
		}
	}
	res.Files = results
	return res, nil
}

// appendJob decides one file's fate (duplicate of a stored file, duplicate of an earlier file of this
// run, or a new submission numbered lastID+1) and appends its rows.
func appendJob(ap *queries.Appender, j *job, runID int, at time.Time, existing map[string]queries.StoredFile, seen map[string]int, results []FileResult, lastID *int) (FileResult, error) {
	fr := FileResult{FileName: j.in.name, Path: j.in.display, SHA256: j.sha}
	if e, ok := existing[j.key]; ok {
		fr.Status, fr.SubmissionID, fr.Submitter = StatusDuplicate, e.SubmissionID, e.Submitter
		fr.Message = fmt.Sprintf("与已收到的文件（编号%d）内容完全相同，未重复入库", e.SubmissionID)
		if j.size == 0 {
			fr.ReasonCode, fr.Message = CodeEmpty, fmt.Sprintf("文件是空的（0 字节），请重新导出并上传清单（同名的空文件已记录为编号%d）", e.SubmissionID)
		} else if e.Rejected {
			// The clerk re-sent a file that was refused: say it is still refused and why.
			code, msg, _ := strings.Cut(e.Reason, ":")
			fr.ReasonCode = strings.TrimSpace(code)
			fr.Message = fmt.Sprintf("仍被拒收：%s（与编号%d的文件内容完全相同，请按原因修改后重新报送）", strings.TrimSpace(msg), e.SubmissionID)
		}
		return fr, nil
	}
	if first, ok := seen[j.key]; ok {
		fr.Status, fr.SubmissionID, fr.Submitter = StatusDuplicate, results[first].SubmissionID, results[first].Submitter
		fr.Message = fmt.Sprintf("与本次同时收到的“%s”内容完全相同，未重复入库", results[first].FileName)
		if j.size == 0 {
			fr.ReasonCode, fr.Message = CodeEmpty, "文件是空的（0 字节），请重新导出并上传清单（与本次同时收到的同名空文件相同）"
		}
		return fr, nil
	}
	*lastID++
	fr.SubmissionID = *lastID
	if j.rej != nil {
		fr.Status, fr.ReasonCode, fr.Message = "rejected", j.rej.Code, j.rej.Message
		fr.Submitter, fr.Kind = j.rejSubmitter, j.rejKind
	} else if j.stamped != nil {
		fr.Status, fr.Submitter, fr.Kind = StatusReceived, j.stamped.Submitter.Name, j.stamped.Submitter.Kind
		fr.Message = fmt.Sprintf("已收到盖章扫描件（%d页）", j.stamped.Pages)
		fr.Warnings = len(j.stamped.Findings)
	} else {
		fr.Submitter, fr.Kind = j.parsed.Submitter.Name, j.parsed.Submitter.Kind
		fr.Measures = len(j.parsed.Rows)
		for _, f := range j.parsed.Findings {
			switch f.Severity {
			case SevWarning:
				fr.Warnings++
			case SevError:
				fr.Errors++
			}
		}
	}
	return fr, appendRows(ap, j, fr.SubmissionID, runID, at)
}

// fileRow is the files row of a new submission.
func fileRow(j *job, submissionID, runID int, at time.Time) queries.FileRow {
	// files.sha256 is unique, and every empty file has the same hash: an empty file's row carries its
	// name after the hash (emptyKey), so each unit's empty return is its own row.
	r := queries.FileRow{SubmissionID: submissionID, RunID: runID, FileName: j.in.name, SourcePath: j.in.display,
		ArchivePath: j.archive, SHA256: j.key, SizeBytes: j.size, ModifiedAt: j.in.mtime.UTC().Truncate(time.Second),
		IngestedAt: at, Rejected: j.rej != nil, DocKind: DocChecklist}
	if j.stamped != nil || j.rej != nil && j.rej.Code == CodeStampedUnnamed {
		r.DocKind = DocStamped
	}
	switch {
	case j.rej != nil:
		r.Reason = j.rej.Reason()
		if j.rejSubmitter != "" {
			r.Submitter, r.Kind, r.IdentitySource = j.rejSubmitter, j.rejKind, IdentityFileName
			if j.rejByLink {
				r.IdentitySource = IdentityLink
			}
		}
	case j.stamped != nil:
		st := j.stamped
		r.Submitter, r.Kind, r.IdentitySource = st.Submitter.Name, st.Submitter.Kind, IdentityFileName
		r.ModifiedAt = stampedTime(st, j.in.mtime)
		r.Pages = st.Pages
	default:
		p := j.parsed
		r.Submitter, r.Kind = p.Submitter.Name, p.Submitter.Kind
		r.Sheet, r.UnitCell, r.IdentitySource = p.Sheet, p.UnitCell, p.IdentitySource
		r.ModifiedAt = p.ModifiedAt
	}
	return r
}

// appendRows appends a new submission's files row and, unless it was rejected, its measures,
// commitments and findings.
func appendRows(ap *queries.Appender, j *job, id, runID int, at time.Time) error {
	if err := ap.File(fileRow(j, id, runID, at)); err != nil {
		return fmt.Errorf("files %s: %w", j.in.name, err)
	}
	switch {
	case j.rej != nil:
		return nil
	case j.stamped != nil:
		return appendFindings(ap, id, j.in.name, j.stamped.Findings)
	}
	for _, r := range j.parsed.Rows {
		if err := ap.Measure(queries.MeasureRow{SubmissionID: id, Sheet: r.Sheet, Row: r.Row, PrintedNo: r.PrintedNo,
			AreaText: r.AreaText, TaskText: r.TaskText, TaskNo: r.TaskNo, MatchMethod: r.Method, MatchScore: r.Score,
			Measure: r.Measure, Goal: r.Goal, Owner: r.Owner, Due: r.Due, DueDate: r.DueDate, Ongoing: r.Ongoing,
			Item: r.Item, Cell: r.Cell}); err != nil {
			return fmt.Errorf("measure_rows %s row %d: %w", j.in.name, r.Row, err)
		}
		for _, c := range r.Commitments {
			q := queries.QuantityRow{SubmissionID: id, Sheet: r.Sheet, Row: r.Row, Seq: c.Seq, TaskNo: r.TaskNo,
				Metric: c.Metric, Value: c.Value, Unit: c.Unit, Source: c.Source}
			if err := ap.Commitment(queries.CommitmentRow{QuantityRow: q, UnitWritten: c.UnitWritten}); err != nil {
				return fmt.Errorf("commitment_rows %s row %d: %w", j.in.name, r.Row, err)
			}
		}
	}
	return appendFindings(ap, id, j.in.name, j.parsed.Findings)
}

func appendFindings(ap *queries.Appender, id int, name string, findings []Finding) error {
	for _, f := range findings {
		if err := ap.Finding(queries.FindingRow{SubmissionID: id, Sheet: f.Sheet, Row: f.Row, Severity: f.Severity,
			Code: f.Code, Message: f.Message}); err != nil {
			return fmt.Errorf("finding_rows %s: %w", name, err)
		}
	}
	return nil
}
