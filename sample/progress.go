package sample

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/ingest"
	"lnvedash/progressbook"
	"lnvedash/queries"
)

// ProgressRound is the sample's progress round: `make run` adds it before loading sample-progress/.
var ProgressRound = queries.Round{Name: "2022年上半年进展", Kind: queries.RoundProgress,
	AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)}

var firstNumber = regexp.MustCompile(`\d+(\.\d+)?`)

// GenerateProgress writes the sample progress returns into out: the plans in planDir are loaded into
// a scratch in-memory database, the round is added, and each unit (fixed seed) returns the generated
// workbook (most), its own layout with an added 完成情况 column (some), or nothing (a few); a few
// contradict themselves (已完成 with 0 achieved). Returns the number of files written.
func GenerateProgress(ctx context.Context, planDir, out string) (int, error) {
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	scratch, err := os.MkdirTemp("", "lnvedash-sample-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(scratch)
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: scratch}, planDir); err != nil {
		return 0, fmt.Errorf("sample progress: %w", err)
	}
	r, err := db.AddRound(ctx, ProgressRound)
	if err != nil {
		return 0, err
	}
	r.CreatedAt = time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC) // fixed bytes
	units, err := db.CoverageBySubmitter(ctx, "", queries.Filter{})
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewSource(17))
	statuses := []string{"已完成", "已完成", "按期推进", "按期推进", "按期推进", "滞后", "未启动", "已调整"}
	written := 0
	for _, u := range units {
		if !u.Returned {
			continue
		}
		roll := rng.Float64()
		if roll < 0.1 {
			continue // missing
		}
		canon, ms, err := db.PlanMeasures(ctx, u.Submitter)
		if err != nil {
			return written, err
		}
		own := roll > 0.75
		var f *excelize.File
		sh := progressbook.SheetName
		if own {
			f = excelize.NewFile()
			sh = "Sheet1"
			_ = f.SetCellStr(sh, "A1", canon+"落实举措进展情况")
			_ = f.SetCellStr(sh, "A2", "单位："+canon)
			for i, h := range []string{"序号", "任务内容", "具体举措", "完成目标", "完成时间", "完成情况"} {
				c, _ := excelize.CoordinatesToCellName(i+1, 4)
				_ = f.SetCellStr(sh, c, h)
			}
		} else if f, err = progressbook.Build(r, canon, ms); err != nil {
			return written, err
		}
		for i, m := range ms {
			if rng.Float64() < 0.08 {
				continue // not reported
			}
			st := statuses[rng.Intn(len(statuses))]
			achieved := ""
			if n := firstNumber.FindString(m.Committed); n != "" && st == "已完成" {
				achieved = n
				if rng.Float64() < 0.05 {
					achieved = "0" // a contradiction
				}
			}
			if own {
				row := 5 + i
				vals := []string{fmt.Sprint(m.TaskNo), m.Task, m.Measure, m.Goal, m.Due, st + "，" + noteFor(st)}
				for c, v := range vals {
					cell, _ := excelize.CoordinatesToCellName(c+1, row)
					_ = f.SetCellStr(sh, cell, v)
				}
				continue
			}
			row := progressbook.FirstRow + i
			set := func(col int, v string) {
				if v != "" {
					cell, _ := excelize.CoordinatesToCellName(col, row)
					_ = f.SetCellStr(sh, cell, v)
				}
			}
			set(progressbook.ColStatus, st)
			set(progressbook.ColNote, noteFor(st))
			set(progressbook.ColAchieved, achieved)
			if st == "滞后" && rng.Float64() < 0.7 {
				set(progressbook.ColLag, "受疫情影响进度延后，已调整实施计划，下半年加快推进")
			}
		}
		// a late few: modified after the deadline
		mod := r.Deadline.AddDate(0, 0, -3-rng.Intn(10))
		if rng.Float64() < 0.15 {
			mod = r.Deadline.AddDate(0, 0, 5+rng.Intn(20))
		}
		_ = f.SetDocProps(&excelize.DocProperties{Creator: canon, Created: mod.Format(time.RFC3339), Modified: mod.Format(time.RFC3339)})
		name := canon + "_2022年上半年进展.xlsx"
		if own {
			name = canon + "_进展情况（自拟格式）.xlsx"
		}
		err = f.SaveAs(filepath.Join(out, name))
		f.Close()
		if err != nil {
			return written, err
		}
		written++
	}
	return written, nil
}

func noteFor(status string) string {
	switch status {
	case "已完成":
		return "已按方案完成，相关材料已归档"
	case "按期推进":
		return "正在按计划推进"
	case "滞后":
		return "进度滞后于计划"
	case "未启动":
		return "尚未启动，拟于下半年启动"
	default:
		return "根据实际情况调整实施内容"
	}
}
