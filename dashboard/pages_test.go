package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

func newFixtureServer(t *testing.T) (*Server, *queries.DB) {
	t.Helper()
	db := querytest.Open(t, "")
	loadFixture(t, db)
	now := time.Date(2021, 10, 8, 12, 0, 0, 0, time.UTC)
	s, err := New(Config{DB: db, Logger: discardLogger(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func count(t *testing.T, db *queries.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Every page answers 200 with its key figures, and no text from a file reaches the HTML unescaped.
func TestPagesFixture(t *testing.T) {
	s, db := newFixtureServer(t)
	schools := count(t, db, `SELECT count(*) FROM submitters WHERE kind = 'school'`)
	cities := count(t, db, `SELECT count(*) FROM submitters WHERE kind = 'city'`)
	if cities != 14 {
		t.Fatalf("roster has %d cities", cities)
	}
	// 大连市's plan: tasks expected of a city with city_scope 各市/相关市政府 or 大连市; it addressed 3 and 20.
	dalianExpected := count(t, db, `SELECT count(*) FROM tasks WHERE expects_cities AND (city_scope IN ('各市','相关市政府') OR city_scope = '大连市')`)
	// No commitment in the fixture reaches a target, so every task target is short of it.
	taskTargets := count(t, db, `SELECT count(*) FROM targets WHERE task_no IS NOT NULL`)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{fmt.Sprintf(`%d 项任务量化目标中，<b class="bad">%d</b> 项`, taskTargets, taskTargets), "1<span class=\"den\">/14</span>", fmt.Sprintf("1<span class=\"den\">/%d</span>", schools), "沈阳市", "data-chart=\"citymap\"", "data-chart=\"targets\"", "data-chart=\"deadlines\"", "最近入库", "未能对应任务"}},
		{"/tasks", []string{"data-chart=\"taskcov\"", "data-chart=\"matrix\"", "任务 × 地市"}},
		{"/tasks?m=school&area=1", []string{"任务 × 院校"}},
		{"/tasks/3", []string{"思想政治课示范课堂", "建设思政课示范课堂", "20个", "课程思政教育案例", "/source?sid=2&sheet=%e6%b8%85%e5%8d%95&row=5"}},
		{"/tasks/20", []string{"开展职业技能培训", "1.2万人次"}},
		{"/cities", []string{"data-chart=\"citymap\"", "/cities/" + url.PathEscape("大连市"), "未报送"}},
		{"/cities/" + url.PathEscape("大连市"), []string{"已报送", fmt.Sprintf("2/%d 项应落实任务", dalianExpected), "其他工作安排", "data-chart=\"areas\""}},
		{"/cities/" + url.PathEscape("沈阳市"), []string{"未报送", "沈阳职业技术学院", "data-chart=\"colleges\""}},
		{"/colleges", []string{"沈阳职业技术学院", fmt.Sprintf("共 %d 所院校，其中 <b class=\"bad\">%d</b> 所未报送", schools, schools-1)}},
		{"/colleges/" + url.PathEscape("沈阳职业技术学院"), []string{"建设高水平特色专业群", "推进课程思政"}},
		{"/departments", []string{"data-chart=\"depts\"", "省教育厅", "市人社局"}},
		{"/departments/" + url.PathEscape("省教育厅"), []string{"牵头任务"}},
		{"/returns", []string{"1<span class=\"den\">/14</span>", "按时报送", "催报", "鞍山市（所报文件无法读取，请重新报送）", "沈阳职业技术学院", "bad.xls", "逾期报送"}},
		{"/returns?deadline=2021-09-20&grace=5", []string{"2021-09-25 23:59"}},
		{"/returns?submitter=" + url.QueryEscape("大连"), []string{"收到的全部文件（2，大连市）", `value="大连市"`, "大连市任务落实举措清单（修改）.xlsx"}},
		{"/returns?submitter=" + url.QueryEscape("<script>火星市"), []string{`id="unknown-unit"`, "名册中没有“&lt;script&gt;火星市”", "收到的全部文件（0，"}},
		{"/returns?status=rejected&page=2", []string{"本页之后没有更多文件", "共 2 个文件", `href="?status=rejected#files">上一页`}},
		{"/returns/diff?submitter=" + url.QueryEscape("大连"), []string{"新增 <b>", "旧举措：建设思政课示范课堂", "其他工作安排"}},
		{"/submissions/2", []string{"大连市任务落实举措清单（修改）.xlsx", "现行版本", "开展职业技能培训", "与上一版本"}},
		{"/submissions/4", []string{"未能读取", "旧版 .xls 格式"}},
		{"/source?sid=3&sheet=Sheet1&row=4", []string{"沈阳职业技术学院", "第 4 行", "建设2个", "高水平特色专业（群）", "2021年12月31日"}},
		{"/search?q=" + url.QueryEscape("思政"), []string{"建设思政课示范课堂", "推进课程思政"}},
		{"/search?task=3", []string{"建设思政课示范课堂", "推进课程思政"}},
		{"/search?submitter=" + url.QueryEscape("大连市"), []string{"开展职业技能培训"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			code, body, _ := get(t, s, tc.path)
			if code != 200 {
				t.Fatalf("status %d: %.600s", code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, bad := range []string{xssScript, xssImg, "<img src=x"} {
				if strings.Contains(body, bad) {
					t.Errorf("hostile text unescaped: %q", bad)
				}
			}
		})
	}
}

func TestPagesNotFound(t *testing.T) {
	s, _ := newFixtureServer(t)
	// path → what the clerk reads: which name was not found, in Chinese ("" where the path itself is
	// the only name, e.g. a non-numeric task).
	for p, want := range map[string]string{
		"/tasks/99": "找不到任务“99”", "/tasks/x": "", "/cities/" + url.PathEscape("北京市"): "找不到报送单位“北京市”",
		"/colleges/nope": "找不到报送单位“nope”", "/departments/nope": "找不到部门“nope”",
		"/submissions/999": "", "/source?sid=2&sheet=x&row=1": "找不到举措“文件2 x 第1行”",
		"/returns/diff?submitter=nope":            "找不到报送单位“nope”",
		"/tasks?city=" + url.QueryEscape("火星市"):   "找不到地市“火星市”",
		"/tasks/3?city=" + url.QueryEscape("火星市"): "找不到地市“火星市”",
	} {
		code, body, _ := get(t, s, p)
		if code != 404 {
			t.Errorf("%s: status %d: %.300s", p, code, body)
		}
		if want != "" && !strings.Contains(body, want) {
			t.Errorf("%s: the page does not say %q", p, want)
		}
	}
	if code, _, _ := get(t, s, "/returns?deadline=20210920"); code != 400 {
		t.Errorf("bad deadline: status %d", code)
	}
}

// A name written another way (an alias, or the other kind's page) lands on the canonical page.
func TestPagesRedirectAliases(t *testing.T) {
	s, _ := newFixtureServer(t)
	for path, want := range map[string]string{
		"/cities/" + url.PathEscape("大连"):        "/cities/" + url.PathEscape("大连市"),
		"/colleges/" + url.PathEscape("大连市"):     "/cities/" + url.PathEscape("大连市"),
		"/cities/" + url.PathEscape("沈阳职院"):      "/colleges/" + url.PathEscape("沈阳职业技术学院"),
		"/departments/" + url.PathEscape("省人社厅"): "/departments/" + url.PathEscape("省人力资源社会保障厅"),
	} {
		code, _, h := get(t, s, path)
		if code != 302 || h["Location"] != want {
			t.Errorf("%s: %d → %q, want 302 → %q", path, code, h["Location"], want)
		}
	}
}
