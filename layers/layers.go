// Package layers holds no code, only the test that keeps the import graph layered: storage and
// queries at the bottom, the things built from them (charts, ingest, the SQL sandbox) above, the
// take-away files (exports) above those, the web server above everything it serves, and main on top.
// A package may import only packages of a lower layer, so none imports one above it.
package layers
