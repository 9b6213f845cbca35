package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lnvedash/exports"
	"lnvedash/queries"
)

// runExport writes the meeting materials from the database: the meeting pack (xlsx with native
// charts), the printable report (one self-contained HTML file) and any dashboard table (xlsx or CSV).
// It calls the same builders as the dashboard's /export routes and /report.
func runExport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "export", "[--db FILE] [--city 市] [--as-of YYYY-MM-DD] --pack FILE.xlsx | --report FILE.html | --table NAME --out FILE.xlsx|.csv | --corrections FILE.xlsx [--unit 单位] [--seeds DIR]")
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件")
	pack := fs.String("pack", "", "把会议材料包（xlsx，含可编辑的 Excel 图表）写入此文件")
	report := fs.String("report", "", "把打印报告（单个 HTML 文件，A4 横向，可离线打开、打印为 PDF）写入此文件")
	table := fs.String("table", "", "导出一张表："+strings.Join(exports.Names(), "、"))
	corrections := fs.String("corrections", "", "把整改清单（每个报送单位一个工作表，另列被拒收的文件）写入此 xlsx 文件")
	unit := fs.String("unit", "", "与 --corrections 一起使用：只导出这一个报送单位的整改清单")
	out := fs.String("out", "", "与 --table 一起使用：输出文件（.xlsx 或 .csv）")
	city := fs.String("city", "", "只看一个地市（本市方案及本市院校），如 大连市")
	kind := fs.String("kind", "", "只看一类单位：city（地市）或 school（院校）")
	asOf := fs.String("as-of", "", "数据截至日期 YYYY-MM-DD（计算逾期举措；默认今天）")
	basis := fs.String("on-time-basis", "", basisUsage)
	loadSeeds := seedsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pack == "" && *report == "" && *table == "" && *corrections == "" {
		fs.Usage()
		return errors.New("export: 请指定 --pack、--report、--table 或 --corrections")
	}
	if *table != "" && *out == "" {
		return errors.New("export: --table 需要 --out 输出文件")
	}
	q := url.Values{}
	for k, v := range map[string]string{"city": *city, "kind": *kind, "as_of": *asOf, "by": *basis} {
		if v != "" {
			q.Set(k, v)
		}
	}
	p, err := exports.ParseParams(q, time.Now())
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("export: 数据库 %s 不存在，请先用 lnvedash ingest 入库: %w", *dbPath, err)
	}
	set, err := loadSeeds()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	db, err := queries.Open(ctx, *dbPath, queries.Options{ReadOnly: true, Seeds: set})
	if errors.Is(err, queries.ErrLocked) {
		return fmt.Errorf("%w\n%s", err, exportLockedMessage(*dbPath, q))
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer db.Close()
	if p.Filter.City != "" {
		canon, err := exportResolveCity(ctx, db, p.Filter.City)
		if err != nil {
			return err
		}
		p.Filter.City = canon
	}
	if *pack != "" {
		if err := exportWriteFile(*pack, func(w io.Writer) error { return exports.WritePack(ctx, w, db, p) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "会议材料包已写入 %s（%s，数据截至 %s）\n", *pack, p.Describe(), p.AsOfDate().Format("2006-01-02"))
	}
	if *report != "" {
		if err := exportWriteFile(*report, func(w io.Writer) error { return exports.WriteReport(ctx, w, db, p) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "打印报告已写入 %s（用浏览器打开后打印为 PDF，A4 横向）\n", *report)
	}
	if *corrections != "" {
		if err := exportWriteFile(*corrections, func(w io.Writer) error { return exports.WriteCorrections(ctx, w, db, *unit) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "整改清单已写入 %s\n", *corrections)
	}
	if *table != "" {
		t, err := exports.Build(ctx, db, *table, p)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		write := exports.WriteXLSX
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".csv":
			write = exports.WriteCSV
		case ".xlsx":
		default:
			return fmt.Errorf("export: 输出文件 %s 应以 .xlsx 或 .csv 结尾", *out)
		}
		if err := exportWriteFile(*out, func(w io.Writer) error { return write(w, t) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s 已写入 %s（%d 行）\n", t.Title, *out, len(t.Rows))
	}
	return nil
}

// exportWriteFile builds the whole file in memory first and then writes it in one go through a
// temporary file, so a failed export never leaves half a file behind under the requested name.
func exportWriteFile(name string, build func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := writeFileAtomic(name, buf.Bytes()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// exportLockedMessage explains what to do when the dashboard server holds the database: DuckDB lets
// one process open a file that another holds read-write, so the running server has to do the export.
func exportLockedMessage(dbPath string, q url.Values) string {
	qs := ""
	if len(q) > 0 {
		qs = "?" + q.Encode()
	}
	return fmt.Sprintf("数据库 %s 正被看板服务占用（DuckDB 只允许一个进程写库，其他进程此时无法打开）。\n"+
		"请在运行中的看板上导出：\n"+
		"  会议材料包  http://<看板地址>/export/pack.xlsx%s\n"+
		"  打印报告    http://<看板地址>/report%s （浏览器中“打印 → 另存为 PDF”；加参数 download=1 则保存为 HTML 文件）\n"+
		"  整改清单    http://<看板地址>/export/corrections.xlsx （加参数 unit=单位名称 则只含该单位）\n"+
		"或先停止看板服务再运行本命令。", dbPath, qs, qs)
}

// exportResolveCity maps a city as people write it ("大连", "大连市教育局") to its roster name.
func exportResolveCity(ctx context.Context, db *queries.DB, name string) (string, error) {
	canon, err := db.ResolveSubmitter(ctx, name)
	if err == nil && db.Seeds != nil {
		for _, s := range db.Seeds.Submitters {
			if s.Name == canon && s.Kind == queries.KindCity {
				return canon, nil
			}
		}
	}
	return "", fmt.Errorf("export: %q 不是名册中的地市（如 沈阳市、大连市）", name)
}
