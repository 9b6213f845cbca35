package sqlconsole

import (
	"context"
	"testing"
)

func TestSmoke(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t)})
	for _, q := range []string{
		"SELECT DISTINCT m.submitter FROM measures m WHERE m.kind='school' AND m.city='大连市' AND m.task_no=24 AND m.due_date IS NULL AND NOT m.ongoing",
		"SELECT * FROM tasks LIMIT 2;",
		"SELECT 1 AS x; -- c",
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM files",
		"SELECT current_setting('home_directory')",
		"SELECT 1; DROP TABLE tasks",
		"SELECT * FROM enable_logging()",
		"SELECT * FROM 'x.csv'",
		"SELECT 1 /*",
		"SELECT count(*) FROM range(100000000) a, range(100000000) b",
	} {
		res, err := c.Query(context.Background(), q, 5)
		if err != nil {
			t.Logf("%q → %v (%s)", q, err, AsError(err).Kind)
			continue
		}
		t.Logf("%q → %v %v %v trunc=%v %v %s", q, res.Columns, res.Types, res.Rows, res.Truncated, res.Elapsed, res.Source)
	}
	s, err := c.Schema(context.Background())
	t.Logf("schema %d tables err=%v first=%+v", len(s), err, s[0])
}
