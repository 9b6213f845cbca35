package queries

import (
	"context"
	"database/sql"
	"time"
)

// OverdueUnit is a submitter with measures past their due date.
type OverdueUnit struct {
	Submitter, Kind, City string
	Measures              int
	Earliest              time.Time // the earliest due date among them
}

// OverdueDepartment is a lead department whose tasks have measures past their due date.
type OverdueDepartment struct {
	Department string // "" for measures matched to no task
	Measures   int
	Submitters int
}

// Overdue is what "N 条举措已过完成时间" opens: who and which lead department. The measures themselves
// are Measures with MeasureFilter.OverdueAsOf.
type Overdue struct {
	AsOf        time.Time
	Quarter     string
	Units       []OverdueUnit
	Departments []OverdueDepartment
}

// Overdue counts the current measures due before asOf (not ongoing) by unit and by lead department;
// quarter ("2022Q2", "" = any) narrows them to one bar of the deadlines chart.
func (db *DB) Overdue(ctx context.Context, asOf time.Time, quarter string, f Filter) (Overdue, error) {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return Overdue{}, err
	}
	o := Overdue{AsOf: asOf, Quarter: quarter}
	day := asOf.Format("2006-01-02")
	o.Units, err = querySlice(ctx, db, "overdue_by_unit", func(rows *sql.Rows) (OverdueUnit, error) {
		var u OverdueUnit
		return u, rows.Scan(&u.Submitter, &u.Kind, &u.City, &u.Measures, &u.Earliest)
	}, f.args(day, quarter)...)
	if err != nil {
		return Overdue{}, err
	}
	o.Departments, err = querySlice(ctx, db, "overdue_by_department", func(rows *sql.Rows) (OverdueDepartment, error) {
		var d OverdueDepartment
		return d, rows.Scan(&d.Department, &d.Measures, &d.Submitters)
	}, f.args(day, quarter)...)
	if err != nil {
		return Overdue{}, err
	}
	return o, nil
}
