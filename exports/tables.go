package exports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"lnvedash/queries"
)

// Source is the data source stated on every export.
const Source = "各市、各院校报送的《任务落实举措清单》（lnvedash）"

// ErrUnknownTable is returned (wrapped) for a table name no builder knows.
var ErrUnknownTable = errors.New("unknown export table")

// ErrBadParam is returned (wrapped) for a filter value that cannot be read; its message is Chinese,
// for the person who typed it.
var ErrBadParam = errors.New("bad export parameter")

// Params are the filters of an export, the same the dashboard pages read from their URL.
type Params struct {
	Filter      queries.Filter // kind, city, task, area, dept
	Submitter   string         // one submitter (roster name or alias); "" = all
	Query       string         // free text looked for in measures
	Severity    string         // findings: error / warning / info
	Status      string         // submissions: current / superseded / rejected
	AllVersions bool           // findings: include superseded and rejected files (default: current only)
	Overdue     bool           // measures: only those due before the as-of date (overdue=1)
	Quarter     string         // measures, overdue: only those due in this quarter (quarter=2022Q2)
	// AsOf dates the overdue counts ("数据截至"); zero = Now.
	AsOf time.Time
	// Now is when the export is made; returns count every file received by then.
	Now time.Time
	// Returns deadline settings, as on the returns page (deadline=YYYY-MM-DD, grace=days,
	// by=earliest|ingested|modified; "" = queries.DefaultBasis).
	Deadline  time.Time
	GraceDays int
	Basis     queries.Basis
}

// ParseParams reads Params from a URL query: kind, city, area, dept (or department), task, submitter,
// q, severity, status, all, as_of, deadline, grace, by. now is the clock.
func ParseParams(q url.Values, now time.Time) (Params, error) {
	p := Params{Now: now}
	p.Filter.Kind = strings.TrimSpace(q.Get("kind"))
	if p.Filter.Kind != "" && p.Filter.Kind != queries.KindCity && p.Filter.Kind != queries.KindSchool {
		return Params{}, fmt.Errorf("%w: 类型（kind）应为 city 或 school", ErrBadParam)
	}
	p.Filter.City = strings.TrimSpace(q.Get("city"))
	p.Filter.Department = strings.TrimSpace(q.Get("dept"))
	if p.Filter.Department == "" {
		p.Filter.Department = strings.TrimSpace(q.Get("department"))
	}
	var err error
	if p.Filter.TaskNo, err = atoiOpt(q.Get("task")); err != nil {
		return Params{}, fmt.Errorf("%w: 任务序号（task）应为整数", ErrBadParam)
	}
	if p.Filter.AreaNo, err = atoiOpt(q.Get("area")); err != nil {
		return Params{}, fmt.Errorf("%w: 主要任务（area）应为整数", ErrBadParam)
	}
	p.Submitter = strings.TrimSpace(q.Get("submitter"))
	p.Query = strings.TrimSpace(q.Get("q"))
	p.Severity = strings.TrimSpace(q.Get("severity"))
	p.Status = strings.TrimSpace(q.Get("status"))
	p.AllVersions = q.Get("all") == "1"
	p.Overdue = q.Get("overdue") == "1"
	if v := strings.TrimSpace(q.Get("quarter")); v != "" {
		if p.Quarter = ParseQuarter(v); p.Quarter == "" {
			return Params{}, fmt.Errorf("%w: 季度（quarter）格式应为 2022Q2 或 2022年第2季度", ErrBadParam)
		}
	}
	if v := strings.TrimSpace(q.Get("as_of")); v != "" {
		if p.AsOf, err = ParseDate(v); err != nil {
			return Params{}, fmt.Errorf("%w: 数据截至日期（as_of）格式应为 2022-06-30", ErrBadParam)
		}
	}
	if v := strings.TrimSpace(q.Get("deadline")); v != "" {
		t, err := ParseDate(v)
		if err != nil {
			return Params{}, fmt.Errorf("%w: 截止日期（deadline）格式应为 2021-09-20", ErrBadParam)
		}
		p.Deadline = t.Add(24*time.Hour - time.Second)
	}
	if p.GraceDays, err = atoiOpt(q.Get("grace")); err != nil || p.GraceDays < 0 || p.GraceDays > 3650 {
		return Params{}, fmt.Errorf("%w: 宽限天数（grace）应为 0 到 3650 之间的整数", ErrBadParam)
	}
	if p.Basis, err = queries.ParseBasis(strings.TrimSpace(q.Get("by"))); err != nil {
		return Params{}, fmt.Errorf("%w: 按时判定依据（by）应为 earliest、ingested 或 modified", ErrBadParam)
	}
	return p, nil
}

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

func atoiOpt(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

// asOf is the date that dates overdue counts.
func (p Params) asOf() time.Time {
	if !p.AsOf.IsZero() {
		return p.AsOf
	}
	if !p.Now.IsZero() {
		return p.Now
	}
	return time.Now()
}

// AsOfDate is the as-of date stated on exports, the end of that day for the overdue cut.
func (p Params) AsOfDate() time.Time { return p.asOf() }

// Describe states the filters in Chinese: "范围：全省" or "筛选：地市 大连市；类型 院校".
func (p Params) Describe() string {
	var parts []string
	f := p.Filter
	if f.City != "" {
		parts = append(parts, "地市 "+f.City)
	}
	switch f.Kind {
	case queries.KindCity:
		parts = append(parts, "类型 地市")
	case queries.KindSchool:
		parts = append(parts, "类型 院校")
	}
	if f.AreaNo != 0 {
		parts = append(parts, "主要任务 第"+strconv.Itoa(f.AreaNo)+"项")
	}
	if f.TaskNo != 0 {
		parts = append(parts, "任务 "+strconv.Itoa(f.TaskNo))
	}
	if f.Department != "" {
		parts = append(parts, "牵头部门 "+f.Department)
	}
	if p.Submitter != "" {
		parts = append(parts, "单位 "+p.Submitter)
	}
	if p.Query != "" {
		parts = append(parts, "检索“"+p.Query+"”")
	}
	if p.Severity != "" {
		parts = append(parts, "级别 "+queries.SeverityLabel(p.Severity))
	}
	if p.Status != "" {
		parts = append(parts, "状态 "+queries.StatusLabel(p.Status))
	}
	if p.Overdue {
		parts = append(parts, "已逾期")
	}
	if p.Quarter != "" {
		parts = append(parts, "完成时间 "+QuarterLabel(p.Quarter))
	}
	if len(parts) == 0 {
		return "范围：全省"
	}
	return "筛选：" + strings.Join(parts, "；")
}

// Caption is the line stated above every exported table: filters, as-of date, the on-time basis,
// source, and a note.
func (p Params) Caption(note string) string {
	s := p.Describe() + " · 数据截至 " + p.asOf().Format("2006-01-02") + " · " + p.Basis.Label() + " · 来源：" + Source
	if note != "" {
		s += " · " + note
	}
	return s
}

// builder builds one table.
type builder struct {
	title string
	build func(ctx context.Context, db *queries.DB, p Params) (*Table, error)
}

var builders = map[string]builder{
	"overview":               {"概览", buildOverview},
	"coverage_by_task":       {"各任务覆盖率", buildCoverageByTask},
	"coverage_by_submitter":  {"各单位覆盖率", buildCoverageBySubmitter},
	"coverage_by_city":       {"各市覆盖率", buildCoverageByCity},
	"coverage_by_department": {"各牵头部门覆盖率", buildCoverageByDepartment},
	"target_progress":        {"量化目标进度", buildTargetProgress},
	"deadlines":              {"完成时间分布", buildDeadlines},
	"returns":                {"催报名单", buildReturns},
	"returns_summary":        {"报送情况", buildReturnsSummary},
	"submissions":            {"收到的文件", buildSubmissions},
	"findings":               {"待核实的问题", buildFindings},
	"measures":               {"具体举措", buildMeasures},
	"overdue":                {"逾期举措", buildOverdue},
	"overdue_by_unit":        {"逾期举措（按单位）", buildOverdueByUnit},
	"overdue_by_department":  {"逾期举措（按牵头部门）", buildOverdueByDepartment},
	// delivery (定期考核): delivery.go
	"delivery":                 {"完成情况", buildDelivery},
	"red_list":                 {"逾期未完成举措", buildRedList},
	"completion_by_task":       {"各任务完成情况", completionTable("task", "任务序号")},
	"completion_by_submitter":  {"各单位完成情况", completionTable("submitter", "单位")},
	"completion_by_city":       {"各市完成情况", completionTable("city", "地市")},
	"completion_by_department": {"各牵头部门完成情况", completionTable("department", "牵头部门")},
	"completion_by_round":      {"各轮次完成情况", buildCompletionByRound},
	"target_achievement":       {"量化目标完成情况", buildTargetAchievement},
	// the checklist and its stamped copy per unit (issue 14): stamped.go
	"stamped_copies": {"清单与盖章扫描件", buildStampedCopies},
}

// Names lists the tables Build knows, sorted.
func Names() []string {
	out := make([]string, 0, len(builders))
	for n := range builders {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Build runs the queries behind one table under the filters in p.
func Build(ctx context.Context, db *queries.DB, name string, p Params) (*Table, error) {
	b, ok := builders[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownTable, name)
	}
	t, err := b.build(ctx, db, p)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", name, err)
	}
	t.Name = name
	if t.Title == "" {
		t.Title = b.title
	}
	if t.Caption == "" {
		t.Caption = p.Caption("")
	}
	return t, nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// resolveSubmitter maps a name or alias to the roster name ("" stays "").
func resolveSubmitter(ctx context.Context, db *queries.DB, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	return db.ResolveSubmitter(ctx, name)
}

// cityOf maps every rostered submitter to its city.
func cityOf(db *queries.DB) map[string]string {
	m := map[string]string{}
	if db.Seeds != nil {
		for _, s := range db.Seeds.Submitters {
			m[s.Name] = s.City
		}
	}
	return m
}

// KeyNumbers are the headline figures of the 概览, computed under the filters (a city's pack counts its
// own plan and its colleges). Coverage is pooled: addressed (submitter, task) pairs over expected pairs.
type KeyNumbers struct {
	CitiesExpected, CitiesReturned             int
	SchoolsExpected, SchoolsReturned           int
	CityPairsExpected, CityPairsAddressed      int
	SchoolPairsExpected, SchoolPairsAddressed  int
	Measures, UnmatchedMeasures                int
	Overdue, WithinTargetYear, Ongoing, NoDate int
	Missing, Late                              int
	Deadlines                                  queries.Deadlines
}

// Ratio is a/b, 0 when b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ComputeKeyNumbers runs the queries behind the 概览.
func ComputeKeyNumbers(ctx context.Context, db *queries.DB, p Params) (KeyNumbers, error) {
	var k KeyNumbers
	f := p.Filter
	subs, err := db.CoverageBySubmitter(ctx, f.Kind, f)
	if err != nil {
		return k, fmt.Errorf("key numbers: %w", err)
	}
	for _, s := range subs {
		k.Measures += s.Measures
		k.UnmatchedMeasures += s.UnmatchedMeasures
		if s.Kind == queries.KindCity {
			k.CitiesExpected++
			k.CityPairsExpected += s.TasksExpected
			k.CityPairsAddressed += s.TasksAddressed
			if s.Returned {
				k.CitiesReturned++
			}
		} else {
			k.SchoolsExpected++
			k.SchoolPairsExpected += s.TasksExpected
			k.SchoolPairsAddressed += s.TasksAddressed
			if s.Returned {
				k.SchoolsReturned++
			}
		}
	}
	if k.Deadlines, err = db.Deadlines(ctx, p.asOf(), f); err != nil {
		return k, fmt.Errorf("key numbers: %w", err)
	}
	k.Overdue, k.WithinTargetYear = k.Deadlines.Overdue, k.Deadlines.WithinTargetYear
	k.Ongoing, k.NoDate = k.Deadlines.Ongoing, k.Deadlines.NoDate
	chase, err := chaseList(ctx, db, p)
	if err != nil {
		return k, fmt.Errorf("key numbers: %w", err)
	}
	for _, c := range chase {
		if c.Status == "missing" {
			k.Missing++
		} else {
			k.Late++
		}
	}
	return k, nil
}

func buildOverview(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	k, err := ComputeKeyNumbers(ctx, db, p)
	if err != nil {
		return nil, err
	}
	t := &Table{
		Columns: []Column{{"指标", Text, 34}, {"数值", Int, 12}, {"分母", Int, 12}, {"比例", Percent, 10}, {"说明", Text, 60}},
	}
	add := func(label string, v, den int, note string) {
		row := []any{label, v, nil, nil, note}
		if den > 0 {
			row[2], row[3] = den, Ratio(v, den)
		}
		t.Rows = append(t.Rows, row)
	}
	if p.Filter.Kind != queries.KindSchool {
		add("已报送“一市一策”的地市", k.CitiesReturned, k.CitiesExpected, "分母：应报送的地市")
		add("地市任务覆盖：已有举措的（地市×任务）", k.CityPairsAddressed, k.CityPairsExpected, "分母：应落实的（地市×任务）组合")
	}
	if p.Filter.Kind != queries.KindCity {
		add("已报送“一校一案”的院校", k.SchoolsReturned, k.SchoolsExpected, "分母：名册中的院校")
		add("院校任务覆盖：已有举措的（院校×任务）", k.SchoolPairsAddressed, k.SchoolPairsExpected, "分母：应落实的（院校×任务）组合")
	}
	total := k.Deadlines.Total
	add("具体举措（现行版本）", k.Measures+k.UnmatchedMeasures, 0, fmt.Sprintf("其中 %d 条未能对应任务", k.UnmatchedMeasures))
	add("已过完成时间的举措", k.Overdue, total, "截至 "+p.asOf().Format("2006-01-02")+"；分母：对应任务的举措")
	add("定于2022年底前完成的举措", k.WithinTargetYear, total, "分母：对应任务的举措")
	add("长期/持续推进的举措", k.Ongoing, total, "")
	add("未写明完成时间的举措", k.NoDate, total, "")
	add("尚未报送（催报）", k.Missing, k.CitiesExpected+k.SchoolsExpected, "分母：应报送的单位")
	add("逾期报送", k.Late, k.CitiesExpected+k.SchoolsExpected, "")
	return t, nil
}

func buildCoverageByTask(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.CoverageByTask(ctx, p.Filter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"任务序号", Int, 8}, {"主要任务", Text, 24}, {"任务内容", Text, 50}, {"牵头部门", Text, 24},
		{"应落实地市", Int, 0}, {"已报送地市", Int, 0}, {"已落实地市", Int, 0}, {"地市覆盖率", Percent, 0},
		{"应落实院校", Int, 0}, {"已报送院校", Int, 0}, {"已落实院校", Int, 0}, {"院校覆盖率", Percent, 0},
		{"地市举措条数", Int, 0}, {"院校举措条数", Int, 0}, {"举措合计", Int, 0}, {"说明", Text, 16},
	}}
	for _, r := range rows {
		// A task nobody of a kind was asked to do has no coverage: blank and 不要求, as on the page,
		// never 0 % (a chart built from the file would show a false gap).
		cityCov, schoolCov := notRequired(r.CitiesExpected, r.CityCoverage), notRequired(r.SchoolsExpected, r.SchoolCoverage)
		var notes []string
		if r.CitiesExpected == 0 {
			notes = append(notes, "不要求地市落实")
		}
		if r.SchoolsExpected == 0 {
			notes = append(notes, "不要求院校落实")
		}
		t.Rows = append(t.Rows, []any{r.TaskNo, r.Area, r.Content, strings.Join(r.Departments, "、"),
			r.CitiesExpected, r.CitiesReturned, r.CitiesResponded, cityCov,
			r.SchoolsExpected, r.SchoolsReturned, r.SchoolsResponded, schoolCov,
			r.CityMeasures, r.SchoolMeasures, r.Measures, strings.Join(notes, "；")})
	}
	t.Caption = p.Caption("覆盖率为空：不要求该类单位落实（不要求），不计为未覆盖")
	return t, nil
}

func buildCoverageBySubmitter(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.CoverageBySubmitter(ctx, p.Filter.Kind, p.Filter)
	if err != nil {
		return nil, err
	}
	sub, err := resolveSubmitter(ctx, db, p.Submitter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"排名", Int, 6}, {"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0}, {"是否报送", Text, 8},
		{"应落实任务", Int, 0}, {"已落实任务", Int, 0}, {"覆盖率", Percent, 0}, {"举措条数", Int, 0},
		{"未对应任务的举措", Int, 0}, {"版本数", Int, 0}, {"未能读取的文件", Int, 0},
		{"现行文件", Text, 36}, {"文件修改时间", DateTime, 17}, {"入库时间", DateTime, 17},
	}}
	switch p.Filter.Kind {
	case queries.KindCity:
		t.Title = "各市“一市一策”覆盖率"
	case queries.KindSchool:
		t.Title = "各院校“一校一案”覆盖率"
	}
	for _, r := range rows {
		if sub != "" && r.Submitter != sub {
			continue
		}
		t.Rows = append(t.Rows, []any{r.Rank, r.Submitter, queries.KindLabel(r.Kind), r.City, yesNo(r.Returned),
			r.TasksExpected, r.TasksAddressed, r.Coverage, r.Measures, r.UnmatchedMeasures, r.Versions, r.RejectedFiles,
			r.FileName, r.ModifiedAt, r.IngestedAt})
	}
	return t, nil
}

func buildCoverageByCity(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.CoverageByCity(ctx)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"地市", Text, 10}, {"是否报送一市一策", Text, 10}, {"应落实任务", Int, 0}, {"已落实任务", Int, 0}, {"一市一策覆盖率", Percent, 0},
		{"一市一策举措条数", Int, 0}, {"名册院校", Int, 0}, {"已报送院校", Int, 0}, {"院校应落实（校×任务）", Int, 0},
		{"院校已落实（校×任务）", Int, 0}, {"院校覆盖率", Percent, 0}, {"院校举措条数", Int, 0}, {"未报送的院校", Text, 50},
	}}
	for _, r := range rows {
		if p.Filter.City != "" && r.City != p.Filter.City {
			continue
		}
		t.Rows = append(t.Rows, []any{r.City, yesNo(r.CityReturned), r.CityTasksExpected, r.CityTasksAddressed, r.CityCoverage,
			r.CityMeasures, r.SchoolsExpected, r.SchoolsReturned, r.SchoolPairsExpected, r.SchoolPairsAddressed,
			r.SchoolCoverage, r.SchoolMeasures, strings.Join(r.MissingSchools, "、")})
	}
	return t, nil
}

func buildCoverageByDepartment(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.CoverageByDepartment(ctx)
	if err != nil {
		return nil, err
	}
	dept := ""
	if p.Filter.Department != "" {
		if dept, err = db.ResolveDepartment(ctx, p.Filter.Department); err != nil {
			return nil, err
		}
	}
	t := &Table{Columns: []Column{
		{"牵头部门", Text, 0}, {"牵头任务数", Int, 0}, {"应落实（单位×任务）", Int, 0}, {"已落实（单位×任务）", Int, 0}, {"覆盖率", Percent, 0},
		{"地市应落实", Int, 0}, {"地市已落实", Int, 0}, {"地市覆盖率", Percent, 0},
		{"院校应落实", Int, 0}, {"院校已落实", Int, 0}, {"院校覆盖率", Percent, 0}, {"举措条数", Int, 0},
	}}
	for _, r := range rows {
		if dept != "" && r.Department != dept {
			continue
		}
		t.Rows = append(t.Rows, []any{r.Department, r.Tasks, r.ExpectedPairs, r.AddressedPairs, r.Coverage,
			r.CityPairsExpected, r.CityPairsAddressed, r.CityCoverage,
			r.SchoolPairsExpected, r.SchoolPairsAddressed, r.SchoolCoverage, r.Measures})
	}
	note := ""
	if p.Filter.City != "" || p.Filter.Kind != "" {
		note = "本表为全省口径，不按地市、类型筛选"
	}
	t.Caption = p.Caption(note)
	return t, nil
}

func buildTargetProgress(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.TargetProgress(ctx, p.Filter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"任务序号", Int, 8}, {"指标", Text, 30}, {"单位", Text, 6}, {"全省目标", Float, 0}, {"完成期限", Date, 11},
		{"期限依据", Text, 22}, {"统计方式", Text, 8}, {"地市承诺", Float, 0}, {"地市承诺占目标", Percent, 0}, {"院校承诺", Float, 0},
		{"院校承诺占目标", Percent, 0}, {"承诺的地市", Int, 0}, {"承诺的院校", Int, 0}, {"承诺条数", Int, 0},
		{"单位不一致未计入", Int, 0},
	}}
	for _, r := range rows {
		agg := "合计"
		if r.Mean {
			agg = "平均"
		}
		var task any = r.TaskNo
		if r.TaskNo == 0 {
			task = nil
		}
		t.Rows = append(t.Rows, []any{task, r.Metric, r.Unit, r.Target, r.Deadline, deadlineBasis(r.DeadlineBasis), agg,
			r.CommittedByCities, r.CityRatio, r.CommittedBySchools, r.SchoolRatio,
			r.CitiesCommitting, r.SchoolsCommitting, r.Commitments, r.UnitMismatches})
	}
	t.Caption = p.Caption("地市、院校分列：市方案可能已含本市院校的工作，二者相加可能重复计算")
	return t, nil
}

// deadlineBasis says whether the document states a target's deadline: only the 主要目标 items and task
// 54 say "到2022年"; every other date is assumed and must not be quoted as the document's word.
func deadlineBasis(b string) string {
	switch b {
	case "原文":
		return "原文（文件写明“到2022年”）"
	case "推定":
		return "推定（文件未写期限）"
	}
	return b
}

// QuarterLabel turns "2022Q2" into 2022年第2季度.
func QuarterLabel(period string) string {
	return strings.Replace(period, "Q", "年第", 1) + "季度"
}

func buildDeadlines(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	d, err := db.Deadlines(ctx, p.asOf(), p.Filter)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{{"完成时间（季度）", Text, 18}, {"举措条数", Int, 0}, {"已逾期", Int, 0}, {"未到期", Int, 0}}}
	for _, q := range d.ByQuarter {
		t.Rows = append(t.Rows, []any{QuarterLabel(q.Period), q.Measures, q.Overdue, q.Measures - q.Overdue})
	}
	t.Rows = append(t.Rows, []any{"长期/持续", d.Ongoing, 0, d.Ongoing}, []any{"未写明时间", d.NoDate, 0, d.NoDate})
	t.Caption = p.Caption(fmt.Sprintf("共 %d 条，已逾期 %d 条（早于 %s）", d.Total, d.Overdue, p.asOf().Format("2006-01-02")))
	return t, nil
}

// chaseList is the 催报 list under the filters: missing then late, in roster order.
func chaseList(ctx context.Context, db *queries.DB, p Params) ([]queries.ChaseItem, error) {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	r, err := db.Returns(ctx, queries.ReturnsOptions{Deadline: p.Deadline, Grace: time.Duration(p.GraceDays) * 24 * time.Hour,
		AsOf: now, Basis: p.Basis})
	if err != nil {
		return nil, err
	}
	var out []queries.ChaseItem
	for _, c := range r.Chase {
		if p.Filter.Kind != "" && c.Kind != p.Filter.Kind {
			continue
		}
		if p.Filter.City != "" && c.City != p.Filter.City {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

func buildReturns(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	chase, err := chaseList(ctx, db, p)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0}, {"状态", Text, 10},
		{"收到时间", DateTime, 17}, {"逾期天数", Float, 0}, {"未能读取的文件", Int, 0},
	}}
	for _, c := range chase {
		var late any
		if c.Status == "late" {
			late = float64(int(c.Late.Hours()/24*10)) / 10
		}
		t.Rows = append(t.Rows, []any{c.Submitter, queries.KindLabel(c.Kind), c.City, queries.StatusLabel(c.Status), c.ReceivedAt, late, c.RejectedFiles})
	}
	deadline := p.Deadline
	if deadline.IsZero() {
		deadline = queries.DefaultReturnsDeadline
	}
	t.Caption = p.Caption("报送截止 " + deadline.Add(time.Duration(p.GraceDays)*24*time.Hour).Format("2006-01-02") + "；按截至导出时已收到的文件统计")
	return t, nil
}

func buildSubmissions(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	rows, err := db.Submissions(ctx, queries.SubmissionFilter{Submitter: p.Submitter, Kind: p.Filter.Kind, City: p.Filter.City, Status: p.Status})
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"编号", Int, 6}, {"文件名", Text, 40}, {"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0},
		{"状态", Text, 12}, {"未能读取的原因", Text, 36}, {"文件修改时间", DateTime, 17}, {"入库时间", DateTime, 17},
		{"大小（字节）", Int, 0}, {"工作表", Text, 0}, {"举措条数", Int, 0}, {"错误", Int, 0}, {"警告", Int, 0}, {"SHA-256", Text, 20},
		{"原因代码", Text, 0},
	}}
	for _, s := range rows {
		t.Rows = append(t.Rows, []any{s.SubmissionID, s.FileName, s.Submitter, queries.KindLabel(s.Kind), s.City,
			queries.StatusLabel(s.Status), reasonFor(s.ReasonCode, s.Reason), s.ModifiedAt, s.IngestedAt, s.SizeBytes, s.Sheet, s.Measures, s.Errors, s.Warnings, s.SHA256, s.ReasonCode})
	}
	return t, nil
}

func buildFindings(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	sub, err := resolveSubmitter(ctx, db, p.Submitter)
	if err != nil {
		return nil, err
	}
	rows, err := db.Findings(ctx, queries.FindingFilter{Submitter: sub, Severity: p.Severity, CurrentOnly: !p.AllVersions})
	if err != nil {
		return nil, err
	}
	cities := cityOf(db)
	t := &Table{Columns: []Column{
		{"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0}, {"文件", Text, 36}, {"工作表", Text, 0}, {"行", Int, 6},
		{"级别", Text, 6}, {"问题类型", Text, 18}, {"说明", Text, 70}, {"文件状态", Text, 12}, {"代码", Text, 0},
	}}
	for _, f := range rows {
		if p.Filter.Kind != "" && f.Kind != p.Filter.Kind {
			continue
		}
		if p.Filter.City != "" && cities[f.Submitter] != p.Filter.City {
			continue
		}
		var row any
		if f.Row > 0 {
			row = f.Row
		}
		kind := ""
		if f.Submitter != "" {
			kind = queries.KindLabel(f.Kind)
		}
		t.Rows = append(t.Rows, []any{f.Submitter, kind, cities[f.Submitter], f.FileName, f.Sheet, row,
			queries.SeverityLabel(f.Severity), queries.FindingLabel(f.Code), f.Message, queries.StatusLabel(f.Status), f.Code})
	}
	if !p.AllVersions {
		t.Caption = p.Caption("仅现行版本")
	}
	return t, nil
}

func buildMeasures(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	mf := queries.MeasureFilter{Filter: p.Filter, Submitter: p.Submitter, Query: p.Query, Quarter: p.Quarter}
	if p.Overdue {
		mf.OverdueAsOf = p.asOf()
	}
	rows, err := db.Measures(ctx, mf)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []Column{
		{"单位", Text, 0}, {"类型", Text, 6}, {"所在市", Text, 0}, {"任务序号", Int, 8}, {"原表序号", Text, 8},
		{"任务内容（原文）", Text, 36}, {"具体举措", Text, 60}, {"完成目标", Text, 30}, {"责任单位", Text, 24},
		{"完成时间（原文）", Text, 14}, {"完成日期", Date, 11}, {"长期/持续", Text, 8}, {"文件", Text, 30}, {"工作表", Text, 0}, {"行", Int, 6},
	}}
	for _, m := range rows {
		var task any
		if m.TaskNo != 0 {
			task = m.TaskNo
		}
		t.Rows = append(t.Rows, []any{m.Submitter, queries.KindLabel(m.Kind), m.City, task, m.PrintedNo, m.TaskText, m.Measure, m.Goal,
			m.Owner, m.Due, m.DueDate, yesNo(m.Ongoing), m.FileName, m.Sheet, m.Row})
	}
	return t, nil
}

func buildReturnsSummary(ctx context.Context, db *queries.DB, p Params) (*Table, error) {
	chase, err := chaseList(ctx, db, p)
	if err != nil {
		return nil, err
	}
	type counts struct{ expected, late, missing int }
	by := map[string]*counts{queries.KindCity: {}, queries.KindSchool: {}}
	if db.Seeds != nil {
		for _, s := range db.Seeds.Submitters {
			if c := by[s.Kind]; c != nil && (p.Filter.City == "" || s.City == p.Filter.City) {
				c.expected++
			}
		}
	}
	for _, c := range chase {
		if k := by[c.Kind]; k != nil {
			if c.Status == "missing" {
				k.missing++
			} else {
				k.late++
			}
		}
	}
	t := &Table{Columns: []Column{
		{"类型", Text, 10}, {"应报送", Int, 0}, {"按时报送", Int, 0}, {"逾期报送", Int, 0}, {"未报送", Int, 0},
		{"报送率", Percent, 0}, {"按时报送率", Percent, 0},
	}}
	for _, kind := range []string{queries.KindCity, queries.KindSchool} {
		if p.Filter.Kind != "" && kind != p.Filter.Kind {
			continue
		}
		c := by[kind]
		onTime := c.expected - c.late - c.missing
		t.Rows = append(t.Rows, []any{queries.KindLabel(kind), c.expected, onTime, c.late, c.missing,
			Ratio(c.expected-c.missing, c.expected), Ratio(onTime, c.expected)})
	}
	deadline := p.Deadline
	if deadline.IsZero() {
		deadline = queries.DefaultReturnsDeadline
	}
	t.Caption = p.Caption("报送截止 " + deadline.Add(time.Duration(p.GraceDays)*24*time.Hour).Format("2006-01-02") + "；分母为名册中的单位")
	return t, nil
}

// reasonFor is a rejection in words: its label and the message, without the code ("" if not rejected).
func reasonFor(code, reason string) string {
	if reason == "" {
		return ""
	}
	return queries.ReasonLabel(code) + "：" + queries.ReasonText(reason)
}

// notRequired is a coverage ratio, or NaN (a blank cell) when nobody was expected.
func notRequired(expected int, ratio float64) float64 {
	if expected == 0 {
		return math.NaN()
	}
	return ratio
}
