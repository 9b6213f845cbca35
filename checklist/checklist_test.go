package checklist

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/seeds"
)

func open(t *testing.T, opt Options) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, seeds.MustLoad(), opt); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func get(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

func TestTemplateLayout(t *testing.T) {
	f := open(t, Options{})
	if got := f.GetSheetList(); len(got) != 1 || got[0] != SheetName {
		t.Fatalf("sheets = %v, want only %s", got, SheetName)
	}
	tests := []struct {
		name, cell, want string
	}{
		{"title", "A1", "《教育部 辽宁省人民政府关于整省推进职业教育实用高效发展 提升服务辽宁振兴能力的意见》任务落实举措清单"},
		{"unit", "A2", "单位：（公章）"},
		{"contact", "A3", "联系人："},
		{"phone", "A4", "联系电话："},
		{"序号", "A5", "序号"},
		{"主要任务", "B5", "主要任务"},
		{"task group", "C5", "部省共建任务"},
		{"measure group", "E5", "落实具体举措"},
		{"任务内容", "C6", "任务内容"},
		{"责任部门", "D6", "责任部门"},
		{"具体举措", "E6", "具体举措"},
		{"完成目标", "F6", "完成目标"},
		{"责任单位", "G6", "责任单位（部门）"},
		{"完成时间", "H6", "完成时间"},
		{"first task no", "A7", "1"},
		{"first area", "B7", "加强党对职业教育的全面领导，落实立德树人根本任务"},
		{"first task depts", "D7", "省委教育工委、省教育厅、各市"},
		{"task 2 no", "A10", "2"},
		{"task 2 without cities", "D10", "省人力资源社会保障厅、省总工会、省教育厅"},
		{"task 37 Shenyang only", "D" + strconv.Itoa(7+36*3), "省教育厅、省政府外事办、沈阳市"},
		{"task 42 ministry", "D" + strconv.Itoa(7+41*3), "省政府、教育部"},
		{"task 43 cities only", "D" + strconv.Itoa(7+42*3), "各市"},
		{"task 26 related cities", "D" + strconv.Itoa(7+25*3), "省发展改革委、省教育厅、省工业和信息化厅、省财政厅、省人力资源社会保障厅、省国资委、相关市政府"},
		{"last task no", "A166", "54"},
		{"last area", "B151", "保障经费长效稳定投入"},
		{"measure rows blank", "E7", ""},
		{"below the table", "A169", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := get(t, f, SheetName, tc.cell); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.cell, got, tc.want)
			}
		})
	}
}

func TestTemplateTasks(t *testing.T) {
	set := seeds.MustLoad()
	f := open(t, Options{})
	if len(set.Tasks) != 54 {
		t.Fatalf("seeds have %d tasks", len(set.Tasks))
	}
	for _, task := range set.Tasks {
		r := TaskRow(task.No)
		if got := get(t, f, SheetName, "A"+strconv.Itoa(r)); got != strconv.Itoa(task.No) {
			t.Errorf("row %d: 序号 %q, want %d", r, got, task.No)
		}
		if got := get(t, f, SheetName, "C"+strconv.Itoa(r)); got != task.Content {
			t.Errorf("task %d: 任务内容 %q, want the canonical text", task.No, got)
		}
	}
	// The canonical texts, not the template's drift: row of task 8 carries 附件2's task 8.
	if got := get(t, f, SheetName, "C"+strconv.Itoa(TaskRow(8))); got != "实施职业教育星级专业评估、卓越专业评估，积极支持第三方机构开展评估" {
		t.Errorf("task 8 = %q", got)
	}
	if got := get(t, f, SheetName, "C"+strconv.Itoa(TaskRow(40))); !strings.Contains(got, "综合性实训环境") {
		t.Errorf("task 40 (missing from the notice's template) = %q", got)
	}
}

func TestTemplateMerges(t *testing.T) {
	f := open(t, Options{})
	mcs, err := f.GetMergeCells(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range mcs {
		got[m.GetStartAxis()+":"+m.GetEndAxis()] = m.GetCellValue()
	}
	want := map[string]string{
		"A1:H1": "《教育部 辽宁省人民政府关于整省推进职业教育实用高效发展 提升服务辽宁振兴能力的意见》任务落实举措清单",
		"A2:H2": "单位：（公章）", "A3:H3": "联系人：", "A4:H4": "联系电话：",
		"A5:A6": "序号", "B5:B6": "主要任务", "C5:D5": "部省共建任务", "E5:H5": "落实具体举措",
		"A7:A9": "1", "C7:C9": "采取专兼职结合方式，为职业院校班子配备1名具有5年以上行业工业企业工作经历的高层次技术管理人才",
		"D7:D9":     "省委教育工委、省教育厅、各市",
		"B7:B15":    "加强党对职业教育的全面领导，落实立德树人根本任务", // tasks 1–3
		"B16:B18":   "深化考试招生改革，完善技术技能人才培养体系",    // task 4 alone (the opinion's 二（二）)
		"B19:B33":   "明确专业办学定位，优化职业教育专业布局",      // tasks 5–9
		"B151:B168": "保障经费长效稳定投入",               // tasks 49–54
		"A166:A168": "54",
	}
	for k, v := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("no merge %s", k)
		} else if g != v {
			t.Errorf("merge %s holds %q, want %q", k, g, v)
		}
	}
	// Header 4 + 4 lines + 54 tasks x 3 columns + 12 areas.
	if len(mcs) != 8+54*3+12 {
		t.Errorf("%d merges, want %d", len(mcs), 8+54*3+12)
	}
	// No merge may reach into the measure columns below the header: each measure row is its own.
	for _, m := range mcs {
		c, r, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		if r >= FirstTaskRow && c >= 5 {
			t.Errorf("merge %s:%s covers measure cells", m.GetStartAxis(), m.GetEndAxis())
		}
	}
}

func TestTemplateClerkAids(t *testing.T) {
	f := open(t, Options{})
	t.Run("date validation", func(t *testing.T) {
		dvs, err := f.GetDataValidations(SheetName)
		if err != nil {
			t.Fatal(err)
		}
		if len(dvs) != 1 {
			t.Fatalf("%d validations, want 1", len(dvs))
		}
		dv := dvs[0]
		// 44197 = 2021-01-01, 47848 = 2030-12-31 in the 1900 date system.
		if dv.Sqref != "H7:H168" || dv.Type != "date" || dv.Operator != "between" || dv.Formula1 != "44197" || dv.Formula2 != "47848" {
			t.Errorf("validation = %+v", *dv)
		}
		if !dv.ShowInputMessage || dv.PromptTitle == nil || dv.Prompt == nil || !strings.Contains(*dv.Prompt, "2022-06-30") {
			t.Errorf("no input hint: %+v", *dv)
		}
	})
	t.Run("locked task columns, open measure columns", func(t *testing.T) {
		tests := []struct {
			cell   string
			locked bool
		}{{"A7", true}, {"C100", true}, {"D168", true}, {"E7", false}, {"F8", false}, {"G9", false}, {"H168", false}, {"A5", true}}
		for _, tc := range tests {
			id, err := f.GetCellStyle(SheetName, tc.cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Protection == nil || st.Protection.Locked != tc.locked {
				t.Errorf("%s protection = %+v, want locked=%v", tc.cell, st.Protection, tc.locked)
			}
		}
	})
	t.Run("print setup", func(t *testing.T) {
		pl, err := f.GetPageLayout(SheetName)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
			t.Errorf("page layout = %+v", pl)
		}
		p, err := f.GetPanes(SheetName)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 6 || p.TopLeftCell != "A7" {
			t.Errorf("panes = %+v", p)
		}
		var titles string
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				titles = dn.RefersTo
			}
		}
		if titles != "'任务落实举措清单'!$5:$6" {
			t.Errorf("print titles = %q", titles)
		}
	})
	t.Run("no identity when made for nobody", func(t *testing.T) {
		for _, dn := range f.GetDefinedName() {
			if dn.Name == SubmitterDefinedName {
				t.Errorf("defined name %s present", dn.Name)
			}
		}
	})
}

func TestTemplateFor(t *testing.T) {
	tests := []struct {
		name, for_, want string
	}{
		{"canonical", "大连市", "大连市"},
		{"alias", "大连", "大连市"},
		{"bureau", "大连市教育局", "大连市"},
		{"college alias", "辽宁机电职院", "辽宁机电职业技术学院"},
		{"spaces and full width", " 辽宁机电 职院 ", "辽宁机电职业技术学院"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := open(t, Options{For: tc.for_})
			var dn []string
			for _, d := range f.GetDefinedName() {
				if d.Name == SubmitterDefinedName {
					dn = append(dn, d.Scope+"|"+d.RefersTo)
				}
			}
			if len(dn) != 1 || dn[0] != `Workbook|"`+tc.want+`"` {
				t.Errorf("defined names %s = %v, want Workbook|\"%s\"", SubmitterDefinedName, dn, tc.want)
			}
			sheets := f.GetSheetList()
			sort.Strings(sheets)
			if len(sheets) != 2 || sheets[0] != IdentitySheet {
				t.Fatalf("sheets = %v", sheets)
			}
			vis, err := f.GetSheetVisible(IdentitySheet)
			if err != nil || vis {
				t.Errorf("%s visible = %v (%v), want hidden", IdentitySheet, vis, err)
			}
			for cell, want := range map[string]string{"A1": "submitter", "B1": tc.want, "A2": "template", "B2": "lnvedash-2021"} {
				if got := get(t, f, IdentitySheet, cell); got != want {
					t.Errorf("%s!%s = %q, want %q", IdentitySheet, cell, got, want)
				}
			}
			if got := get(t, f, SheetName, "A2"); got != "单位："+tc.want {
				t.Errorf("unit line = %q", got)
			}
			if f.GetSheetName(f.GetActiveSheetIndex()) != SheetName {
				t.Errorf("active sheet is %q", f.GetSheetName(f.GetActiveSheetIndex()))
			}
		})
	}
}

func TestTemplateUnknownSubmitter(t *testing.T) {
	tests := []struct {
		name, for_ string
		hint       string
	}{
		{"unknown", "某某培训中心", ""},
		{"too vague", "辽宁", "是否指"},
		{"blank", "   ", "为空"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, seeds.MustLoad(), Options{For: tc.for_})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, strings.TrimSpace(tc.for_)) || !strings.Contains(msg, tc.hint) {
				t.Errorf("error %q lacks the name or %q", msg, tc.hint)
			}
			// Never the whole roster.
			if n := strings.Count(msg, "、"); n > 5 {
				t.Errorf("error lists %d names: %s", n+1, msg)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes", buf.Len())
			}
		})
	}
}

func TestTemplateDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	set := seeds.MustLoad()
	if err := Write(&a, set, Options{For: "大连"}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, set, Options{For: "大连"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes differ")
	}
}
