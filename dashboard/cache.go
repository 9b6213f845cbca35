package dashboard

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// queryTimeout bounds every query a page runs. fiber's request context is not cancelled when the
// client goes away, so handlers give their queries their own deadline.
const queryTimeout = 15 * time.Second

// qctx is the context a handler's queries run under.
func qctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), queryTimeout)
}

// pageCache keeps rendered leadership pages until the data changes. A page depends only on the
// request (path and query), the data version (bumped after each committed ingest) and the day (the
// overdue counts move at midnight), so those three make the key and the ETag.
type pageCache struct {
	mu      sync.Mutex
	version int64
	entries map[string]cachedPage
	boot    string // per process: a new binary (new templates) never reuses an old ETag
}

type cachedPage struct {
	etag string
	body []byte
	gz   []byte // body gzipped once when cached, so a hit costs no compression (nil if it failed)
}

const pageCacheMax = 512

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]cachedPage{}, boot: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

func (pc *pageCache) get(version int64, key, etag string) (cachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.version != version {
		if version > pc.version {
			pc.entries = map[string]cachedPage{}
			pc.version = version
		}
		return cachedPage{}, false
	}
	e, ok := pc.entries[key]
	if !ok || e.etag != etag {
		return cachedPage{}, false
	}
	return e, true
}

func (pc *pageCache) put(version int64, key, etag string, body []byte) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if version < pc.version {
		return // rendered from data older than what is now committed
	}
	if version > pc.version {
		pc.entries = map[string]cachedPage{}
		pc.version = version
	}
	if len(pc.entries) >= pageCacheMax {
		pc.entries = map[string]cachedPage{}
	}
	pc.entries[key] = cachedPage{etag: etag, body: body, gz: gzipped(body)}
}

// gzipped compresses a cached page once. Without it the compress middleware gzipped the same page again
// on every request, and the overview served a quarter of /healthz's requests per second (docs/BENCHMARKS.md).
func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	return buf.Bytes()
}

// cached wraps a page handler: a repeated request for the same view of the same data is answered
// from memory (or with 304 when the browser already has it).
func (s *Server) cached(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		version := s.version.Load()
		// Only the parameters a page reads make the key, and the handler sees only those.
		qs := canonicalQuery(string(c.Request().URI().QueryString()))
		c.Request().URI().SetQueryString(qs)
		key := c.Path() + "?" + qs
		hsh := fnv.New64a()
		hsh.Write([]byte(key))
		etag := fmt.Sprintf(`W/"%s-%d-%s-%x"`, s.cache.boot, version, s.cfg.Now().Format("20060102"), hsh.Sum64())
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		if e, ok := s.cache.get(version, key, etag); ok {
			c.Type("html", "utf-8")
			c.Vary(fiber.HeaderAcceptEncoding)
			if e.gz != nil && c.Request().Header.HasAcceptEncoding("gzip") {
				// a response that already has a Content-Encoding is left alone by the compress middleware
				c.Set(fiber.HeaderContentEncoding, "gzip")
				return c.Send(e.gz)
			}
			return c.Send(e.body)
		}
		release, ok := s.renders.acquire()
		if !ok {
			s.refused.Add(1)
			c.Response().Header.Del(fiber.HeaderETag)
			return busy(c)
		}
		err := h(c)
		release()
		if err != nil {
			c.Response().Header.Del(fiber.HeaderETag)
			return err
		}
		if c.Response().StatusCode() == fiber.StatusOK {
			s.cache.put(version, key, etag, append([]byte(nil), c.Response().Body()...))
		} else {
			c.Response().Header.Del(fiber.HeaderETag)
		}
		return nil
	}
}
