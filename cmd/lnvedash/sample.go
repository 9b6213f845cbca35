package main

import (
	"context"
	"errors"
	"fmt"

	"lnvedash/sample"
	"lnvedash/seeds"
)

// runSample writes the deterministic sample returned checklists and their MANIFEST.csv.
func runSample(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sample", "-o 目录")
	out := fs.String("o", "", "输出目录（如 sample-data）")
	progress := fs.String("progress", "", "另生成一轮进展报送（写入此目录，如 sample-progress）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("sample: 需要 -o 输出目录")
	}
	set, err := seeds.Load()
	if err != nil {
		return err
	}
	m, err := sample.Generate(*out, set)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, en := range m.Entries {
		counts[en.Status]++
	}
	fmt.Fprintf(e.stdout, "已在 %s 生成 %d 个文件：current %d，superseded %d，rejected %d（见 MANIFEST.csv）\n",
		*out, len(m.Entries), counts[sample.StatusCurrent], counts[sample.StatusSuperseded], counts[sample.StatusRejected])
	if *progress != "" {
		n, err := sample.GenerateProgress(ctx, *out, *progress)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已在 %s 生成 %d 份进展报送（轮次“%s”）\n", *progress, n, sample.ProgressRound.Name)
	}
	return nil
}
