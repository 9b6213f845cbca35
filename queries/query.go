package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kinds of submitter, as stored in submitters.kind.
const (
	KindCity   = "city"
	KindSchool = "school"
)

// TargetYearEnd is the end of the reform's target year: most targets are "到2022年".
var TargetYearEnd = time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)

// Filter narrows the coverage queries. Zero values mean "all". Submitter-side fields (Kind, City)
// restrict who is counted; task-side fields (TaskNo, AreaNo, Department) restrict which tasks. City and
// Department accept aliases; an unknown city, department, task or area gives ErrNotFound.
type Filter struct {
	Kind       string // KindCity or KindSchool
	City       string // a city: its own plan and its colleges (submitters.city)
	TaskNo     int    // one task
	AreaNo     int    // one 主要任务 group (tasks.area_no)
	Department string // tasks led by this provincial department (canonical name or any alias)
}

// checkFilter validates a Filter and puts its names in canonical form: City may be an alias (大连) and
// Department an alias (省人社厅). An unknown city, department, task or area is ErrNotFound rather than
// an empty result, so a typo is never mistaken for "nothing there".
func (db *DB) checkFilter(ctx context.Context, f Filter) (Filter, error) {
	if f.Kind != "" && f.Kind != KindCity && f.Kind != KindSchool {
		return f, fmt.Errorf("filter: kind %q: want %s or %s", f.Kind, KindCity, KindSchool)
	}
	if f.City != "" || f.TaskNo != 0 || f.AreaNo != 0 {
		var city sql.NullString
		var taskOK, areaOK bool
		err := db.QueryRowContext(ctx, mustSQL("check_filter"), strings.TrimSpace(f.City), f.TaskNo, f.AreaNo).
			Scan(&city, &taskOK, &areaOK)
		if err != nil {
			return f, fmt.Errorf("check_filter: %w", err)
		}
		switch {
		case f.City != "" && !city.Valid:
			return f, fmt.Errorf("filter: %w", notFound("地市", f.City))
		case f.TaskNo != 0 && !taskOK:
			return f, fmt.Errorf("filter: %w", notFound("任务", f.TaskNo))
		case f.AreaNo != 0 && !areaOK:
			return f, fmt.Errorf("filter: %w", notFound("主要任务", f.AreaNo))
		}
		if f.City != "" {
			f.City = city.String
		}
	}
	if f.Department != "" {
		dept, err := db.ResolveDepartment(ctx, f.Department)
		if err != nil {
			return f, fmt.Errorf("filter: department: %w", err)
		}
		f.Department = dept
	}
	return f, nil
}

// args binds a Filter to the $1..$5 placeholders every filtered .sql file uses, in this order:
// $1 kind, $2 city, $3 task_no, $4 area_no, $5 department. Further parameters start at $6. Call it on
// a Filter checkFilter returned: the .sql files compare $2 and $5 with canonical names only (matching
// aliases there again cost ≈6 ms a query, unit_aliases being a view over every spelling).
func (f Filter) args(more ...any) []any {
	return append([]any{f.Kind, f.City, f.TaskNo, f.AreaNo, f.Department}, more...)
}

// ratio is a/b, 0 when b is 0: "nothing expected" shows as 0 beside an expected count of 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// splitList splits a list the SQL joined with "|" (DuckDB lists come back as []any; a joined string
// keeps the scanning explicit). "" gives nil.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// timeOf turns a NULL timestamp into the zero time.
func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time
}

// querySlice runs a query and scans every row with scan; name wraps errors.
// querier is a *DB, or a *sql.Conn inside a transaction (IngestTx).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func querySlice[T any](ctx context.Context, db querier, name string, scan func(*sql.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, mustSQL(name), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: scan: %w", name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// ResolveSubmitter returns the roster name for a name or alias (as written in submitters.aliases).
func (db *DB) ResolveSubmitter(ctx context.Context, name string) (string, error) {
	// A roster name as it stands needs no statement (≈1 ms each, and a unit's page asked up to three
	// times): the submitters table holds exactly the seeds once Open has loaded them.
	if db.rosterNames != nil && db.rosterNames[strings.TrimSpace(name)] {
		return strings.TrimSpace(name), nil
	}
	var canon string
	err := db.QueryRowContext(ctx, mustSQL("resolve_submitter"), strings.TrimSpace(name)).Scan(&canon)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("resolve_submitter: %w", notFound("报送单位", strings.TrimSpace(name)))
	}
	if err != nil {
		return "", fmt.Errorf("resolve_submitter: %w", err)
	}
	return canon, nil
}

// ResolveDepartment returns the canonical department for a name or alias.
func (db *DB) ResolveDepartment(ctx context.Context, name string) (string, error) {
	var canon string
	err := db.QueryRowContext(ctx, mustSQL("resolve_department"), strings.TrimSpace(name)).Scan(&canon)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("resolve_department: %w", notFound("部门", strings.TrimSpace(name)))
	}
	if err != nil {
		return "", fmt.Errorf("resolve_department: %w", err)
	}
	return canon, nil
}
