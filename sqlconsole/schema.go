package sqlconsole

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// schema_zh.json describes, in Chinese, the tables and views the console exposes (the analyst schema of
// docs/SQL.md) and the example queries. It is also the allowlist: a table not described here cannot be
// queried from the console (the raw ingest tables hold server paths).
//
//go:embed schema_zh.json
var schemaJSON []byte

// Docs is the content of schema_zh.json.
type Docs struct {
	Tables []struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Columns     map[string]string `json:"columns"`
	} `json:"tables"`
	Examples []Example `json:"examples"`
}

// Example is one clickable example query.
type Example struct {
	Title string `json:"title"`
	SQL   string `json:"sql"`
}

var (
	docsOnce sync.Once
	docs     *Docs
)

// schemaDocs parses the embedded file once; it is checked by the tests, so a parse error is a bug.
func schemaDocs() *Docs {
	docsOnce.Do(func() {
		docs = &Docs{}
		if err := json.Unmarshal(schemaJSON, docs); err != nil {
			panic("sqlconsole: schema_zh.json: " + err.Error())
		}
	})
	return docs
}

// table returns the index of the described table name (lower case), if any.
func (d *Docs) table(name string) (int, bool) {
	for i, t := range d.Tables {
		if strings.EqualFold(t.Name, name) {
			return i, true
		}
	}
	return 0, false
}

// Examples returns the example queries shown in the console.
func Examples() []Example { return schemaDocs().Examples }
