package dashboard

import (
	"bytes"
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
// Config.MaxUpload bytes, after its token was checked. A client has at most sqlClientQueue console
// queries waiting, and a free console worker goes to the client with the fewest running (fairQueue).

const (
	renderWait        = 2 * time.Second
	maxFormBody       = 1 << 20 // /api/sql and other forms: 64 KB of SQL fits with room to spare
	sqlClientQueue    = 64      // queries one client may have waiting for the console
	sqlClientWait     = 90 * time.Second
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
	"round": true, "unit": true, // /rounds?round=, /returns?round=; /delivery?unit= (issue 17)
	"overdue": true, "quarter": true, // /search?overdue=1&quarter= (issue 20)
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

// fairQueue shares the SQL console's workers between clients. When a worker frees, it goes to the
// waiting client with the fewest queries running (ties: the one that has waited longest), so a client
// with a thousand runaway queries holds the workers only until each query's timeout, and a newcomer
// is next. A client may have at most sqlClientQueue queries waiting; beyond that it is refused at once.
type fairQueue struct {
	mu      sync.Mutex
	slots   int
	running int
	by      map[string]int       // queries running per client
	waiting map[string][]*waiter // per client, oldest first
}

type waiter struct {
	ch    chan struct{}
	since time.Time
	done  bool // admitted (ch closed) or given up; set under mu
}

func newFairQueue(slots int) *fairQueue {
	return &fairQueue{slots: max(1, slots), by: map[string]int{}, waiting: map[string][]*waiter{}}
}

// acquire waits at most wait for a slot for client; false when refused or the wait ran out.
func (q *fairQueue) acquire(client string, wait time.Duration) (func(), bool) {
	q.mu.Lock()
	if q.running < q.slots && q.nWaiting() == 0 {
		q.running++
		q.by[client]++
		q.mu.Unlock()
		return q.releaser(client), true
	}
	if len(q.waiting[client]) >= sqlClientQueue {
		q.mu.Unlock()
		return nil, false
	}
	w := &waiter{ch: make(chan struct{}), since: time.Now()}
	q.waiting[client] = append(q.waiting[client], w)
	q.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-w.ch:
		return q.releaser(client), true
	case <-t.C:
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if w.done { // admitted just as the wait ran out: take it
		return q.releaser(client), true
	}
	w.done = true
	ws := q.waiting[client]
	for i, x := range ws {
		if x == w {
			q.waiting[client] = append(ws[:i:i], ws[i+1:]...)
			break
		}
	}
	if len(q.waiting[client]) == 0 {
		delete(q.waiting, client)
	}
	return nil, false
}

func (q *fairQueue) nWaiting() int {
	n := 0
	for _, ws := range q.waiting {
		n += len(ws)
	}
	return n
}

func (q *fairQueue) releaser(client string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			defer q.mu.Unlock()
			q.running--
			if q.by[client]--; q.by[client] <= 0 {
				delete(q.by, client)
			}
			q.dispatch()
		})
	}
}

// dispatch hands free slots to waiting clients, fewest running first, then longest waiting.
func (q *fairQueue) dispatch() {
	for q.running < q.slots {
		best := ""
		for c, ws := range q.waiting {
			if best == "" || q.by[c] < q.by[best] || (q.by[c] == q.by[best] && ws[0].since.Before(q.waiting[best][0].since)) {
				best = c
			}
		}
		if best == "" {
			return
		}
		w := q.waiting[best][0]
		if q.waiting[best] = q.waiting[best][1:]; len(q.waiting[best]) == 0 {
			delete(q.waiting, best)
		}
		w.done = true
		q.running++
		q.by[best]++
		close(w.ch)
	}
}

// sqlFair wraps the console API with the fair queue.
func (s *Server) sqlFair(c *fiber.Ctx) error {
	release, ok := s.sqlQueue.acquire(c.IP(), sqlClientWait)
	if !ok {
		s.refused.Add(1)
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
		return fiber.NewError(fiber.StatusTooManyRequests, "您提交的查询过多，正在排队的已达上限，请等前面的查询完成后再提交")
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

// hasBidi looks for the UTF-8 of U+202A–U+202E (E2 80 AA–AE), U+2066–U+2069 (E2 81 A6–A9) and
// U+061C (D8 9C) without decoding: Chinese text is full of other E2 80 xx (“”…—).
func hasBidi(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		switch b[i] {
		case 0xE2:
			if i+2 < len(b) && (b[i+1] == 0x80 && b[i+2] >= 0xAA && b[i+2] <= 0xAE || b[i+1] == 0x81 && b[i+2] >= 0xA6 && b[i+2] <= 0xA9) {
				return true
			}
		case 0xD8:
			if b[i+1] == 0x9C {
				return true
			}
		}
	}
	return false
}

// neutraliseBidi makes every bidi control in a rendered page visible as its code point. Our templates
// hold none, so whatever is found came from a submitted file, a name or a query.
func neutraliseBidi(b []byte) []byte {
	if !hasBidi(b) {
		return b // the usual case: no copy
	}
	return []byte(bidiReplacer.Replace(string(b)))
}
