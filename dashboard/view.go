package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// Template helpers for the leadership pages, added to the shared FuncMap before the templates are
// parsed (New parses them; package init runs first).
func init() {
	funcs["kindname"] = queries.KindLabel
	funcs["statusname"] = queries.StatusLabel
	funcs["severityname"] = queries.SeverityLabel
	funcs["reasonname"] = queries.ReasonLabel
	funcs["pctof"] = pctOf
	funcs["quantity"] = quantity
	funcs["join"] = strings.Join
	funcs["itoa"] = strconv.Itoa
	funcs["unitpath"] = unitPath
}

// pctOf is a/b as a percentage, "—" when b is 0.
func pctOf(a, b int) string {
	if b == 0 {
		return "—"
	}
	return pct(float64(a) / float64(b))
}

// unitPath is the page of a submitter: /cities/<name> or /colleges/<name>.
func unitPath(kind, name string) string {
	if kind == queries.KindCity {
		return "/cities/" + pathEscape(name)
	}
	return "/colleges/" + pathEscape(name)
}

func pathEscape(s string) string { return url.PathEscape(s) }

// param is a route parameter, URL-decoded (fiber hands it over as it appeared in the path).
func param(c *fiber.Ctx, name string) string {
	v := c.Params(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
