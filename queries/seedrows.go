package queries

import (
	"encoding/json"

	"lnvedash/seeds"
)

// seedBatch is one LoadSeeds statement (sql/seed_*.sql) and its rows, a JSON array whose fields the
// statement's from_json names.
type seedBatch struct {
	table, query, rows string
}

// seedBatches lays the reference data out as the seed statements read it. Lists are never null (an
// empty list stays an empty list in the tables, as the seed files say).
func seedBatches(set *seeds.Set) []seedBatch {
	type task struct {
		No             int      `json:"no"`
		AreaNo         int      `json:"area_no"`
		Area           string   `json:"area"`
		Content        string   `json:"content"`
		Departments    []string `json:"departments"`
		CityScope      string   `json:"city_scope"`
		ExpectsCities  bool     `json:"expects_cities"`
		ExpectsSchools bool     `json:"expects_schools"`
		Reason         string   `json:"reason"`
	}
	type taskDepartment struct {
		TaskNo     int    `json:"task_no"`
		Department string `json:"department"`
	}
	type target struct {
		TaskNo        int      `json:"task_no"`
		Metric        string   `json:"metric"`
		Target        float64  `json:"target"`
		Unit          string   `json:"unit"`
		Deadline      string   `json:"deadline"`
		Kind          string   `json:"kind"`
		Keywords      []string `json:"keywords"`
		Source        string   `json:"source"`
		DeadlineBasis string   `json:"deadline_basis"`
		AlsoUnits     []string `json:"also_units"`
	}
	type department struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
	}
	type submitter struct {
		Name      string   `json:"name"`
		Kind      string   `json:"kind"`
		City      string   `json:"city"`
		Aliases   []string `json:"aliases"`
		Level     string   `json:"level"`
		Ownership string   `json:"ownership"`
		Source    string   `json:"source"`
	}
	type templateRow struct {
		Position    int    `json:"position"`
		PrintedNo   string `json:"printed_no"`
		Area        string `json:"area"`
		Content     string `json:"content"`
		Departments string `json:"departments"`
		TaskNos     []int  `json:"task_nos"`
		Note        string `json:"note"`
	}
	var tasks []task
	var pairs []taskDepartment
	for _, t := range set.Tasks {
		tasks = append(tasks, task{t.No, t.AreaNo, t.Area, t.Content, orEmpty(t.Departments), t.CityScope, t.ExpectsCities, t.ExpectsSchools, t.Reason})
		for _, d := range t.Departments {
			pairs = append(pairs, taskDepartment{t.No, d})
		}
	}
	var targets []target
	for _, t := range set.Targets {
		targets = append(targets, target{t.TaskNo, t.Metric, t.Target, t.Unit, t.Deadline.Format("2006-01-02"), t.Kind,
			orEmpty(t.Keywords), t.Source, t.DeadlineBasis, orEmpty(t.AlsoUnits)})
	}
	var departments []department
	for _, d := range set.Departments {
		departments = append(departments, department{d.Name, orEmpty(d.Aliases)})
	}
	// Universities are recognised but expected of nobody: they stay out of the roster (submitters),
	// so no count over the roster can include them.
	var roster, universities []submitter
	for _, s := range set.Submitters {
		row := submitter{s.Name, s.Kind, s.City, orEmpty(s.Aliases), s.Level, s.Ownership, s.Source}
		if s.Kind == seeds.KindUniversity {
			universities = append(universities, row)
		} else {
			roster = append(roster, row)
		}
	}
	var template []templateRow
	for _, r := range set.TemplateRows {
		template = append(template, templateRow{r.Position, r.PrintedNo, r.Area, r.Content, r.Departments, orEmpty(r.TaskNos), r.Note})
	}
	var out []seedBatch
	add := func(table, query string, rows any) {
		b, err := json.Marshal(rows)
		if err != nil { // plain structs of strings, numbers and lists: cannot fail
			panic(err)
		}
		out = append(out, seedBatch{table, query, string(b)})
	}
	add("tasks", mustSQL("seed_task"), orEmpty(tasks))
	add("task_departments", mustSQL("seed_task_department"), orEmpty(pairs))
	add("targets", mustSQL("seed_target"), orEmpty(targets))
	add("departments", mustSQL("seed_department"), orEmpty(departments))
	add("submitters", mustSQL("seed_submitter"), orEmpty(roster))
	add("universities", mustSQL("seed_university"), orEmpty(universities))
	add("template_rows", mustSQL("seed_template_row"), orEmpty(template))
	return out
}

// orEmpty keeps an empty list, of rows or within one, an empty JSON array, not null.
func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
