// Package assets holds the static files embedded in the binary: ECharts and the Liaoning map (copied
// from npm by `make assets`), the pages' scripts and styles. The dashboard serves them under /static;
// the server-side chart renderer (package charts) loads the same ECharts, map and export.js, so a chart
// drawn on the server matches the one in the browser.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed static
var embedded embed.FS

// Static is the static folder: app.js, export.js, vendor/echarts.min.js, vendor/liaoning.json, ….
var Static fs.FS = mustSub(embedded, "static")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // dir is a literal embedded above
	}
	return sub
}
