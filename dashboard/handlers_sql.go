package dashboard

import "github.com/gofiber/fiber/v2"

// Stubs of the SQL console, replaced by the console's own handlers.

func (s *Server) sqlPage(c *fiber.Ctx) error      { return notYet(c) }
func (s *Server) apiSQLSchema(c *fiber.Ctx) error { return notYet(c) }
func (s *Server) apiSQL(c *fiber.Ctx) error       { return notYet(c) }
