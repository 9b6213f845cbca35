package sqlconsole

import (
	"context"
	"strings"
	"testing"
)

// The guard alone, in-process: what the parser says a statement is, before any database is opened.
func TestGuard(t *testing.T) {
	g, err := newGuard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	allowed := map[string]bool{"tasks": true, "measures": true}
	internal := map[string]bool{"duckdb_databases": true, "pragma_database_list": true}
	tests := []struct {
		name    string
		sql     string
		refused string // substring of the refusal; "" = accepted
	}{
		{"plain select", "SELECT * FROM tasks", ""},
		{"with select", "WITH a AS (SELECT task_no FROM tasks) SELECT * FROM a", ""},
		{"recursive cte", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 3) SELECT * FROM r", ""},
		{"set operation", "SELECT 1 UNION SELECT 2", ""},
		{"values", "VALUES (1), (2)", ""},
		{"from first", "FROM tasks", ""},
		{"range", "SELECT * FROM range(10)", ""},
		{"unnest", "SELECT unnest([1,2])", ""},
		{"lambda", "SELECT list_transform([1,2], x -> x + 1)", ""},
		{"trailing semicolons", "SELECT 1;;", ""},
		{"main schema", "SELECT * FROM main.tasks", ""},
		{"two statements", "SELECT 1; SELECT 2", "一次只能执行一条语句"},
		{"drop", "DROP TABLE tasks", "只允许执行一条 SELECT"},
		{"select then drop", "SELECT 1; DROP TABLE tasks", "只允许执行一条 SELECT"},
		{"read_csv", "SELECT * FROM read_csv('/etc/passwd')", "read_csv"},
		{"nested query", "SELECT * FROM query('SELECT 1')", "query"},
		{"read_text in where", "SELECT 1 WHERE EXISTS (SELECT * FROM read_text('/x'))", "read_text"},
		{"current_setting", "SELECT upper(current_setting('home_directory'))", "current_setting"},
		{"duckdb_ function", "SELECT * FROM duckdb_settings()", "duckdb_settings"},
		{"file table", "SELECT * FROM 'a.csv'", "a.csv"},
		{"unknown table", "SELECT * FROM files", "files"},
		{"catalog", "SELECT * FROM other.main.tasks", "other.main.tasks"},
		{"information_schema", "SELECT * FROM information_schema.tables", "information_schema"},
		{"cte shadows system view", "WITH duckdb_databases AS (SELECT 1) SELECT * FROM duckdb_databases", "duckdb_databases"},
		{"describe", "DESCRIBE tasks", "DESCRIBE"},
		{"pivot", "PIVOT tasks ON area USING count(*)", "只允许执行一条 SELECT"},
		{"syntax error", "SELEC 1", "语法错误"},
		{"empty", "  -- nothing\n", "没有可执行的语句"},
		// Issue 16: whatever plans, explains or serialises SQL is SQL.
		{"json_serialize_plan optimize", "SELECT json_serialize_plan('SELECT current_setting(''secret_directory'')', optimize := true)", "规划、解释或序列化"},
		{"json_serialize_plan hidden column", "SELECT json_serialize_plan('SELECT source_path FROM files WHERE source_path LIKE ''/a%''', optimize := true)", "json_serialize_plan"},
		{"json_serialize_plan in where", "SELECT 1 FROM tasks WHERE json_serialize_plan('SELECT 1') IS NOT NULL", "json_serialize_plan"},
		{"json_deserialize_sql", "SELECT json_deserialize_sql(json_serialize_sql('SELECT 1'))", "json_deserialize_sql"},
		{"json_execute_serialized_sql", "SELECT * FROM json_execute_serialized_sql('{}')", "json_execute_serialized_sql"},
		{"check_peg_parser", "SELECT * FROM check_peg_parser('SELECT 1')", "check_peg_parser"},
		{"current_query", "SELECT current_query()", "current_query"},
		{"explain", "EXPLAIN SELECT * FROM tasks", "只允许执行一条 SELECT"},
		{"json_serialize_sql plain", "SELECT json_serialize_sql('SELECT task_no FROM tasks')", ""},
		{"json_serialize_sql nested denied", "SELECT json_serialize_sql('SELECT current_setting(''memory_limit'')')", "函数参数中的 SQL 被拒绝：不允许调用函数 current_setting"},
		{"json_serialize_sql nested hidden table", "SELECT json_serialize_sql('SELECT source_path FROM files')", "files"},
		{"json_serialize_sql nested plan", "SELECT json_serialize_sql('SELECT json_serialize_plan(''SELECT 1'')')", "json_serialize_plan"},
		{"json_serialize_sql nested twice", "SELECT json_serialize_sql('SELECT json_serialize_sql(''SELECT getenv(''''HOME'''')'')')", "getenv"},
		{"json_serialize_sql computed text", "SELECT json_serialize_sql('SELECT ' || 'getenv(1)')", "只接受一个写在查询中的 SQL 文本常量"},
		{"json_serialize_sql with options", "SELECT json_serialize_sql('SELECT 1', skip_null := true)", "只接受一个写在查询中的 SQL 文本常量"},
		{"json_serialize_sql from column", "SELECT json_serialize_sql(area) FROM tasks", "只接受一个写在查询中的 SQL 文本常量"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := g.parse(context.Background(), tt.sql)
			if err == nil {
				err = st.checkTables(allowed, internal)
			}
			switch {
			case tt.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refused != "" && err == nil:
				t.Fatalf("accepted, want refusal containing %q", tt.refused)
			case tt.refused != "" && !strings.Contains(err.Error(), tt.refused):
				t.Fatalf("error %q does not mention %q", err, tt.refused)
			}
			if err != nil {
				return
			}
			// The wrapped statement must still be one SELECT whose outer LIMIT is ours.
			w, err := g.parse(context.Background(), wrap(tt.sql, 11))
			if err != nil {
				t.Fatalf("wrapped: %v\n%s", err, wrap(tt.sql, 11))
			}
			if !w.isLimitWrapper(11) || !w.wraps(st) {
				t.Fatalf("wrapper not recognised:\n%s", wrap(tt.sql, 11))
			}
		})
	}
}

func TestTrimTerminator(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "SELECT 1", "SELECT 1"},
		{"semicolon", "SELECT 1;", "SELECT 1"},
		{"semicolon and comment", "SELECT 1; -- done", "SELECT 1"},
		{"in string", "SELECT ';' AS a;", "SELECT ';' AS a"},
		{"in identifier", `SELECT 1 AS "a;b";`, `SELECT 1 AS "a;b"`},
		{"in line comment", "SELECT 1 -- a;b\n;", "SELECT 1 -- a;b"},
		{"in block comment", "SELECT /* ; */ 1;", "SELECT /* ; */ 1"},
		{"in dollar string", "SELECT $$a;b$$;", "SELECT $$a;b$$"},
		{"escaped quote", "SELECT 'it''s;' ;", "SELECT 'it''s;'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trimTerminator(tt.in); got != tt.want {
				t.Errorf("trimTerminator(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"known dir", `IO Error: No files found that match the pattern "/srv/data/x.csv"`, `IO Error: No files found that match the pattern "…"`},
		{"bare path", "Cannot open file /var/lib/lnvedash/snapshot/lnvedash.duckdb: busy", "Cannot open file …: busy"},
		{"division kept", "SELECT 1/2 and a / b", "SELECT 1/2 and a / b"},
		{"date kept", "2022/9", "2022/9"},
		{"url kept", "see https://duckdb.org/docs", "see https://duckdb.org/docs"},
		{"known dir inside text", "x=/srv/data.bak", "x=…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scrub(tt.in, "/srv/data"); got != tt.want {
				t.Errorf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
