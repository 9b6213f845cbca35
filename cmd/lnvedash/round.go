package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"lnvedash/progressbook"
	"lnvedash/queries"
)

// runRound adds a progress round or lists the rounds.
func runRound(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		fmt.Fprintln(e.stderr, "用法: lnvedash round add [--db F] --name 名称 --as-of 2022-06-30 [--deadline 2022-07-15]\n      lnvedash round list [--db F]")
		return errors.New("round: 需要子命令 add 或 list")
	}
	sub := args[0]
	fs := newFlags(e, "round "+sub, "[--db FILE] …")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	name := fs.String("name", "", "轮次名称，如“2022年上半年进展”")
	asOf := fs.String("as-of", "", "统计截止日期，如 2022-06-30")
	deadline := fs.String("deadline", "", "报送截止日期，如 2022-07-15")
	loadSeeds := seedsFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	set, err := loadSeeds()
	if err != nil {
		return fmt.Errorf("round: %w", err)
	}
	db, err := queries.Open(ctx, *dbPath, queries.Options{Seeds: set})
	if err != nil {
		return fmt.Errorf("round: %w", err)
	}
	defer db.Close()
	if sub == "add" {
		r := queries.Round{Name: *name, Kind: queries.RoundProgress}
		if r.AsOf, err = parseDay(*asOf, "--as-of"); err != nil {
			return err
		}
		if *deadline != "" {
			if r.Deadline, err = parseDay(*deadline, "--deadline"); err != nil {
				return err
			}
		}
		if r, err = db.AddRound(ctx, r); err != nil {
			return fmt.Errorf("round: %w", err)
		}
		fmt.Fprintf(e.stdout, "已新增第%d轮“%s”（进展，统计截止 %s）\n", r.ID, r.Name, r.AsOf.Format(time.DateOnly))
		return db.Checkpoint(ctx)
	}
	rounds, err := db.Rounds(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "轮次\t名称\t类型\t统计截止\t报送截止")
	for _, r := range rounds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Kind, day(r.AsOf), day(r.Deadline))
	}
	return tw.Flush()
}

func parseDay(s, flag string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("round: %s 应写成 2022-06-30 这样的日期，收到“%s”", flag, s)
	}
	return t, nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// runProgressTemplate writes the progress workbook of one unit, or of every unit into a folder plus a zip.
func runProgressTemplate(ctx context.Context, e env, dbPath, roundRef, who string, all bool, out string) error {
	db, err := queries.Open(ctx, dbPath, queries.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	defer db.Close()
	rounds, err := db.Rounds(ctx)
	if err != nil {
		return err
	}
	r, err := queries.FindRound(rounds, roundRef)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	build := func(unit string) (string, []byte, int, error) {
		canon, ms, err := db.PlanMeasures(ctx, unit)
		if err != nil {
			return "", nil, 0, err
		}
		var buf bytes.Buffer
		if err := progressbook.Write(&buf, r, canon, ms); err != nil {
			return "", nil, 0, err
		}
		return canon, buf.Bytes(), len(ms), nil
	}
	if !all {
		canon, b, n, err := build(who)
		if err != nil {
			return fmt.Errorf("template: %w", err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return fmt.Errorf("template: %w", err)
		}
		fmt.Fprintf(e.stdout, "已写出 %s（%s，%d 条现行举措）\n", out, canon, n)
		return nil
	}
	units, err := db.CoverageBySubmitter(ctx, "", queries.Filter{})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, u := range units {
		canon, b, _, err := build(u.Submitter)
		if err != nil {
			return fmt.Errorf("template %s: %w", u.Submitter, err)
		}
		name := fmt.Sprintf("%s_%s.xlsx", canon, r.Name)
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return fmt.Errorf("template: %w", err)
		}
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			return fmt.Errorf("template: zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("template: zip: %w", err)
	}
	zipPath := filepath.Join(out, r.Name+".zip")
	if err := os.WriteFile(zipPath, zbuf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	fmt.Fprintf(e.stdout, "已写出 %d 份进展报送表到 %s，并打包为 %s\n", len(units), out, zipPath)
	return nil
}
