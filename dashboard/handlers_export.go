package dashboard

import "github.com/gofiber/fiber/v2"

// Stubs of the exports, replaced by the export handlers.

func (s *Server) exportPack(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) exportTable(c *fiber.Ctx) error     { return notYet(c) }
func (s *Server) exportChartData(c *fiber.Ctx) error { return notYet(c) }
func (s *Server) reportPage(c *fiber.Ctx) error      { return notYet(c) }
