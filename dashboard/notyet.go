package dashboard

import "github.com/gofiber/fiber/v2"

// notYet answers routes whose handlers are still being built (the exports use it).
func notYet(c *fiber.Ctx) error {
	return fiber.NewError(fiber.StatusNotImplemented, "该页面尚在建设中")
}
