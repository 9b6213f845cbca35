package dashboard

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"lnvedash/queries"
	"lnvedash/seeds"
)

var benchPaths = []string{"/", "/tasks", "/tasks/3", "/cities", "/cities/" + url.PathEscape("营口市"), "/colleges",
	"/colleges/" + url.PathEscape("沈阳职业技术学院"), "/departments", "/returns", "/search?q=xss", "/returns/diff?submitter=" + url.QueryEscape("大连市")}

// BenchmarkPagesUncached renders each page from the database (the data version is bumped every time).
func BenchmarkPagesUncached(b *testing.B) {
	s, err := New(Config{DB: sampleDB, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range benchPaths {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				s.DataChanged()
				resp, err := s.App().Test(httptest.NewRequest("GET", p, nil), -1)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("%v %v", err, resp.StatusCode)
				}
			}
		})
	}
}

// BenchmarkPagesCached is the same request again with the same data: answered from the page cache.
func BenchmarkPagesCached(b *testing.B) {
	s, err := New(Config{DB: sampleDB, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range benchPaths {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				resp, err := s.App().Test(httptest.NewRequest("GET", p, nil), -1)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("%v %v", err, resp.StatusCode)
				}
			}
		})
	}
}

// Serve warms the cache with the main pages for the current data version.
func TestServeWarmsCache(t *testing.T) {
	s := newSampleServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	warmed := make(chan struct{}, 1)
	s.afterWarm = func() { warmed <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, time.Second) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	<-warmed
	paths := s.warmPaths()
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	for _, p := range paths {
		key := p // the cache's key: path "?" query
		if !strings.Contains(p, "?") {
			key += "?"
		}
		if _, ok := s.cache.entries[key]; !ok {
			t.Errorf("%s not cached after the warm-up", p)
		}
	}
}

// BenchmarkPages1000 renders the main pages uncached at the 1,000-checklist scale (the queries
// package's generated benchmark database, ../queries/testdata/bench.sql).
func BenchmarkPages1000(b *testing.B) {
	ctx := context.Background()
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sqlText, err := os.ReadFile("../queries/testdata/bench.sql")
	if err != nil {
		b.Skip("no benchmark data:", err)
	}
	if _, err := db.ExecContext(ctx, string(sqlText)); err != nil {
		b.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{DB: db, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range benchPaths {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				s.DataChanged()
				resp, err := s.App().Test(httptest.NewRequest("GET", p, nil), -1)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("%v %v", err, resp.StatusCode)
				}
			}
		})
	}
}

// The warm-up renders Liaoning's every page — 7 main pages, 14 cities, 52 colleges, 54 tasks and 14
// departments, 141 in all, counted from the seed files — but a national roster only up to half the
// page cache, main pages and cities first: warmed whole, its ≈2,600 pages emptied the cache (which
// empties itself when full) and left the main pages cold.
func TestWarmPathsFitTheCache(t *testing.T) {
	s := newSampleServer(t)
	paths := s.warmPaths()
	if len(paths) != 141 {
		t.Errorf("Liaoning: %d pages warmed, want 141", len(paths))
	}
	set := *s.cfg.DB.Seeds
	set.Submitters = append([]seeds.Submitter(nil), set.Submitters...)
	for i := 0; i < 400; i++ {
		set.Submitters = append(set.Submitters, seeds.Submitter{Name: fmt.Sprintf("市%03d", i), Kind: queries.KindCity})
	}
	for i := 0; i < 1600; i++ {
		set.Submitters = append(set.Submitters, seeds.Submitter{Name: fmt.Sprintf("学院%04d", i), Kind: queries.KindSchool})
	}
	national := &Server{cfg: Config{DB: &queries.DB{Seeds: &set}}}
	paths = national.warmPaths()
	if len(paths) != pageCacheMax/2 {
		t.Fatalf("national roster: %d pages warmed, want %d (half the cache)", len(paths), pageCacheMax/2)
	}
	if paths[0] != "/" || paths[6] != "/returns" || paths[7] != "/cities/"+url.PathEscape("沈阳市") {
		t.Errorf("national roster: the main pages and then the cities first, got %v", paths[:8])
	}
	for _, p := range paths {
		if strings.HasPrefix(p, "/colleges/") {
			t.Errorf("national roster: college page %s warmed before every city (414 cities fill the half cache)", p)
			break
		}
	}
}
