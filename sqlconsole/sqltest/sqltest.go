// Package sqltest holds what the SQL console's tests share across its three doors (package API, CLI,
// HTTP): a small fixture database and the battery of hostile statements every door must refuse or bound.
package sqltest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"lnvedash/queries"
)

// FixtureSQL is a tiny set of returns: two colleges in 大连 and the city itself. The file rows carry a
// server path in source_path, which the console must never expose.
const FixtureSQL = `
INSERT INTO ingest_runs VALUES (1, TIMESTAMP '2022-03-01 10:00:00', TIMESTAMP '2022-03-01 10:01:00', 'cli', 3);
INSERT INTO files (submission_id, run_id, file_name, source_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason)
VALUES (1, 1, '大连职院.xlsx', '/srv/secret/inbox/大连职院.xlsx', 'a1', 100, '大连职业技术学院', 'school', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL),
       (2, 1, '航运.xlsx', '/srv/secret/inbox/航运.xlsx', 'a2', 100, '大连航运职业技术学院', 'school', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL),
       (3, 1, '大连市.xlsx', '/srv/secret/inbox/大连市.xlsx', 'a3', 100, '大连市', 'city', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL);
INSERT INTO measure_rows (submission_id, sheet, "row", task_no, measure, goal, owner, due, due_date, ongoing) VALUES
 (1, 'Sheet1', 5, 24, '建设智能制造产业学院', '建成1个', '教务处', NULL, NULL, false),
 (1, 'Sheet1', 6, 1, '完善章程', NULL, '党委办', '2022年6月', DATE '2022-06-30', false),
 (2, 'Sheet1', 5, 24, '建设航运产业学院', NULL, '航海学院', '长期', NULL, true),
 (3, 'Sheet1', 5, 24, '推动产业学院建设', NULL, '大连市教育局', '2022年底前', DATE '2022-12-31', false);
`

// ExampleSQL is the brief's example: 大连 colleges committed to 产业学院 (task 24) without a date.
const ExampleSQL = `SELECT DISTINCT m.submitter FROM measures m WHERE m.kind='school' AND m.city='大连市' AND m.task_no=24 AND m.due_date IS NULL AND NOT m.ongoing`

// ExampleAnswer is ExampleSQL's only row (航运 wrote 长期, an ongoing measure).
const ExampleAnswer = "大连职业技术学院"

// WriteFixtureDB creates dir/lnvedash.duckdb with the schema, seeds and FixtureSQL, closed, and returns
// its path.
func WriteFixtureDB(tb testing.TB, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, "lnvedash.duckdb")
	db, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Exec(FixtureSQL); err != nil {
		tb.Fatal(err)
	}
	// rows inserted by hand, as ingest would: rebuild the derived tables as ingest does before COMMIT
	if err := db.Refresh(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Outcome is what a hostile statement must come to.
type Outcome int

const (
	// Refused: an error before anything ran.
	Refused Outcome = iota
	// Bounded: either an error (timeout, too large, worker stopped) or a result cut at the row cap.
	Bounded
)

// Case is one hostile statement.
type Case struct {
	Name string
	SQL  string
	Want Outcome
	Slow bool // needs the timeout or a large allocation; run with a short timeout
}

// Hostile is the battery: file reads, writes, ATTACH, extensions, settings, DDL/DML, multi-statements,
// the logging/profiling functions that run under lock_configuration (also nested through query()),
// settings and path leaks, runaway and huge results, comments hiding statements.
var Hostile = []Case{
	{Name: "read_csv passwd", SQL: "SELECT * FROM read_csv('/etc/passwd')"},
	{Name: "read_csv_auto", SQL: "SELECT * FROM read_csv_auto('/etc/passwd')"},
	{Name: "read_text", SQL: "SELECT * FROM read_text('/etc/passwd')"},
	{Name: "read_blob", SQL: "SELECT * FROM read_blob('/etc/hostname')"},
	{Name: "read_text in scalar subquery", SQL: "SELECT (SELECT content FROM read_text('/etc/passwd'))"},
	{Name: "glob", SQL: "SELECT * FROM glob('/*')"},
	{Name: "read_parquet", SQL: "SELECT * FROM read_parquet('/tmp/*.parquet')"},
	{Name: "read_json", SQL: "SELECT * FROM read_json('/etc/os-release')"},
	{Name: "sniff_csv", SQL: "SELECT * FROM sniff_csv('/etc/passwd')"},
	{Name: "parquet_metadata", SQL: "SELECT * FROM parquet_metadata('/tmp/x.parquet')"},
	{Name: "file as table name", SQL: "SELECT * FROM 'file.csv'"},
	{Name: "absolute file as table", SQL: `SELECT * FROM "/etc/passwd"`},
	{Name: "union with file read", SQL: "SELECT 'a' UNION ALL SELECT content FROM read_text('/etc/passwd')"},
	{Name: "copy to", SQL: "COPY tasks TO '/tmp/lnvedash-evil.csv'"},
	{Name: "copy query to parquet", SQL: "COPY (SELECT * FROM tasks) TO 'evil.parquet' (FORMAT parquet)"},
	{Name: "export database", SQL: "EXPORT DATABASE '/tmp/lnvedash-evil-export'"},
	{Name: "attach", SQL: "ATTACH '/tmp/lnvedash-evil.duckdb' AS evil"},
	{Name: "detach", SQL: "DETACH lnvedash"},
	{Name: "install", SQL: "INSTALL httpfs"},
	{Name: "load", SQL: "LOAD httpfs"},
	{Name: "set external access", SQL: "SET enable_external_access = true"},
	{Name: "reset lock", SQL: "RESET lock_configuration"},
	{Name: "pragma", SQL: "PRAGMA enable_profiling"},
	{Name: "set variable", SQL: "SET VARIABLE x = 1"},
	{Name: "create table", SQL: "CREATE TABLE evil AS SELECT 1"},
	{Name: "create temp table", SQL: "CREATE TEMP TABLE evil AS SELECT 1"},
	{Name: "create macro", SQL: "CREATE MACRO evil() AS 1"},
	{Name: "drop table", SQL: "DROP TABLE tasks"},
	{Name: "insert", SQL: "INSERT INTO tasks (task_no) VALUES (99)"},
	{Name: "update", SQL: "UPDATE tasks SET area = ''"},
	{Name: "delete", SQL: "DELETE FROM tasks"},
	{Name: "begin", SQL: "BEGIN TRANSACTION"},
	{Name: "two statements drop", SQL: "SELECT 1; DROP TABLE tasks"},
	{Name: "two statements copy", SQL: "SELECT 1; COPY tasks TO '/tmp/lnvedash-evil2.csv'"},
	{Name: "two selects", SQL: "SELECT 1; SELECT 2"},
	{Name: "comment hides drop", SQL: "/* SELECT 1 */ DROP TABLE tasks -- SELECT"},
	{Name: "line comment then statement", SQL: "SELECT 1 --\n; DROP TABLE tasks"},
	{Name: "enable_logging to file", SQL: "SELECT * FROM enable_logging(storage:='file', storage_config:={'path':'/tmp/lnvedash-evil-log'})"},
	{Name: "enable_logging plain", SQL: "SELECT * FROM enable_logging()"},
	{Name: "enable_profiling", SQL: "SELECT * FROM enable_profiling()"},
	{Name: "enable_peg_parser", SQL: "SELECT * FROM enable_peg_parser()"},
	{Name: "enable_logging through query", SQL: "SELECT * FROM query('SELECT * FROM enable_logging(storage:=''file'', storage_config:={''path'':''/tmp/lnvedash-evil-nested''})')"},
	{Name: "query_table", SQL: "SELECT * FROM query_table('tasks')"},
	{Name: "duckdb_settings", SQL: "SELECT * FROM duckdb_settings()"},
	{Name: "duckdb_databases view", SQL: "SELECT * FROM duckdb_databases"},
	{Name: "pragma_database_list view", SQL: "SELECT * FROM pragma_database_list"},
	{Name: "cte shadowing a system view", SQL: "SELECT * FROM (WITH duckdb_databases AS (SELECT 1) SELECT * FROM duckdb_databases), duckdb_databases"},
	{Name: "current_setting home", SQL: "SELECT current_setting('home_directory')"},
	{Name: "current_setting in lambda", SQL: "SELECT list_transform([1], x -> current_setting('temp_directory'))"},
	{Name: "getenv", SQL: "SELECT getenv('HOME')"},
	{Name: "raw table with paths", SQL: "SELECT source_path FROM files"},
	{Name: "qualified raw table", SQL: "SELECT * FROM main.files"},
	{Name: "information_schema", SQL: "SELECT * FROM information_schema.tables"},
	{Name: "other catalog", SQL: "SELECT * FROM system.main.duckdb_settings"},
	{Name: "call", SQL: "CALL pragma_version()"},
	{Name: "explain analyze", SQL: "EXPLAIN ANALYZE SELECT * FROM tasks"},
	{Name: "describe", SQL: "DESCRIBE tasks"},
	{Name: "vacuum", SQL: "VACUUM"},
	{Name: "checkpoint", SQL: "CHECKPOINT"},
	{Name: "json_execute_serialized_sql", SQL: "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))"},
	// Issue 16: planning and serialising SQL, and SQL text inside SQL.
	{Name: "json_serialize_plan current_setting", SQL: "SELECT json_serialize_plan('SELECT current_setting(''secret_directory'')', optimize := true)"},
	{Name: "json_serialize_plan memory_limit", SQL: "SELECT json_serialize_plan('SELECT current_setting(''memory_limit'')', optimize := true) AS p"},
	{Name: "json_serialize_plan hidden column", SQL: "SELECT json_serialize_plan('SELECT source_path FROM files', optimize := true)"},
	{Name: "json_serialize_plan prefix oracle", SQL: "SELECT json_serialize_plan('SELECT count(*) FROM files WHERE starts_with(source_path, ''/'')', optimize := true) LIKE '%true%'"},
	{Name: "json_deserialize_sql", SQL: "SELECT json_deserialize_sql(json_serialize_sql('SELECT 1'))"},
	{Name: "json_serialize_sql nested current_setting", SQL: "SELECT json_serialize_sql('SELECT current_setting(''home_directory'')')"},
	{Name: "json_serialize_sql computed", SQL: "SELECT json_serialize_sql(concat('SELECT ', 'getenv(''HOME'')'))"},
	{Name: "explain select", SQL: "EXPLAIN SELECT * FROM files"},
	{Name: "current_query", SQL: "SELECT current_query()"},
	{Name: "huge result", SQL: "SELECT * FROM range(400000000)", Want: Bounded},
	{Name: "huge string", SQL: "SELECT length(repeat('x', 2000000000)) AS n, repeat('x', 2000000000) AS s", Want: Bounded, Slow: true},
	{Name: "endless recursion", SQL: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", Want: Bounded, Slow: true},
	{Name: "runaway cross join", SQL: "SELECT sum(a.range * b.range) FROM range(1000000) a CROSS JOIN range(1000000) b", Want: Bounded, Slow: true},
}

// SHA256 returns the hex digest of a file.
func SHA256(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Listing returns every path under dir, relative and sorted, to compare before and after.
func Listing(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			if os.IsNotExist(err) || os.IsPermission(err) {
				return nil
			}
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// Evil lists the paths the battery names as write targets; none may exist afterwards.
var Evil = []string{"/tmp/lnvedash-evil.csv", "/tmp/lnvedash-evil2.csv", "/tmp/lnvedash-evil-export",
	"/tmp/lnvedash-evil.duckdb", "/tmp/lnvedash-evil-log", "/tmp/lnvedash-evil-nested"}

// NoEvilFiles fails the test if any path of Evil exists or an evil.parquet appeared in dir.
func NoEvilFiles(tb testing.TB, dirs ...string) {
	tb.Helper()
	for _, p := range Evil {
		if _, err := os.Stat(p); err == nil {
			tb.Errorf("%s was written", p)
		}
	}
	for _, d := range dirs {
		for _, p := range Listing(tb, d) {
			if strings.Contains(p, "evil") {
				tb.Errorf("%s was written in %s", p, d)
			}
		}
	}
}
