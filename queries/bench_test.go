package queries

import (
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user + system CPU time so far. Reported beside wall time because the
// benchmark machine is shared: wall time grows with other people's load, CPU time much less so.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn b.N times and reports CPU milliseconds per operation as well.
func loop(b *testing.B, fn func() error) {
	b.Helper()
	start := cpuTime()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

var (
	benchOnce sync.Once
	benchDB   *DB
	benchErr  error
)

// openBench builds, once per test binary, an in-memory database at the 1,000-checklist scale from
// testdata/bench.sql. It is shared by every benchmark and never closed (the process ends first).
func openBench(b *testing.B) *DB {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		var db *DB
		if db, benchErr = Open(ctx, "", Options{}); benchErr != nil {
			return
		}
		var sqlText []byte
		if sqlText, benchErr = os.ReadFile("testdata/bench.sql"); benchErr != nil {
			return
		}
		start := time.Now()
		if _, benchErr = db.ExecContext(ctx, string(sqlText)); benchErr != nil {
			return
		}
		if benchErr = db.Refresh(ctx); benchErr != nil {
			return
		}
		var files, current, superseded, measures, currentMeasures, commitments int
		benchErr = db.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM files), (SELECT count(*) FROM submissions WHERE status = 'current'),
			(SELECT count(*) FROM submissions WHERE status = 'superseded'), (SELECT count(*) FROM measure_rows),
			(SELECT count(*) FROM measures), (SELECT count(*) FROM commitment_rows)`).
			Scan(&files, &current, &superseded, &measures, &currentMeasures, &commitments)
		b.Logf("bench database built in %v: %d files (%d current, %d superseded), %d measure rows (%d current), %d commitments",
			time.Since(start).Round(time.Millisecond), files, current, superseded, measures, currentMeasures, commitments)
		benchDB = db
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

// BenchmarkViews times every analyst view and every API function on the 1,000-checklist database,
// in wall time and CPU time. Each view twice: engine — DuckDB computes every value of SELECT * and
// folds it into one hash, the view's own cost, which the aim of 50 ms is about; readout — every row
// into Go through database/sql, which grows with rows × columns (table/measure_rows, the base table
// under all_measures, shows that floor without any view). Run briefly:
//
//	go test -run '^$' -bench Views -benchtime=20x ./queries/
func BenchmarkViews(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	var objects []string
	rows, err := db.QueryContext(ctx, `SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			b.Fatal(err)
		}
		objects = append(objects, "view/"+v)
	}
	rows.Close()
	for _, obj := range append(objects, "table/measure_rows") {
		from := obj[strings.IndexByte(obj, '/')+1:]
		b.Run(obj+"/engine", func(b *testing.B) {
			loop(b, func() error {
				var h any
				return db.QueryRowContext(ctx, `SELECT bit_xor(hash(t)) FROM (SELECT * FROM "`+from+`") t`).Scan(&h)
			})
		})
		b.Run(obj+"/readout", func(b *testing.B) {
			loop(b, func() error {
				rows, err := db.QueryContext(ctx, `SELECT * FROM "`+from+`"`)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
				}
				return rows.Err()
			})
		})
	}
	asOf := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	// Two accepted versions of one submitter for VersionDiff: its first and its current.
	var diffWho string
	var diffFrom, diffTo int
	if err := db.QueryRowContext(ctx, `SELECT submitter, min(submission_id), max(submission_id) FROM files
		WHERE NOT rejected AND submitter = '沈阳市' GROUP BY submitter`).Scan(&diffWho, &diffFrom, &diffTo); err != nil {
		b.Fatal(err)
	}
	funcs := []struct {
		name string
		fn   func() error
	}{
		{"Overview", func() error { _, err := db.Overview(ctx, asOf); return err }},
		{"CoverageByTask", func() error { _, err := db.CoverageByTask(ctx, Filter{}); return err }},
		{"CoverageByTask/city", func() error { _, err := db.CoverageByTask(ctx, Filter{City: "大连市"}); return err }},
		{"Matrix/school", func() error { _, err := db.Matrix(ctx, KindSchool, Filter{}); return err }},
		{"CoverageBySubmitter", func() error { _, err := db.CoverageBySubmitter(ctx, "", Filter{}); return err }},
		{"CoverageByCity", func() error { _, err := db.CoverageByCity(ctx); return err }},
		{"CoverageByDepartment", func() error { _, err := db.CoverageByDepartment(ctx); return err }},
		{"DepartmentTasks", func() error { _, err := db.DepartmentTasks(ctx, "省人社厅"); return err }},
		{"Submitter", func() error { _, err := db.Submitter(ctx, "沈阳市"); return err }},
		{"Task", func() error { _, err := db.Task(ctx, 24); return err }},
		{"Measures/task", func() error { _, err := db.Measures(ctx, MeasureFilter{Filter: Filter{TaskNo: 24}}); return err }},
		{"Measures/query", func() error { _, err := db.Measures(ctx, MeasureFilter{Query: "举措24", Limit: 100}); return err }},
		{"MeasureAt", func() error { _, err := db.MeasureAt(ctx, 950, "Sheet1", 5); return err }},
		{"Search", func() error { _, err := db.Search(ctx, "产业学院", 20); return err }},
		{"LocalUnits", func() error { _, err := db.LocalUnits(ctx, Filter{}); return err }},
		{"TargetProgress", func() error { _, err := db.TargetProgress(ctx, Filter{}); return err }},
		{"Deadlines", func() error { _, err := db.Deadlines(ctx, asOf, Filter{}); return err }},
		{"Returns", func() error { _, err := db.Returns(ctx, ReturnsOptions{AsOf: asOf}); return err }},
		{"Submissions", func() error { _, err := db.Submissions(ctx, SubmissionFilter{}); return err }},
		{"Findings", func() error { _, err := db.Findings(ctx, FindingFilter{CurrentOnly: true}); return err }},
		{"VersionDiff", func() error { _, err := db.VersionDiff(ctx, diffWho, diffFrom, diffTo); return err }},
	}
	for _, f := range funcs {
		b.Run("api/"+f.name, func(b *testing.B) { loop(b, f.fn) })
	}
}
