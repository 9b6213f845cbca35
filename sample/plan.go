package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"lnvedash/seeds"
)

// planned is one file to generate: its manifest entry and how to make its bytes.
type planned struct {
	entry Entry
	make  func(set *seeds.Set) ([]byte, error)
}

func (p planned) build(set *seeds.Set) ([]byte, error) { return p.make(set) }

// Who does not return anything (the coverage views must show them as missing).
var (
	silentCities = map[string]bool{"铁岭市": true, "朝阳市": true}
	// Colleges that sent nothing usable: either nothing at all, or one of the bad files below.
	silentSchools = map[string]bool{
		"辽宁体育运动职业技术学院": true, "沈阳北软信息职业技术学院": true, "大连枫叶职业技术学院": true,
		"铁岭卫生职业学院": true,
	}
	badSchools = map[string]bool{
		"朝阳师范高等专科学校": true, "辽宁政法职业学院": true, "大连翻译职业学院": true,
		"辽宁广告职业学院": true, "辽宁特殊教育师范高等专科学校": true,
	}
)

// baseLayout draws the ordinary variation of a returned file from its own random stream.
func baseLayout(who seeds.Submitter, file string, r *rand.Rand) *layout {
	d := 2 + r.IntN(19)
	l := &layout{
		file: file, who: who,
		annex:     r.IntN(3) == 0,
		title:     r.IntN(5) != 0,
		contacts:  r.IntN(4) != 0,
		header:    []int{headerNotice, headerNotice, headerNotice, headerPageBreak, headerFlat}[r.IntN(5)],
		labels:    r.IntN(4),
		merge:     r.IntN(3),
		fullWidth: r.IntN(6) == 0,
		intro:     r.IntN(6) == 0,
		hidden:    r.IntN(8) == 0,
		unrelated: r.IntN(8) == 0,
		remark:    r.IntN(8) == 0,
		drop:      r.IntN(3) == 0,
		skip:      0.05 + r.Float64()*0.25,
		maxPer:    2 + r.IntN(3),
		created:   day(9, d-1, 9, r.IntN(60)),
		modified:  day(9, d, 8+r.IntN(10), r.IntN(60)),
		author:    []string{"Administrator", "user", "微软用户", "dell", "lenovo", "WPS"}[r.IntN(6)],
	}
	if r.IntN(4) == 0 {
		l.repeat = 20 + r.IntN(20)
	}
	if r.IntN(5) == 0 {
		l.template = true
	}
	return l
}

func returned(set *seeds.Set, l *layout, r *rand.Rand) func(*seeds.Set) ([]byte, error) {
	return func(set *seeds.Set) ([]byte, error) {
		return returnedWorkbook(l, groups(set, l, r), r)
	}
}

func find(set *seeds.Set, name string) seeds.Submitter {
	for _, s := range set.Submitters {
		if s.Name == name {
			return s
		}
	}
	panic("sample: " + name + " is not in seeds/submitters.csv")
}

func shortAlias(s seeds.Submitter) string {
	for _, a := range s.Aliases {
		if strings.HasSuffix(a, "职院") || strings.HasSuffix(a, "师专") || strings.HasSuffix(a, "高专") {
			return a
		}
	}
	if len(s.Aliases) > 0 {
		return s.Aliases[0]
	}
	return s.Name
}

// plan lists every file except the zip bomb.
func plan(set *seeds.Set) []planned {
	var ps []planned
	add := func(e Entry, mk func(*seeds.Set) ([]byte, error)) { ps = append(ps, planned{e, mk}) }
	cur := func(file, who, note string) Entry {
		return Entry{File: file, Submitter: who, Status: StatusCurrent, Note: note}
	}

	// --- cities: each a deliberate case, the rest of the variation drawn at random ---
	for _, c := range set.Cities() {
		if silentCities[c.Name] {
			continue
		}
		name := c.Name
		short := strings.TrimSuffix(name, "市")
		file := name + "一市一策.xlsx"
		r := rngFor(file)
		l := baseLayout(c, file, r)
		l.unit = name + "教育局"
		note := "常规报送"
		switch name {
		case "沈阳市":
			l.file = "沈阳市“一市一策”任务落实举措清单.xlsx"
			l.annex, l.title, l.contacts, l.header, l.merge, l.intro, l.template = true, true, true, headerNotice, mergeDown, true, false
			l.labels, l.repeat = 0, 0
			note = "通知原样：附件行、标题、单位/联系人/联系电话、两级合并表头、向下合并、填表说明页在前"
		case "大连市":
			continue // the resubmission below
		case "鞍山市":
			l.file = "任务落实举措清单（0916）.xlsx"
			l.unit = "鞍山市教育局（公章）"
			note = "文件名不含单位，仅“单位”栏可识别"
		case "抚顺市":
			l.template, l.repeat, l.fullWidth, l.header, l.labels = true, 18, true, headerNotice, 1
			note = "按通知模板的错位编号与原文填写（7/8合并、9空、40–45缺），分页重复表头，全角数字，表头半角括号与换行"
		case "本溪市":
			l.file = "部省共建任务落实举措清单.xlsx"
			add(cur(l.file, name, "新模板（lnvedash template --for 本溪市），单位栏未填，仅内嵌标识可识别"), func(set *seeds.Set) ([]byte, error) {
				return identityWorkbook(set, l, r)
			})
			continue
		case "丹东市":
			l.header, l.merge, l.hidden, l.unrelated = headerFlat, repeatDown, true, true
			note = "单行表头，各行重复序号与任务内容，隐藏工作表，无关工作表"
		case "锦州市":
			l.template, l.merge, l.labels, l.drop = true, blankBelow, 2, false
			note = "按通知模板编号填写，序号等列只写首行，表头多余空格"
		case "营口市":
			l.hostile, l.template = true, false
			note = "单元格含恶意文本（<script>、onerror、SQL 注入），应原样入库、转义显示"
		case "阜新市":
			l.file = short + "一市一策.xlsx"
			l.unit = short
			note = "文件名与单位栏均为简称“阜新”"
		case "盘锦市":
			l.unit = name + "人民政府"
			l.remark = true
			note = "单位栏为“盘锦市人民政府”，多一列“备注”"
		}
		add(cur(l.file, name, note), returned(set, l, r))
	}
	// 大连市 sends v1, then a corrected v2 (later docProps modified time) with a few measures changed,
	// added and removed. The single-unit cell is left as printed, so only the file name identifies them.
	{
		dl := find(set, "大连市")
		f1, f2 := "大连市一市一策.xlsx", "大连市一市一策（修改稿）.xlsx"
		r := rngFor(f1)
		l1 := baseLayout(dl, f1, r)
		l1.unit, l1.template, l1.header, l1.merge, l1.repeat = "", false, headerNotice, mergeDown, 25
		l1.created, l1.modified = day(9, 10, 9, 0), day(9, 14, 16, 30)
		gs := groups(set, l1, r)
		l2 := *l1
		l2.file, l2.modified = f2, day(9, 24, 10, 5)
		gs2 := revise(set, gs, rngFor(f2), seeds.KindCity)
		r1, r2 := rngFor(f1+"/book"), rngFor(f2+"/book")
		add(Entry{File: f1, Submitter: "大连市", Status: StatusSuperseded, Note: "第一稿，单位栏空白，仅文件名可识别；被修改稿取代"},
			func(*seeds.Set) ([]byte, error) { return returnedWorkbook(l1, gs, r1) })
		add(cur(f2, "大连市", "修改稿：修改时间更晚，改动、增加、删除了几条举措"),
			func(*seeds.Set) ([]byte, error) { return returnedWorkbook(&l2, gs2, r2) })
	}

	// --- colleges ---
	i := 0
	for _, s := range set.Schools() {
		if silentSchools[s.Name] || badSchools[s.Name] {
			continue
		}
		i++
		if tp, ok := traitReturn(set, s); ok { // sample/traits.go
			ps = append(ps, tp)
			continue
		}
		forms := []string{"%s一校一案.xlsx", "%s任务落实举措清单.xlsx", "一校一案-%s.xlsx", "%s部省共建任务落实举措清单（定稿）.xlsx"}
		file := fmt.Sprintf(forms[i%len(forms)], s.Name)
		r := rngFor(file)
		l := baseLayout(s, file, r)
		l.unit = s.Name
		note := "常规报送"
		switch s.Name {
		case "辽宁机电职业技术学院":
			l.file = "辽宁机电职院一校一案.xlsx"
			l.unit = "辽宁机电"
			note = "文件名与单位栏均为简称（辽宁机电职院、辽宁机电）"
		case "沈阳职业技术学院":
			l.file = "清单-1.xlsx"
			add(cur(l.file, s.Name, "新模板（lnvedash template --for 沈阳职业技术学院），仅内嵌标识可识别"), func(set *seeds.Set) ([]byte, error) {
				return identityWorkbook(set, l, r)
			})
			continue
		case "辽宁农业职业技术学院":
			f1, f2 := "辽宁农业职业技术学院一校一案.xlsx", "辽宁农业职业技术学院一校一案v2.xlsx"
			l.file, l.template, l.created, l.modified = f1, false, day(9, 8, 9, 0), day(9, 12, 11, 0)
			gs := groups(set, l, r)
			l2 := *l
			l2.file, l2.modified = f2, day(9, 19, 15, 45)
			gs2 := revise(set, gs, rngFor(f2), seeds.KindSchool)
			r1, r2 := rngFor(f1+"/book"), rngFor(f2+"/book")
			add(Entry{File: f1, Submitter: s.Name, Status: StatusSuperseded, Note: "第一稿，被 v2 取代"},
				func(*seeds.Set) ([]byte, error) { return returnedWorkbook(l, gs, r1) })
			add(cur(f2, s.Name, "v2：修改时间更晚"),
				func(*seeds.Set) ([]byte, error) { return returnedWorkbook(&l2, gs2, r2) })
			continue
		case "渤海船舶职业学院":
			l.file = "渤船职院.xlsx"
			l.unit = ""
			note = "文件名为简称，单位栏空白"
		case "辽宁省交通高等专科学校":
			l.unit = "辽宁省交通高等专科学校（盖章）"
			l.annex, l.intro = true, true
		}
		if i%7 == 3 && l.unit == s.Name {
			l.unit = shortAlias(s)
			note = "单位栏为简称"
		}
		add(cur(l.file, s.Name, note), returned(set, l, r))
	}

	// --- files that are not usable checklists ---
	{
		file := "某某职业培训中心任务落实举措清单.xlsx"
		r := rngFor(file)
		l := baseLayout(seeds.Submitter{Kind: seeds.KindSchool}, file, r)
		l.unit, l.template = "某某职业培训中心", false
		add(Entry{File: file, Status: StatusRejected, ReasonCode: ReasonUnknownSubmitter, Note: "格式完整的清单，但单位不在名册中"}, returned(set, l, r))
	}
	add(Entry{File: "朝阳师范高等专科学校一校一案.xls", Submitter: "朝阳师范高等专科学校", Status: StatusRejected, ReasonCode: ReasonLegacyXLS,
		Note: "旧版 .xls（OLE2 复合文档，Workbook 流只有 BIFF8 BOF/EOF 记录）"}, func(*seeds.Set) ([]byte, error) { return legacyXLS(), nil })
	add(Entry{File: "辽宁政法职业学院一校一案.xlsx", Submitter: "辽宁政法职业学院", Status: StatusRejected, ReasonCode: ReasonEncrypted,
		Note: "加了打开密码的 xlsx（密码 lnvedash）"}, func(*seeds.Set) ([]byte, error) { return encryptedXLSX, nil })
	add(Entry{File: "大连翻译职业学院一校一案.xlsx", Submitter: "大连翻译职业学院", Status: StatusRejected, ReasonCode: ReasonCorrupt,
		Note: "上传中断，文件被截断"}, func(set *seeds.Set) ([]byte, error) { return truncated(set, "大连翻译职业学院") })
	add(Entry{File: "辽宁广告职业学院一校一案.xlsx", Submitter: "辽宁广告职业学院", Status: StatusRejected, ReasonCode: ReasonEmpty,
		Note: "0 字节空文件"}, func(*seeds.Set) ([]byte, error) { return []byte{}, nil })
	add(Entry{File: "辽宁特殊教育师范高等专科学校一校一案.xlsx", Submitter: "辽宁特殊教育师范高等专科学校", Status: StatusRejected, ReasonCode: ReasonNotXLSX,
		Note: "Word 文档（docx）改了扩展名"}, func(*seeds.Set) ([]byte, error) { return renamedDocx() })
	add(Entry{File: "经费预算.xlsx", Status: StatusRejected, ReasonCode: ReasonNotChecklist,
		Note: "无关的表格（经费预算），没有清单表头"}, func(*seeds.Set) ([]byte, error) { return budgetWorkbook() })
	add(Entry{File: "沈阳市一市一策（盖章扫描件）.pdf", Submitter: "沈阳市", Status: StatusReceived,
		Note: "通知要求同时上传的盖章扫描件（PDF），按文件名认定为沈阳市的盖章件"}, func(*seeds.Set) ([]byte, error) { return minimalPDF(), nil })
	return append(ps, stampedCopies(ps)...)
}
