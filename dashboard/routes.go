package dashboard

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"lnvedash/assets"
)

// routes lists every route of the dashboard.
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(s.logRequests)
	app.Use(securityHeaders)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	app.Get("/healthz", s.healthz)
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(assets.Static),
		MaxAge: int((24 * time.Hour).Seconds()),
	}))

	// Leadership pages (handlers_pages.go and the page files).
	app.Get("/", s.cached(s.overviewPage))
	app.Get("/tasks", s.cached(s.tasksPage))
	app.Get("/tasks/:no", s.cached(s.taskPage))
	app.Get("/cities", s.cached(s.citiesPage))
	app.Get("/cities/:name", s.cached(s.cityPage))
	app.Get("/colleges", s.cached(s.collegesPage))
	app.Get("/colleges/:name", s.cached(s.collegePage))
	app.Get("/departments", s.cached(s.departmentsPage))
	app.Get("/departments/:name", s.cached(s.departmentPage))
	app.Get("/returns", s.cached(s.returnsPage))
	app.Get("/returns/diff", s.cached(s.diffPage))
	app.Get("/submissions/:id", s.cached(s.submissionPage))
	app.Get("/stamped/:id", s.stampedCopy)     // a stamped copy from the archive, as a download (stamped.go)
	app.Get("/source", s.cached(s.sourcePage)) // ?sid=&sheet=&row= : one measure with its original cells
	app.Get("/search", s.cached(s.searchPage))
	app.Get("/delivery", s.cached(s.deliveryPage))     // progress rounds: the red list (delivery.go)
	app.Get("/measures/:key", s.cached(s.measurePage)) // one measure's status across rounds
	app.Get("/overdue", s.cached(s.overduePage))       // ?as_of=&quarter= and the list filters

	// Staff actions, behind the admin token.
	app.Get("/upload", s.uploadPage)
	app.Post("/upload", s.requireAdmin, s.uploadPost)
	app.Post("/api/ingest", s.requireAdmin, s.apiIngest)

	// Analysts' SQL console (handlers_sql.go), behind the analyst token when one is set.
	app.Get("/sql", s.sqlPage)
	app.Get("/api/sql/schema", s.requireAnalyst, s.apiSQLSchema)
	app.Post("/api/sql", s.requireAnalyst, s.apiSQL)

	// Exports for meetings (handlers_export.go).
	app.Get("/export/pack.xlsx", s.exportPack)
	app.Get("/export/table/:name", s.exportTable) // :name = <table>.xlsx | <table>.csv
	app.Get("/export/chart/:name", s.exportChartData)
	app.Get("/report", s.reportPage)
	// The correction list; ?unit= for one unit's.
	app.Get("/export/corrections.xlsx", s.exportCorrections)
}
