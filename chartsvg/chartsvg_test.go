package chartsvg

import (
	"context"
	"encoding/xml"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestRenderer(t testing.TB, size int) *Renderer {
	t.Helper()
	lib, err := os.ReadFile("../assets/static/vendor/echarts.min.js")
	if err != nil {
		t.Fatalf("ECharts is missing, run make assets: %v", err)
	}
	geo, err := os.ReadFile("../assets/static/vendor/liaoning.json")
	if err != nil {
		t.Fatalf("the Liaoning map is missing, run make assets: %v", err)
	}
	prelude, err := os.ReadFile("../assets/static/export.js")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{ECharts: lib, Maps: map[string][]byte{"辽宁": geo}, Prelude: prelude, Size: size, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var barOption = map[string]any{
	"legend": map[string]any{"top": 0},
	"xAxis":  []any{map[string]any{"type": "category", "data": []string{"1", "2", "3"}}},
	"yAxis":  []any{map[string]any{"type": "value"}},
	"grid":   []any{map[string]any{"top": "56", "bottom": 40}},
	"series": []any{map[string]any{"type": "bar", "name": "</script><script>alert(1)</script>", "data": []float64{10, 20, 30}}},
}

// A bar chart becomes a well-formed SVG of the requested size with its bars, the title and footer drawn
// in, and hostile text escaped.
func TestRenderBar(t *testing.T) {
	r := newTestRenderer(t, 1)
	svg, err := r.Render(context.Background(), Chart{Option: barOption, Width: 800, Height: 400,
		Title: "各任务覆盖率 <b>", Footer: "数据截至 2022-06-30 · 来源：报送清单"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `width="800"`) || !strings.Contains(svg, `height="400"`) {
		t.Errorf("svg head: %.200s", svg)
	}
	for _, want := range []string{"各任务覆盖率 &lt;b&gt;", "数据截至 2022-06-30", "<path"} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script") {
		t.Error("hostile series name reached the SVG as markup")
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("svg is not well-formed XML: %v", err)
			}
			break
		}
	}
}

// The Liaoning map renders with its 14 cities.
func TestRenderMap(t *testing.T) {
	r := newTestRenderer(t, 1)
	data := []any{}
	for _, c := range []string{"沈阳市", "大连市", "鞍山市"} {
		data = append(data, map[string]any{"name": c, "value": 50})
	}
	svg, err := r.Render(context.Background(), Chart{Width: 700, Height: 500, Option: map[string]any{
		"series": []any{map[string]any{"type": "map", "map": "辽宁", "data": data, "label": map[string]any{"show": true}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, city := range []string{"沈阳市", "葫芦岛市"} {
		if !strings.Contains(svg, city) {
			t.Errorf("map lacks %s", city)
		}
	}
	if n := strings.Count(svg, "<path"); n < 14 {
		t.Errorf("%d paths, want at least the 14 cities", n)
	}
}

// Concurrent renders share a pool of two runtimes; each runtime loads ECharts once.
func TestConcurrentPool(t *testing.T) {
	r := newTestRenderer(t, 2)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Render(context.Background(), Chart{Option: barOption, Width: 400, Height: 300})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(r.idle); n > 2 {
		t.Errorf("%d runtimes, want at most 2", n)
	}
	if _, err := r.Render(context.Background(), Chart{Option: barOption, Width: 401, Height: 300}); err != nil {
		t.Fatal(err)
	}
	// A repeated chart comes from the cache, not a runtime: with every runtime taken away and a
	// context already cancelled, only a cached chart can be answered (speed is make bench's business).
	var held []*runtime
	for len(r.idle) > 0 {
		held = append(held, <-r.idle)
	}
	slots := len(r.slots)
	for i := 0; i < slots; i++ {
		<-r.slots
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, Chart{Option: barOption, Width: 401, Height: 300}); err != nil {
		t.Errorf("a repeated chart was not answered from the cache: %v", err)
	}
	if _, err := r.Render(ctx, Chart{Option: barOption, Width: 403, Height: 300}); err == nil {
		t.Error("a new chart was answered without a runtime")
	}
	for _, rt := range held {
		r.put(rt)
	}
	for i := 0; i < slots; i++ {
		r.discard()
	}
}

func TestBadInput(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("no library accepted")
	}
	r := newTestRenderer(t, 1)
	if _, err := r.Render(context.Background(), Chart{Option: barOption}); err == nil {
		t.Error("zero size accepted")
	}
	// ECharts may draw an empty chart or throw; either way a clean answer, an SVG or an error.
	if svg, err := r.Render(context.Background(), Chart{Option: map[string]any{"series": "nonsense"}, Width: 10, Height: 10}); err == nil && !strings.HasPrefix(svg, "<svg") {
		t.Errorf("nonsense option: no error and no SVG: %.60q", svg)
	}
	// the runtime is still usable afterwards
	if _, err := r.Render(context.Background(), Chart{Option: barOption, Width: 400, Height: 300}); err != nil {
		t.Fatal(err)
	}
}

// A render that is running when its context ends is interrupted, its runtime dropped, and the renderer
// keeps working. The runtime's decorate is replaced by one that signals it has started and then never
// returns, so the cancel lands mid-render, on that signal, and only the interrupt can end it.
func TestTimeoutInterrupts(t *testing.T) {
	r := newTestRenderer(t, 1)
	if _, err := r.Render(context.Background(), Chart{Option: barOption, Width: 300, Height: 200}); err != nil {
		t.Fatal(err) // a runtime exists and ECharts is loaded
	}
	rt := <-r.idle
	started := make(chan struct{})
	if err := rt.vm.Set("renderStarted", func() { close(started) }); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.vm.RunString(`globalThis.lnveExport = { decorate: function () { renderStarted(); for (;;) {} } };`); err != nil {
		t.Fatal(err)
	}
	r.put(rt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := r.Render(ctx, Chart{Option: barOption, Width: 301, Height: 200})
		done <- err
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the running render ended with %v, want it interrupted (context.Canceled)", err)
		}
	case <-time.After(time.Minute): // a bound against hanging, not a timing assertion
		t.Fatal("the running render was not interrupted")
	}
	// The spinning runtime was dropped: the next render gets a fresh one, with the real decorate.
	if _, err := r.Render(context.Background(), Chart{Option: barOption, Width: 302, Height: 200}); err != nil {
		t.Fatalf("renderer unusable after an interrupted render: %v", err)
	}
}
