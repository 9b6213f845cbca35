package dashboard

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

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
