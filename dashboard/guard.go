package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Request guards: what stops one anonymous client from taking the dashboard down (issue 16). Each is a
// fiber middleware or a small wrapper, so other guards (sessions, CSRF) can sit beside them.
//
// Bounds, stated: at most renderSlots page renders run at once and at most renderQueue wait (each at
// most renderWait), everything beyond gets 503 at once; a cached page or /healthz never waits. A
// request body other than an upload is at most maxFormBody bytes; an upload streams to disk, at most
// Config.MaxUpload bytes, after its token was checked. A client has at most sqlPerClient console
// queries running and sqlPerClientQueue waiting.

const (
	renderWait        = 2 * time.Second
	maxFormBody       = 1 << 20 // /api/sql and other forms: 64 KB of SQL fits with room to spare
	sqlPerClient      = 1
	sqlPerClientQueue = 2
	sqlClientWait     = 30 * time.Second
	authWindow        = time.Minute
	authMaxFails      = 10 // wrong tokens per client per window before it is told to wait
	authClientsMax    = 10000
	retryAfterSeconds = "2"
)

// renderSlots and renderQueue size the render limiter; a render holds DuckDB connections and a few
// MB of result rows, so the bound on memory is about renderSlots × the largest page's working set.
var (
	renderSlots = 4
	renderQueue = 16
)

// limiter admits at most cap(slots) holders and cap(queue) waiters; the rest are refused at once.
type limiter struct {
	slots chan struct{}
	queue chan struct{}
	wait  time.Duration
}

func newLimiter(slots, queue int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, slots), queue: make(chan struct{}, queue), wait: wait}
}

// acquire returns a release func, or false when the limiter is full or the wait ran out.
func (l *limiter) acquire() (func(), bool) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, true
	default:
	}
	select {
	case l.queue <- struct{}{}:
	default:
		return nil, false
	}
	defer func() { <-l.queue }()
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, true
	case <-t.C:
		return nil, false
	}
}

// busy is the fast refusal when the server is at its bound.
func busy(c *fiber.Ctx) error {
	c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
	return fiber.NewError(fiber.StatusServiceUnavailable, "服务器繁忙，请稍后刷新重试")
}

// limited runs h under the render limiter (used for pages that are not cached: /report, exports).
func (s *Server) limited(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		release, ok := s.renders.acquire()
		if !ok {
			s.refused.Add(1)
			return busy(c)
		}
		defer release()
		return h(c)
	}
}

// pageParams are every query parameter a page or export reads. The page cache keys on these alone and
// the request is rewritten to carry only them, so /?u=1, /?u=2 … are one page, not a render each, and
// what is cached is exactly what was rendered.
var pageParams = map[string]bool{
	"kind": true, "city": true, "dept": true, "department": true, "task": true, "area": true, "m": true,
	"sort": true, "page": true, "p": true, "q": true, "submitter": true, "sid": true, "row": true,
	"sheet": true, "deadline": true, "grace": true, "by": true, "status": true, "from": true, "to": true,
	"as_of": true, "severity": true, "w": true, "download": true,
}

// canonicalQuery keeps the page parameters of raw in their order; the first value of each.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, kv := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(kv, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || !pageParams[name] || seen[name] {
			continue
		}
		seen[name] = true
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv)
	}
	return b.String()
}

// validRequest answers 400 in Chinese for a path or query that is not valid UTF-8 or not decodable,
// before any handler sees it (they answered 500).
func validRequest(c *fiber.Ctx) error {
	uri := c.Request().URI()
	path := uri.Path() // decoded
	if !utf8.Valid(path) || bytes.IndexByte(path, 0) >= 0 {
		return fiber.NewError(fiber.StatusBadRequest, "网址中含有无效字符（不是有效的 UTF-8 编码），请检查链接")
	}
	if qs := uri.QueryString(); len(qs) > 0 {
		v, err := url.ParseQuery(string(qs))
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "网址参数格式不正确，请检查链接")
		}
		for k, vs := range v {
			if !utf8.ValidString(k) {
				return fiber.NewError(fiber.StatusBadRequest, "网址参数中含有无效字符（不是有效的 UTF-8 编码），请检查链接")
			}
			for _, x := range vs {
				if !utf8.ValidString(x) {
					return fiber.NewError(fiber.StatusBadRequest, "网址参数中含有无效字符（不是有效的 UTF-8 编码），请检查链接")
				}
			}
		}
	}
	return c.Next()
}

// boundBody refuses, before reading it, a body larger than maxFormBody on any route but the upload
// (which streams and caps its own). A chunked body of unknown length is refused there too.
func (s *Server) boundBody(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead || isUploadPath(c.Path()) {
		return c.Next()
	}
	n := c.Request().Header.ContentLength()
	if n > maxFormBody || n == -1 {
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("请求内容过大（上限 %d KB）", maxFormBody>>10))
	}
	return c.Next()
}

func isUploadPath(p string) bool { return p == "/upload" || p == "/api/ingest" }

// stateChanging reports the requests that change state or run SQL: the Origin/Host check covers them.
func stateChanging(c *fiber.Ctx) bool {
	m := c.Method()
	return (m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions) || strings.HasPrefix(c.Path(), "/api/sql")
}

// AllowedHosts lists the Host values (host:port, lower case) the server answers state-changing and SQL
// requests for. Empty in Config means: the listen address, and when it listens on every interface,
// localhost, this machine's name and each of its addresses on that port.
func defaultAllowedHosts(listen string) []string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil
	}
	var hosts []string
	if host != "" && host != "0.0.0.0" && host != "::" {
		return []string{strings.ToLower(net.JoinHostPort(host, port))}
	}
	names := []string{"localhost", "127.0.0.1", "::1"}
	if hn, err := os.Hostname(); err == nil && hn != "" {
		names = append(names, hn)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				names = append(names, ipn.IP.String())
			}
		}
	}
	for _, n := range names {
		hosts = append(hosts, strings.ToLower(net.JoinHostPort(n, port)))
	}
	return hosts
}

// hostSet is the operator's allow-list, normalised. A bare host without a port allows any port.
type hostSet map[string]bool

func newHostSet(hosts []string) hostSet {
	hs := hostSet{}
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" {
			hs[h] = true
		}
	}
	return hs
}

func (hs hostSet) allows(hostport string) bool {
	hostport = strings.ToLower(hostport)
	if hs[hostport] {
		return true
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	return hs[host] || hs[strings.Trim(host, "[]")]
}

// checkOrigin refuses a state-changing or SQL request whose Host is not on the allow-list (DNS
// rebinding) or whose Origin (or, without one, Referer) names another site (a foreign page's form).
// A request with neither header is a program (curl, `lnvedash ingest --server`), not a browser page.
func (s *Server) checkOrigin(c *fiber.Ctx) error {
	if len(s.hosts) == 0 || !stateChanging(c) {
		return c.Next()
	}
	if !s.hosts.allows(string(c.Request().Host())) {
		return fiber.NewError(fiber.StatusForbidden, "拒绝访问：请求的主机名不在本服务允许的地址列表中（可用 --allow-host 设置）")
	}
	src := c.Get(fiber.HeaderOrigin)
	if src == "" {
		src = c.Get(fiber.HeaderReferer)
	}
	if src == "" {
		return c.Next()
	}
	u, err := url.Parse(src)
	if err != nil || u.Host == "" || !s.hosts.allows(u.Host) {
		return fiber.NewError(fiber.StatusForbidden, "拒绝访问：请求来自其他网站的页面")
	}
	return c.Next()
}

// authFails counts wrong tokens per client so that guessing is slow: after authMaxFails in a window
// the client is answered 429 until the window ends, without the token being compared at all.
type authFails struct {
	mu sync.Mutex
	m  map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newAuthFails() *authFails { return &authFails{m: map[string]*failWindow{}} }

// blocked reports how long client must still wait, or 0.
func (a *authFails) blocked(client string, now time.Time) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	w := a.m[client]
	if w == nil || now.Sub(w.start) >= authWindow {
		return 0
	}
	if w.n >= authMaxFails {
		return authWindow - now.Sub(w.start)
	}
	return 0
}

func (a *authFails) fail(client string, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.m) >= authClientsMax {
		for k, w := range a.m { // drop expired windows; bounded by authClientsMax
			if now.Sub(w.start) >= authWindow {
				delete(a.m, k)
			}
		}
		if len(a.m) >= authClientsMax {
			a.m = map[string]*failWindow{}
		}
	}
	w := a.m[client]
	if w == nil || now.Sub(w.start) >= authWindow {
		w = &failWindow{start: now}
		a.m[client] = w
	}
	w.n++
}

// tooManyFails is the answer to a client that guessed too often.
func tooManyFails(c *fiber.Ctx, wait time.Duration) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
	c.Context().SetConnectionClose()
	return fiber.NewError(fiber.StatusTooManyRequests, "口令错误次数过多，请稍后再试")
}

// sqlShare gives each client a share of the SQL console: sqlPerClient running and sqlPerClientQueue
// waiting. A client's runaway queries then hold one worker, never all, and its extra requests are
// refused at once instead of queueing in front of everyone else.
type sqlShare struct {
	mu sync.Mutex
	m  map[string]*limiter
	n  map[string]int // requests admitted (running or waiting) per client
}

func newSQLShare() *sqlShare { return &sqlShare{m: map[string]*limiter{}, n: map[string]int{}} }

func (sh *sqlShare) acquire(ctx context.Context, client string) (func(), bool) {
	sh.mu.Lock()
	l := sh.m[client]
	if l == nil {
		l = newLimiter(sqlPerClient, sqlPerClientQueue, sqlClientWait)
		sh.m[client] = l
	}
	sh.n[client]++
	sh.mu.Unlock()
	done := func() {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		if sh.n[client]--; sh.n[client] == 0 {
			delete(sh.n, client)
			delete(sh.m, client) // the map holds only clients with requests in flight
		}
	}
	release, ok := l.acquire()
	if !ok {
		done()
		return nil, false
	}
	return func() { release(); done() }, true
}

// sqlFair wraps the console API with the per-client share.
func (s *Server) sqlFair(c *fiber.Ctx) error {
	release, ok := s.sqlShare.acquire(context.Background(), c.IP())
	if !ok {
		s.refused.Add(1)
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
		return fiber.NewError(fiber.StatusTooManyRequests, "您已有查询正在执行或排队，请等它完成后再提交")
	}
	defer release()
	return c.Next()
}

// bidiControls are the Unicode controls that reorder text (U+202A–U+202E, U+2066–U+2069, and the
// Arabic letter mark): in a file name they can make "xlsx.exe" read as "exe.xlsx".
var bidiReplacer = strings.NewReplacer(
	"\u202A", "[U+202A]", "\u202B", "[U+202B]", "\u202C", "[U+202C]", "\u202D", "[U+202D]", "\u202E", "[U+202E]",
	"\u2066", "[U+2066]", "\u2067", "[U+2067]", "\u2068", "[U+2068]", "\u2069", "[U+2069]", "\u061C", "[U+061C]",
)

// neutraliseBidi makes every bidi control in a rendered page visible as its code point. Our templates
// hold none, so whatever is found came from a submitted file, a name or a query.
func neutraliseBidi(b []byte) []byte {
	if !bytes.Contains(b, []byte{0xE2, 0x80}) && !bytes.Contains(b, []byte{0xE2, 0x81}) && !bytes.Contains(b, []byte{0xD8, 0x9C}) {
		return b
	}
	s := string(b)
	out := bidiReplacer.Replace(s)
	if out == s {
		return b
	}
	return []byte(out)
}
