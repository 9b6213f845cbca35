// Package chartsvg renders ECharts options to SVG on the server, without a browser: ECharts 5 runs in
// the pure-Go JavaScript engine goja in its server-side mode (init with ssr: true, renderToSVGString).
// Loading the library costs ~0.2 s per runtime, so runtimes are pooled (a goja runtime is not safe for
// concurrent use) and created on first use; each chart then takes a few tens of milliseconds.
package chartsvg

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// Options are the scripts a runtime loads, in order.
type Options struct {
	ECharts []byte // dist/echarts.min.js (ECharts 5.6)
	// Maps are registered with echarts.registerMap(name, geoJSON), e.g. "辽宁" → liaoning.json.
	Maps map[string][]byte
	// Prelude is evaluated after ECharts; it may define globalThis.lnveExport.decorate(option, width,
	// height, title, footer), which Render then uses to put title and footer into the image. Package
	// charts passes assets/static/export.js, so browser and server decorate charts the same way.
	Prelude []byte
	// Size is how many runtimes may exist at once (0: 1).
	Size int
	// Timeout bounds one render (0: 10 s).
	Timeout time.Duration
}

// Renderer renders charts; it is safe for concurrent use.
type Renderer struct {
	opt   Options
	idle  chan *runtime
	slots chan struct{}

	mu    sync.Mutex
	cache map[[sha256.Size]byte]string // rendered SVGs by their inputs, at most cacheSize
	order [][sha256.Size]byte          // insertion order, for eviction
}

// cacheSize is how many rendered SVGs a renderer keeps: the same chart of the same data (the report
// printed twice, a chart exported again) is not drawn again. A map of Liaoning takes seconds.
const cacheSize = 64

func (r *Renderer) cached(key [sha256.Size]byte) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	svg, ok := r.cache[key]
	return svg, ok
}

func (r *Renderer) remember(key [sha256.Size]byte, svg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.cache[key]; ok {
		return
	}
	if len(r.order) >= cacheSize {
		delete(r.cache, r.order[0])
		r.order = r.order[1:]
	}
	r.cache[key] = svg
	r.order = append(r.order, key)
}

type runtime struct {
	vm     *goja.Runtime
	render goja.Callable
}

// ErrNoLibrary means the ECharts script was not given (the browser assets were not built: make assets).
var ErrNoLibrary = errors.New("chartsvg: no ECharts library (run make assets)")

// New returns a renderer; no runtime is created until the first Render.
func New(opt Options) (*Renderer, error) {
	if len(opt.ECharts) == 0 {
		return nil, ErrNoLibrary
	}
	if opt.Size <= 0 {
		opt.Size = 1
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	r := &Renderer{opt: opt, idle: make(chan *runtime, opt.Size), slots: make(chan struct{}, opt.Size),
		cache: map[[sha256.Size]byte]string{}}
	for i := 0; i < opt.Size; i++ {
		r.slots <- struct{}{}
	}
	return r, nil
}

// Chart is one chart to render.
type Chart struct {
	Option any // the ECharts option (JSON-encodable)
	Width  int
	Height int
	Title  string // drawn at the top of the image; "" = none
	Footer string // drawn at the bottom (as-of date, source); "" = none
}

// Render returns the chart as an SVG document.
func (r *Renderer) Render(ctx context.Context, c Chart) (string, error) {
	if c.Width <= 0 || c.Height <= 0 {
		return "", fmt.Errorf("chartsvg: size %dx%d", c.Width, c.Height)
	}
	opt, err := json.Marshal(c.Option)
	if err != nil {
		return "", fmt.Errorf("chartsvg: option: %w", err)
	}
	key := sha256.Sum256(fmt.Appendf(nil, "%d\x00%d\x00%s\x00%s\x00%s", c.Width, c.Height, c.Title, c.Footer, opt))
	if svg, ok := r.cached(key); ok {
		return svg, nil
	}
	rt, err := r.get(ctx)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, r.opt.Timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { rt.vm.Interrupt(ctx.Err()) })
	v, err := rt.render(goja.Undefined(), rt.vm.ToValue(string(opt)), rt.vm.ToValue(c.Width), rt.vm.ToValue(c.Height),
		rt.vm.ToValue(c.Title), rt.vm.ToValue(c.Footer))
	if !stop() {
		// interrupted (or about to be): the runtime may be mid-way through anything, drop it
		r.discard()
		if err == nil {
			err = ctx.Err()
		}
		return "", fmt.Errorf("chartsvg: render: %w", err)
	}
	rt.vm.ClearInterrupt()
	r.put(rt)
	if err != nil {
		return "", fmt.Errorf("chartsvg: render: %w", err)
	}
	svg := v.String()
	if !strings.HasPrefix(svg, "<svg") {
		return "", fmt.Errorf("chartsvg: render gave no SVG (%.40q)", svg)
	}
	r.remember(key, svg)
	return svg, nil
}

// get takes an idle runtime or creates one when fewer than Size exist.
func (r *Renderer) get(ctx context.Context) (*runtime, error) {
	select {
	case rt := <-r.idle:
		return rt, nil
	default:
	}
	select {
	case rt := <-r.idle:
		return rt, nil
	case <-r.slots:
		rt, err := r.newRuntime()
		if err != nil {
			r.slots <- struct{}{}
			return nil, err
		}
		return rt, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("chartsvg: waiting for a runtime: %w", ctx.Err())
	}
}

func (r *Renderer) put(rt *runtime) { r.idle <- rt }

func (r *Renderer) discard() { r.slots <- struct{}{} }

// renderJS is called with (option JSON, width, height, title, footer).
const renderJS = `(function (json, w, h, title, footer) {
  var opt = JSON.parse(json);
  if (globalThis.lnveExport && globalThis.lnveExport.decorate) {
    opt = globalThis.lnveExport.decorate(opt, w, h, title, footer);
  }
  opt.animation = false;
  var chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: w, height: h });
  try {
    chart.setOption(opt);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
})`

func (r *Renderer) newRuntime() (*runtime, error) {
	vm := goja.New()
	// ECharts looks for timers; server-side rendering is synchronous, so no-ops are enough.
	noop := func(goja.FunctionCall) goja.Value { return goja.Undefined() }
	for _, name := range []string{"setTimeout", "clearTimeout", "setInterval", "clearInterval", "requestAnimationFrame", "cancelAnimationFrame"} {
		if err := vm.Set(name, noop); err != nil {
			return nil, fmt.Errorf("chartsvg: %w", err)
		}
	}
	if _, err := vm.RunScript("echarts.min.js", string(r.opt.ECharts)); err != nil {
		return nil, fmt.Errorf("chartsvg: load echarts: %w", err)
	}
	reg, ok := goja.AssertFunction(vm.Get("echarts").ToObject(vm).Get("registerMap"))
	if !ok {
		return nil, errors.New("chartsvg: echarts.registerMap missing")
	}
	jsonParse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	for name, geo := range r.opt.Maps {
		g, err := jsonParse(goja.Undefined(), vm.ToValue(string(geo)))
		if err != nil {
			return nil, fmt.Errorf("chartsvg: map %s: %w", name, err)
		}
		if _, err := reg(goja.Undefined(), vm.ToValue(name), g); err != nil {
			return nil, fmt.Errorf("chartsvg: register map %s: %w", name, err)
		}
	}
	if len(r.opt.Prelude) > 0 {
		if _, err := vm.RunScript("prelude.js", string(r.opt.Prelude)); err != nil {
			return nil, fmt.Errorf("chartsvg: prelude: %w", err)
		}
	}
	fn, err := vm.RunString(renderJS)
	if err != nil {
		return nil, fmt.Errorf("chartsvg: %w", err)
	}
	render, ok := goja.AssertFunction(fn)
	if !ok {
		return nil, errors.New("chartsvg: render is not a function")
	}
	return &runtime{vm: vm, render: render}, nil
}
