package dashboard

import "github.com/gofiber/fiber/v2"

// Stubs of the leadership pages, replaced page by page by their own files.

func notYet(c *fiber.Ctx) error {
	return fiber.NewError(fiber.StatusNotImplemented, "该页面尚在建设中")
}

func (s *Server) uploadPage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) uploadPost(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) apiIngest(c *fiber.Ctx) error       { return notYet(c) }
