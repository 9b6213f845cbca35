package sqlconsole

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// sandbox is one read-only, locked DuckDB instance over a database file. A worker keeps it open between
// requests while the file stays the same (warm), but every statement runs on a connection of its own,
// opened for it and closed after it: temp tables, temp macros, variables and prepared statements live
// in a DuckDB connection and die with it. What lives in the instance is checked before each statement
// (fresh): the configuration still locked with external access off, and the attached databases as at
// open; the instance is dropped if any of it moved (instanceState says why that is what is checked).
type sandbox struct {
	connector *duckdb.Connector
	db        *sql.DB
	conn      *sql.Conn
	maxMemory string
	threads   int
	// visible and internal are the catalog, read once: the file is read-only and nothing a statement
	// does on its own connection changes what the next connection sees (check makes sure).
	visible  map[string]string
	internal map[string]bool
	// instance is the instance-wide state at open (see instanceState).
	instance string
}

// sandboxSettings are applied with SET after opening (duckdb-go applies DSN options in random order, and
// enable_external_access=false before another option can make the open fail) and then verified with
// current_setting(): if any differs, the sandbox is not used. lock_configuration comes last.
func sandboxSettings(maxMemory string, threads int) [][2]string {
	return [][2]string{
		{"autoinstall_known_extensions", "false"},
		{"autoload_known_extensions", "false"},
		{"allow_community_extensions", "false"},
		{"temp_directory", ""}, // nothing spills to disk next to the snapshot
		{"max_memory", maxMemory},
		{"threads", fmt.Sprint(threads)},
		{"enable_external_access", "false"},
		{"lock_configuration", "true"},
	}
}

// instanceState is what a statement could change for every connection of an instance and can be read
// cheaply: the attached databases and whether each is read-only, as "name/readonly" sorted and joined
// (sorted here rather than in SQL: an ORDER BY and string_agg cost the planner more than the rest of
// the check). The guard lets no ATTACH through (it is not a SELECT) and a read-only instance refuses
// ATTACH ':memory:'; this is the third line. (LOAD, also instance-wide, is refused by the guard and
// autoloading is off; duckdb_extensions() and duckdb_secrets() read directories, which external access
// off forbids, and counting duckdb_functions() costs ≈14 ms — the whole budget.)
func instanceState(dbs []string) string {
	sort.Strings(dbs)
	return strings.Join(dbs, ",")
}

// freshCheck is what every statement's new connection is checked with before the statement runs
// (≈0.3 ms of CPU, against ≈1.9 ms for reading back every setting as verify does): the configuration
// still locked — so no setting can differ from the full check at open, since lock_configuration
// refuses every SET, global or session — external access still off, and the attached databases as at
// open. One row per attached database.
const freshCheck = `SELECT current_setting('lock_configuration')::VARCHAR, current_setting('enable_external_access')::VARCHAR, database_name, readonly::VARCHAR FROM duckdb_databases()`

// openSandbox opens path read-only and locks it down; it fails closed. The returned sandbox has a
// connection open (sb.conn), checked.
func openSandbox(ctx context.Context, path, maxMemory string, threads int) (*sandbox, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, &Error{Kind: KindNoData, Message: "数据库文件不存在或不可读"}
	}
	connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", nil)
	if err != nil {
		return nil, err
	}
	sb := &sandbox{connector: connector, db: sql.OpenDB(connector), maxMemory: maxMemory, threads: threads}
	sb.db.SetMaxOpenConns(1)
	// No idle connection is kept: a sql.Conn closed goes back to no pool, so its DuckDB connection
	// (and whatever the statement left in it) is destroyed.
	sb.db.SetMaxIdleConns(0)
	if sb.conn, err = sb.db.Conn(ctx); err != nil {
		sb.Close()
		return nil, err
	}
	for _, kv := range sandboxSettings(maxMemory, threads) {
		if _, err := sb.conn.ExecContext(ctx, fmt.Sprintf("SET %s = '%s'", kv[0], kv[1])); err != nil {
			sb.Close()
			return nil, fmt.Errorf("sandbox: SET %s: %w", kv[0], err)
		}
	}
	if sb.instance, err = sb.verify(ctx); err != nil {
		sb.Close()
		return nil, err
	}
	if sb.visible, sb.internal, err = sb.catalog(ctx); err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// fresh replaces the sandbox's connection with a new one and checks it: the settings still locked,
// the database still read-only, the instance-wide state as it was at open. On error the sandbox must
// be closed, not used.
func (sb *sandbox) fresh(ctx context.Context) error {
	if sb.conn != nil {
		sb.conn.Close()
		sb.conn = nil
	}
	var err error
	if sb.conn, err = sb.db.Conn(ctx); err != nil {
		return fmt.Errorf("sandbox: connect: %w", err)
	}
	state, err := sb.check(ctx)
	if err != nil {
		return err
	}
	if state != sb.instance {
		return fmt.Errorf("sandbox: instance state changed (%q, was %q)", state, sb.instance)
	}
	return nil
}

// check runs freshCheck on the current connection: an error if the configuration is unlocked or
// external access on, else the instance-wide state (instanceState).
func (sb *sandbox) check(ctx context.Context) (string, error) {
	rows, err := sb.conn.QueryContext(ctx, freshCheck)
	if err != nil {
		return "", fmt.Errorf("sandbox: check: %w", err)
	}
	defer rows.Close()
	var dbs []string
	for rows.Next() {
		var lock, external, name, readonly string
		if err := rows.Scan(&lock, &external, &name, &readonly); err != nil {
			return "", fmt.Errorf("sandbox: check: %w", err)
		}
		if !strings.EqualFold(lock, "true") || !strings.EqualFold(external, "false") {
			return "", fmt.Errorf("sandbox: configuration changed (lock_configuration %s, enable_external_access %s)", lock, external)
		}
		dbs = append(dbs, name+"/"+readonly)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("sandbox: check: %w", err)
	}
	return instanceState(dbs), nil
}

// verify reads every security setting back and returns the instance-wide state (at open); the sandbox
// is used only if all settings hold.
func (sb *sandbox) verify(ctx context.Context) (string, error) {
	settings := sandboxSettings(sb.maxMemory, sb.threads)
	var q strings.Builder
	q.WriteString("SELECT ")
	for _, kv := range settings {
		fmt.Fprintf(&q, "current_setting('%s')::VARCHAR, ", kv[0])
	}
	q.WriteString("(SELECT readonly::VARCHAR FROM duckdb_databases() WHERE database_name = current_database())")
	got := make([]sql.NullString, len(settings)+1)
	ptrs := make([]any, len(got))
	for i := range got {
		ptrs[i] = &got[i]
	}
	if err := sb.conn.QueryRowContext(ctx, q.String()).Scan(ptrs...); err != nil {
		return "", fmt.Errorf("sandbox: verify: %w", err)
	}
	for i, kv := range settings {
		if kv[0] == "max_memory" {
			// DuckDB reports the limit in its own unit (e.g. 512MB → 488.2 MiB); only require it is set.
			if got[i].String == "" {
				return "", fmt.Errorf("sandbox: max_memory not set")
			}
			continue
		}
		if !strings.EqualFold(got[i].String, kv[1]) {
			return "", fmt.Errorf("sandbox: %s is %q, want %q", kv[0], got[i].String, kv[1])
		}
	}
	if got[len(settings)].String != "true" {
		return "", fmt.Errorf("sandbox: database is not read-only")
	}
	return sb.check(ctx)
}

// Close releases the instance (and its file lock); a second Close does nothing.
func (sb *sandbox) Close() {
	if sb.conn != nil {
		sb.conn.Close()
		sb.conn = nil
	}
	if sb.db != nil {
		sb.db.Close()
		sb.db = nil
	}
	if sb.connector != nil {
		sb.connector.Close()
		sb.connector = nil
	}
}

// catalog lists the analyst-visible tables and views (those documented in the schema file that exist in
// this database) and the names of DuckDB's internal views, which a CTE may not shadow.
func (sb *sandbox) catalog(ctx context.Context) (visible map[string]string, internal map[string]bool, err error) {
	visible, internal = map[string]string{}, map[string]bool{}
	rows, err := sb.conn.QueryContext(ctx, `
SELECT table_name, 'table', internal OR database_name <> current_database() FROM duckdb_tables()
UNION ALL
SELECT view_name, 'view', internal OR database_name <> current_database() FROM duckdb_views()`)
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: catalog: %w", err)
	}
	defer rows.Close()
	docs := schemaDocs()
	for rows.Next() {
		var name, kind string
		var isInternal bool
		if err := rows.Scan(&name, &kind, &isInternal); err != nil {
			return nil, nil, fmt.Errorf("sandbox: catalog: %w", err)
		}
		lname := strings.ToLower(name)
		if isInternal {
			internal[lname] = true
			continue
		}
		if _, ok := docs.table(lname); ok {
			visible[lname] = kind
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("sandbox: catalog: %w", err)
	}
	// Table functions callable without parentheses in FROM are not views; the guard refuses them by name.
	return visible, internal, nil
}

// schema returns the visible tables and their columns, in the order of the schema file.
func (sb *sandbox) schema(ctx context.Context) ([]Table, error) {
	visible := sb.visible
	rows, err := sb.conn.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`)
	if err != nil {
		return nil, fmt.Errorf("sandbox: columns: %w", err)
	}
	defer rows.Close()
	cols := map[string][]Column{}
	for rows.Next() {
		var t, c, typ string
		if err := rows.Scan(&t, &c, &typ); err != nil {
			return nil, fmt.Errorf("sandbox: columns: %w", err)
		}
		cols[strings.ToLower(t)] = append(cols[strings.ToLower(t)], Column{Name: c, Type: typ})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sandbox: columns: %w", err)
	}
	docs := schemaDocs()
	var out []Table
	for _, d := range docs.Tables {
		kind, ok := visible[strings.ToLower(d.Name)]
		if !ok {
			continue
		}
		t := Table{Name: d.Name, Kind: kind, Description: d.Description}
		for _, c := range cols[strings.ToLower(d.Name)] {
			c.Description = d.Columns[c.Name]
			t.Columns = append(t.Columns, c)
		}
		out = append(out, t)
	}
	return out, nil
}

// run executes an already-checked, already-wrapped statement and converts the rows. maxRows+1 rows at
// most arrive (the wrapper's LIMIT); maxBytes bounds the JSON size of what is sent back.
func (sb *sandbox) run(ctx context.Context, wrapped string, maxRows int, maxBytes int64) (*Result, error) {
	start := time.Now()
	rows, err := sb.conn.QueryContext(ctx, wrapped)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	types := make([]string, len(cts))
	for i, ct := range cts {
		types[i] = ct.DatabaseTypeName() // as the analyst's statement has them, even if cast below
	}
	if cast := asText(cts); cast != "" {
		// Types the driver cannot scan (VARIANT) or scans without what makes them what they are (a
		// UUID or TIMETZ inside a list or struct): DuckDB spells them as text. The statement inside is
		// the one the guard checked; this only casts named columns.
		rows.Close()
		if rows, err = sb.conn.QueryContext(ctx, "SELECT * REPLACE ("+cast+") FROM (\n"+wrapped+"\n)"); err != nil {
			return nil, err
		}
		defer rows.Close()
		if cts, err = rows.ColumnTypes(); err != nil {
			return nil, err
		}
	}
	res := &Result{Rows: [][]any{}}
	for _, ct := range cts {
		res.Columns = append(res.Columns, ct.Name())
	}
	res.Types = types
	var size int64
	for rows.Next() {
		if len(res.Rows) == maxRows {
			res.Truncated = true
			break
		}
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = plain(v, res.Types[i])
		}
		b, err := json.Marshal(row)
		if err != nil {
			return nil, fmt.Errorf("encode row: %w", err)
		}
		if size += int64(len(b)); size > maxBytes {
			return nil, &Error{Kind: KindTooLarge, Message: fmt.Sprintf("结果超过 %d MB 上限：请减少列、缩短文本或加 LIMIT", maxBytes>>20)}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// plain converts a driver value into the JSON-safe values Result promises.
func plain(v any, typ string) any {
	switch x := v.(type) {
	case nil, bool, string, int64, int32, int16, int8, int, uint8, uint16, uint32, uint64:
		if s, ok := x.(string); ok && !utf8.ValidString(s) {
			return strings.ToValidUTF8(s, "\uFFFD")
		}
		return x
	case float64:
		return finite(x)
	case float32:
		return finite(float64(x))
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		return x.String()
	case duckdb.Decimal:
		return x.Float64()
	case duckdb.UUID:
		return x.String()
	case []byte:
		if typ == "UUID" && len(x) == 16 {
			var u duckdb.UUID
			copy(u[:], x)
			return u.String()
		}
		var b strings.Builder
		for _, c := range x {
			fmt.Fprintf(&b, "\\x%02X", c)
		}
		return b.String()
	case *duckdb.UUID:
		return x.String()
	case duckdb.Interval:
		return fmt.Sprintf("%d months %d days %d µs", x.Months, x.Days, x.Micros)
	case time.Time:
		if inf := infinite(x); inf != "" {
			return inf
		}
		switch {
		case typ == "TIMETZ" || typ == "TIME WITH TIME ZONE":
			return x.Format("15:04:05.999999Z07:00")
		case strings.HasPrefix(typ, "DATE"):
			return x.Format("2006-01-02")
		case strings.HasPrefix(typ, "TIME") && !strings.HasPrefix(typ, "TIMESTAMP"):
			return x.Format("15:04:05.999999")
		case strings.Contains(typ, "TIME ZONE") || strings.HasSuffix(typ, "TZ"):
			return x.Format(time.RFC3339Nano)
		default:
			return x.Format("2006-01-02 15:04:05.999999")
		}
	case []any:
		out := make([]any, len(x))
		elem := ""
		if i := strings.LastIndexByte(typ, '['); i > 0 && strings.HasSuffix(typ, "]") {
			elem = typ[:i] // "UUID[]", "DATE[3]" → the element type
		}
		for i, e := range x {
			out[i] = plain(e, elem)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e, "")
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(plain(k, ""))] = plain(e, "")
		}
		return out
	case duckdb.Union:
		return plain(x.Value, "")
	default:
		return fmt.Sprint(x)
	}
}

// infinite names DuckDB's infinite timestamps and dates, which the driver hands over as the extreme
// instants they are stored as (year 294247, or 5881580 for a date).
func infinite(t time.Time) string {
	us := t.UnixMicro()
	days := t.Unix() / 86400
	switch {
	case us == math.MaxInt64 || (days == math.MaxInt32 && t.Unix()%86400 == 0):
		return "infinity"
	case us == -math.MaxInt64 || (days == -math.MaxInt32 && t.Unix()%86400 == 0):
		return "-infinity"
	}
	return ""
}

// asText lists the columns to cast to VARCHAR, as a REPLACE list ("" = none): VARIANT, which the
// driver cannot scan, and nested types holding a UUID (scanned as bare bytes) or a TIMETZ.
func asText(cts []*sql.ColumnType) string {
	var parts []string
	for _, ct := range cts {
		t := strings.ToUpper(ct.DatabaseTypeName())
		if strings.Contains(t, "VARIANT") || (t != "UUID" && strings.Contains(t, "UUID")) ||
			(t != "TIMETZ" && strings.Contains(t, "TIMETZ")) || strings.Contains(t, "TIME WITH TIME ZONE") && t != "TIME WITH TIME ZONE" {
			q := `"` + strings.ReplaceAll(ct.Name(), `"`, `""`) + `"`
			parts = append(parts, q+"::VARCHAR AS "+q)
		}
	}
	return strings.Join(parts, ", ")
}

func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	return f
}

// isLocked reports a DuckDB open error caused by another process holding the file.
func isLocked(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "Could not set lock") || strings.Contains(err.Error(), "Conflicting lock"))
}

var errNoSQL = errors.New("empty")
