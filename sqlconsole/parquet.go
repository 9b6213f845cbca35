package sqlconsole

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// writeParquet encodes an already-computed result as Parquet.
//
// The sandbox cannot do it: with enable_external_access=false DuckDB refuses COPY … TO, and turning access
// back on for analysts' SQL is exactly what the sandbox exists to prevent. So the rows go to a second,
// separate in-memory DuckDB that never sees any analyst SQL: we create a table from the result's column
// types (our own DDL, names quoted), feed the rows through the Appender (values, not SQL text), COPY it
// into a private temporary directory (os.MkdirTemp, mode 0700) and read the file back; the directory is
// removed before returning.
func writeParquet(ctx context.Context, t *Result) ([]byte, error) {
	if t == nil || len(t.Columns) == 0 {
		return nil, &Error{Kind: KindSQL, Message: "没有可导出的结果"}
	}
	dir, err := os.MkdirTemp("", "lnvedash-parquet-")
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	defer os.RemoveAll(dir)

	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	defer connector.Close()
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	defer conn.Close()
	for _, s := range []string{"SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false", "SET threads = 1"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("parquet: %s: %w", s, err)
		}
	}

	kinds := make([]string, len(t.Columns))
	defs := make([]string, len(t.Columns))
	seen := map[string]int{}
	for i, name := range t.Columns {
		kinds[i] = parquetKind(t.Types[i])
		name = strings.ReplaceAll(name, "\x00", "")
		if name == "" {
			name = fmt.Sprintf("column%d", i+1)
		}
		// DuckDB column names are case-insensitive: make duplicates (a, A, a) distinct.
		if n := seen[strings.ToLower(name)]; n > 0 {
			name = fmt.Sprintf("%s_%d", name, n+1)
		}
		seen[strings.ToLower(name)]++
		defs[i] = quoteIdent(name) + " " + kinds[i]
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE result ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, fmt.Errorf("parquet: create: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "result")
		if err != nil {
			return err
		}
		for _, row := range t.Rows {
			vals := make([]driver.Value, len(row))
			for i, v := range row {
				vals[i] = parquetValue(v, kinds[i])
			}
			if err := app.AppendRow(vals...); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("parquet: append: %w", err)
	}
	out := filepath.Join(dir, "result.parquet")
	if _, err := conn.ExecContext(ctx, "COPY result TO '"+strings.ReplaceAll(out, "'", "''")+"' (FORMAT parquet, COMPRESSION zstd)"); err != nil {
		return nil, fmt.Errorf("parquet: copy: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	return b, nil
}

// parquetKind maps a result column type to the column type of the Parquet file; anything nested or
// exotic is written as text (JSON for lists, structs and maps).
func parquetKind(typ string) string {
	switch {
	case typ == "BOOLEAN":
		return "BOOLEAN"
	case typ == "TINYINT", typ == "SMALLINT", typ == "INTEGER", typ == "BIGINT",
		typ == "UTINYINT", typ == "USMALLINT", typ == "UINTEGER":
		return "BIGINT"
	case typ == "FLOAT", typ == "DOUBLE", strings.HasPrefix(typ, "DECIMAL"):
		return "DOUBLE"
	case typ == "DATE":
		return "DATE"
	case typ == "TIMESTAMP", typ == "TIMESTAMP_S", typ == "TIMESTAMP_MS", typ == "TIMESTAMP_NS":
		return "TIMESTAMP"
	default:
		return "VARCHAR"
	}
}

// parquetValue converts a Result value to what the Appender expects for kind.
func parquetValue(v any, kind string) driver.Value {
	if v == nil {
		return nil
	}
	switch kind {
	case "BOOLEAN":
		if b, ok := v.(bool); ok {
			return b
		}
	case "BIGINT":
		switch x := v.(type) {
		case int64:
			return x
		case float64:
			return int64(x)
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return n
			}
		}
	case "DOUBLE":
		switch x := v.(type) {
		case float64:
			return x
		case int64:
			return float64(x)
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f
			}
		}
	case "DATE", "TIMESTAMP":
		if s, ok := v.(string); ok {
			for _, layout := range []string{"2006-01-02 15:04:05.999999", "2006-01-02"} {
				if tm, err := time.Parse(layout, s); err == nil {
					return tm
				}
			}
		}
	}
	if kind != "VARCHAR" {
		return nil // a value that does not fit its column type (NaN as text, …) becomes NULL
	}
	switch x := v.(type) {
	case string:
		return x
	case []any, map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
