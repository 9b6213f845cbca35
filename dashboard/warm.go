package dashboard

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"

	"lnvedash/access"
	"lnvedash/queries"
)

// The coverage views are computed on every query, so a page's first view after an ingest costs
// hundreds of milliseconds. warmCache renders the pages leaders open first, in the background, right
// after start and after every committed ingest, so they are answered from the cache (ETag per data
// version). A newer data version stops an older warm-up.

// WarmDetail adds every city, college, task and department page to the warm-up, after the main
// pages, so a leader's drill-down is answered from the cache too.
var WarmDetail = true

// warmMax bounds the warm-up to half the page cache. The cache empties itself when full, so a
// national roster (2,046 units: ≈2,600 pages) warmed whole emptied it four times over and left the
// main pages, warmed first, cold, after minutes of rendering; Liaoning's 141 pages all fit.
const warmMax = pageCacheMax / 2

// warmPaths lists what the warm-up renders, most wanted first: the main pages, the cities, then the
// colleges, tasks and departments, cut at warmMax.
func (s *Server) warmPaths() []string {
	paths := s.allWarmPaths()
	if len(paths) > warmMax {
		paths = paths[:warmMax]
	}
	return paths
}

func (s *Server) allWarmPaths() []string {
	paths := []string{"/", "/tasks", "/tasks?m=school", "/cities", "/colleges", "/departments", "/returns"}
	set := s.cfg.DB.Seeds
	if set == nil {
		return paths
	}
	for _, sub := range set.Submitters {
		if sub.Kind == queries.KindCity {
			paths = append(paths, "/cities/"+url.PathEscape(sub.Name))
		}
	}
	if !WarmDetail {
		return paths
	}
	for _, sub := range set.Submitters {
		if sub.Kind == queries.KindSchool {
			paths = append(paths, "/colleges/"+url.PathEscape(sub.Name))
		}
	}
	for _, t := range set.Tasks {
		paths = append(paths, "/tasks/"+strconv.Itoa(t.No))
	}
	for _, d := range set.Departments {
		paths = append(paths, "/departments/"+url.PathEscape(d.Name))
	}
	return paths
}

// WarmCache renders the main pages into the page cache for the current data version. It returns
// early when the data changes meanwhile (the next warm-up takes over).
func (s *Server) WarmCache() {
	version := s.version.Load()
	var cookie *http.Cookie
	if s.cfg.ViewersNeedLink { // the pages need a session: the warm-up is a viewer for its duration
		sess := s.id.sessions.Open(access.Viewer, "", 0)
		defer s.id.sessions.End(sess.ID)
		cookie = &http.Cookie{Name: access.CookieName, Value: sess.ID}
	}
	for _, p := range s.warmPaths() {
		if s.version.Load() != version || !s.serving.Load() {
			return
		}
		req := httptest.NewRequest("GET", p, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := s.app.Test(req, -1)
		if err != nil {
			s.log.Warn("warm cache", "path", p, "err", err)
			continue
		}
		resp.Body.Close()
	}
}

// warmAsync starts a warm-up unless one is running; a running one notices a newer version and the
// next call (after the next ingest) starts again.
func (s *Server) warmAsync() {
	if !s.warming.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer func() {
			s.warming.Store(false)
			if s.afterWarm != nil {
				s.afterWarm()
			}
		}()
		for {
			v := s.version.Load()
			s.WarmCache()
			if s.version.Load() == v || !s.serving.Load() {
				return
			}
		}
	}()
}
