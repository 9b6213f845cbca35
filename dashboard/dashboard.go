// Package dashboard is the fiber web server: the leadership's pages, the analysts' SQL console, uploads
// and the routes of the exports. Handlers are thin: parse input, call queries (or exports, or the
// sqlconsole sandbox), build a view model, render an embedded html/template. Chart options come from
// package charts and reach the page as JSON encoded by html/template inside
// <script type="application/json">, never through go-echarts' own renderer, which splices text from
// submitted files into <script> unescaped. Every template is parsed in New, so a broken one stops the
// server's start. Nothing below imports this package (see package layers).
package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
	"lnvedash/sqlconsole"
)

//go:embed templates/*.html
var templateFS embed.FS

// Config is everything the server depends on; main fills it from flags.
type Config struct {
	DB      *queries.DB
	DataDir string // where uploads are archived and snapshots kept
	Inbox   string // folder watched for new returns; "" = none
	// AdminToken guards uploads and re-ingest; "" disables those actions.
	AdminToken string
	// AnalystToken guards the SQL console and API; "" = open to whoever can view the dashboard.
	AnalystToken string
	// ViewersNeedLink closes the leadership pages to anyone without a session (a personal link or the
	// admin's login); false keeps them open on the intranet as before.
	ViewersNeedLink bool
	// SQL runs analysts' queries in the sandbox; nil disables the console.
	SQL SQLRunner
	// AllowedHosts are the Host values (host or host:port) state-changing and SQL requests may name,
	// in Host and Origin; nil = the listen address (see defaultAllowedHosts); "*" = any.
	AllowedHosts []string
	// MaxUpload caps one upload's body in bytes [64 MiB].
	MaxUpload int64
	// AfterIngest runs after each committed ingest (e.g. refresh the console's snapshot).
	AfterIngest func(ctx context.Context) error
	Logger      *slog.Logger
	// Now is the clock for as-of defaults; nil = time.Now.
	Now func() time.Time
	// Basis is how punctuality is judged on every page and export ("" = queries.DefaultBasis); a
	// page's ?by= overrides it for that view and its exports.
	Basis queries.Basis
}

// SQLRunner is the sandboxed console, *sqlconsole.Console. It is an interface so the dashboard does
// not depend on how the sandbox isolates DuckDB (and tests can stand in for it).
type SQLRunner interface {
	Query(ctx context.Context, sql string, maxRows int) (*sqlconsole.Result, error)
	SchemaInfo(ctx context.Context) (*sqlconsole.SchemaInfo, error)
	Parquet(ctx context.Context, r *sqlconsole.Result) ([]byte, error)
}

// sqlWorkers is how many queries the console runs at once (a runner may say; the console's default is 2).
func sqlWorkers(r SQLRunner) int {
	if w, ok := r.(interface{ Workers() int }); ok {
		return w.Workers()
	}
	return 2
}

// Server holds the fiber app and its dependencies.
type Server struct {
	cfg      Config
	app      *fiber.App
	pages    *pages
	cache    *pageCache
	ingestMu sync.Mutex // ingest runs one at a time (uploads, API, inbox)
	log      *slog.Logger
	version  atomic.Int64 // bumped on every committed ingest; part of cache keys and ETags
	warming  atomic.Bool  // a cache warm-up is running (warm.go)
	serving  atomic.Bool  // Serve is running: warm-ups only then
	id       identity     // personal links, sessions, reviews (identity.go)
	// afterWarm, when set (by tests, before Serve), is called as each background warm-up ends: the
	// signal TestServeWarmsCache waits for instead of polling the cache.
	afterWarm func()

	renders  *limiter     // page renders at once (guard.go)
	refused  atomic.Int64 // requests answered 503/429 by a bound
	hosts    hostSet      // nil: no Host/Origin check (tests); set by New or Serve
	fails    *authFails
	sqlQueue *fairQueue
}

// New builds the server and checks every template at start.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("dashboard: no database")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("dashboard templates: %w", err)
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 64 << 20 // a zip of a few hundred checklists
	}
	s := &Server{cfg: cfg, pages: p, log: cfg.Logger, cache: newPageCache(),
		renders: newLimiter(renderSlots, renderQueue, renderWait), fails: newAuthFails(), sqlQueue: newFairQueue(sqlWorkers(cfg.SQL))}
	if len(cfg.AllowedHosts) > 0 && !slices.Contains(cfg.AllowedHosts, "*") {
		s.hosts = newHostSet(cfg.AllowedHosts)
	}
	s.id = newIdentity(cfg)
	s.app = fiber.New(fiber.Config{
		AppName:               "lnvedash",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// Bodies stream: a handler runs after the headers (and at most 8 KB), so an upload's token is
		// checked before its body is read, and the body goes to disk, not memory (upload.go). Other
		// routes refuse large bodies before reading them (boundBody).
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    int(cfg.MaxUpload),
		ReadTimeout:                  60 * time.Second,
		WriteTimeout:                 120 * time.Second,
		IdleTimeout:                  120 * time.Second,
	})
	s.routes()
	return s, nil
}

// Refused counts the requests answered 503 or 429 because a bound was reached.
func (s *Server) Refused() int64 { return s.refused.Load() }

// App exposes the fiber app, for tests (app.Test) and for main.
func (s *Server) App() *fiber.App { return s.app }

// DataChanged is called after a committed ingest: caches keyed on the data version expire.
func (s *Server) DataChanged() { s.version.Add(1) }

// Serve listens on ln until ctx is done, then shuts down gracefully, waiting up to grace for
// in-flight requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	if s.hosts == nil && len(s.cfg.AllowedHosts) == 0 {
		s.hosts = newHostSet(defaultAllowedHosts(ln.Addr().String()))
	}
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	s.serving.Store(true)
	defer s.serving.Store(false)
	s.warmAsync()
	wctx, stopInbox := context.WithCancel(ctx)
	inboxDone := make(chan struct{})
	if s.cfg.Inbox != "" {
		go func() { defer close(inboxDone); s.watchInbox(wctx, s.cfg.Inbox) }()
	} else {
		close(inboxDone)
	}
	// The caller closes the database after Serve returns: stop the inbox and wait for it first.
	defer func() { stopInbox(); <-inboxDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.app.ShutdownWithContext(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
