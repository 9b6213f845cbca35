package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Page is what the layout renders: the frame (title, navigation, as-of line, filters) around a
// page's own view model in Body.
type Page struct {
	Title  string
	Nav    string // which top-level section is active: overview, tasks, cities, colleges, departments, returns, search, sql
	AsOf   time.Time
	Query  url.Values // the filters in the URL, so links and exports reproduce the view
	Charts []*Chart
	Body   any
}

// pages holds one parsed template set per page file: layout.html plus the page, so every page can
// define its own "content" block.
type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"pct":      pct,
	"num":      num,
	"wan":      wan,
	"month":    month,
	"day":      day,
	"datetime": datetime,
	"query":    withQuery,
	"pagehref": pageHref,
	"add":      func(a, b int) int { return a + b },
	"pathesc":  url.PathEscape,
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
		page.AsOf = s.cfg.Now()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", page); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Type("html", "utf-8")
	return c.Send(neutraliseBidi(buf.Bytes()))
}

// pct formats a ratio 0..1 as a Chinese-style percentage with one decimal, "—" when undefined.
func pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// num formats an integer-like count with thousands separators.
func num(v any) string {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		return fmt.Sprint(v)
	}
	neg := f < 0
	if neg {
		f = -f
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		if len(frac) > 2 {
			frac = frac[:2]
		}
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// wan formats large quantities the Chinese way: 12000 → 1.2万, 2000000 → 200万, 3 → 3.
func wan(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v/1e8, 'f', 2, 64), "0"), ".") + "亿"
	case a >= 1e4:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v/1e4, 'f', 2, 64), "0"), ".") + "万"
	default:
		return num(v)
	}
}

// month formats a date as 2022年6月; zero time as "—".
func month(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
}

// day formats a date as 2022年6月30日.
func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func datetime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04")
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
