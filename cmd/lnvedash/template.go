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
	if err := fs.Parse(args); err != nil {
		return err
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
