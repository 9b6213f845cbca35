// Package charts builds every chart's ECharts option from typed query results (package queries): the
// pages embed the option as JSON, the printable report and /export/chart/NAME.svg draw the same option
// to SVG on the server (Renderer: ECharts in goja, package chartsvg, fed the files of package assets).
// Nothing here needs a request.
package charts

// Chart is one chart on a page. Option is the ECharts option as a Go value (usually a go-echarts
// chart's JSON() map); the template writes it into <script type="application/json">, where
// html/template JSON-encodes it and escapes <, > and & — so a measure containing </script> stays text.
type Chart struct {
	ID     string
	Title  string
	Height int // pixels; 0 = 360
	Option any
	// Table names the export behind the chart's data download (/export/chart/<Table>.xlsx), "" = none.
	Table string
	// Note is a line printed under the chart, on the page itself (not only in a tooltip).
	Note string
}

// echartsChart is what every go-echarts chart type provides.
type echartsChart interface {
	Validate()
	JSON() map[string]interface{}
}

// NewChart wraps a go-echarts chart. Its title, if any, is kept out of the canvas and shown by the
// page, so exports can put title, as-of date and source into the image themselves.
func NewChart(id, title string, c echartsChart) *Chart {
	c.Validate()
	return &Chart{ID: id, Title: title, Option: c.JSON()}
}

// H is the chart height in pixels.
func (c *Chart) H() int {
	if c.Height == 0 {
		return 360
	}
	return c.Height
}
