package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// pager is the position in a long list and the links around it: first, previous, a window of page
// numbers, next and last. Links keep every other query parameter (filters) and set only page.
type pager struct {
	Page, Pages int // 1-based; Pages ≥ 1
	From, To    int // 1-based rows shown; 0, 0 when the list is empty
	Total       int
	Links       []pageLink
}

type pageLink struct {
	Label   string
	Page    int
	Current bool
}

// pageParam reads ?page=, 1 when absent.
func pageParam(c *fiber.Ctx) (int, error) {
	p := strings.TrimSpace(c.Query("page"))
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fiber.NewError(fiber.StatusBadRequest, "页码应为正整数")
	}
	return n, nil
}

func newPager(page, total, per int) pager {
	p := pager{Page: page, Total: total, Pages: max(1, (total+per-1)/per)}
	if total > 0 && (page-1)*per < total {
		p.From, p.To = (page-1)*per+1, min(page*per, total)
	}
	if p.Pages == 1 && page == 1 {
		return p
	}
	add := func(label string, n int) {
		p.Links = append(p.Links, pageLink{Label: label, Page: n, Current: n == page})
	}
	if page > 1 {
		add("上一页", min(page-1, p.Pages))
	}
	lo, hi := max(1, page-3), min(p.Pages, page+3)
	if lo > 1 {
		add("1", 1)
		if lo > 2 {
			add("…", 0)
		}
	}
	for n := lo; n <= hi; n++ {
		add(strconv.Itoa(n), n)
	}
	if hi < p.Pages {
		if hi < p.Pages-1 {
			add("…", 0)
		}
		add(strconv.Itoa(p.Pages), p.Pages)
	}
	if page < p.Pages {
		add("下一页", page+1)
	}
	return p
}

// pageHref is the link to page n with the request's other parameters kept.
func pageHref(q url.Values, n int) string {
	if n <= 1 {
		return withQuery(q, "page", "")
	}
	return withQuery(q, "page", strconv.Itoa(n))
}
