package dashboard

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// csp allows nothing but this server: every script, style, map and font is embedded, and chart options
// arrive as JSON data, so no inline script is needed. Inline styles are allowed because ECharts sizes
// its canvas and tooltip with style attributes.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", csp)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	return c.Next()
}

func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status, _, _ = errorAnswer(c, err)
	}
	if !strings.HasPrefix(c.Path(), "/static/") {
		s.log.Info("request", "method", c.Method(), "path", c.Path(), "status", status, "ms", time.Since(start).Milliseconds())
	}
	return err
}

func bearer(c *fiber.Ctx) string {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	if v := c.FormValue("token"); v != "" {
		return v
	}
	return c.Cookies("lnvedash_token")
}

func tokenOK(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// requireAdmin guards staff actions. With no admin token configured they are disabled, not open.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	if s.cfg.AdminToken == "" {
		return fiber.NewError(fiber.StatusForbidden, "上传功能未启用：请用 --admin-token 或环境变量 LNVEDASH_ADMIN_TOKEN 启动服务")
	}
	if !tokenOK(s.cfg.AdminToken, bearer(c)) {
		return fiber.NewError(fiber.StatusUnauthorized, "口令不正确")
	}
	return c.Next()
}

// requireAnalyst guards the SQL console only when the operator set an analyst token.
func (s *Server) requireAnalyst(c *fiber.Ctx) error {
	if s.cfg.AnalystToken != "" && !tokenOK(s.cfg.AnalystToken, bearer(c)) {
		return fiber.NewError(fiber.StatusUnauthorized, "需要分析员口令")
	}
	return c.Next()
}
