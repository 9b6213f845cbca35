package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"lnvedash/access"
	"lnvedash/queries"
	"lnvedash/seeds"
)

// runAccess is `lnvedash access issue|list|revoke`: the command-line twin of /admin/access. It opens
// the database itself, so it runs while the dashboard is stopped; while it runs, use the page.
func runAccess(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "用法: lnvedash access issue|list|revoke [参数]（各子命令 -h 查看参数）")
		return errors.New("access: 缺少子命令 issue、list 或 revoke")
	}
	switch args[0] {
	case "issue":
		return accessIssue(ctx, e, args[1:])
	case "list":
		return accessList(ctx, e, args[1:])
	case "revoke":
		return accessRevoke(ctx, e, args[1:])
	}
	return fmt.Errorf("access: 未知子命令 %q（可用：issue、list、revoke）", args[0])
}

func accessOpen(ctx context.Context, path string, loadSeeds func() (*seeds.Set, error)) (*queries.DB, *access.Store, error) {
	set, err := loadSeeds()
	if err != nil {
		return nil, nil, fmt.Errorf("access: %w", err)
	}
	db, err := queries.Open(ctx, path, queries.Options{Seeds: set})
	if errors.Is(err, queries.ErrLocked) {
		return nil, nil, fmt.Errorf("数据库 %s 正被看板服务占用：请在看板的 /admin/access 页面发放或收回链接，或先停止服务", path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("access: %w", err)
	}
	return db, access.NewStore(db.DB), nil
}

func accessIssue(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "access issue", "[--db F] [--base-url URL] [--days 90] [--seeds DIR] --unit 大连市 | --reviewer 专家姓名 | --viewer | --analyst")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	loadSeeds := seedsFlag(fs)
	base := fs.String("base-url", "http://localhost:8080", "看板的地址（链接以它开头）")
	days := fs.Int("days", access.DefaultLinkDays, "有效天数")
	unit := fs.String("unit", "", "报送单位（地市或院校的名称或简称）")
	reviewer := fs.String("reviewer", "", "审核专家姓名")
	viewer := fs.Bool("viewer", false, "查看看板的链接（领导）")
	analyst := fs.Bool("analyst", false, "分析员链接（SQL 控制台）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var role access.Role
	var subject string
	n := 0
	if *unit != "" {
		role, subject, n = access.Unit, *unit, n+1
	}
	if *reviewer != "" {
		role, subject, n = access.Reviewer, *reviewer, n+1
	}
	if *viewer {
		role, n = access.Viewer, n+1
	}
	if *analyst {
		role, n = access.Analyst, n+1
	}
	if n != 1 {
		fs.Usage()
		return errors.New("access issue: 请且只请指定 --unit、--reviewer、--viewer、--analyst 之一")
	}
	db, st, err := accessOpen(ctx, *dbPath, loadSeeds)
	if err != nil {
		return err
	}
	defer db.Close()
	url, l, err := st.IssueURL(ctx, role, subject, *days, *base, access.Actor{Role: "cli"},
		func(n string) (string, error) { return db.ResolveSubmitter(ctx, n) })
	if err != nil {
		return fmt.Errorf("access issue: %w", err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		return err
	}
	// The link goes to stdout alone (for scripts); what it is goes to stderr.
	fmt.Fprintf(e.stderr, "链接#%d：%s%s，有效至 %s。链接只显示这一次，请妥善转交。\n", l.ID, l.Role.Label(),
		paren(l.Subject), l.ExpiresAt.Local().Format("2006-01-02 15:04"))
	fmt.Fprintln(e.stdout, url)
	return nil
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "（" + s + "）"
}

func accessList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "access list", "[--db F] [--seeds DIR]")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	loadSeeds := seedsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, st, err := accessOpen(ctx, *dbPath, loadSeeds)
	if err != nil {
		return err
	}
	defer db.Close()
	links, err := st.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t角色\t对象\t发放\t有效至\t状态")
	now := time.Now()
	for _, l := range links {
		state := "有效"
		switch {
		case !l.RevokedAt.IsZero():
			state = "已收回 " + l.RevokedAt.Local().Format("2006-01-02 15:04")
		case !l.Active(now):
			state = "已过期"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Role.Label(), l.Subject,
			l.CreatedAt.Local().Format("2006-01-02 15:04"), l.ExpiresAt.Local().Format("2006-01-02 15:04"), state)
	}
	return tw.Flush()
}

func accessRevoke(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "access revoke", "[--db F] [--seeds DIR] 编号")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	loadSeeds := seedsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("access revoke: 请给出一个链接编号（见 lnvedash access list）")
	}
	id, err := strconv.Atoi(fs.Arg(0))
	if err != nil || id <= 0 {
		return fmt.Errorf("access revoke: 链接编号 %q 不是正整数", fs.Arg(0))
	}
	db, st, err := accessOpen(ctx, *dbPath, loadSeeds)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := st.Revoke(ctx, id, access.Actor{Role: "cli"}); err != nil {
		return fmt.Errorf("access revoke: %w", err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "链接#%d 已收回\n", id)
	return nil
}
