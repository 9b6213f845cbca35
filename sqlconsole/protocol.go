package sqlconsole

import (
	"time"

	"lnvedash/sqlconsole/sqlfmt"
)

// request is one line of JSON the console sends to a worker on its stdin.
type request struct {
	Op        string `json:"op"` // query | schema | parquet | ping | warm (open the instance, run nothing)
	SQL       string `json:"sql,omitempty"`
	MaxRows   int    `json:"max_rows,omitempty"`
	TimeoutMS int64  `json:"timeout_ms,omitempty"`
	// DB is the file to read; Fallback is read instead when DB is locked by another process (the
	// dashboard): the snapshot.
	DB        string `json:"db"`
	Fallback  string `json:"fallback,omitempty"`
	MaxMemory string `json:"max_memory,omitempty"`
	Threads   int    `json:"threads,omitempty"`
	MaxBytes  int64  `json:"max_bytes,omitempty"`
	// Warm keeps the worker's instance of DB open for the next request (see warmSlot); only without a
	// Fallback.
	Warm bool `json:"warm,omitempty"`
	// Table is the already-computed result to encode (op parquet).
	Table *Result `json:"table,omitempty"`
	// Hide lists extra strings (directories) to strip from messages.
	Hide []string `json:"hide,omitempty"`
}

// response is one line of JSON a worker answers with on its stdout.
type response struct {
	Error   *Error  `json:"error,omitempty"`
	Result  *Result `json:"result,omitempty"`
	Schema  []Table `json:"schema,omitempty"`
	Parquet []byte  `json:"parquet,omitempty"`
	Source  string  `json:"source,omitempty"`
}

// Result is one query result. Values are nil, bool, int64, float64, string, or (for LIST, STRUCT and
// MAP columns) []any and map[string]any of those; dates and times are strings in ISO form.
type Result struct {
	Columns   []string      `json:"columns"`
	Types     []string      `json:"types"`
	Rows      [][]any       `json:"rows"`
	Truncated bool          `json:"truncated"`
	Elapsed   time.Duration `json:"elapsed"`
	// Source says what was read: "database" or "snapshot" (the database was held by the dashboard).
	Source string `json:"source,omitempty"`
	// SnapshotTime is when the snapshot read was written (zero unless Source is "snapshot").
	SnapshotTime time.Time `json:"snapshot_time,omitempty"`
}

// Table is the result as package sqlfmt encodes it (CSV, xlsx, JSON, text).
func (r *Result) Table() *sqlfmt.Table {
	return &sqlfmt.Table{Columns: r.Columns, Types: r.Types, Rows: r.Rows, Truncated: r.Truncated, Elapsed: r.Elapsed}
}

// Table is one table or view of the schema browser.
type Table struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"` // table | view
	Description string   `json:"description"`
	Columns     []Column `json:"columns"`
}

// Column is one column of a Table.
type Column struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}
