package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// departmentsView is every lead department with the coverage of the tasks it leads, and the local
// responsible units (责任单位) as submitters wrote them, normalised.
type departmentsView struct {
	Rows  []queries.DepartmentCoverage
	Units []queries.LocalUnit
}

const unitsShown = 100

func (s *Server) departmentsPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	var (
		rows  []queries.DepartmentCoverage
		units []queries.LocalUnit
	)
	err := parallel(
		func() (err error) { rows, err = s.cfg.DB.CoverageByDepartment(ctx); return },
		func() (err error) { units, err = s.cfg.DB.LocalUnits(ctx, queries.Filter{}); return },
	)
	if err != nil {
		return err
	}
	if len(units) > unitsShown {
		units = units[:unitsShown]
	}
	return s.render(c, "departments.html", &Page{
		Title: "牵头部门", Nav: "departments", Query: queryValues(c),
		Charts: []*charts.Chart{charts.WithTable(charts.ChartDepartmentCoverage("depts", rows), "coverage_by_department")},
		Body:   departmentsView{Rows: rows, Units: units},
	})
}

// departmentView is one department: the tasks it leads with their coverage, and the local units
// named for those tasks.
type departmentView struct {
	Name  string
	Row   queries.DepartmentCoverage
	Tasks []queries.TaskCoverage
	Units []queries.LocalUnit
}

func (s *Server) departmentPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	name, err := s.cfg.DB.ResolveDepartment(ctx, param(c, "name"))
	if err != nil {
		return err
	}
	if name != param(c, "name") {
		return c.Redirect("/departments/"+pathEscape(name), fiber.StatusFound)
	}
	v := departmentView{Name: name}
	var rows []queries.DepartmentCoverage
	db := s.cfg.DB
	err = parallel(
		func() (err error) { v.Tasks, err = db.DepartmentTasks(ctx, name); return },
		func() (err error) { rows, err = db.CoverageByDepartment(ctx); return },
		func() (err error) { v.Units, err = db.LocalUnits(ctx, queries.Filter{Department: name}); return },
	)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Department == name {
			v.Row = r
		}
	}
	if len(v.Units) > unitsShown {
		v.Units = v.Units[:unitsShown]
	}
	var chs []*charts.Chart
	if len(v.Tasks) > 0 {
		chs = append(chs, charts.ChartTaskCoverage("taskcov", v.Tasks, false))
	}
	return s.render(c, "department.html", &Page{Title: name, Nav: "departments", Query: queryValues(c), Charts: chs, Body: v,
		MeetingExtra: map[string]string{"dept": name}})
}
