package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"lnvedash/seeds"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestParseDue(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time // zero: no date
		ongoing bool
	}{
		{"year month", "2022年6月", day(2022, 6, 30), false},
		{"year", "2022年", day(2022, 12, 31), false},
		{"year end before", "2022年底前", day(2022, 12, 31), false},
		{"dotted", "2021.12", day(2021, 12, 31), false},
		{"slashed", "2022/9", day(2022, 9, 30), false},
		{"quarter", "2022年第二季度", day(2022, 6, 30), false},
		{"quarter digit", "2022年第4季度", day(2022, 12, 31), false},
		{"first half", "2023年上半年", day(2023, 6, 30), false},
		{"second half", "2023年下半年", day(2023, 12, 31), false},
		{"range", "2021年9月—2022年12月", day(2022, 12, 31), false},
		{"range same year", "2021年9月至12月", day(2021, 12, 31), false},
		{"range dash", "2021.9-2022.6", day(2022, 6, 30), false},
		{"year range", "2021-2022年", day(2022, 12, 31), false},
		{"month range", "2022年6-9月", day(2022, 9, 30), false},
		{"full date", "2022年6月15日", day(2022, 6, 15), false},
		{"iso date", "2022-06-15", day(2022, 6, 15), false},
		{"serial", "44834", day(2022, 9, 30), false},
		{"serial with time", "44834.5", day(2022, 9, 30), false},
		{"full width", "２０２２年６月", day(2022, 6, 30), false},
		{"spaces", " 2022 年 6 月 ", day(2022, 6, 30), false},
		{"february leap", "2024年2月", day(2024, 2, 29), false},
		{"number year", "2022", day(2022, 12, 31), false},
		{"month end words", "2022年6月底", day(2022, 6, 30), false},
		{"long term", "长期", time.Time{}, true},
		{"ongoing", "持续推进", time.Time{}, true},
		{"normalised", "常态化", time.Time{}, true},
		{"yearly", "每年", time.Time{}, true},
		{"unreadable", "尽快", time.Time{}, false},
		{"empty", "", time.Time{}, false},
		{"bad month", "2022年13月", time.Time{}, false},
		{"month without year", "6月", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseDue(tt.in, false)
			if got.Ongoing != tt.ongoing || got.HasDate != !tt.want.IsZero() || (got.HasDate && !got.Date.Equal(tt.want)) {
				t.Errorf("ParseDue(%q) = %+v, want date %v ongoing %v", tt.in, got, tt.want, tt.ongoing)
			}
		})
	}
	if got := ParseDue("0", true); got.OK() {
		t.Errorf("ParseDue(0, 1904) = %+v, want nothing", got)
	}
	// 1904 date system: serial 43372 is 2022-09-30 (1462 days fewer than in the 1900 system).
	if got := ParseDue("43372", true); !got.Date.Equal(day(2022, 9, 30)) {
		t.Errorf("ParseDue(43372, 1904) = %v, want 2022-09-30", got.Date)
	}
}

func TestParseQuantities(t *testing.T) {
	type q = Quantity
	tests := []struct {
		name string
		in   string
		want []Quantity
	}{
		{"build two", "建设2个", []q{{2, "个", "2个"}}},
		{"ten thousand", "培训1.2万人次", []q{{12000, "人次", "1.2万人次"}}},
		{"at least", "不少于3所", []q{{3, "所", "3所"}}},
		{"chinese two", "两个", []q{{2, "个", "两个"}}},
		{"chinese ten", "十门", []q{{10, "门", "十门"}}},
		{"chinese twenty three", "二十三项", []q{{23, "项", "二十三项"}}},
		{"percent", "100%", []q{{100, "%", "100%"}}},
		{"full width percent", "１００％", []q{{100, "%", "100%"}}},
		{"several", "建设10个示范课堂、20个课程思政案例", []q{{10, "个", "10个"}, {20, "个", "20个"}}},
		{"year is no quantity", "2022年建成3个", []q{{3, "个", "3个"}}},
		{"ordinal", "第一批", nil},
		{"code", "5G基站1个", []q{{1, "个", "1个"}}},
		{"one plus x", "1+X证书试点", nil},
		{"no number", "形成年度报告", nil},
		{"about", "200个左右", []q{{200, "个", "200个"}}},
		{"more than", "1000余门", []q{{1000, "门", "1000余门"}}},
		{"money", "投入3万元", []q{{30000, "元", "3万元"}}},
		{"percentage points", "提高5个百分点", []q{{5, "个百分点", "5个百分点"}}},
		{"unify", "统一标准", nil},
		{"duration", "三个月内建成2个", []q{{2, "个", "2个"}}},
		{"range commits its floor", "建设3-5个", []q{{3, "个", "3-5个"}}},
		{"range in words", "开设3至5门", []q{{3, "门", "3至5门"}}},
		{"thousands", "培训3千人次", []q{{3000, "人次", "3千人次"}}},
		{"batches add up", "第一批10个、第二批5个", []q{{15, "个", "第一批10个、第二批5个"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseQuantities(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("ParseQuantities(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("ParseQuantities(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestMatchTask(t *testing.T) {
	m := NewMatcher(seeds.MustLoad())
	tests := []struct {
		name      string
		printed   string
		text      string
		measure   string
		task      int
		method    string
		findCodes []string
	}{
		{"canonical text", "9", "重点培育200个左右高水平特色专业（群）", "", 9, MethodContent, nil},
		{"template text with punctuation and spaces", "1", "采取专兼职结合方式， 为职业院校班子配备1名具有5年以上行业工作经历的高层次人才。", "", 1, MethodTemplate, nil},
		{"template row 8 prints task 9", "8", "重点培育200个左右高水平特色专业（群）。", "", 9, MethodContent, nil},
		{"row 7 decided by measure: evaluation", "7", "建立完善职业教育专业布局动态调整机制，开展职业教育专业评估、卓越专业评估，积极支持第三方机构开展评估。", "实施星级专业评估、卓越专业评估", 8, MethodMeasure, []string{"ambiguous_task"}},
		{"row 7 decided by measure: adjustment", "7", "建立完善职业教育专业布局动态调整机制，开展职业教育专业评估、卓越专业评估，积极支持第三方机构开展评估。", "建立专业布局动态调整机制，开展毕业生3年跟踪调查", 7, MethodMeasure, []string{"ambiguous_task"}},
		{"row 7 undecidable", "7", "建立完善职业教育专业布局动态调整机制，开展职业教育专业评估、卓越专业评估，积极支持第三方机构开展评估。", "加强领导", 7, MethodTemplate, []string{"ambiguous_task"}},
		{"number disagrees", "42", "完成200万人次左右职业技能培训", "", 20, MethodContent, []string{"number_mismatch"}},
		{"number only", "12", "", "", 12, MethodNumber, []string{"task_by_number"}},
		{"missing template number 40", "40", "", "", 40, MethodNumber, []string{"task_by_number"}},
		{"full width number", "２０", "", "", 20, MethodNumber, []string{"task_by_number"}},
		{"nothing", "", "", "", 0, MethodNone, []string{"unknown_task"}},
		{"unknown text, number fallback", "5", "今天天气很好", "", 5, MethodNumber, []string{"unknown_task"}},
		{"unknown text, no number", "", "今天天气很好", "", 0, MethodNone, []string{"unknown_task"}},
		{"trimmed text is a weak match", "", "支持职业院校与走出去企业对接", "", 34, MethodContent, []string{"weak_match"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.printed, tt.text, tt.measure)
			if got.TaskNo != tt.task || got.Method != tt.method {
				t.Errorf("Match = task %d method %s (score %.2f), want %d %s; findings %+v", got.TaskNo, got.Method, got.Score, tt.task, tt.method, got.Findings)
			}
			var codes []string
			for _, f := range got.Findings {
				codes = append(codes, f.Code)
			}
			if len(codes) != len(tt.findCodes) {
				t.Fatalf("findings %v, want %v", codes, tt.findCodes)
			}
			for i := range codes {
				if codes[i] != tt.findCodes[i] {
					t.Errorf("findings %v, want %v", codes, tt.findCodes)
				}
			}
		})
	}
}

func TestResolveSubmitter(t *testing.T) {
	ix := NewSubmitterIndex(seeds.MustLoad())
	tests := []struct {
		name, in, want string
	}{
		{"canonical", "大连市", "大连市"},
		{"bureau with seal", "单位：大连市教育局（公章）", "大连市"},
		{"half width seal and spaces", "大连市 教育局(公章)", "大连市"},
		{"short alias", "大连", "大连市"},
		{"government", "大连市人民政府", "大连市"},
		{"school alias", "辽宁机电职院", "辽宁机电职业技术学院"},
		{"college contained in file name", "附件2-沈阳职业技术学院任务落实举措清单（终稿）", "沈阳职业技术学院"},
		{"city school not the city", "大连职业技术学院一校一案", "大连职业技术学院"},
		{"short name inside longer", "辽宁职业学院举措清单", "辽宁职业学院"},
		{"full width", "大连市教育局（公章）", "大连市"},
		{"unknown", "某某培训中心", ""},
		{"empty", "单位：（公章）", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ix.Resolve(tt.in)
			name := ""
			if ok {
				name = got.Name
			}
			if name != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.in, name, tt.want)
			}
		})
	}
}

func TestHeaderRole(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
	}{
		{"plain", "具体举措", colMeasure},
		{"line break", "具体\n举措", colMeasure},
		{"full width brackets", "责任单位（部门）", colOwner},
		{"half width brackets", "责任单位(部门)", colOwner},
		{"spaced", "完 成 时 间", colDue},
		{"group title", "落实具体举措", roleGroup},
		{"department", "责任部门", colDept},
		{"policy content", "政策内容", colTask},
		{"other word for the measure", "落实举措", colMeasure},
		{"other word for the goal", "预期成效", colGoal},
		{"lead unit", "牵头单位", colOwner},
		{"unit or department", "责任单位/部门", colOwner},
		{"time plan", "进度安排", colDue},
		{"not a column", "备注", -1},
		{"opening bracket and space before the word", "（ 具体举措）", colMeasure},
		{"a number", "2022年6月", -1},
		{"blank", "  ", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headerRole(tt.in); got != tt.want {
				t.Errorf("headerRole(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseDue(f *testing.F) {
	for _, s := range []string{"2022年6月", "2021.12", "44834", "2021年9月—2022年12月", "长期", "2022年第二季度", "２０２２/９", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseDue(s, false)
		if d.HasDate && d.Ongoing {
			t.Fatalf("ParseDue(%q) both dated and ongoing", s)
		}
		if d.HasDate && (d.Date.Year() < 1900 || d.Date.Year() > 2300) {
			t.Fatalf("ParseDue(%q) = %v, out of range", s, d.Date)
		}
	})
}

func FuzzParseQuantities(f *testing.F) {
	for _, s := range []string{"培训1.2万人次", "两个", "十门", "100%", "建设10个示范课堂、20个课程思政案例", "2022年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range ParseQuantities(s) {
			if q.Unit == "" || q.Source == "" || q.Value < 0 {
				t.Fatalf("ParseQuantities(%q) gave %+v", s, q)
			}
			if !utf8.ValidString(q.Source) && utf8.ValidString(s) {
				t.Fatalf("ParseQuantities(%q) split a character: %q", s, q.Source)
			}
		}
	})
}

func FuzzMatchTask(f *testing.F) {
	m := NewMatcher(seeds.MustLoad())
	f.Add("7", "建立完善职业教育专业布局动态调整机制", "开展星级专业评估")
	f.Add("", "", "")
	f.Add("２０", "完成200万人次左右职业技能培训", "培训")
	f.Fuzz(func(t *testing.T, no, text, measure string) {
		got := m.Match(no, text, measure)
		if got.TaskNo < 0 || got.TaskNo > 54 || got.Score < 0 || got.Score > 1 {
			t.Fatalf("Match(%q,%q,%q) = %+v", no, text, measure, got)
		}
		if got.TaskNo == 0 && got.Method != MethodNone {
			t.Fatalf("no task but method %s", got.Method)
		}
	})
}

// FuzzReadWorkbook feeds arbitrary bytes (seeded with the committed fixtures) to the reader: it must
// return a result or a verdict, never panic or hang.
func FuzzReadWorkbook(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	rd := NewReader(seeds.MustLoad())
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "大连市.xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		parsed, err := rd.Read(p, "大连市.xlsx", time.Now())
		if err != nil {
			if _, ok := AsRejection(err); !ok {
				t.Fatalf("Read: infrastructure error %v", err)
			}
			return
		}
		if parsed.Submitter == nil || len(parsed.Rows) == 0 {
			t.Fatalf("accepted without submitter or rows: %+v", parsed)
		}
	})
}
