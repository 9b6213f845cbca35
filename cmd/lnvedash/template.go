package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"lnvedash/checklist"
	"lnvedash/seeds"
)

// runTemplate writes the blank 任务落实举措清单, optionally made out for one submitter.
func runTemplate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "template", "-o 清单.xlsx [--for 报送单位]")
	out := fs.String("o", "", "输出的 xlsx 文件")
	who := fs.String("for", "", "报送单位（市名、院校全称或简称）；写入文件，入库时据此识别")
	round := fs.String("round", "", "进展轮次（编号或名称）：写出该单位的进展情况报送表，而非空白清单")
	all := fs.Bool("all", false, "与 --round 一起：为每个报送单位各写一份到 -o 文件夹，另打包为 zip")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件（--round 时读取各单位现行方案）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *round != "" {
		if *out == "" || fs.NArg() > 0 || (*who == "") == !*all {
			fs.Usage()
			return errors.New("template: --round 需要 -o，以及 --for 单位 或 --all 之一")
		}
		return runProgressTemplate(ctx, e, *dbPath, *round, *who, *all, *out)
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("template: 需要 -o 输出文件")
	}
	set, err := seeds.Load()
	if err != nil {
		return err
	}
	// Build in memory first so a bad --for leaves no half-written file behind.
	var buf bytes.Buffer
	if err := checklist.Write(&buf, set, checklist.Options{For: *who}); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	fmt.Fprintf(e.stdout, "已写出 %s\n", *out)
	return nil
}
