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
	app.Use(validRequest)
	app.Use(securityHeaders)
	app.Use(s.boundBody)
	app.Use(s.checkOrigin)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Use(s.identify, s.gate) // sessions and the role × route table (identity.go)

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
	// the file as received, from the archive (original.go)
	app.Get("/submissions/:id/original", s.originalFile)
	app.Get("/stamped/:id", s.stampedCopy)     // a stamped copy from the archive, as a download (stamped.go)
	app.Get("/source", s.cached(s.sourcePage)) // ?sid=&sheet=&row= : one measure with its original cells
	app.Get("/search", s.cached(s.searchPage))
	app.Get("/delivery", s.cached(s.deliveryPage))     // progress rounds: the red list (delivery.go)
	app.Get("/measures/:key", s.cached(s.measurePage)) // one measure's status across rounds
	app.Get("/overdue", s.cached(s.overduePage))       // ?as_of=&quarter= and the list filters
	app.Get("/rounds", s.cached(s.roundsPage))         // rounds; a progress round's returns (rounds.go)

	// Staff actions, behind the admin token.
	app.Get("/upload", s.uploadPage)
	app.Post("/upload", s.requireAdmin, s.uploadPost)
	app.Post("/rounds", s.requireAdmin, s.roundsPost) // add a progress round (rounds.go)
	app.Post("/api/ingest", s.requireAdmin, s.apiIngest)

	// Analysts' SQL console (handlers_sql.go), behind the analyst token when one is set.
	app.Get("/sql", s.sqlPage)
	app.Get("/api/sql/schema", s.requireAnalyst, s.apiSQLSchema)
	app.Post("/api/sql", s.requireAnalyst, s.sqlFair, s.apiSQL)

	// Personal links, the unit's page, review (issue 18: identity.go, my.go, reviewing.go, access_admin.go).
	// Every POST here passes s.csrf (same origin and the session's token).
	app.Get("/a/:code", s.openLink)
	app.Post("/logout", s.logout)
	app.Get("/admin/login", s.adminLoginPage)
	app.Post("/admin/login", s.adminLogin)
	app.Get("/admin/access", s.accessPage)
	app.Post("/admin/access/issue", s.csrf, s.accessIssue)
	app.Post("/admin/access/revoke", s.csrf, s.accessRevoke)
	app.Get("/my", s.myPage)
	app.Post("/my/upload", s.csrf, s.myUpload)
	app.Get("/my/corrections.xlsx", s.myCorrections)
	app.Get("/review", s.reviewQueue)
	app.Get("/review/:id", s.reviewPlan)
	app.Post("/review/:id/comment", s.csrf, s.reviewComment)
	app.Post("/review/:id/decision", s.csrf, s.reviewDecide)

	// Exports for meetings (handlers_export.go).
	// Not cached, so each runs under the render limiter.
	app.Get("/export/pack.xlsx", s.limited(s.exportPack))
	app.Get("/export/table/:name", s.limited(s.exportTable)) // :name = <table>.xlsx | <table>.csv
	app.Get("/export/chart/:name", s.limited(s.exportChartData))
	app.Get("/report", s.limited(s.reportPage))
	// The correction list; ?unit= for one unit's.
	app.Get("/export/corrections.xlsx", s.limited(s.exportCorrections))
}
