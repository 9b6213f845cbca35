package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// filterFromQuery reads the filters every list page understands from the URL: kind, city, task, area,
// dept. Unknown values are kept as given; the queries treat "" and 0 as "all".
func filterFromQuery(c *fiber.Ctx) queries.Filter {
	f := queries.Filter{
		Kind:       c.Query("kind"),
		City:       strings.TrimSpace(c.Query("city")),
		Department: strings.TrimSpace(c.Query("dept")),
	}
	if f.Kind != queries.KindCity && f.Kind != queries.KindSchool {
		f.Kind = ""
	}
	f.TaskNo, _ = strconv.Atoi(c.Query("task"))
	f.AreaNo, _ = strconv.Atoi(c.Query("area"))
	return f
}

// filterOptions are the choices the filter forms offer.
type filterOptions struct {
	Cities      []string
	Areas       []areaOption
	Departments []string
	Tasks       []int
}

type areaOption struct {
	No   int
	Name string
}

func (s *Server) filterOptions() filterOptions {
	var o filterOptions
	set := s.cfg.DB.Seeds
	if set == nil {
		return o
	}
	for _, sub := range set.Submitters {
		if sub.Kind == queries.KindCity {
			o.Cities = append(o.Cities, sub.Name)
		}
	}
	seen := map[int]bool{}
	for _, t := range set.Tasks {
		o.Tasks = append(o.Tasks, t.No)
		if !seen[t.AreaNo] {
			seen[t.AreaNo] = true
			o.Areas = append(o.Areas, areaOption{No: t.AreaNo, Name: t.Area})
		}
	}
	for _, d := range set.Departments {
		o.Departments = append(o.Departments, d.Name)
	}
	return o
}

// filterForm is what the "filters" template renders: the current filter, the choices, and the other
// query parameters to keep (hidden inputs) so changing a filter keeps e.g. the chosen tab.
type filterForm struct {
	F    queries.Filter
	O    filterOptions
	Keep map[string]string
}

// newFilterForm is the template function filterform.
func newFilterForm(f queries.Filter, o filterOptions, q url.Values, keep ...string) filterForm {
	ff := filterForm{F: f, O: o, Keep: map[string]string{}}
	for _, k := range keep {
		if v := q.Get(k); v != "" {
			ff.Keep[k] = v
		}
	}
	return ff
}
