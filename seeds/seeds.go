// Package seeds holds the reference data of the reform — the 54 tasks of 附件2, the province's
// quantitative targets, the lead departments and their aliases, the roster of expected submitters and
// the notice template's own row numbering — as CSV files a person can read and edit, embedded into the
// binary. Each file's header says where its values come from in the source document.
package seeds

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed *.csv
var files embed.FS

// Task is one canonical task of 附件2.
type Task struct {
	No             int
	AreaNo         int
	Area           string // 主要任务
	Content        string // 政策内容
	Departments    []string
	CityScope      string // "各市", "相关市政府", "沈阳市" or ""
	ExpectsCities  bool
	ExpectsSchools bool
	Reason         string
}

// ExpectsCity reports whether the given city is expected to address the task.
func (t Task) ExpectsCity(city string) bool {
	if !t.ExpectsCities {
		return false
	}
	switch t.CityScope {
	case "各市", "相关市政府":
		return true
	default:
		return t.CityScope == city
	}
}

// Target is a province-wide quantitative target. TaskNo is 0 for headline and ministry targets.
type Target struct {
	TaskNo   int
	Metric   string
	Target   float64
	Unit     string
	Deadline time.Time
	// DeadlineBasis says whether the document itself gives the deadline (原文: "到2022年" of the 主要目标
	// and task 54) or it is assumed (推定: the document gives no date for that target).
	DeadlineBasis string
	Kind          string // task, headline, ministry
	// Keywords: one of them in a quantity's clause attributes it to the target. A keyword may be
	// several terms joined by "+" (all must appear) and terms prefixed "!" (must not appear).
	Keywords []string
	// AlsoUnits are measure words counted as Unit for this target (所 for 个 where the target counts
	// institutions, 人 for 人次 in training).
	AlsoUnits []string
	Source    string
}

// Department is a canonical provincial body with the variants people write for it.
type Department struct {
	Name    string
	Aliases []string
}

// Submitter is a city or college expected to return a checklist, or an undergraduate university whose
// return is accepted and shown apart (never in the colleges' denominators).
type Submitter struct {
	Name      string
	Kind      string // city, school or university
	City      string
	Level     string // 专科 / 职业本科 / 本科; "" for a city
	Ownership string // 公办 / 民办; "" for a city
	Aliases   []string
	Source    string
}

// TemplateRow is one row of the notice's template as printed, drift included.
type TemplateRow struct {
	Position    int
	PrintedNo   string
	Area        string
	Content     string
	Departments string
	TaskNos     []int // empty: not a task (a page-break fragment)
	Note        string
}

// Set is the whole reference data.
type Set struct {
	// Fingerprint identifies the files the set was loaded from (sha256 over names and contents); ""
	// for a set built by hand, which is then always reloaded.
	Fingerprint string

	Tasks        []Task
	Targets      []Target
	Departments  []Department
	Submitters   []Submitter
	TemplateRows []TemplateRow
}

// Kinds of submitter.
const (
	KindCity       = "city"
	KindSchool     = "school"
	KindUniversity = "university"
)

// Deadline bases of a target.
const (
	DeadlineStated  = "原文"
	DeadlineAssumed = "推定"
)

// Load parses the embedded seed files.
func Load() (*Set, error) {
	src, err := embedded()
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	return load(src)
}

// Reference are the files of the reference data; headers.csv, the reader's vocabulary, is not one.
var Reference = []string{"tasks.csv", "targets.csv", "departments.csv", "submitters.csv", "template_rows.csv"}

// LoadDir is Load with the reference files found in dir replacing the embedded ones of the same name
// (a folder holding only submitters.csv gives another roster with the same tasks and targets): for the
// benchmarks' generated national roster, tests, or another province's roster. Any other .csv in dir
// is refused, so a misspelt file name cannot leave the built-in data silently in force. The
// fingerprint covers the files in force, so a database opened with another folder reloads its seeds.
func LoadDir(dir string) (*Set, error) {
	src, err := embedded()
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("seeds folder %s: %w", dir, err)
	}
	found := 0
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		if !slices.Contains(Reference, e.Name()) {
			return nil, fmt.Errorf("seeds folder %s: %s is not a reference file (%s)（不认识的基础数据文件）", dir, e.Name(), strings.Join(Reference, ", "))
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("seeds folder %s: %w", dir, err)
		}
		src[e.Name()] = b
		found++
	}
	if found == 0 {
		return nil, fmt.Errorf("seeds folder %s: none of %s（文件夹中没有基础数据文件）", dir, strings.Join(Reference, ", "))
	}
	return load(src)
}

// embedded reads every embedded seed file by name.
func embedded() (map[string][]byte, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	src := map[string][]byte{}
	for _, e := range entries {
		b, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		src[e.Name()] = b
	}
	return src, nil
}

// load parses the reference files of src (file name → content).
func load(src map[string][]byte) (*Set, error) {
	s := &Set{}
	steps := []struct {
		name string
		fn   func(map[string]string) error
	}{
		{"tasks.csv", s.addTask},
		{"targets.csv", s.addTarget},
		{"departments.csv", s.addDepartment},
		{"submitters.csv", s.addSubmitter},
		{"template_rows.csv", s.addTemplateRow},
	}
	for _, st := range steps {
		if err := readCSV(src[st.name], st.fn); err != nil {
			return nil, fmt.Errorf("seeds %s: %w", st.name, err)
		}
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	s.Fingerprint = fingerprint(src)
	return s, nil
}

// fingerprint hashes every seed file in force, name and content, in name order.
func fingerprint(src map[string][]byte) string {
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(src[n]))
		h.Write(src[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// MustLoad is Load for tests and for data the binary cannot run without.
func MustLoad() *Set {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

func readCSV(b []byte, fn func(map[string]string) error) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("header: %w", err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) != len(header) {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(header))
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = strings.TrimSpace(rec[i])
		}
		if err := fn(m); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

func split(s, sep string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, sep)
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func atoi(field, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q: not an integer", field, v)
	}
	return n, nil
}

func (s *Set) addTask(m map[string]string) error {
	no, err := atoi("task_no", m["task_no"])
	if err != nil {
		return err
	}
	area, err := atoi("area_no", m["area_no"])
	if err != nil {
		return err
	}
	s.Tasks = append(s.Tasks, Task{
		No: no, AreaNo: area, Area: m["area"], Content: m["content"],
		Departments: split(m["departments"], "、"), CityScope: m["city_scope"],
		ExpectsCities: m["expects_cities"] == "true", ExpectsSchools: m["expects_schools"] == "true",
		Reason: m["reason"],
	})
	return nil
}

func (s *Set) addTarget(m map[string]string) error {
	t := Target{Metric: m["metric"], Unit: m["unit"], Kind: m["kind"], Keywords: split(m["keywords"], "|"),
		AlsoUnits: split(m["also_units"], "|"), DeadlineBasis: m["deadline_basis"], Source: m["source"]}
	if t.DeadlineBasis != DeadlineStated && t.DeadlineBasis != DeadlineAssumed {
		return fmt.Errorf("deadline_basis %q: want %s or %s", t.DeadlineBasis, DeadlineStated, DeadlineAssumed)
	}
	if m["task_no"] != "" {
		no, err := atoi("task_no", m["task_no"])
		if err != nil {
			return err
		}
		t.TaskNo = no
	}
	v, err := strconv.ParseFloat(m["target"], 64)
	if err != nil {
		return fmt.Errorf("target %q: not a number", m["target"])
	}
	t.Target = v
	d, err := time.Parse("2006-01-02", m["deadline"])
	if err != nil {
		return fmt.Errorf("deadline %q: %w", m["deadline"], err)
	}
	t.Deadline = d
	s.Targets = append(s.Targets, t)
	return nil
}

func (s *Set) addDepartment(m map[string]string) error {
	s.Departments = append(s.Departments, Department{Name: m["department"], Aliases: split(m["aliases"], "|")})
	return nil
}

func (s *Set) addSubmitter(m map[string]string) error {
	k := m["kind"]
	if k != KindCity && k != KindSchool && k != KindUniversity {
		return fmt.Errorf("kind %q: want city, school or university", k)
	}
	s.Submitters = append(s.Submitters, Submitter{Name: m["submitter"], Kind: k, City: m["city"], Level: m["level"],
		Ownership: m["ownership"], Aliases: split(m["aliases"], "|"), Source: m["source"]})
	return nil
}

func (s *Set) addTemplateRow(m map[string]string) error {
	pos, err := atoi("position", m["position"])
	if err != nil {
		return err
	}
	r := TemplateRow{Position: pos, PrintedNo: m["printed_no"], Area: m["area"], Content: m["content"], Departments: m["departments"], Note: m["note"]}
	for _, v := range split(m["task_nos"], "|") {
		n, err := atoi("task_nos", v)
		if err != nil {
			return err
		}
		r.TaskNos = append(r.TaskNos, n)
	}
	s.TemplateRows = append(s.TemplateRows, r)
	return nil
}

// check enforces the invariants the rest of the program relies on, so a bad edit of a seed file fails
// at start with the line to fix rather than as a wrong number on the dashboard.
func (s *Set) check() error {
	tasks := map[int]bool{}
	for i, t := range s.Tasks {
		if t.No != i+1 {
			return fmt.Errorf("tasks.csv: task %d out of order (want %d)", t.No, i+1)
		}
		tasks[t.No] = true
	}
	depts := map[string]bool{}
	for _, d := range s.Departments {
		depts[d.Name] = true
	}
	for _, t := range s.Tasks {
		for _, d := range t.Departments {
			if !depts[d] {
				return fmt.Errorf("tasks.csv: task %d names department %q, not in departments.csv", t.No, d)
			}
		}
	}
	metrics := map[string]bool{}
	for _, t := range s.Targets {
		if t.TaskNo != 0 && !tasks[t.TaskNo] {
			return fmt.Errorf("targets.csv: %s names unknown task %d", t.Metric, t.TaskNo)
		}
		if metrics[t.Metric] {
			return fmt.Errorf("targets.csv: metric %q twice", t.Metric)
		}
		metrics[t.Metric] = true
	}
	names := map[string]string{}
	for _, sb := range s.Submitters {
		for _, n := range append([]string{sb.Name}, sb.Aliases...) {
			if prev, ok := names[n]; ok && prev != sb.Name {
				return fmt.Errorf("submitters.csv: alias %q names both %s and %s", n, prev, sb.Name)
			}
			names[n] = sb.Name
		}
	}
	for _, sb := range s.Submitters {
		if c, ok := names[sb.City]; !ok || c != sb.City {
			return fmt.Errorf("submitters.csv: %s is in unknown city %q", sb.Name, sb.City)
		}
	}
	for _, r := range s.TemplateRows {
		for _, n := range r.TaskNos {
			if !tasks[n] {
				return fmt.Errorf("template_rows.csv: row %d maps to unknown task %d", r.Position, n)
			}
		}
	}
	return nil
}

// Task returns the task with the given number.
func (s *Set) Task(no int) (Task, bool) {
	if no < 1 || no > len(s.Tasks) {
		return Task{}, false
	}
	return s.Tasks[no-1], true
}

// Cities lists the city submitters in roster order.
func (s *Set) Cities() []Submitter { return s.byKind(KindCity) }

// Schools lists the college submitters in roster order.
func (s *Set) Schools() []Submitter { return s.byKind(KindSchool) }

// Universities lists the undergraduate universities known to the roster (accepted, never expected).
func (s *Set) Universities() []Submitter { return s.byKind(KindUniversity) }

func (s *Set) byKind(k string) []Submitter {
	var out []Submitter
	for _, sb := range s.Submitters {
		if sb.Kind == k {
			out = append(out, sb)
		}
	}
	return out
}

// TargetsFor lists the targets of one task.
func (s *Set) TargetsFor(task int) []Target {
	var out []Target
	for _, t := range s.Targets {
		if t.TaskNo == task {
			out = append(out, t)
		}
	}
	return out
}

// Department resolves a department as written (canonical name or alias, spaces ignored) to its
// canonical name; failing that, the same after DepartmentKey's prefix normalisation.
func (s *Set) Department(written string) (string, bool) {
	w := strings.Join(strings.Fields(written), "")
	if d, ok := s.department(w); ok {
		return d, true
	}
	return s.department(DepartmentKey(w))
}

// DepartmentKey drops the prefixes people add to a provincial body's name: a leading 中共 and the
// province, 辽宁/辽宁省 becoming 省 ("辽宁省发改委" → "省发改委", "中共辽宁省委教育工委" → "省委教育工委").
// views/0230_local_units.sql applies the same rule in SQL.
func DepartmentKey(w string) string {
	w = strings.TrimPrefix(w, "中共")
	switch {
	case strings.HasPrefix(w, "辽宁省"):
		return "省" + strings.TrimPrefix(w, "辽宁省")
	case strings.HasPrefix(w, "辽宁"):
		return "省" + strings.TrimPrefix(w, "辽宁")
	}
	return w
}

func (s *Set) department(w string) (string, bool) {
	for _, d := range s.Departments {
		if d.Name == w {
			return d.Name, true
		}
		for _, a := range d.Aliases {
			if a == w {
				return d.Name, true
			}
		}
	}
	return "", false
}
