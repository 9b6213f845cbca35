package dashboard

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/access"
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
		s.log.Info("request", "method", c.Method(), "path", loggedPath(c.Path()), "status", status, "ms", time.Since(start).Milliseconds())
	}
	return err
}

// bearer is the token of a request: the Authorization header only. A token in the query string ends
// up in logs and browser history; one in a form field is read only after the body; the app sets no
// cookie. The upload page sends the header from script (static/upload.js).
func bearer(c *fiber.Ctx) string {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	return ""
}

func tokenOK(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// checkToken is the one token check: it runs before any body is read, refuses a client that guessed
// wrong too often without comparing, and counts a wrong token against the client.
func (s *Server) checkToken(c *fiber.Ctx, want, wrong string) error {
	now := time.Now()
	if wait := s.fails.blocked(c.IP(), now); wait > 0 {
		s.refused.Add(1)
		return tooManyFails(c, wait)
	}
	if !tokenOK(want, bearer(c)) {
		s.fails.fail(c.IP(), now)
		// The body (an upload of up to 64 MB) is never read: close rather than drain it.
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusUnauthorized, wrong)
	}
	return c.Next()
}

// requireAdmin guards staff actions. With no admin token configured they are disabled, not open.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	if s.cfg.AdminToken == "" {
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusForbidden, "上传功能未启用：请用 --admin-token 或环境变量 LNVEDASH_ADMIN_TOKEN 启动服务")
	}
	return s.checkToken(c, s.cfg.AdminToken, "口令不正确")
}

// requireAnalyst guards the SQL console only when the operator set an analyst token; an analyst's or
// the admin's session (identity.go) stands for it.
func (s *Server) requireAnalyst(c *fiber.Ctx) error {
	if s.cfg.AnalystToken == "" || sessionIs(c, access.Analyst, access.Admin) {
		return c.Next()
	}
	return s.checkToken(c, s.cfg.AnalystToken, "需要分析员口令")
}
