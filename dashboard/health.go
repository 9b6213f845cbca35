package dashboard

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers whether the server and its database respond; load balancers and the load test use it.
func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.cfg.DB.PingContext(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "error", "error": "database unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": s.version.Load()})
}
