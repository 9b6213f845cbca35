package seeds

import (
	"os"
	"strings"
	"testing"
)

func TestTasks(t *testing.T) {
	s := MustLoad()
	if len(s.Tasks) != 54 {
		t.Fatalf("tasks = %d, want 54", len(s.Tasks))
	}
	// Spot checks typed from 附件2 of the source document.
	tests := []struct {
		name  string
		no    int
		has   string
		depts []string
		scope string
	}{
		{"first", 1, "高层次技术管理人才", []string{"省委教育工委", "省教育厅"}, "各市"},
		{"no city", 2, "德育兼职导师", []string{"省人力资源社会保障厅", "省总工会", "省教育厅"}, ""},
		{"alias normalised", 21, "混合所有制", []string{"省教育厅", "省发展改革委", "省工业和信息化厅", "省财政厅", "省人力资源社会保障厅", "省审计厅"}, "各市"},
		{"related cities", 26, "产教融合型城市", []string{"省发展改革委", "省教育厅", "省工业和信息化厅", "省财政厅", "省人力资源社会保障厅", "省国资委"}, "相关市政府"},
		{"shenyang only", 37, "中德", []string{"省教育厅", "省政府外事办"}, "沈阳市"},
		{"missing from template", 40, "综合性实训环境", []string{"省教育厅", "省发展改革委", "省财政厅", "省工业和信息化厅"}, "各市"},
		{"ministry", 42, "部省协同推进机制", []string{"省政府", "教育部"}, ""},
		{"cities only", 43, "一市一策", nil, "各市"},
		{"tax bureau", 48, "税收减免", []string{"省发展改革委", "省税务局", "省财政厅"}, "各市"},
		{"last", 54, "国家设置标准", []string{"省教育厅", "省发展改革委", "省财政厅", "省人力资源社会保障厅"}, "各市"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			task, ok := s.Task(tc.no)
			if !ok {
				t.Fatalf("task %d missing", tc.no)
			}
			if !strings.Contains(task.Content, tc.has) {
				t.Errorf("task %d content %q lacks %q", tc.no, task.Content, tc.has)
			}
			if strings.Join(task.Departments, "、") != strings.Join(tc.depts, "、") {
				t.Errorf("task %d departments = %v, want %v", tc.no, task.Departments, tc.depts)
			}
			if task.CityScope != tc.scope {
				t.Errorf("task %d city scope = %q, want %q", tc.no, task.CityScope, tc.scope)
			}
			if task.ExpectsCities != (tc.scope != "") {
				t.Errorf("task %d expects cities = %v", tc.no, task.ExpectsCities)
			}
			if task.Reason == "" || task.Area == "" {
				t.Errorf("task %d lacks area or reason", tc.no)
			}
		})
	}
	if s.Tasks[36].ExpectsCity("大连市") || !s.Tasks[36].ExpectsCity("沈阳市") {
		t.Error("task 37 should expect 沈阳市 only")
	}
}

func TestTargets(t *testing.T) {
	s := MustLoad()
	// Every quantitative target of the document, typed from its text (附件2, 《意见》主要目标, 附件1).
	want := []struct {
		task   int
		metric string
		value  float64
		unit   string
	}{
		{3, "思想政治课示范课堂", 200, "个"},
		{3, "课程思政教育案例", 800, "个"},
		{9, "高水平特色专业（群）", 200, "个"},
		{12, "省级优质中职学校", 50, "所"},
		{12, "省级高水平高职院校", 20, "所"},
		{13, "专业协作体", 20, "个"},
		{15, "“课堂革命”典型案例", 200, "个"},
		{15, "“兴辽职教金课”", 1000, "门"},
		{19, "示范性职工培训基地", 20, "个"},
		{19, "特色职业培训学院", 10, "所"},
		{20, "职业技能培训", 2000000, "人次"},
		{21, "股份制、混合所有制职业院校或二级学院", 10, "所"},
		{23, "学徒制示范专业", 100, "个"},
		{24, "产业学院", 20, "个"},
		{32, "国家级“双师型”教师培养培训基地", 5, "个"},
		{32, "省级“双师型”教师培养培训基地", 30, "个"},
		{33, "教师企业实践流动站", 100, "个"},
		{39, "职业教育信息化标杆学校", 10, "所"},
		{41, "精品在线开放课程", 1000, "门"},
		{41, "示范性虚拟仿真实训基地", 20, "个"},
		{54, "达到国家设置标准的职业院校比例", 100, "%"},
		{0, "新增高素质劳动者和技术技能人才", 500000, "人"},
		{0, "职业教育本科院校", 3, "所"},
		{0, "职业技术师范大学", 1, "所"},
		{0, "中外合作职业技术大学", 1, "所"},
	}
	if len(s.Targets) != len(want) {
		t.Errorf("targets = %d, want %d", len(s.Targets), len(want))
	}
	byMetric := map[string]Target{}
	for _, tg := range s.Targets {
		byMetric[tg.Metric] = tg
	}
	for _, w := range want {
		got, ok := byMetric[w.metric]
		if !ok {
			t.Errorf("target %s missing", w.metric)
			continue
		}
		if got.TaskNo != w.task || got.Target != w.value || got.Unit != w.unit {
			t.Errorf("target %s = task %d %v %s, want task %d %v %s", w.metric, got.TaskNo, got.Target, got.Unit, w.task, w.value, w.unit)
		}
		if got.Deadline.Year() != 2022 || len(got.Keywords) == 0 || got.Source == "" {
			t.Errorf("target %s: deadline %v keywords %v source %q", w.metric, got.Deadline, got.Keywords, got.Source)
		}
	}
}

func TestDepartmentAliases(t *testing.T) {
	s := MustLoad()
	tests := []struct{ written, want string }{
		{"省人力资源社会保障厅", "省人力资源社会保障厅"},
		{"省人社厅", "省人力资源社会保障厅"},
		{"省发展改革委", "省发展改革委"},
		{"省发展和改革委员会", "省发展改革委"},
		{"省政府外办", "省政府外事办"},
		{"省政府外事办", "省政府外事办"},
		{"省工业和信息化厅", "省工业和信息化厅"},
		{"省工信厅", "省工业和信息化厅"},
		{"省委教育工委", "省委教育工委"},
		{"省教育工委", "省委教育工委"},
		{" 省 教育厅 ", "省教育厅"},
		{"辽宁省发改委", "省发展改革委"},
		{"辽宁省人社厅", "省人力资源社会保障厅"},
		{"辽宁省工信厅", "省工业和信息化厅"},
		{"辽宁省委教育工委", "省委教育工委"},
		{"中共辽宁省委教育工委", "省委教育工委"},
		{"辽宁省人民政府外事办公室", "省政府外事办"},
		{"省委外办", "省政府外事办"},
	}
	for _, tc := range tests {
		if got, ok := s.Department(tc.written); !ok || got != tc.want {
			t.Errorf("Department(%q) = %q, %v; want %q", tc.written, got, ok, tc.want)
		}
	}
	if _, ok := s.Department("省卫健委"); ok {
		t.Error("an unknown body resolved")
	}
	// Every department the template prints must resolve, whatever variant it uses.
	for _, r := range s.TemplateRows {
		for _, d := range strings.Split(r.Departments, "、") {
			if d == "" || d == "各市" || d == "相关市政府" || d == "沈阳市" {
				continue
			}
			if _, ok := s.Department(d); !ok {
				t.Errorf("template row %d: department %q does not resolve", r.Position, d)
			}
		}
	}
}

func TestSubmitters(t *testing.T) {
	s := MustLoad()
	want := "沈阳市 大连市 鞍山市 抚顺市 本溪市 丹东市 锦州市 营口市 阜新市 辽阳市 盘锦市 铁岭市 朝阳市 葫芦岛市"
	var got []string
	for _, c := range s.Cities() {
		got = append(got, c.Name)
		if c.City != c.Name {
			t.Errorf("city %s has city %s", c.Name, c.City)
		}
	}
	if strings.Join(got, " ") != want {
		t.Errorf("cities = %v", got)
	}
	// Exactly the colleges the file lists, counted from its lines rather than through Load.
	b, err := os.ReadFile("submitters.csv")
	if err != nil {
		t.Fatal(err)
	}
	nSchools := 0
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Split(l, ","); len(f) > 2 && !strings.HasPrefix(l, "#") && f[1] == "school" {
			nSchools++
		}
	}
	if n := len(s.Schools()); n != nSchools || n == 0 {
		t.Errorf("schools = %d, want the %d lines of kind school in submitters.csv", n, nSchools)
	}
	// 2021 (MoE list of higher-education institutions, Liaoning): 51 专科 + 1 职业本科.
	levels := map[string]int{}
	for _, sc := range s.Schools() {
		levels[sc.Level]++
		if sc.City == "" || len(sc.Aliases) == 0 || sc.Source == "" {
			t.Errorf("school %s lacks city, aliases or source", sc.Name)
		}
		if sc.Ownership != "公办" && sc.Ownership != "民办" {
			t.Errorf("school %s ownership %q", sc.Name, sc.Ownership)
		}
	}
	if n := len(s.Schools()); n != 52 || levels["专科"] != 51 || levels["职业本科"] != 1 {
		t.Errorf("schools = %d (levels %v), want 52: 51 专科 + 1 职业本科", n, levels)
	}
	rostered := map[string]Submitter{}
	alias := map[string]string{}
	for _, sb := range s.Submitters {
		rostered[sb.Name] = sb
		for _, a := range sb.Aliases {
			alias[a] = sb.Name
		}
	}
	if sb := rostered["辽宁理工职业大学"]; sb.Level != "职业本科" || sb.City != "锦州市" {
		t.Errorf("辽宁理工职业大学 = %+v", sb)
	}
	added := map[string]string{"铁岭师范高等专科学校": "铁岭市", "辽宁税务高等专科学校": "大连市", "沈阳航空职业技术学院": "沈阳市",
		"辽宁商贸职业学院": "沈阳市", "辽河石油职业技术学院": "盘锦市", "辽宁师范高等专科学校": "沈阳市"}
	for name, city := range added {
		if sb, ok := rostered[name]; !ok || sb.Kind != KindSchool || sb.City != city {
			t.Errorf("%s = %+v, want a school in %s", name, sb, city)
		}
	}
	// Not institutions in 2021: kept as aliases of their successors only.
	for old, succ := range map[string]string{"辽宁林业职业技术学院": "辽宁生态工程职业学院", "辽宁水利职业学院": "辽宁生态工程职业学院", "辽宁卫生职业技术学院": "辽宁医药职业学院"} {
		if _, ok := rostered[old]; ok {
			t.Errorf("%s is still on the roster", old)
		}
		if alias[old] != succ {
			t.Errorf("%s is an alias of %q, want %s", old, alias[old], succ)
		}
	}
	if sb := rostered["大连理工大学"]; sb.Kind != KindUniversity || sb.Level != "本科" {
		t.Errorf("大连理工大学 = %+v, want a university", sb)
	}
}

func TestAreasFollowTheOpinion(t *testing.T) {
	s := MustLoad()
	// The opinion's own sections (二（一）–（九）, 三（一）–（三)), checked paragraph by paragraph.
	groups := [][2]int{{1, 3}, {4, 4}, {5, 9}, {10, 16}, {17, 20}, {21, 27}, {28, 33}, {34, 37}, {38, 41}, {42, 43}, {44, 48}, {49, 54}}
	for g, r := range groups {
		for no := r[0]; no <= r[1]; no++ {
			if task, _ := s.Task(no); task.AreaNo != g+1 {
				t.Errorf("task %d in group %d, want %d", no, task.AreaNo, g+1)
			}
		}
	}
	if task, _ := s.Task(5); task.Area != "明确专业办学定位，优化职业教育专业布局" {
		t.Errorf("task 5 area %q", task.Area)
	}
}

func TestDeadlineBasis(t *testing.T) {
	s := MustLoad()
	// "到2022年" is written only in 主要目标 (tasks 9, 12, 20 and the headline target) and task 54.
	stated := map[string]bool{"高水平特色专业（群）": true, "省级优质中职学校": true, "省级高水平高职院校": true,
		"职业技能培训": true, "新增高素质劳动者和技术技能人才": true, "达到国家设置标准的职业院校比例": true}
	for _, tg := range s.Targets {
		want := DeadlineAssumed
		if stated[tg.Metric] {
			want = DeadlineStated
		}
		if tg.DeadlineBasis != want {
			t.Errorf("%s deadline basis %q, want %q", tg.Metric, tg.DeadlineBasis, want)
		}
	}
}

func TestTemplateRows(t *testing.T) {
	s := MustLoad()
	// The template as printed: 1–39 with 29 twice, then 46–54; 40–45 missing.
	if len(s.TemplateRows) != 49 {
		t.Fatalf("template rows = %d, want 49", len(s.TemplateRows))
	}
	byPos := map[int]TemplateRow{}
	for _, r := range s.TemplateRows {
		byPos[r.Position] = r
	}
	if r := byPos[7]; r.PrintedNo != "7" || len(r.TaskNos) != 2 || r.TaskNos[0] != 7 || r.TaskNos[1] != 8 {
		t.Errorf("row 7 = %+v, want tasks 7 and 8", r)
	}
	if r := byPos[8]; r.PrintedNo != "8" || len(r.TaskNos) != 1 || r.TaskNos[0] != 9 {
		t.Errorf("row 8 = %+v, want task 9", r)
	}
	if r := byPos[9]; r.Content != "" {
		t.Errorf("row 9 has text %q", r.Content)
	}
	if r := byPos[30]; r.PrintedNo != "29" || len(r.TaskNos) != 0 {
		t.Errorf("second 29 = %+v, want no task", r)
	}
	if r := byPos[41]; r.PrintedNo != "46" || r.TaskNos[0] != 46 {
		t.Errorf("row after 39 = %+v, want 46", r)
	}
}

// TestLoadDir: a folder's reference files replace the embedded ones of the same name, the rest stay,
// and a folder that would silently change nothing is refused.
func TestLoadDir(t *testing.T) {
	s, err := LoadDir("testdata/roster")
	if err != nil {
		t.Fatal(err)
	}
	// testdata/roster/submitters.csv, typed by hand.
	want := []Submitter{
		{Name: "安平市", Kind: KindCity, City: "安平市", Aliases: []string{"安平", "安平市教育局"}},
		{Name: "永昌市", Kind: KindCity, City: "永昌市", Aliases: []string{"永昌", "永昌市教育局"}},
		{Name: "安平职业技术学院", Kind: KindSchool, City: "安平市", Level: "专科", Ownership: "公办", Aliases: []string{"安平职院"}},
		{Name: "河北永昌商贸职业学院", Kind: KindSchool, City: "永昌市", Level: "职业本科", Ownership: "民办", Aliases: []string{"永昌商贸职院", "永昌商贸"}},
		{Name: "安平大学", Kind: KindUniversity, City: "安平市", Level: "本科", Ownership: "公办"},
	}
	if len(s.Submitters) != len(want) {
		t.Fatalf("%d submitters, want %d", len(s.Submitters), len(want))
	}
	for i, w := range want {
		g := s.Submitters[i]
		if g.Name != w.Name || g.Kind != w.Kind || g.City != w.City || g.Level != w.Level || g.Ownership != w.Ownership ||
			strings.Join(g.Aliases, "|") != strings.Join(w.Aliases, "|") {
			t.Errorf("submitter %d = %+v, want %+v", i, g, w)
		}
	}
	if len(s.Tasks) != 54 || len(s.Departments) == 0 || len(s.TemplateRows) == 0 {
		t.Errorf("the embedded tasks, departments and template rows should stay: %d tasks", len(s.Tasks))
	}
	emb := MustLoad()
	if s.Fingerprint == "" || s.Fingerprint == emb.Fingerprint {
		t.Errorf("fingerprint %q: want one of its own, not the embedded %q", s.Fingerprint, emb.Fingerprint)
	}
	again, err := LoadDir("testdata/roster")
	if err != nil || again.Fingerprint != s.Fingerprint {
		t.Errorf("the same folder twice: fingerprint %q then %q (%v)", s.Fingerprint, again.Fingerprint, err)
	}

	write := func(files map[string]string) string {
		dir := t.TempDir()
		for n, c := range files {
			if err := os.WriteFile(dir+"/"+n, []byte(c), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	head := "submitter,kind,city,level,ownership,aliases,source\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"empty folder", nil, "没有基础数据文件"},
		{"misspelt name", map[string]string{"submitter.csv": head}, "submitter.csv is not a reference file"},
		{"headers are built in", map[string]string{"headers.csv": "role,word,match\n"}, "headers.csv is not a reference file"},
		{"college in an unknown city", map[string]string{"submitters.csv": head + "甲职业学院,school,乙市,专科,公办,,x\n"}, `unknown city "乙市"`},
		{"alias of two units", map[string]string{"submitters.csv": head + "甲市,city,甲市,,,甲,x\n乙市,city,乙市,,,甲,x\n"}, `alias "甲"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadDir(write(tc.files))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := LoadDir("testdata/no-such-folder"); err == nil {
		t.Error("a missing folder loaded")
	}
}
