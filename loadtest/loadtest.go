// Package loadtest is a small closed-loop HTTP load generator for the loopback load test of
// `lnvedash serve` (cmd/loadtest runs the whole test). Every run is bounded by a duration and a
// request count, and only loopback targets are accepted.
package loadtest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// Target is one endpoint to load.
type Target struct {
	Name   string
	Method string // GET when empty
	URL    string // absolute, http://127.0.0.1:port/…
	Body   []byte // for POST
	Type   string // Content-Type of Body
}

// Config bounds one run.
type Config struct {
	Connections int           // concurrent connections, each a closed loop (64)
	Duration    time.Duration // stop sending after this long (30 s)
	MaxRequests int           // and after this many requests in all
	Gzip        bool          // send Accept-Encoding: gzip, as browsers do
	Timeout     time.Duration // per request
}

// Result of one run against one target.
type Result struct {
	Target    string
	Requests  int // completed, successful or not
	Errors    int // transport errors and non-2xx answers
	Non2xx    map[int]int
	FirstErr  string
	Elapsed   time.Duration
	RPS       float64
	P50, P90  time.Duration
	P99, Max  time.Duration
	BytesRecv int64
}

// Run loads t with cfg.Connections closed loops until cfg.Duration passes or cfg.MaxRequests have
// been sent.
func Run(t Target, cfg Config) (*Result, error) {
	u, err := url.Parse(t.URL)
	if err != nil {
		return nil, err
	}
	host, _, err := net.SplitHostPort(u.Host)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("loadtest: %s is not a loopback address", u.Host)
	}
	if cfg.Connections <= 0 || cfg.Duration <= 0 || cfg.MaxRequests <= 0 {
		return nil, errors.New("loadtest: connections, duration and max requests must be positive")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	method := t.Method
	if method == "" {
		method = fasthttp.MethodGet
	}
	hc := &fasthttp.HostClient{Addr: u.Host, MaxConns: cfg.Connections, ReadTimeout: cfg.Timeout,
		WriteTimeout: cfg.Timeout, MaxResponseBodySize: 64 << 20}
	defer hc.CloseIdleConnections()

	var (
		mu      sync.Mutex
		lat     []time.Duration
		res     = &Result{Target: t.Name, Non2xx: map[int]int{}}
		sent    atomic.Int64 // requests started, against cfg.MaxRequests
		wg      sync.WaitGroup
		started = time.Now()
		stop    = started.Add(cfg.Duration)
	)
	for w := 0; w < cfg.Connections; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.SetRequestURI(t.URL)
			req.Header.SetMethod(method)
			if cfg.Gzip {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			if t.Body != nil {
				req.Header.SetContentType(t.Type)
			}
			local := make([]time.Duration, 0, 4096)
			var errs int
			var bytes int64
			non2xx := map[int]int{}
			first := ""
			for sent.Add(1) <= int64(cfg.MaxRequests) && time.Now().Before(stop) {
				if t.Body != nil {
					req.SetBody(t.Body)
				}
				t0 := time.Now()
				err := hc.DoTimeout(req, resp, cfg.Timeout)
				local = append(local, time.Since(t0))
				switch {
				case err != nil:
					errs++
					if first == "" {
						first = err.Error()
					}
				case resp.StatusCode() < 200 || resp.StatusCode() > 299:
					errs++
					non2xx[resp.StatusCode()]++
					if first == "" {
						first = fmt.Sprintf("%d %.200s", resp.StatusCode(), resp.Body())
					}
				default:
					bytes += int64(len(resp.Body()))
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			res.Errors += errs
			res.BytesRecv += bytes
			for k, v := range non2xx {
				res.Non2xx[k] += v
			}
			if res.FirstErr == "" {
				res.FirstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(started)
	res.Requests = len(lat)
	if res.Requests == 0 {
		return res, errors.New("loadtest: no request completed")
	}
	res.RPS = float64(res.Requests) / res.Elapsed.Seconds()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	res.P50, res.P90, res.P99, res.Max = q(0.50), q(0.90), q(0.99), lat[len(lat)-1]
	return res, nil
}
