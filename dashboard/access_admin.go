package dashboard

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/access"
)

type adminLoginView struct{ Enabled bool }

func (s *Server) adminLoginPage(c *fiber.Ctx) error {
	return s.render(c, "admin_login.html", &Page{Title: "管理员登录", Nav: "none", Body: adminLoginView{Enabled: s.cfg.AdminToken != ""}})
}

// adminLogin turns the admin token into an admin session, so the links page works in a browser.
// Wrong tokens count against the same limiter as wrong link codes.
func (s *Server) adminLogin(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return fiber.NewError(fiber.StatusForbidden, "请求来源不符（跨站请求已拒绝）")
	}
	if s.cfg.AdminToken == "" {
		return fiber.NewError(fiber.StatusForbidden, "管理功能未启用：请用 --admin-token 或环境变量 LNVEDASH_ADMIN_TOKEN 启动服务")
	}
	ip := c.IP()
	if blocked, retry := s.id.limiter.Blocked(ip); blocked {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(retry.Seconds())+1))
		return fiber.NewError(fiber.StatusTooManyRequests, "错误的口令尝试过多，请稍后再试")
	}
	if !tokenOK(s.cfg.AdminToken, c.FormValue("token")) {
		s.id.limiter.Fail(ip)
		return fiber.NewError(fiber.StatusUnauthorized, "口令不正确")
	}
	if old := session(c); old != nil {
		s.id.sessions.End(old.ID)
	}
	s.setSession(c, access.Admin, "", 0)
	return c.Redirect("/admin/access", fiber.StatusSeeOther)
}

type accessView struct {
	Links   []access.Link
	Now     time.Time
	CSRF    string
	Issued  string // the new link, shown once
	New     *access.Link
	Units   []string
	Days    int
	Message string
}

func (s *Server) accessPage(c *fiber.Ctx) error {
	return s.renderAccess(c, accessView{})
}

func (s *Server) renderAccess(c *fiber.Ctx, v accessView) error {
	links, err := s.id.links.List(c.UserContext())
	if err != nil {
		return err
	}
	v.Links, v.Now, v.CSRF, v.Days = links, s.cfg.Now(), session(c).CSRF, access.DefaultLinkDays
	for _, sub := range s.cfg.DB.Seeds.Submitters {
		v.Units = append(v.Units, sub.Name)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "access.html", &Page{Title: "链接管理", Nav: "admin", Body: v})
}

func (s *Server) accessIssue(c *fiber.Ctx) error {
	days, _ := strconv.Atoi(c.FormValue("days"))
	base := c.BaseURL()
	ctx := c.UserContext()
	url, l, err := s.id.links.IssueURL(ctx, access.Role(c.FormValue("role")), c.FormValue("subject"), days, base,
		session(c).Actor(), func(n string) (string, error) { return s.cfg.DB.ResolveSubmitter(ctx, n) })
	if err != nil {
		if errors.Is(err, access.ErrBadInput) {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		return err
	}
	return s.renderAccess(c, accessView{Issued: url, New: &l})
}

func (s *Server) accessRevoke(c *fiber.Ctx) error {
	id, err := strconv.Atoi(c.FormValue("id"))
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "链接编号不正确")
	}
	if err := s.id.links.Revoke(c.UserContext(), id, session(c).Actor()); err != nil {
		if errors.Is(err, access.ErrNoLink) || errors.Is(err, access.ErrRevoked) {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		return err
	}
	s.id.sessions.EndLink(id)
	return s.renderAccess(c, accessView{Message: "链接#" + strconv.Itoa(id) + " 已收回，用它打开的会话随即失效"})
}
