package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode"

	"lnvedash/exports"
	"lnvedash/ingest"
	"lnvedash/queries"
)

// runIngest loads returned checklists into the database, or hands them to a running server.
func runIngest(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "ingest", "[--db FILE] [--report FILE.xlsx] [--memory-limit 2GB] [--server URL --token TOKEN] [--seeds DIR] PATH...")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件；其所在文件夹是数据文件夹（原件存档于 archive/）")
	report := fs.String("report", "", "把整改清单（每个报送单位一个工作表，另列被拒收的文件）写入此 xlsx 文件")
	server := fs.String("server", "", "不直接写数据库，而是上传到运行中的看板服务，如 http://HOST:8080")
	token := fs.String("token", "", "与 --server 一起使用的访问令牌")
	workers := fs.Int("workers", 0, "并行解析的文件数（0 = CPU 核数）")
	round := fs.String("round", "", "进展报送文件（未使用下发报送表的）归入此轮次（编号或名称；默认最近一轮进展）")
	memLimit := fs.String("memory-limit", ingest.MemoryLimit, "数据库引擎的内存上限，如 2GB。默认的 "+ingest.MemoryLimit+" 足够一次入库十万个文件：超出的数据暂存在数据库旁的 .tmp 文件夹，用完即删")
	loadSeeds := seedsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 && *report == "" {
		fs.Usage()
		return errors.New("ingest: 请给出要入库的文件或文件夹")
	}
	if *server != "" {
		if *report != "" {
			return errors.New("ingest: --report 只能在直接写数据库时使用；通过 --server 上传后请在看板下载整改清单（/export/corrections.xlsx）")
		}
		res, err := ingestUpload(ctx, *server, *token, paths)
		if err != nil {
			return err
		}
		ingestPrintSummary(e.stdout, res)
		return nil
	}
	if dir := filepath.Dir(*dbPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	set, err := loadSeeds()
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	db, err := queries.Open(ctx, *dbPath, queries.Options{MemoryLimit: strings.TrimSpace(*memLimit), Seeds: set})
	if errors.Is(err, queries.ErrLocked) {
		return fmt.Errorf("%w\n%s", err, ingestLockedMessage(*dbPath))
	}
	if err != nil {
		return ingestDiskHint(fmt.Errorf("ingest: %w", err))
	}
	defer db.Close()
	if len(paths) > 0 {
		opt := ingest.Options{Source: "cli", Workers: *workers, Round: *round}
		if ingestIsTerminal(e.stderr) {
			opt.Progress = ingestProgressBar(e.stderr)
		}
		res, err := ingest.Run(ctx, db, opt, paths...)
		if opt.Progress != nil {
			fmt.Fprintln(e.stderr)
		}
		if err != nil {
			return ingestDiskHint(fmt.Errorf("ingest: %w", err))
		}
		ingestPrintSummary(e.stdout, res)
		if err := db.Checkpoint(ctx); err != nil {
			// The run is committed (in the WAL): a warning, not a failure, but never silence.
			fmt.Fprintf(e.stderr, "注意：本次入库已完成，数据已保存在数据库的日志文件 %s.wal 中，但整理进数据库文件时出错（%v）。"+
				"请不要删除该 .wal 文件；腾出磁盘空间后，下次打开数据库时会自动完成整理。\n", *dbPath, err)
		}
	}
	if *report != "" {
		if err := ingestWriteReportFile(ctx, db, *report); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "整改清单已写入 %s\n", *report)
	}
	return nil
}

// ingestLockedMessage tells the user how to add files while the dashboard holds the database.
func ingestLockedMessage(dbPath string) string {
	return fmt.Sprintf(`数据库 %s 正被运行中的看板服务占用，不能直接写入。请改用以下任一方式：
  1. 在看板的“上传”页面上传文件；
  2. 把文件放进看板服务启动时 --inbox 指定的文件夹，服务会自动入库；
  3. 运行 lnvedash ingest --server http://HOST:8080 --token TOKEN 文件或文件夹…`, dbPath)
}

// ingestWriteReportFile writes the correction list through a temp file, so a failed run leaves no
// half-written workbook under the requested name.
func ingestWriteReportFile(ctx context.Context, db *queries.DB, path string) error {
	var buf bytes.Buffer
	if err := exports.WriteCorrections(ctx, &buf, db, ""); err != nil {
		return fmt.Errorf("ingest report: %w", err)
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("ingest report: %w", err)
	}
	return nil
}

// ingestIsTerminal reports whether w is a terminal (a character device), where a progress bar helps;
// in a pipe or a log it would only be noise.
func ingestIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func ingestProgressBar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		const width = 30
		n := width
		if total > 0 {
			n = width * done / total
		}
		fmt.Fprintf(w, "\r入库进度 [%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
	}
}

var ingestStatusLabel = map[string]string{
	"current":              "已入库",
	"superseded":           "已入库（已被新版本取代）",
	"rejected":             "拒收",
	ingest.StatusDuplicate: "重复，未再入库",
}

// ingestPrintSummary prints one line per file and the totals, in Chinese, aligned by display width.
func ingestPrintSummary(w io.Writer, res *ingest.Result) {
	header := []string{"文件", "报送单位", "状态", "举措", "警告", "说明"}
	rows := [][]string{header}
	counts := map[string]int{}
	for _, f := range res.Files {
		counts[f.Status]++
		label := ingestStatusLabel[f.Status]
		if label == "" {
			label = f.Status
		}
		note := f.Message
		switch {
		case f.Status == "rejected":
			note = queries.ReasonLabel(f.ReasonCode) + "：" + f.Message
		case f.Status == ingest.StatusDuplicate && f.ReasonCode != "":
			label = "仍被拒收"
		}
		sub := f.Submitter
		if sub == "" {
			sub = "—"
		}
		rows = append(rows, []string{f.FileName, sub, label, fmt.Sprint(f.Measures), fmt.Sprint(f.Warnings + f.Errors), note})
	}
	widths := make([]int, len(header)-1)
	for _, r := range rows {
		for i := range widths {
			widths[i] = max(widths[i], ingestWidth(r[i]))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(widths) {
				b.WriteString(strings.Repeat(" ", widths[i]-ingestWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "\n第 %d 次入库，共 %d 个文件：入库 %d，其中已被取代 %d；拒收 %d；重复 %d。\n", res.RunID, len(res.Files),
		counts["current"]+counts["superseded"], counts["superseded"], counts["rejected"], counts[ingest.StatusDuplicate])
	if counts["rejected"] > 0 {
		fmt.Fprintln(w, "被拒收的文件请按“说明”一栏告知报送单位修改后重新报送（--report 可导出整改清单）。")
	}
}

// ingestWidth is the width of s in a terminal: CJK and full-width characters take two columns.
func ingestWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x20:
		case unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF60 || r >= 0xFE30 && r <= 0xFE4F || r == 0x2014 || r == 0x201C || r == 0x201D || r == 0x2026:
			n += 2
		default:
			n++
		}
	}
	return n
}

// ingestUpload posts the files to SERVER/api/ingest as multipart (field "files"), streaming them, and
// reads back the server's Result.
func ingestUpload(ctx context.Context, server, token string, paths []string) (*ingest.Result, error) {
	files, err := ingest.ListFiles(paths...)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("ingest: 没有找到可上传的文件")
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for _, p := range files {
				part, err := mw.CreateFormFile("files", filepath.Base(p))
				if err != nil {
					return err
				}
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				_, err = io.Copy(part, f)
				f.Close()
				if err != nil {
					return err
				}
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	url := strings.TrimRight(server, "/") + "/api/ingest"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, pr)
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("ingest upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 30 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ingest upload %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("ingest upload %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("ingest upload: 服务拒绝了访问令牌（HTTP %d），请检查 --token", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		msg := strings.TrimSpace(string(body))
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return nil, fmt.Errorf("ingest upload: 服务返回 HTTP %d：%s", resp.StatusCode, msg)
	}
	var res ingest.Result
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("ingest upload: 服务的回复无法解析：%w", err)
	}
	return &res, nil
}

// ingestDiskHint adds a line in Chinese to the errors of a full disk, a file-size limit or DuckDB's
// memory limit, which DuckDB and the system only give in English. The run is one transaction, so the
// database is as before.
func ingestDiskHint(err error) error {
	msg := err.Error()
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) ||
		strings.Contains(msg, "No space left on device") || strings.Contains(msg, "File too large") ||
		// under its memory limit DuckDB spills to <db>.tmp beside the database; when that disk is
		// full it cannot offload and says so in terms of its temp-directory setting
		strings.Contains(msg, "failed to offload data block") {
		return fmt.Errorf("%w\n磁盘空间不足（或文件大小受限）：本次入库未完成，数据库保持入库前的状态。请清理数据文件夹所在的磁盘后重新运行。", err)
	}
	// DuckDB says it three ways: at a query, at a pin, and from the appender.
	if strings.Contains(msg, "Out of Memory Error") || strings.Contains(msg, "could not allocate block") ||
		strings.Contains(msg, "failed to pin block") {
		return fmt.Errorf("%w\n内存不足：本次入库未完成，数据库保持入库前的状态。请用 --memory-limit 调高数据库引擎的内存上限（默认 %s，如 --memory-limit 1GB）后重新运行。", err, ingest.MemoryLimit)
	}
	return err
}
