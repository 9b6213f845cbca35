package queries

import (
	"context"
	"reflect"
	"testing"
)

// Overdue at 2022-03-01, worked out from testdata/fixture.sql: current measures due before that day and
// not ongoing are 沈阳市 r5 (2021-12-31), 大连市 r4 (2021-12-31), 沈阳职院 r5 and r6 (2021-09-30,
// 2021-10-31) and 辽宁轻工 r5 (2022-01-31): five, all of task 1 (省委教育工委、省教育厅).
func TestOverdue(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	type unit struct {
		name string
		n    int
	}
	for _, tt := range []struct {
		name    string
		quarter string
		f       Filter
		units   []unit
		depts   int // measures per department of task 1
	}{
		{"all", "", Filter{}, []unit{{"沈阳职业技术学院", 2}, {"大连市", 1}, {"沈阳市", 1}, {"辽宁轻工职业学院", 1}}, 5},
		// the 2021Q4 bar: 沈阳市 and 大连市 (12-31), 沈阳职院 (10-31)
		{"2021Q4", "2021Q4", Filter{}, []unit{{"大连市", 1}, {"沈阳市", 1}, {"沈阳职业技术学院", 1}}, 3},
		{"cities", "", Filter{Kind: KindCity}, []unit{{"大连市", 1}, {"沈阳市", 1}}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o, err := db.Overdue(ctx, day(2022, 3, 1), tt.quarter, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []unit
			for _, u := range o.Units {
				got = append(got, unit{u.Submitter, u.Measures})
			}
			if !reflect.DeepEqual(got, tt.units) {
				t.Errorf("units %v, want %v", got, tt.units)
			}
			want := []OverdueDepartment{{"省委教育工委", tt.depts, len(tt.units)}, {"省教育厅", tt.depts, len(tt.units)}}
			if !reflect.DeepEqual(o.Departments, want) {
				t.Errorf("departments %+v, want %+v", o.Departments, want)
			}
			ms, err := db.Measures(ctx, MeasureFilter{Filter: tt.f, OverdueAsOf: day(2022, 3, 1), Quarter: tt.quarter})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != tt.depts {
				t.Errorf("overdue measures %d, want %d", len(ms), tt.depts)
			}
			for _, m := range ms {
				if m.Ongoing || m.DueDate.IsZero() || !m.DueDate.Before(day(2022, 3, 1)) {
					t.Errorf("not overdue: %+v", m)
				}
			}
		})
	}
}
