// Package sqlweb adapts the SQL console to the dashboard: dashboard.SQLRunner, plus the schema
// browser's data and the Parquet encoder the dashboard's handlers look for. It is a package of its own
// so that package sqlconsole does not depend on the web server.
package sqlweb

import (
	"context"

	"lnvedash/dashboard"
	"lnvedash/sqlconsole"
)

// Runner adapts a Console to the dashboard.
type Runner struct{ *sqlconsole.Console }

// Query implements dashboard.SQLRunner.
func (r Runner) Query(ctx context.Context, q string, maxRows int) (*dashboard.SQLResult, error) {
	res, err := r.Console.Query(ctx, q, maxRows)
	if err != nil {
		return nil, err
	}
	return &dashboard.SQLResult{Columns: res.Columns, Types: res.Types, Rows: res.Rows,
		Truncated: res.Truncated, Elapsed: res.Elapsed}, nil
}

// SchemaInfo is what GET /api/sql/schema answers with.
type SchemaInfo struct {
	Tables   []sqlconsole.Table   `json:"tables"`
	Examples []sqlconsole.Example `json:"examples"`
	MaxRows  int                  `json:"max_rows"`
	Timeout  float64              `json:"timeout_seconds"`
}

// SQLSchema returns the schema browser's data: tables and views with Chinese descriptions, and examples.
func (r Runner) SQLSchema(ctx context.Context) (any, error) {
	tables, err := r.Console.Schema(ctx)
	if err != nil {
		return nil, err
	}
	maxRows, timeout := r.Console.Limits()
	return SchemaInfo{Tables: tables, Examples: sqlconsole.Examples(), MaxRows: maxRows, Timeout: timeout.Seconds()}, nil
}

// SQLParquet encodes a result as Parquet.
func (r Runner) SQLParquet(ctx context.Context, res *dashboard.SQLResult) ([]byte, error) {
	return r.Console.Parquet(ctx, &sqlconsole.Result{Columns: res.Columns, Types: res.Types, Rows: res.Rows})
}
