package sqlconsole

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// The guard decides what a statement is with DuckDB's own parser before anything of it is prepared:
// json_serialize_sql, run in a separate, empty, locked in-memory DuckDB, returns the statement list with
// every node type and every function the statement names. Only exactly one SELECT passes, and only if it
// reads nothing but the analyst tables and calls no function that reaches files, settings or nested SQL.
//
// Why not DuckDB settings alone: enable_logging(), enable_profiling() and enable_peg_parser() run even
// under lock_configuration and can abort the process (see docs/SQL.md); PrepareContext("A; B") executes A.

// allowedTableFunctions are the table functions an analyst may call: pure generators over their arguments.
var allowedTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true,
	"json_each": true, "json_tree": true,
}

// deniedFunctions are scalar (or table) function names refused wherever they appear: they read files or
// settings, run nested SQL, change logging/profiling, or reveal paths and the environment.
var deniedFunctions = map[string]bool{
	"current_setting": true, "getenv": true, "getvariable": true,
	"query": true, "query_table": true, "read_text": true, "read_blob": true, "glob": true,
	"json_execute_serialized_sql": true, "sql_auto_complete": true, "which_secret": true,
	"checkpoint": true, "force_checkpoint": true, "sqlsmith": true, "export_database": true,
	"current_database": true, "current_catalog": true, "current_schemas": true,
	"pg_get_viewdef": true, "pg_get_constraintdef": true, "has_table_privilege": true,
	"current_query": true, "current_query_id": true, "parse_duckdb_log_message": true,
}

// planFunctions plan, explain, profile or (de)serialise a statement. Anything that plans SQL is SQL:
// json_serialize_plan(…, optimize := true) evaluates, inside the plan, functions the guard denies
// (current_setting), lists hidden columns of internal tables and gives an oracle on their values.
var planFunctions = map[string]bool{
	"json_serialize_plan": true, "json_deserialize_sql": true, "json_execute_serialized_sql": true,
	"check_peg_parser": true, "verify_serializer": true, "all_profiling_output": true,
	"explain": true, "explain_analyze": true,
}

// sqlTextFunctions take SQL text as their first argument. json_serialize_sql only parses (no catalog,
// no planning), so it is allowed when its text is a constant that itself passes the guard and nothing
// else is passed (no options); the others are denied outright (deniedFunctions, planFunctions).
var sqlTextFunctions = map[string]bool{"json_serialize_sql": true}

// refusedPrefix starts every refusal's message (refused).
const refusedPrefix = "已拒绝："

// maxNested bounds how deep SQL text inside SQL text is re-checked.
const maxNested = 3

// deniedFunctionPrefixes catch whole families: system catalogs, pragmas, file readers, switches.
var deniedFunctionPrefixes = []string{
	"duckdb_", "pragma_", "read_", "enable_", "disable_", "parquet_", "iceberg_", "delta_", "sniff_",
}

// allowedTableRefs are the FROM-clause node types of a plain SELECT.
var allowedTableRefs = map[string]bool{
	"BASE_TABLE": true, "SUBQUERY": true, "JOIN": true, "EXPRESSION_LIST": true,
	"TABLE_FUNCTION": true, "EMPTY": true, "EMPTY_FROM": true,
}

var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parsed is json_serialize_sql's answer.
type parsed struct {
	Error        bool              `json:"error"`
	ErrorType    string            `json:"error_type"`
	ErrorMessage string            `json:"error_message"`
	Statements   []json.RawMessage `json:"statements"`
}

// guard parses statements in its own in-memory DuckDB, which holds no data and never executes user SQL.
type guard struct {
	db *sql.DB
	// serialize is json_serialize_sql prepared once: the guard's instance holds no data and runs
	// nothing else, so nothing of one statement is in it for the next, and preparing per statement
	// was a third of the parse's cost.
	serialize *sql.Stmt
}

// newGuard opens the parser's DuckDB and locks it down like the sandbox.
func newGuard(ctx context.Context) (*guard, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("guard: open parser: %w", err)
	}
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("guard: %s: %w", stmt, err)
		}
	}
	serialize, err := db.PrepareContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("guard: prepare: %w", err)
	}
	return &guard{db: db, serialize: serialize}, nil
}

func (g *guard) Close() error {
	g.serialize.Close()
	return g.db.Close()
}

// statement is one checked statement: what it names, so the caller can check tables against the
// database it will run on.
type statement struct {
	tables    []tableRef // every base table named
	cteNames  []string   // every CTE defined anywhere
	node      map[string]any
	functions []string
	nested    []string // SQL text passed to a function that takes SQL (re-checked by parse)
}

type tableRef struct{ catalog, schema, name string }

// parse returns the single SELECT in q or a refusal.
func (g *guard) parse(ctx context.Context, q string) (*statement, error) {
	return g.parseDepth(ctx, q, 0)
}

func (g *guard) parseDepth(ctx context.Context, q string, depth int) (*statement, error) {
	var raw string
	if err := g.serialize.QueryRowContext(ctx, q).Scan(&raw); err != nil {
		return nil, fmt.Errorf("guard: parse: %w", err)
	}
	var p parsed
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, fmt.Errorf("guard: parse result: %w", err)
	}
	if p.Error {
		if p.ErrorType == "not implemented" {
			return nil, refused("只允许执行一条 SELECT（或 WITH … SELECT）查询；不能修改数据、更改设置、读写文件或执行多条语句")
		}
		return nil, &Error{Kind: KindSQL, Message: "SQL 语法错误：" + p.ErrorMessage}
	}
	switch len(p.Statements) {
	case 0:
		return nil, refused("没有可执行的语句")
	case 1:
	default:
		return nil, refused(fmt.Sprintf("一次只能执行一条语句（收到 %d 条）", len(p.Statements)))
	}
	var top struct {
		Node map[string]any `json:"node"`
	}
	if err := json.Unmarshal(p.Statements[0], &top); err != nil {
		return nil, fmt.Errorf("guard: statement: %w", err)
	}
	if top.Node == nil {
		return nil, refused("无法识别的语句")
	}
	st := &statement{node: top.Node}
	if err := st.walk(top.Node, ""); err != nil {
		return nil, err
	}
	// SQL inside SQL is SQL: the nested statement passes the same guard, and its tables are checked
	// with the outer statement's.
	for _, text := range st.nested {
		if depth >= maxNested {
			return nil, refused("嵌套的 SQL 层数过多")
		}
		ns, err := g.parseDepth(ctx, text, depth+1)
		if err != nil {
			if e := AsError(err); e != nil && e.Kind == KindRefused {
				return nil, refused("函数参数中的 SQL 被拒绝：" + strings.TrimPrefix(e.Message, refusedPrefix))
			}
			return nil, err
		}
		st.tables = append(st.tables, ns.tables...)
		st.cteNames = append(st.cteNames, ns.cteNames...)
	}
	return st, nil
}

// walk visits every object of the parse tree. key is the member name the object was found under.
func (st *statement) walk(v any, key string) error {
	switch n := v.(type) {
	case []any:
		for _, e := range n {
			if err := st.walk(e, key); err != nil {
				return err
			}
		}
	case map[string]any:
		typ, _ := n["type"].(string)
		if _, isRef := n["sample"]; isRef && typ != "" && n["class"] == nil && !strings.HasSuffix(typ, "_NODE") {
			// A table reference (FROM clause item): every table ref carries "sample".
			if typ == "SHOW_REF" {
				return refused("DESCRIBE、SHOW、SUMMARIZE 在控制台中不可用：表和列的说明见左侧的表结构")
			}
			if !allowedTableRefs[typ] {
				return refused(fmt.Sprintf("不支持的数据来源（%s）：只能查询左侧列出的表和视图", strings.ToLower(typ)))
			}
			switch typ {
			case "BASE_TABLE":
				st.tables = append(st.tables, tableRef{str(n["catalog_name"]), str(n["schema_name"]), str(n["table_name"])})
			case "TABLE_FUNCTION":
				fn, _ := n["function"].(map[string]any)
				name := strings.ToLower(str(fn["function_name"]))
				if fn == nil || str(fn["class"]) != "FUNCTION" || !allowedTableFunctions[name] || str(fn["catalog"]) != "" {
					return refused(fmt.Sprintf("不允许调用表函数 %s()：控制台只允许 range、generate_series、unnest、json_each、json_tree", name))
				}
			}
			if at, ok := n["at_clause"]; ok && at != nil {
				return refused("不支持 AT（时间旅行）子句")
			}
		}
		if name, ok := n["function_name"].(string); ok {
			lname := strings.ToLower(name)
			st.functions = append(st.functions, lname)
			if planFunctions[lname] {
				return refused(fmt.Sprintf("不允许调用函数 %s()：它会规划、解释或序列化 SQL 语句", name))
			}
			if deniedFunction(lname) {
				return refused(fmt.Sprintf("不允许调用函数 %s()：它会读取文件、设置或系统信息", name))
			}
			if sqlTextFunctions[lname] {
				text, ok := constantText(n)
				if !ok {
					return refused(fmt.Sprintf("函数 %s() 只接受一个写在查询中的 SQL 文本常量，不接受其他参数", name))
				}
				st.nested = append(st.nested, text)
			}
			if c := str(n["catalog"]); c != "" && c != "system" {
				return refused(fmt.Sprintf("不允许指定函数所在的数据库（%s）", c))
			}
		}
		if cm, ok := n["cte_map"].(map[string]any); ok {
			if entries, ok := cm["map"].([]any); ok {
				for _, e := range entries {
					if kv, ok := e.(map[string]any); ok {
						st.cteNames = append(st.cteNames, str(kv["key"]))
					}
				}
			}
		}
		for k, e := range n {
			if err := st.walk(e, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// constantText is the SQL text of a function call whose only argument is a VARCHAR constant.
func constantText(fn map[string]any) (string, bool) {
	children, _ := fn["children"].([]any)
	if len(children) != 1 {
		return "", false
	}
	c, _ := children[0].(map[string]any)
	if str(c["class"]) != "CONSTANT" || str(c["alias"]) != "" {
		return "", false
	}
	v, _ := c["value"].(map[string]any)
	typ, _ := v["type"].(map[string]any)
	text, ok := v["value"].(string)
	if !ok || str(typ["id"]) != "VARCHAR" || v["is_null"] == true {
		return "", false
	}
	return text, true
}

func deniedFunction(name string) bool {
	if deniedFunctions[name] {
		return true
	}
	for _, p := range deniedFunctionPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// checkTables accepts only the analyst tables and the statement's own CTEs. internal holds the names of
// the system views (duckdb_databases, pragma_database_list …) a CTE must not shadow: a CTE is in scope only
// inside its query, so a same-named reference elsewhere would reach the system view.
func (st *statement) checkTables(allowed, internal map[string]bool) error {
	ctes := map[string]bool{}
	for _, c := range st.cteNames {
		lc := strings.ToLower(c)
		if internal[lc] || !plainIdent.MatchString(c) {
			return refused(fmt.Sprintf("公用表表达式（CTE）不能命名为 %s", c))
		}
		ctes[lc] = true
	}
	for _, t := range st.tables {
		name := strings.ToLower(t.name)
		if t.catalog != "" || (t.schema != "" && strings.ToLower(t.schema) != "main") || !plainIdent.MatchString(t.name) {
			return refused(fmt.Sprintf("只能查询左侧列出的表和视图，不能读取 %s", qualified(t)))
		}
		if !allowed[name] && !ctes[name] {
			// The same guard answers the browser and the CLI: name where both find the schema.
			return refused(fmt.Sprintf("没有可查询的表或视图 %s：可查询的表和视图见表结构（看板 SQL 页左侧，或 docs/SCHEMA.md）", t.name))
		}
	}
	return nil
}

func qualified(t tableRef) string {
	parts := []string{}
	for _, p := range []string{t.catalog, t.schema, t.name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

// isLimitWrapper reports whether a checked statement is our wrapper SELECT * FROM (…) LIMIT n.
func (st *statement) isLimitWrapper(n int) bool {
	if str(st.node["type"]) != "SELECT_NODE" {
		return false
	}
	from, _ := st.node["from_table"].(map[string]any)
	if from == nil || str(from["type"]) != "SUBQUERY" {
		return false
	}
	mods, _ := st.node["modifiers"].([]any)
	for _, m := range mods {
		mm, _ := m.(map[string]any)
		if str(mm["type"]) != "LIMIT_MODIFIER" {
			continue
		}
		lim, _ := mm["limit"].(map[string]any)
		val, _ := lim["value"].(map[string]any)
		if f, ok := val["value"].(float64); ok && int(f) == n {
			return true
		}
	}
	return false
}

// wraps reports whether the wrapper's subquery is exactly the statement orig (positions aside): the
// wrapping changed nothing of what the analyst wrote, it only added the cap around it.
func (st *statement) wraps(orig *statement) bool {
	from, _ := st.node["from_table"].(map[string]any)
	sub, _ := from["subquery"].(map[string]any)
	inner, _ := sub["node"].(map[string]any)
	if inner == nil {
		return false
	}
	a, err1 := json.Marshal(stripLocations(inner))
	b, err2 := json.Marshal(stripLocations(orig.node))
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// stripLocations returns v without the parser's query_location members (text offsets).
func stripLocations(v any) any {
	switch n := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, e := range n {
			if k != "query_location" {
				out[k] = stripLocations(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, e := range n {
			out[i] = stripLocations(e)
		}
		return out
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// wrap bounds q by a row limit inside the SQL, because duckdb-go materialises the whole result before
// the first row is read. The newline ends a trailing -- comment; trailing semicolons are cut first.
func wrap(q string, limit int) string {
	return fmt.Sprintf("SELECT * FROM (\n%s\n) LIMIT %d", trimTerminator(q), limit)
}

// trimTerminator cuts q at its first top-level semicolon (outside quotes and comments). The guard has
// already established that q holds exactly one statement, so whatever follows is empty or comments.
func trimTerminator(q string) string {
	inSingle, inDouble, inLine, inBlock := false, false, false, 0
	dollar := ""
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case inLine:
			if c == '\n' {
				inLine = false
			}
		case inBlock > 0:
			if c == '*' && i+1 < len(q) && q[i+1] == '/' {
				inBlock--
				i++
			} else if c == '/' && i+1 < len(q) && q[i+1] == '*' {
				inBlock++
				i++
			}
		case inSingle:
			if c == '\'' {
				inSingle = false
			}
		case inDouble:
			if c == '"' {
				inDouble = false
			}
		case dollar != "":
			if strings.HasPrefix(q[i:], dollar) {
				i += len(dollar) - 1
				dollar = ""
			}
		case c == '\'':
			inSingle = true
		case c == '"':
			inDouble = true
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			inLine = true
			i++
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			inBlock++
			i++
		case c == '$':
			if m := dollarTag.FindString(q[i:]); m != "" {
				dollar = m
				i += len(m) - 1
			}
		case c == ';':
			return strings.TrimRight(q[:i], " \t\r\n")
		}
	}
	return strings.TrimRight(q, " \t\r\n")
}

var dollarTag = regexp.MustCompile(`^\$[A-Za-z_]*\$`)
