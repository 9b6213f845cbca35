package dashboard

// Exports for working-group meetings and for the submitters. Every door — these routes, the download
// buttons that static/export.js adds, and `lnvedash export` — calls the same builders in package
// exports (tables, the meeting pack, the printable report, server-side chart SVGs, the correction list).
//
//	GET /export/table/NAME.xlsx|.csv   one dashboard table under the page's URL filters
//	GET /export/chart/NAME.xlsx|.csv   the data behind a chart (NAME = its table)
//	GET /export/chart/NAME.svg         the chart drawn on the server, title, as-of and source in the image
//	GET /export/pack.xlsx              the meeting pack (?city=&as_of=)
//	GET /export/corrections.xlsx       the correction list, every unit or one (?unit=, ?due=YYYY-MM-DD)
//	GET /report                        the printable report, one self-contained HTML file (?city=&as_of=)

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/exports"
	"lnvedash/queries"
)

// reportTimeout bounds the report and server-side SVGs: the queries take milliseconds, but drawing the
// map in goja takes seconds on a busy two-core server.
const reportTimeout = 90 * time.Second

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
	mimeSVG  = "image/svg+xml"
)

// exportParams reads the export filters from a URL query; a malformed value is a 400 with a Chinese message.
func (s *Server) exportParams(q url.Values) (exports.Params, error) {
	p, err := exports.ParseParams(s.withDefaults(q), s.cfg.Now())
	if errors.Is(err, exports.ErrBadParam) {
		return p, fiber.NewError(fiber.StatusBadRequest, strings.TrimPrefix(err.Error(), exports.ErrBadParam.Error()+": "))
	}
	return p, err
}

// splitName splits "coverage_by_task.xlsx" into its table name and format.
func splitName(c *fiber.Ctx) (name, ext string) {
	n := param(c, "name")
	ext = path.Ext(n)
	return strings.TrimSuffix(n, ext), strings.TrimPrefix(ext, ".")
}

// attach sets the download headers: an ASCII fallback name and the Chinese name (RFC 5987).
func attach(c *fiber.Ctx, mime, ascii, name string) {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+ascii+`"; filename*=UTF-8''`+rfc5987(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// fileStem is the Chinese file name of an export: title, scope and as-of date.
func fileStem(title string, p exports.Params) string {
	scope := "全省"
	if p.Filter.City != "" {
		scope = p.Filter.City
	}
	return exports.SheetName(title) + "_" + scope + "_" + p.AsOfDate().Format("20060102")
}

func (s *Server) exportTable(c *fiber.Ctx) error {
	name, ext := splitName(c)
	return s.sendTable(c, name, ext, queryValues(c))
}

// sendTable answers one table in one format under the filters in q.
func (s *Server) sendTable(c *fiber.Ctx, name, ext string, q url.Values) error {
	if ext != "xlsx" && ext != "csv" {
		return fiber.NewError(fiber.StatusNotFound, "导出格式应为 .xlsx 或 .csv")
	}
	if !slices.Contains(exports.Names(), name) {
		return fiber.NewError(fiber.StatusNotFound, "没有名为 "+name+" 的导出表")
	}
	p, err := s.exportParams(q)
	if err != nil {
		return err
	}
	ctx, cancel := qctx()
	defer cancel()
	t, err := exports.Build(ctx, s.cfg.DB, name, p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if ext == "csv" {
		err = exports.WriteCSV(&buf, t)
		attach(c, mimeCSV, name+".csv", fileStem(t.Title, p)+".csv")
	} else {
		err = exports.WriteXLSX(&buf, t)
		attach(c, mimeXLSX, name+".xlsx", fileStem(t.Title, p)+".xlsx")
	}
	if err != nil {
		return err
	}
	return c.Send(buf.Bytes())
}

// exportChartData serves a chart's data (xlsx/csv, the table of the same name) or the chart as SVG
// rendered on the server (?w= sets the width in pixels).
func (s *Server) exportChartData(c *fiber.Ctx) error {
	name, ext := splitName(c)
	q := queryValues(c)
	if name == "coverage_by_submitter" && q.Get("kind") == "" {
		// the ranking chart is of colleges unless the page says otherwise; its data must match it
		q.Set("kind", queries.KindSchool)
	}
	if ext != "svg" {
		return s.sendTable(c, name, ext, q)
	}
	if !slices.Contains(charts.Names, name) {
		return fiber.NewError(fiber.StatusNotFound, "没有名为 "+name+" 的图表")
	}
	p, err := s.exportParams(q)
	if err != nil {
		return err
	}
	width := charts.Width
	if w := c.Query("w"); w != "" {
		if width, err = strconv.Atoi(w); err != nil || width < 200 || width > 4000 {
			return fiber.NewError(fiber.StatusBadRequest, "宽度（w）应为 200 到 4000 之间的整数")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), reportTimeout)
	defer cancel()
	ch, svg, err := exports.ChartSVG(ctx, s.cfg.DB, name, width, p)
	if err != nil {
		return err
	}
	attach(c, mimeSVG, name+".svg", fileStem(ch.Title, p)+".svg")
	return c.SendString(svg)
}

func (s *Server) exportPack(c *fiber.Ctx) error {
	p, err := s.exportParams(queryValues(c))
	if err != nil {
		return err
	}
	ctx, cancel := qctx()
	defer cancel()
	var buf bytes.Buffer
	if err := exports.WritePack(ctx, &buf, s.cfg.DB, p); err != nil {
		return err
	}
	attach(c, mimeXLSX, "pack.xlsx", fileStem("会议材料", p)+".xlsx")
	return c.Send(buf.Bytes())
}

// reportPage serves the printable report. It is a standalone document (not the layout): no script, every
// chart inlined as SVG; ?download=1 sends it as a file to keep.
func (s *Server) reportPage(c *fiber.Ctx) error {
	p, err := s.exportParams(queryValues(c))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), reportTimeout)
	defer cancel()
	var buf bytes.Buffer
	if err := exports.WriteReport(ctx, &buf, s.cfg.DB, p); err != nil {
		return err
	}
	if c.Query("download") == "1" {
		attach(c, "text/html; charset=utf-8", "report.html", exports.ReportFileName(p))
	} else {
		c.Type("html", "utf-8")
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Send(buf.Bytes())
}

// exportCorrections serves the correction list: every unit, or one (?unit=, a name or alias) to send
// back to that unit alone.
func (s *Server) exportCorrections(c *fiber.Ctx) error {
	unit := strings.TrimSpace(c.Query("unit"))
	ctx, cancel := qctx()
	defer cancel()
	var buf bytes.Buffer
	opt := exports.CorrectionsOptions{Unit: unit, Now: s.cfg.Now()}
	if d := strings.TrimSpace(c.Query("due")); d != "" {
		t, err := exports.ParseDate(d)
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "重新报送期限（due）格式应为 2021-10-15")
		}
		opt.Due = t
	}
	if err := exports.WriteCorrectionsWith(ctx, &buf, s.cfg.DB, opt); err != nil {
		if errors.Is(err, queries.ErrNotFound) {
			return fiber.NewError(fiber.StatusNotFound, "名册中没有报送单位“"+unit+"”")
		}
		return err
	}
	attach(c, mimeXLSX, "corrections.xlsx", exports.CorrectionsFileName(unit, s.cfg.Now()))
	return c.Send(buf.Bytes())
}
