package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

// fixtureDB opens queries/testdata/fixture.sql (hand-made; its comments list every file and row) in
// a fresh in-memory database, derived tables refreshed as ingest does before COMMIT.
func fixtureDB(t *testing.T) *queries.DB {
	t.Helper()
	ctx := context.Background()
	db := querytest.Open(t, "")
	b, err := os.ReadFile("../queries/testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(b)); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// roster counts the rostered submitters in seeds/submitters.csv by reading its lines, not through the
// code under test: kind "city" or "school", city "" = all cities.
func roster(t *testing.T, kind, city string) int {
	t.Helper()
	b, err := os.ReadFile("../seeds/submitters.csv")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(l), ",")
		if len(f) >= 3 && f[1] == kind && (city == "" || f[2] == city) {
			n++
		}
	}
	return n
}

// fixtureCSV builds one table on the fixture and reads its CSV back: the header and the records keyed
// by the first column (and the second, for tables whose first column repeats).
func fixtureCSV(t *testing.T, db *queries.DB, name string) (header []string, rows [][]string) {
	t.Helper()
	return fixtureCSVWith(t, db, name, params())
}

func fixtureCSVWith(t *testing.T, db *queries.DB, name string, p Params) (header []string, rows [][]string) {
	t.Helper()
	tb, err := Build(context.Background(), db, name, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

func findRow(t *testing.T, rows [][]string, key ...string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) >= len(key) && strings.Join(r[:len(key)], "\x1f") == strings.Join(key, "\x1f") {
			return r
		}
	}
	t.Fatalf("no row %q", key)
	return nil
}

// checkCells compares the named columns of one row with hand-worked values.
func checkCells(t *testing.T, header, row []string, want map[string]string) {
	t.Helper()
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for h, w := range want {
		i, ok := col[h]
		if !ok {
			t.Errorf("no column %q in %q", h, header)
			continue
		}
		if row[i] != w {
			t.Errorf("%s / %s = %q, want %q", row[0], h, row[i], w)
		}
	}
}

// Every table the issue named, on the hand-made fixture: the header as written and the cells worked out
// by hand from queries/testdata/fixture.sql (as of 2022-06-30). Roster sizes come from counting lines of
// seeds/submitters.csv, so a longer roster changes the expected figures, not the test.
func TestTablesOnFixture(t *testing.T) {
	db := fixtureDB(t)
	cities, schools := roster(t, "city", ""), roster(t, "school", "")
	sySchools, dlSchools := roster(t, "school", "沈阳市"), roster(t, "school", "大连市")
	n := strconv.Itoa

	t.Run("coverage_by_city", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "coverage_by_city")
		if got := strings.Join(h, ","); got != "地市,是否报送一市一策,应落实任务,已落实任务,一市一策覆盖率,一市一策举措条数,名册院校,已报送院校,院校应落实（校×任务）,院校已落实（校×任务）,院校覆盖率,院校举措条数,未报送的院校" {
			t.Errorf("header %s", got)
		}
		if len(rows) != cities {
			t.Errorf("%d rows, want %d cities", len(rows), cities)
		}
		// 沈阳市 v2: tasks 1, 5 (twice), 37 and one unmatched row; 42 city tasks + 37 (沈阳 only).
		// 沈阳职院: tasks 1, 2, 3 of 38 college tasks (43 is not one), 5 measures.
		checkCells(t, h, findRow(t, rows, "沈阳市"), map[string]string{
			"是否报送一市一策": "是", "应落实任务": "43", "已落实任务": "3", "一市一策覆盖率": "6.98%", "一市一策举措条数": "5",
			"名册院校": n(sySchools), "已报送院校": "1", "院校应落实（校×任务）": n(38 * sySchools), "院校已落实（校×任务）": "3", "院校举措条数": "5",
		})
		// 大连市: task 1 only counts (2 is not a city task, 37 is 沈阳's); 轻工: tasks 1, 24; 大连职院 rejected.
		dl := findRow(t, rows, "大连市")
		checkCells(t, h, dl, map[string]string{
			"是否报送一市一策": "是", "应落实任务": "42", "已落实任务": "1", "一市一策覆盖率": "2.38%", "一市一策举措条数": "3",
			"名册院校": n(dlSchools), "已报送院校": "1", "院校已落实（校×任务）": "2", "院校举措条数": "2",
		})
		if missing := dl[len(dl)-1]; !strings.Contains(missing, "大连职业技术学院") || strings.Contains(missing, "辽宁轻工职业学院") {
			t.Errorf("大连市 未报送的院校 %q: want 大连职业技术学院 (rejected file) and not 辽宁轻工职业学院", missing)
		}
		checkCells(t, h, findRow(t, rows, "鞍山市"), map[string]string{"是否报送一市一策": "否", "已落实任务": "0", "一市一策覆盖率": "0.00%"})
	})

	t.Run("coverage_by_department", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "coverage_by_department")
		if got := strings.Join(h, ","); got != "牵头部门,牵头任务数,应落实（单位×任务）,已落实（单位×任务）,覆盖率,地市应落实,地市已落实,地市覆盖率,院校应落实,院校已落实,院校覆盖率,举措条数" {
			t.Errorf("header %s", got)
		}
		// 省总工会 leads task 2 only, a college task: 沈阳职院 has it; 大连市's task-2 row counts as a
		// measure, not as coverage.
		checkCells(t, h, findRow(t, rows, "省总工会"), map[string]string{
			"牵头任务数": "1", "应落实（单位×任务）": n(schools), "已落实（单位×任务）": "1", "地市应落实": "0", "院校已落实": "1", "举措条数": "2",
		})
		// 省政府外事办: tasks 34–36 (every city) and 37 (沈阳 only); 沈阳市 has 37; 大连市's 37 is a measure only.
		checkCells(t, h, findRow(t, rows, "省政府外事办"), map[string]string{
			"牵头任务数": "4", "地市应落实": n(3*cities + 1), "地市已落实": "1", "院校应落实": n(3 * schools), "院校已落实": "0", "举措条数": "2",
		})
		// 省委教育工委: tasks 1 and 3. Cities: 沈阳 1, 大连 1. Colleges: 沈阳职院 1 and 3, 轻工 1.
		// Measures: 沈阳 1 + 大连 1 + 沈阳职院 3 + 轻工 1.
		checkCells(t, h, findRow(t, rows, "省委教育工委"), map[string]string{
			"牵头任务数": "2", "地市应落实": n(2 * cities), "地市已落实": "2", "院校已落实": "3", "举措条数": "6",
		})
	})

	t.Run("target_progress", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "target_progress")
		if got := strings.Join(h, ","); got != "任务序号,指标,单位,全省目标,完成期限,期限依据,统计方式,地市承诺,地市承诺占目标,院校承诺,院校承诺占目标,承诺的地市,承诺的院校,承诺条数,单位不一致未计入" {
			t.Errorf("header %s", got)
		}
		// 产业学院 (target 20): 大连市 3, 轻工 2.
		checkCells(t, h, findRow(t, rows, "24", "产业学院"), map[string]string{
			"全省目标": "20", "期限依据": "推定（文件未写期限）", "地市承诺": "3", "地市承诺占目标": "15.00%", "院校承诺": "2", "院校承诺占目标": "10.00%",
			"承诺的地市": "1", "承诺的院校": "1", "承诺条数": "2", "单位不一致未计入": "0",
		})
		// 示范课堂 (200): 沈阳职院 5 个 counts, its 3 门 does not, 沈阳 v1's 10 is superseded.
		checkCells(t, h, findRow(t, rows, "3", "思想政治课示范课堂"), map[string]string{
			"地市承诺": "0", "院校承诺": "5", "院校承诺占目标": "2.50%", "承诺条数": "1", "单位不一致未计入": "1",
		})
		// A % target is averaged: (100 + 90) / 2.
		checkCells(t, h, findRow(t, rows, "54", "达到国家设置标准的职业院校比例"), map[string]string{
			"统计方式": "平均", "院校承诺": "95", "院校承诺占目标": "95.00%", "承诺的院校": "2",
		})
		checkCells(t, h, findRow(t, rows, "20", "职业技能培训"), map[string]string{"地市承诺": "12000", "地市承诺占目标": "0.60%"})
	})

	t.Run("deadlines", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "deadlines")
		// The 15 current measures by quarter of due date; overdue = due before 2022-06-30.
		want := "完成时间（季度）,举措条数,已逾期,未到期\n" +
			"2021年第3季度,1,1,0\n2021年第4季度,3,3,0\n2022年第1季度,2,2,0\n2022年第2季度,1,0,1\n" +
			"2022年第3季度,1,0,1\n2022年第4季度,1,0,1\n2023年第2季度,1,0,1\n长期/持续,2,0,2\n未写明时间,3,0,3"
		got := strings.Join(h, ",")
		for _, r := range rows {
			got += "\n" + strings.Join(r, ",")
		}
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("returns", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "returns")
		if got := strings.Join(h, ","); got != "单位,类型,所在市,状态,收到时间,逾期天数,未能读取的文件" {
			t.Errorf("header %s", got)
		}
		// By the default basis, the earliest evidence: on time 沈阳市, 大连市, 沈阳职院 and 轻工 (ingested
		// 09-22 but its file modified 09-15, before the 09-20 deadline).
		if want := cities + schools - 4; len(rows) != want {
			t.Errorf("%d rows, want %d (the roster less the four on time)", len(rows), want)
		}
		checkCells(t, h, findRow(t, rows, "大连职业技术学院"), map[string]string{"状态": "未报送", "收到时间": "", "未能读取的文件": "1"})
		checkCells(t, h, findRow(t, rows, "鞍山市"), map[string]string{"类型": "地市", "状态": "未报送", "未能读取的文件": "0"})
		for _, r := range rows {
			if r[0] == "沈阳市" || r[0] == "大连市" || r[0] == "沈阳职业技术学院" || r[0] == "辽宁轻工职业学院" {
				t.Errorf("%s returned on time but is listed", r[0])
			}
		}
	})

	t.Run("returns by ingest time", func(t *testing.T) {
		p := params()
		p.Basis = queries.BasisIngested
		h, rows := fixtureCSVWith(t, db, "returns", p)
		// On time: 沈阳市, 大连市, 沈阳职院; late: 轻工 (received 09-22 08:00, 1 d 8 h after 09-20).
		if want := cities + schools - 3; len(rows) != want {
			t.Errorf("%d rows, want %d (the roster less the three on time)", len(rows), want)
		}
		checkCells(t, h, findRow(t, rows, "辽宁轻工职业学院"), map[string]string{"状态": "逾期报送", "收到时间": "2021-09-22 08:00", "逾期天数": "1.3", "未能读取的文件": "0"})
	})

	t.Run("submissions", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "submissions")
		if got := strings.Join(h, ","); got != "编号,文件名,单位,类型,所在市,状态,未能读取的原因,文件修改时间,入库时间,大小（字节）,工作表,举措条数,错误,警告,SHA-256,原因代码" {
			t.Errorf("header %s", got)
		}
		if len(rows) != 7 {
			t.Errorf("%d rows, want the fixture's 7 files", len(rows))
		}
		checkCells(t, h, findRow(t, rows, "1"), map[string]string{"单位": "沈阳市", "状态": "已被新版本替代", "举措条数": "3", "错误": "0", "警告": "1", "大小（字节）": "1000"})
		checkCells(t, h, findRow(t, rows, "2"), map[string]string{"状态": "现行版本", "举措条数": "5", "错误": "0", "警告": "1", "SHA-256": "sha2"})
		checkCells(t, h, findRow(t, rows, "4"), map[string]string{"单位": "沈阳职业技术学院", "举措条数": "5", "错误": "1", "警告": "0"})
		checkCells(t, h, findRow(t, rows, "5"), map[string]string{"状态": "未能读取", "未能读取的原因": "旧版 .xls 格式：旧版 .xls 文件", "原因代码": "legacy_xls", "举措条数": "0", "错误": "1"})
		checkCells(t, h, findRow(t, rows, "7"), map[string]string{"单位": "", "类型": "未识别", "状态": "未能读取", "文件修改时间": ""})
	})

	t.Run("findings", func(t *testing.T) {
		h, rows := fixtureCSV(t, db, "findings")
		if got := strings.Join(h, ","); got != "单位,类型,所在市,文件,工作表,行,级别,问题类型,说明,文件状态,代码" {
			t.Errorf("header %s", got)
		}
		// Current files only: 沈阳 v2's two and 沈阳职院's one (v1's and the rejected files' are not).
		var got []string
		for _, r := range rows {
			got = append(got, r[0]+" "+r[5]+" "+r[6]+" "+r[7]+" "+r[9]+" "+r[10])
		}
		want := []string{"沈阳市 8 警告 序号与任务内容不一致 现行版本 number_mismatch", "沈阳市 9 提示 未能对应任务 现行版本 task_unmatched",
			"沈阳职业技术学院 9 错误 不要求填报的任务 现行版本 task_not_expected"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
