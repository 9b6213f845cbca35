package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lnvedash/dashboard"
	"lnvedash/ingest"
	"lnvedash/queries"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "[--db FILE] [--addr :8080] [--inbox DIR] [--admin-token T] [--analyst-token T] [--allow-host H,…] [--viewers-need-link] [--memory-limit 1GB] [--on-time-basis earliest|ingested|modified] [--seeds DIR]")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	addr := fs.String("addr", ":8080", "监听地址")
	inbox := fs.String("inbox", "", "收件目录：放入其中的报送文件自动入库")
	adminToken := fs.String("admin-token", os.Getenv("LNVEDASH_ADMIN_TOKEN"), "上传、重新入库所需口令（也可用环境变量 LNVEDASH_ADMIN_TOKEN）")
	memLimit := fs.String("memory-limit", "", "数据库引擎的内存上限，如 1GB（留空则用到内存的 80%；上传入库同样受此限制）")
	allowHost := fs.String("allow-host", os.Getenv("LNVEDASH_ALLOW_HOST"), "允许的访问地址（主机名或 主机名:端口，逗号分隔；上传、SQL 等请求的 Host 与 Origin 须在其中）；留空则为监听地址，* 为不检查")
	analystToken := fs.String("analyst-token", os.Getenv("LNVEDASH_ANALYST_TOKEN"), "SQL 控制台口令，留空则看板用户均可使用（也可用环境变量 LNVEDASH_ANALYST_TOKEN）")
	basisFlag := fs.String("on-time-basis", string(queries.DefaultBasis), basisUsage)
	loadSeeds := seedsFlag(fs)
	viewersNeedLink := fs.Bool("viewers-need-link", false, "看板页面也须凭链接（或管理员登录）查看；默认在内网公开")
	if err := fs.Parse(args); err != nil {
		return err
	}
	basis, err := queries.ParseBasis(strings.TrimSpace(*basisFlag))
	if err != nil {
		return fmt.Errorf("serve: --on-time-basis 应为 earliest（最早收到凭据）、ingested（入库时间）或 modified（文件修改时间）")
	}
	set, err := loadSeeds()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	if err := os.MkdirAll(filepath.Dir(*dbPath), 0o755); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	db, err := queries.Open(ctx, *dbPath, queries.Options{MemoryLimit: strings.TrimSpace(*memLimit), Seeds: set})
	if errors.Is(err, queries.ErrLocked) {
		return fmt.Errorf("数据库 %s 正被另一个进程占用（可能已有看板服务在运行）", *dbPath)
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer db.Close()
	if n := ingest.SweepOrphans(filepath.Dir(*dbPath)); n > 0 {
		log.Info("removed scratch files of killed processes", "count", n)
	}
	sqlc, err := sqlStartConsole(ctx, db, log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer sqlc.Close()
	srv, err := dashboard.New(dashboard.Config{
		DB: db, DataDir: filepath.Dir(*dbPath), Inbox: *inbox,
		AdminToken: *adminToken, AnalystToken: *analystToken, ViewersNeedLink: *viewersNeedLink, Logger: log,
		SQL: sqlc.runner(), AfterIngest: sqlc.refresh, Basis: basis, AllowedHosts: splitList(*allowHost),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintf(e.stderr, "lnvedash 看板已启动: http://%s  (数据库 %s；Ctrl+C 停止)\n", serveDisplayAddr(ln.Addr()), *dbPath)
	return srv.Serve(ctx, ln, 10*time.Second)
}

// splitList splits a comma-separated flag value; "" is nil.
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// serveDisplayAddr turns ":8080" / "[::]:8080" into something a person can click.
func serveDisplayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}

// basisUsage describes --on-time-basis, the one setting of how punctuality is judged.
const basisUsage = "判定是否按时报送的依据：earliest（默认，文件修改时间与入库时间取早者）、ingested（入库时间）、modified（文件修改时间）；看板各页、报告与会议材料均以此为准"
