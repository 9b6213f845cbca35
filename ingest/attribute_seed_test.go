package ingest

import (
	"testing"

	"lnvedash/seeds"
)

// The keyword and unit defects of issue 14, each a wrong or missing number on the targets chart: the
// phrase, the task its row matched, and the metric, unit and unit as written a person expects.
func TestAttributionDefects(t *testing.T) {
	set := seeds.MustLoad()
	tests := []struct {
		name, goal     string
		task           int
		metric         string
		unit, unitWrit string
	}{
		{"full-width brackets in the keyword", "建设高水平专业（群）3个", 9, "高水平特色专业（群）", "个", "个"},
		{"task 32: 省级 without 基地 is not a base", "省级教学创新团队2个", 32, "", "个", "个"},
		{"task 32: 双师型 without 基地 is not a base", "双师型名师工作室1个", 32, "", "个", "个"},
		{"task 32: 省级“双师型” with quotes and 基地", "建设省级“双师型”教师培养培训基地1个", 32, "省级“双师型”教师培养培训基地", "个", "个"},
		{"task 32: national base", "国家级“双师型”教师培训基地1个", 32, "国家级“双师型”教师培养培训基地", "个", "个"},
		{"task 15: an online course is no 金课", "在线开放课程10门", 15, "", "门", "门"},
		{"task 15: 金课 still counts", "培育兴辽职教金课5门", 15, "“兴辽职教金课”", "门", "门"},
		{"task 3: 思政示范课", "思政示范课5个", 3, "思想政治课示范课堂", "个", "个"},
		{"task 3: 课程思政示范课程 is a case", "课程思政示范课程3个", 3, "课程思政教育案例", "个", "个"},
		{"task 12: a new secondary school is not a 优质 one", "新建中职学校1所", 12, "", "所", "所"},
		{"task 12: 优质中职学校", "建成省级优质中职学校1所", 12, "省级优质中职学校", "所", "所"},
		{"个 for 所: 二级学院", "二级学院2个", 21, "股份制、混合所有制职业院校或二级学院", "所", "个"},
		{"所 for 个: 产业学院", "产业学院2所", 24, "产业学院", "个", "所"},
		{"个 for 所: 标杆校", "标杆校1个", 39, "职业教育信息化标杆学校", "所", "个"},
		{"人 for 人次: training", "培训5000人", 20, "职业技能培训", "人次", "人"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := commitments(tc.goal, tc.task, ParseQuantities(tc.goal), set.TargetsFor(tc.task))
			if len(cs) != 1 {
				t.Fatalf("%d commitments from %q: %+v", len(cs), tc.goal, cs)
			}
			c := cs[0]
			if c.Metric != tc.metric || c.Unit != tc.unit || c.UnitWritten != tc.unitWrit {
				t.Errorf("%q → metric %q unit %q (written %q), want %q %q (%q)", tc.goal, c.Metric, c.Unit, c.UnitWritten, tc.metric, tc.unit, tc.unitWrit)
			}
		})
	}
}

// keywordPhrases gives, for every keyword of seeds/targets.csv, a 完成目标 phrase, written by hand, that
// must be attributed to its target by that keyword. A keyword added to the seeds without a phrase here
// fails the test; so does one that no phrase can reach (an earlier target claiming it, a unit mismatch).
var keywordPhrases = map[string]map[string]string{
	"思想政治课示范课堂":          {"示范课堂": "建设示范课堂10个", "思政课示范": "打造思政课示范课2个", "思想政治课": "思想政治课精品课堂3个", "示范课+!课程思政": "思政示范课5个"},
	"课程思政教育案例":           {"课程思政": "课程思政案例20个", "思政案例": "形成思政案例8个", "教育案例": "育人教育案例6个"},
	"高水平特色专业（群）":         {"高水平特色专业": "建设高水平特色专业4个", "特色专业": "省级特色专业2个", "专业群": "重点专业群3个", "专业（群）": "高水平专业（群）2个"},
	"省级优质中职学校":           {"优质中职": "建成优质中职学校2所", "优质中等职业": "优质中等职业学校1所"},
	"省级高水平高职院校":          {"高水平高职": "建成高水平高职院校1所", "高职院校+!新建": "进入省级高职院校建设行列1所"},
	"专业协作体":              {"协作体": "组建专业协作体2个"},
	"“课堂革命”典型案例":         {"课堂革命": "课堂革命案例5个", "典型案例": "遴选典型案例3个"},
	"“兴辽职教金课”":           {"金课": "建设金课12门", "兴辽职教": "兴辽职教精品课6门"},
	"示范性职工培训基地":          {"职工培训基地": "建设职工培训基地1个", "示范性职工": "示范性职工培训中心1个", "培训基地": "省级培训基地2个"},
	"特色职业培训学院":           {"培训学院": "建设培训学院1所", "特色职业": "特色职业学院1所"},
	"职业技能培训":             {"技能培训": "开展技能培训3000人次", "职业培训": "职业培训1万人次", "培训": "社会培训5000人次"},
	"股份制、混合所有制职业院校或二级学院": {"混合所有制": "混合所有制学院1所", "股份制": "股份制办学1所", "二级学院": "二级学院2个"},
	"学徒制示范专业":            {"学徒制": "现代学徒制试点专业3个"},
	"产业学院":               {"产业学院": "产业学院2所"},
	"国家级“双师型”教师培养培训基地":   {"国家级+基地": "国家级教师培训基地1个"},
	"省级“双师型”教师培养培训基地":    {"省级+基地": "省级教师发展基地1个", "双师型+基地": "“双师型”教师基地2个", "培养培训基地": "教师培养培训基地1个"},
	"教师企业实践流动站":          {"流动站": "共建流动站3个", "企业实践": "教师企业实践站2个"},
	"职业教育信息化标杆学校":        {"标杆学校": "建成标杆学校1所", "标杆校": "标杆校1个", "信息化标杆": "信息化标杆单位1所", "信息化": "信息化示范校1所"},
	"精品在线开放课程":           {"在线开放课程": "在线开放课程10门", "精品在线": "精品在线课5门", "在线课程": "在线课程8门", "精品课": "省级精品课4门"},
	"示范性虚拟仿真实训基地":        {"虚拟仿真": "虚拟仿真实训基地1个"},
	"达到国家设置标准的职业院校比例":    {"设置标准": "达到设置标准100%", "达标": "达标率100%", "办学条件": "办学条件达标100%"},
	"新增高素质劳动者和技术技能人才":    {"技术技能人才": "培养技术技能人才5000人", "高素质劳动者": "新增高素质劳动者3000人"},
	"职业教育本科院校":           {"本科院校": "职业本科院校1所", "职业本科": "职业本科试点1所", "本科层次": "本科层次职业学校1所"},
	"职业技术师范大学":           {"师范大学": "转设职业技术师范大学1所"},
	"中外合作职业技术大学":         {"中外合作": "中外合作大学1所"},
}

func TestEverySeedKeywordMatchesAPhrase(t *testing.T) {
	set := seeds.MustLoad()
	for _, tg := range set.Targets {
		phrases := keywordPhrases[tg.Metric]
		for _, kw := range tg.Keywords {
			phrase, ok := phrases[kw]
			if !ok {
				t.Errorf("%s: keyword %q has no phrase in keywordPhrases", tg.Metric, kw)
				continue
			}
			if !keywordHits(kw, halfWidth(phrase)) {
				t.Errorf("%s: keyword %q does not match its phrase %q", tg.Metric, kw, phrase)
			}
			if tg.TaskNo == 0 {
				continue // headline and ministry targets belong to no task: nothing is attributed to them
			}
			cs := commitments(phrase, tg.TaskNo, ParseQuantities(phrase), set.TargetsFor(tg.TaskNo))
			if len(cs) != 1 || cs[0].Metric != tg.Metric {
				t.Errorf("%s: phrase %q for keyword %q is attributed %+v", tg.Metric, phrase, kw, cs)
			}
		}
	}
}

func TestKeywordHits(t *testing.T) {
	tests := []struct {
		kw, text string
		want     bool
	}{
		{"专业（群）", "专业(群)", true}, // the keyword is normalised like the text
		{"省级+基地", "省级教学团队", false},
		{"省级+基地", "省级“双师型”教师培训基地", true},
		{"示范课+!课程思政", "课程思政示范课程", false},
		{"!课程思政", "示范课", false}, // a keyword of exclusions alone names nothing
		{"", "示范课", false},
	}
	for _, tc := range tests {
		if got := keywordHits(tc.kw, tc.text); got != tc.want {
			t.Errorf("keywordHits(%q, %q) = %v, want %v", tc.kw, tc.text, got, tc.want)
		}
	}
}
