package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
	"lnvedash/zhfmt"
)

// Page is what the layout renders: the frame (title, navigation, as-of line, filters) around a
// page's own view model in Body.
type Page struct {
	Title  string
	Nav    string // which top-level section (my / review / admin / none: role pages without the leadership menu) is active: overview, tasks, cities, colleges, departments, returns, search, sql
	AsOf   time.Time
	Query  url.Values // the filters in the URL, so links and exports reproduce the view
	Charts []*charts.Chart
	Body   any
	// Basis is how punctuality is judged, stated in the footer of every page.
	Basis queries.Basis
	// MeetingExtra are filters the page's path implies (city=大连市 on /cities/大连市), carried into
	// its "导出本页会议材料" links; Meeting is their query, set by render on the pages that offer them.
	MeetingExtra map[string]string
	Meeting      template.URL
	Review       *reviewBlock // the review figures some pages show (review_block.go); nil elsewhere
}

// meetingPages are the sections whose pages offer "导出本页会议材料".
var meetingPages = map[string]bool{"overview": true, "tasks": true, "cities": true, "colleges": true,
	"departments": true, "search": true, "overdue": true}

// pages holds one parsed template set per page file: layout.html plus the page, so every page can
// define its own "content" block.
type pages struct {
	byName map[string]*template.Template
}

// funcs are the helpers every page template may call, in one literal so they exist before any
// template is parsed (no init order to rely on).
var funcs = template.FuncMap{
	"pct":          zhfmt.Pct,
	"num":          zhfmt.Num,
	"wan":          zhfmt.Wan,
	"month":        zhfmt.Month,
	"day":          zhfmt.Day,
	"datetime":     zhfmt.DateTime,
	"query":        withQuery,
	"pagehref":     pageHref,
	"add":          func(a, b int) int { return a + b },
	"pathesc":      url.PathEscape,
	"kindname":     queries.KindLabel,
	"statusname":   queries.StatusLabel,
	"severityname": queries.SeverityLabel,
	"reasonname":   queries.ReasonLabel,
	"pctof":        zhfmt.PctOf,
	"quantity":     zhfmt.Quantity,
	"join":         strings.Join,
	"itoa":         strconv.Itoa,
	"unitpath":     unitPath,
	"filterform":   newFilterForm,
	"measuretable": newMeasureTable,
	"isodate":      func(t time.Time) string { return t.Format("2006-01-02") },
	"findingname":  queries.FindingLabel,
	"methodname":   queries.MatchMethodLabel,
	"identityname": queries.IdentityLabel,
	"reasontext":   queries.ReasonText,
}

func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", base, err)
		}
		p.byName[base] = t
	}
	return p, nil
}

// render executes a page into a buffer first, so a template error becomes a clean 500 rather than a
// half-written page.
func (s *Server) render(c *fiber.Ctx, name string, page *Page) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("render: no template %s", name)
	}
	if page.AsOf.IsZero() {
		page.AsOf = s.asOf(c)
	}
	if page.Basis == "" {
		page.Basis = s.basis(c)
	}
	if page.Query == nil {
		page.Query = queryValues(c)
	}
	if meetingPages[page.Nav] {
		extra := map[string]string{"as_of": page.AsOf.Format("2006-01-02"), "by": string(page.Basis)}
		for k, v := range page.MeetingExtra {
			extra[k] = v
		}
		// built by url.Values.Encode: safe as a URL query as it stands
		page.Meeting = template.URL(meetingQuery(page.Query, extra))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", page); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Type("html", "utf-8")
	return c.Send(neutraliseBidi(buf.Bytes()))
}

// withQuery returns the current query with key set to value (value "" removes it), for filter links.
func withQuery(q url.Values, key, value string) string {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	// "?" and not "": an empty href is the current URL, query included, so a "show all" link that
	// drops the last parameter would lead back to the filtered page.
	return "?" + out.Encode()
}

// queryValues is the request's query string as url.Values (fiber only offers a flattened map).
func queryValues(c *fiber.Ctx) url.Values {
	v, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return url.Values{}
	}
	return v
}
