package dashboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/sqlconsole/sqlfmt"
)

// The analysts' SQL console: the page (/sql), the schema browser's data (GET /api/sql/schema) and the
// query API (POST /api/sql). The sandbox itself is Config.SQL; these handlers only parse the request,
// call it and encode the result with package sqlfmt, the same encoders `lnvedash sql` uses.

// sqlStatusError is an error from the sandbox whose message is written for the analyst (no paths).
type sqlStatusError interface {
	error
	HTTPStatus() int
}

// maxSQLText bounds the statement text accepted.
const maxSQLText = 64 << 10

type sqlPageView struct {
	Query         string // pre-filled from ?q=, never run automatically
	Enabled       bool
	TokenRequired bool
}

// sqlPage is the console. The statement in ?q= is only put into the editor.
func (s *Server) sqlPage(c *fiber.Ctx) error {
	q := c.Query("q")
	if len(q) > maxSQLText {
		q = ""
	}
	return s.render(c, "sql.html", &Page{Title: "SQL 查询", Nav: "sql", Query: queryValues(c), Body: sqlPageView{
		Query: q, Enabled: s.cfg.SQL != nil, TokenRequired: s.cfg.AnalystToken != "",
	}})
}

// apiSQLSchema answers the schema browser's data: tables, columns, types, Chinese descriptions, examples.
func (s *Server) apiSQLSchema(c *fiber.Ctx) error {
	if s.cfg.SQL == nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "SQL 控制台未启用")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := s.cfg.SQL.SchemaInfo(ctx)
	if err != nil {
		return s.sqlError(c, err)
	}
	return c.JSON(v)
}

// sqlRequest is the body of POST /api/sql, as JSON or as a form.
type sqlRequest struct {
	SQL     string `json:"sql" form:"sql"`
	Format  string `json:"format" form:"format"`
	MaxRows int    `json:"max_rows" form:"max_rows"`
}

// apiSQL runs one statement in the sandbox and answers in the requested format.
func (s *Server) apiSQL(c *fiber.Ctx) error {
	if s.cfg.SQL == nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "SQL 控制台未启用")
	}
	var req sqlRequest
	if err := c.BodyParser(&req); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, `请求格式不正确：请发送 JSON {"sql": "...", "format": "json"}`)
	}
	if len(req.SQL) > maxSQLText {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("SQL 文本超过 %d KB", maxSQLText>>10))
	}
	if strings.TrimSpace(req.SQL) == "" {
		return fiber.NewError(fiber.StatusBadRequest, "请输入 SQL")
	}
	format := strings.ToLower(strings.TrimSpace(req.Format))
	if format == "" {
		format = "json"
	}
	f, ok := sqlfmt.Formats[format]
	if !ok {
		return fiber.NewError(fiber.StatusBadRequest, "不支持的格式 "+req.Format+"：可用 json、csv、xlsx、parquet")
	}
	// fiber's request context is not cancelled when the client goes away: the sandbox's own statement
	// timeout bounds the work; this only bounds the wait for a free worker.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := s.cfg.SQL.Query(ctx, req.SQL, req.MaxRows)
	if err != nil {
		return s.sqlError(c, err)
	}
	if format == "json" { // the API's answer, not a download
		return c.JSON(sqlfmt.ToJSON(res.Table()))
	}
	var buf bytes.Buffer
	if format == "parquet" {
		var b []byte
		if b, err = s.cfg.SQL.Parquet(ctx, res); err == nil {
			buf.Write(b)
		}
	} else {
		err = sqlfmt.Write(&buf, format, res.Table())
	}
	if err != nil {
		return s.sqlError(c, err)
	}
	name := "lnvedash-query-" + s.cfg.Now().Format("20060102-150405") + "." + f.Ext
	c.Set(fiber.HeaderContentType, f.MIME)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set("X-Row-Count", fmt.Sprint(len(res.Rows)))
	c.Set("X-Truncated", fmt.Sprint(res.Truncated))
	return c.Send(buf.Bytes())
}

// sqlError turns a sandbox error into an API error. The sandbox's messages are meant for the analyst
// (DuckDB's message with server paths removed) and are shown; anything else is logged and answered
// with a generic message.
func (s *Server) sqlError(c *fiber.Ctx, err error) error {
	var se sqlStatusError
	if errors.As(err, &se) {
		return fiber.NewError(se.HTTPStatus(), se.Error())
	}
	s.log.Error("sql console", "path", c.Path(), "err", err)
	return fiber.NewError(fiber.StatusBadGateway, "SQL 控制台内部错误，已记录日志")
}
