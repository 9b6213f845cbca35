package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
)

// env is what every subcommand receives: no globals, so tests run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
	hidden  bool // internal: started by lnvedash itself, not by people
}

var commands = map[string]command{
	"template":   {summary: "写出空白的任务落实举措清单（xlsx）", run: runTemplate},
	"sample":     {summary: "生成示例报送文件（固定随机种子）", run: runSample},
	"ingest":     {summary: "把报送的清单文件装入数据库", run: runIngest},
	"serve":      {summary: "启动看板服务", run: runServe},
	"sql":        {summary: "在沙箱中执行只读 SQL", run: runSQL},
	"sql-worker": {summary: "（内部）SQL 沙箱工作进程", run: runSQLWorker, hidden: true},
	"round":      {summary: "新增或列出报送轮次（方案、进展）", run: runRound},
	"export":     {summary: "导出会议材料包（xlsx）或打印报告（html）", run: runExport},
	"access":     {summary: "发放、列出、收回个人链接（报送单位、审核专家、查看）", run: runAccess},
}

// Run executes one subcommand.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return flag.ErrHelp
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "用法: lnvedash <命令> [参数]\n\n命令:")
	names := make([]string, 0, len(commands))
	for n, c := range commands {
		if c.hidden {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n各命令的参数: lnvedash <命令> -h")
}

// newFlags makes a subcommand's FlagSet that reports errors instead of exiting.
func newFlags(e env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "用法: lnvedash %s %s\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

var errNotBuilt = errors.New("not built yet")
