package dashboard

// Who may do what (issue 18): a request's session comes from the cookie set when a personal link was
// opened (or the admin logged in with the admin token); gate decides per route which roles pass.
// The route table is in routes.go; role pages are my.go (units), reviewing.go (reviewers) and
// access_admin.go (the admin's links page).

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/access"
	"lnvedash/review"
)

// Wrong codes (links and the admin login): at most linkFailures per client per linkWindow.
const (
	linkFailures = 10
	linkWindow   = 15 * time.Minute
)

type identity struct {
	links    *access.Store
	sessions *access.Sessions
	limiter  *access.Limiter
	reviews  *review.Service
}

func newIdentity(cfg Config) identity {
	st := access.NewStore(cfg.DB.DB)
	st.Now = cfg.Now
	ss := access.NewSessions()
	ss.Now = cfg.Now
	lim := access.NewLimiter(linkFailures, linkWindow)
	lim.Now = cfg.Now
	return identity{links: st, sessions: ss, limiter: lim, reviews: &review.Service{Access: st}}
}

const sessionKey = "lnvedash.session"

// session is the request's live session, nil without one.
func session(c *fiber.Ctx) *access.Session {
	s, _ := c.Locals(sessionKey).(*access.Session)
	return s
}

func sessionIs(c *fiber.Ctx, roles ...access.Role) bool {
	s := session(c)
	if s == nil {
		return false
	}
	for _, r := range roles {
		if s.Role == r {
			return true
		}
	}
	return false
}

// identify attaches the session of the cookie, if it is live and its link still active (a revoked or
// expired link ends its sessions at their next request).
func (s *Server) identify(c *fiber.Ctx) error {
	if under(c.Path(), "/static") { // assets are public: no session lookup per file
		return c.Next()
	}
	sess := s.id.sessions.Get(c.Cookies(access.CookieName))
	if sess != nil && sess.LinkID != 0 {
		l, err := s.id.links.Get(c.UserContext(), sess.LinkID)
		if err != nil && !errors.Is(err, access.ErrNoLink) {
			return err
		}
		if err != nil || !l.Active(s.cfg.Now()) {
			s.id.sessions.End(sess.ID)
			sess = nil
		}
	}
	if sess != nil {
		c.Locals(sessionKey, sess)
	}
	return c.Next()
}

// under reports whether path is prefix or below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// gate is the role × route table. Units are confined to /my; reviewers to what the leadership sees
// plus /review; /admin needs the admin's session; with ViewersNeedLink the leadership pages need a
// session. Routes guarded by their own tokens (uploads, API) keep those guards.
func (s *Server) gate(c *fiber.Ctx) error {
	p := c.Path()
	sess := session(c)
	deny := func(msg string) error {
		if sess == nil {
			return fiber.NewError(fiber.StatusUnauthorized, msg)
		}
		return fiber.NewError(fiber.StatusForbidden, msg)
	}
	switch {
	case p == "/healthz", under(p, "/static"), strings.HasPrefix(p, access.LinkPath), p == "/logout", p == "/admin/login":
		return c.Next()
	case under(p, "/my"):
		if !sessionIs(c, access.Unit) {
			return deny("本页面只对报送单位开放：请用发给本单位的链接打开")
		}
		return c.Next()
	case under(p, "/review"):
		if !sessionIs(c, access.Reviewer) {
			return deny("本页面只对审核专家开放：请用发给您的链接打开")
		}
		return c.Next()
	case under(p, "/admin"):
		if !sessionIs(c, access.Admin) {
			return deny("请先以管理员口令登录（/admin/login）")
		}
		return c.Next()
	}
	if sessionIs(c, access.Unit) {
		return fiber.NewError(fiber.StatusForbidden, "本单位的链接只能查看和上传本单位的报送：请前往“本单位报送”页面（/my）")
	}
	if s.cfg.ViewersNeedLink && sess == nil && bearerHeader(c) == "" {
		return fiber.NewError(fiber.StatusUnauthorized, "查看看板需要链接：请用省教育厅发给您的链接打开")
	}
	return c.Next()
}

func bearerHeader(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	return ""
}

// sameOrigin is the origin check of every state-changing request: the browser's Origin (else Referer)
// must name this very host. Browsers send Origin with every POST, so its absence is refused too.
func sameOrigin(c *fiber.Ctx) bool {
	src := c.Get(fiber.HeaderOrigin)
	if src == "" || src == "null" {
		src = c.Get(fiber.HeaderReferer)
	}
	if src == "" {
		return false
	}
	u, err := url.Parse(src)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, string(c.Request().Host()))
}

// csrf guards a state-changing route of a session: same origin, and the session's token in the form
// field _csrf or the X-CSRF-Token header, compared in constant time.
func (s *Server) csrf(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return fiber.NewError(fiber.StatusForbidden, "请求来源不符（跨站请求已拒绝）：请从本站页面提交")
	}
	sess := session(c)
	if sess == nil {
		return fiber.NewError(fiber.StatusUnauthorized, "会话已失效：请重新打开您的链接")
	}
	tok := c.Get("X-CSRF-Token")
	if tok == "" {
		tok = c.FormValue("_csrf")
	}
	if !sess.CSRFOK(tok) {
		return fiber.NewError(fiber.StatusForbidden, "表单已过期或来源不符：请刷新页面后重新提交")
	}
	return c.Next()
}

// setSession opens a session and sets its cookie: HttpOnly (no script reads it), SameSite=Strict (no
// other site's page sends it), Secure when served over TLS.
func (s *Server) setSession(c *fiber.Ctx, role access.Role, subject string, linkID int) *access.Session {
	sess := s.id.sessions.Open(role, subject, linkID)
	c.Cookie(&fiber.Cookie{Name: access.CookieName, Value: sess.ID, Path: "/", Expires: sess.Expires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
	return sess
}

// loggedPath hides a personal link's code from the request log.
func loggedPath(p string) string {
	if strings.HasPrefix(p, access.LinkPath) {
		return access.LinkPath + "(code hidden)"
	}
	return p
}

type landingView struct {
	Role    access.Role
	Subject string
	Home    string
}

// homeOf is where a role lands after opening its link.
func homeOf(r access.Role) string {
	switch r {
	case access.Unit:
		return "/my"
	case access.Reviewer:
		return "/review"
	case access.Admin:
		return "/admin/access"
	case access.Analyst:
		return "/sql"
	}
	return "/"
}

// openLink is GET /a/:code. The answer is a page that moves on by meta refresh rather than a redirect:
// a link clicked in another program is a cross-site navigation, and a SameSite=Strict cookie set on it
// would not be sent on the redirect that follows.
func (s *Server) openLink(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ip := c.IP()
	if blocked, retry := s.id.limiter.Blocked(ip); blocked {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(retry.Seconds())+1))
		return fiber.NewError(fiber.StatusTooManyRequests, "错误的链接尝试过多，请稍后再试")
	}
	l, err := s.id.links.Resolve(c.UserContext(), c.Params("code"))
	if errors.Is(err, access.ErrBadCode) {
		s.id.limiter.Fail(ip)
		return fiber.NewError(fiber.StatusForbidden, "链接无效、已过期或已被收回：请联系省教育厅重新发放")
	}
	if err != nil {
		return err
	}
	if old := session(c); old != nil {
		s.id.sessions.End(old.ID)
	}
	s.setSession(c, l.Role, l.Subject, l.ID)
	return s.render(c, "landing.html", &Page{Title: "欢迎", Nav: "none", Body: landingView{Role: l.Role, Subject: l.Subject, Home: homeOf(l.Role)}})
}

// logout ends the session (POST, same origin).
func (s *Server) logout(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return fiber.NewError(fiber.StatusForbidden, "请求来源不符（跨站请求已拒绝）")
	}
	if sess := session(c); sess != nil {
		s.id.sessions.End(sess.ID)
	}
	c.ClearCookie(access.CookieName)
	return c.Redirect("/", fiber.StatusSeeOther)
}
