package dashboard

import "github.com/gofiber/fiber/v2"

// Stubs of the leadership pages, replaced page by page by their own files.

func notYet(c *fiber.Ctx) error {
	return fiber.NewError(fiber.StatusNotImplemented, "该页面尚在建设中")
}

func (s *Server) overviewPage(c *fiber.Ctx) error {
	return s.render(c, "overview.html", &Page{Title: "总览", Nav: "overview", Query: queryValues(c)})
}
func (s *Server) tasksPage(c *fiber.Ctx) error       { return notYet(c) }
func (s *Server) taskPage(c *fiber.Ctx) error        { return notYet(c) }
func (s *Server) citiesPage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) cityPage(c *fiber.Ctx) error        { return notYet(c) }
func (s *Server) collegesPage(c *fiber.Ctx) error    { return notYet(c) }
func (s *Server) collegePage(c *fiber.Ctx) error     { return notYet(c) }
func (s *Server) departmentsPage(c *fiber.Ctx) error { return notYet(c) }
func (s *Server) departmentPage(c *fiber.Ctx) error  { return notYet(c) }
func (s *Server) returnsPage(c *fiber.Ctx) error     { return notYet(c) }
func (s *Server) diffPage(c *fiber.Ctx) error        { return notYet(c) }
func (s *Server) submissionPage(c *fiber.Ctx) error  { return notYet(c) }
func (s *Server) sourcePage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) searchPage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) uploadPage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) uploadPost(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) apiIngest(c *fiber.Ctx) error       { return notYet(c) }
