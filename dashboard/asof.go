package dashboard

// The as-of date, the on-time basis and the meeting-material links every page carries. Both settings
// live in the URL (?as_of=, ?by=) so a view, its exports and its links agree; the server's Config.Basis
// is the one default of the basis.

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/exports"
	"lnvedash/queries"
)

// asOf is the page's as-of date: ?as_of=YYYY-MM-DD, else today. A date that cannot be read is today
// too; the control then shows today, so the page never claims a date it did not use.
func (s *Server) asOf(c *fiber.Ctx) time.Time {
	if v := strings.TrimSpace(c.Query("as_of")); v != "" {
		if t, err := exports.ParseDate(v); err == nil {
			return t
		}
	}
	return s.cfg.Now()
}

// basis is the page's on-time basis: ?by=, else the server's setting.
func (s *Server) basis(c *fiber.Ctx) queries.Basis {
	if b, err := queries.ParseBasis(strings.TrimSpace(c.Query("by"))); err == nil && c.Query("by") != "" {
		return b
	}
	return s.cfg.Basis.OrDefault()
}

// withDefaults is q with the server's on-time basis filled in when the URL sets none, so an export
// judges punctuality as the page that linked to it does.
func (s *Server) withDefaults(q url.Values) url.Values {
	if q.Get("by") == "" {
		q.Set("by", string(s.cfg.Basis.OrDefault()))
	}
	return q
}

// meetingQuery is the query of the "导出本页会议材料" links: the page's filters (extra: those its path
// implies, e.g. city=大连市 on /cities/大连市) plus its as-of date and basis; paging and free text dropped.
func meetingQuery(q url.Values, extra map[string]string) string {
	out := url.Values{}
	for _, k := range []string{"kind", "city", "area", "dept", "task", "as_of", "by"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	for k, v := range extra {
		if v != "" {
			out.Set(k, v)
		}
	}
	return out.Encode()
}

// measureTable is what the "measures" template renders: the rows and, when Name is set, the table's
// download (data-export=Name) with Export as its own query, e.g. "task=5" on a task page.
type measureTable struct {
	M      []queries.Measure
	Name   string
	Export string
}

// newMeasureTable is the template function measuretable: ms, the export table ("" = no download)
// and the export query as key, value pairs.
func newMeasureTable(ms []queries.Measure, name string, kv ...string) measureTable {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return measureTable{M: ms, Name: name, Export: q.Encode()}
}
