package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// go test ./ingest -run TestGenerateTestdata -update rewrites testdata/ from the specs below; the files
// are committed so the other tests read real bytes and a change of generator shows up in review.
var update = flag.Bool("update", false, "rewrite ingest/testdata")

// cell positions a value; merge spans to a second cell; date marks a date-styled serial.
type cell struct {
	ref   string
	value any
	merge string
	date  bool
}

type sheetSpec struct {
	name   string
	hidden bool
	cells  []cell
	rows   [][]any // written from row 1 (or after the cells) in column A onward, when set
	first  int     // first row for rows (default 1)
}

type bookSpec struct {
	sheets      []sheetSpec
	definedName string // lnvedash_submitter
	idSheet     string // hidden _lnvedash B1
	modified    time.Time
	password    string
}

func writeBook(t testing.TB, path string, b bookSpec) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range b.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for _, c := range s.cells {
			if err := f.SetCellValue(s.name, c.ref, c.value); err != nil {
				t.Fatal(err)
			}
			if c.date {
				if err := f.SetCellStyle(s.name, c.ref, c.ref, dateStyle); err != nil {
					t.Fatal(err)
				}
			}
			if c.merge != "" {
				if err := f.MergeCell(s.name, c.ref, c.merge); err != nil {
					t.Fatal(err)
				}
			}
		}
		first := s.first
		if first == 0 {
			first = 1
		}
		for r, row := range s.rows {
			ref, _ := excelize.CoordinatesToCellName(1, first+r)
			vals := row
			if err := f.SetSheetRow(s.name, ref, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range b.sheets {
		if s.hidden {
			if err := f.SetSheetVisible(s.name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	if b.definedName != "" {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "lnvedash_submitter", RefersTo: `"` + b.definedName + `"`}); err != nil {
			t.Fatal(err)
		}
	}
	if b.idSheet != "" {
		if _, err := f.NewSheet(identitySheet); err != nil {
			t.Fatal(err)
		}
		_ = f.SetCellValue(identitySheet, "A1", "submitter")
		_ = f.SetCellValue(identitySheet, "B1", b.idSheet)
		if err := f.SetSheetVisible(identitySheet, false); err != nil {
			t.Fatal(err)
		}
	}
	mod := b.modified
	if mod.IsZero() {
		mod = time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "test", Created: "2021-05-20T08:00:00Z", Modified: mod.Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(0)
	var opts []excelize.Options
	if b.password != "" {
		opts = append(opts, excelize.Options{Password: b.password})
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path, opts...); err != nil {
		t.Fatal(err)
	}
}

var header8 = []any{"序号", "主要任务", "任务内容", "责任部门", "具体举措", "完成目标", "责任单位\n（部门）", "完成 时间"}

const (
	area1      = "加强党对职业教育的全面领导，落实立德树人根本任务。"
	task1      = "采取专兼职结合方式，为职业院校班子配备1名具有5年以上行业工作经历的高层次人才。"
	task3      = "遴选建设200个左右思想政治课示范课堂、800个左右课程思政教育案例。"
	area3      = "明确专业办学定位，优化职业教育专业布局。"
	tmpl7      = "建立完善职业教育专业布局动态调整机制，开展职业教育专业评估、卓越专业评估，积极支持第三方机构开展评估。"
	tmpl8      = "重点培育200个左右高水平特色专业（群）。"
	task12     = "建设50所左右省级优质中职学校、20所左右省级高水平高职院校。"
	task20     = "完成200万人次左右职业技能培训。"
	task24     = "支持高水平高职院校与地方政府、产业园区、骨干企业等多主体合作，共建20个左右产学研融合的产业学院。"
	task41     = "搭建职业教育在线学习平台，建设1000门左右省级及以上精品在线开放课程、20个左右示范性虚拟仿真实训基地。"
	xssMeasure = "共建产业学院<script>alert(1)</script>"
	sqlGoal    = "共建2个产业学院'); DROP TABLE files;--"
)

// dalianSpec is the layout with most quirks at once: an instructions sheet first, a hidden decoy, title
// rows, the two-level merged header, merged and blank task cells, a repeated header, full-width
// digits, a date-styled serial, template row 7, a wrong 序号, script and SQL text.
func dalianSpec() bookSpec {
	c := func(ref string, v any) cell { return cell{ref: ref, value: v} }
	m := func(ref string, v any, to string) cell { return cell{ref: ref, value: v, merge: to} }
	cells := []cell{
		c("A1", "附件"),
		m("A2", "任务落实举措清单", "H2"),
		c("A3", "单位：大连市教育局（公章）"), c("E3", "联系人："), c("G3", "联系电话："),
		m("A4", "部省共建任务", "D4"), m("E4", "落实具体举措", "H4"),
	}
	for i, h := range header8 {
		ref, _ := excelize.CoordinatesToCellName(i+1, 5)
		cells = append(cells, c(ref, h))
	}
	row := func(r int, vals ...any) {
		for i, v := range vals {
			if v == nil {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, r)
			if d, ok := v.(cell); ok {
				d.ref = ref
				cells = append(cells, d)
				continue
			}
			cells = append(cells, c(ref, v))
		}
	}
	row(6, m("", "1", "A7"), m("", area1, "B8"), m("", task1, "C7"), "省委教育工委、省教育厅、各市", "配备专兼职高层次人才", "全市职业院校配备２名", "市教育局", "2022年6月")
	row(7, nil, nil, nil, nil, "建立高层次人才库", "入库不少于30人", "市人社局", "２０２２年底前")
	row(8, "3", nil, task3, "省委教育工委、省教育厅、各市", "建设思政示范课堂", "建设10个示范课堂、20个课程思政案例", "市教育局", cell{value: 44834, date: true})
	row(9, m("", "7", "A10"), m("", area3, "B10"), m("", tmpl7, "C10"), "省教育厅", "开展星级专业评估和卓越专业评估", "评估专业两个", "市教育局", "2021.12")
	row(10, nil, nil, nil, nil, "建立专业布局动态调整机制，开展毕业生跟踪调查", "形成年度报告", "市教育局", "2022/9")
	row(11, header8...)
	row(12, "8", nil, tmpl8, "省教育厅", "培育特色专业群", "培育十个高水平特色专业群", "市教育局", "2022年第二季度")
	row(13, "12", "实施优质培养计划，提高技术技能人才供给质量。", task12, "省教育厅、各市", "建设优质中职学校", "建设3所省级优质中职学校", "市教育局", "2023年上半年")
	row(14, "20", "加强部门协同，充分发挥职业院校培训优势。", task20, "省人力资源社会保障厅", "开展职业技能培训", "培训1.2万人次", "市人社局", "2021年9月—2022年12月")
	row(15, "42", "深化产教融合，全面推进校企合作育人。", task24, "省教育厅", xssMeasure, sqlGoal, "市发改委", "长期")
	row(16, "41", nil, task41, "省教育厅", "建设精品在线开放课程", "100%课程上线", nil, "尽快")
	row(18, m("", "注：本表由各市教育局填写，一式两份。", "H18"))
	return bookSpec{
		sheets: []sheetSpec{
			{name: "填报说明", rows: [][]any{{"填报说明"}, {"1. 请在“具体举措”“完成目标”“完成时间”列填写本单位的举措。"}, {"2. 单位：请加盖公章。"}}},
			{name: "旧版", hidden: true, rows: [][]any{header8, {"1", area1, task1, "", "旧举措", "", "", "2021年"}}},
			{name: "任务落实举措清单", cells: cells},
		},
		modified: time.Date(2021, 6, 10, 9, 0, 0, 0, time.UTC),
	}
}

// jidianSpec: named only by its file name (an alias), an unrelated sheet first, a single-level header
// starting in column B with other spellings, 序号 blank on continuation rows.
func jidianSpec() bookSpec {
	return bookSpec{sheets: []sheetSpec{
		{name: "经费预算", rows: [][]any{{"项目", "金额（万元）"}, {"实训基地", 120}}},
		{name: "清单", first: 2, rows: [][]any{
			{nil, "序 号", "政策内容", "具体\n举措", "完成\n目标", "责任单位(部门)", "完成时限"},
			{nil, "３", task3, "打造思政示范课堂", "建设5个示范课堂", "马克思主义学院", "2022-12-31"},
			{nil, nil, nil, "开发课程思政案例", "开发课程思政案例20个", "教务处", "持续推进"},
			{nil, "9", "重点培育200个左右高水平特色专业（群）", "建设高水平专业群", "建成2个专业群", "教务处", "2022年"},
		}},
	}}
}

// templateIdentitySpec: the template generator's defined name says 沈阳职业技术学院 while the 单位 cell
// says 大连市 (a conflict, template wins).
func templateIdentitySpec() bookSpec {
	return bookSpec{definedName: "沈阳职业技术学院", sheets: []sheetSpec{{name: "任务落实举措清单", rows: [][]any{
		{"单位：大连市教育局（公章）"},
		header8,
		{"1", area1, task1, "省委教育工委、省教育厅", "选聘行业专家", "配备1名", "组织部", "2021年12月"},
	}}}}
}

// hiddenIdentitySpec: the hidden _lnvedash sheet names 辽宁职业学院.
func hiddenIdentitySpec() bookSpec {
	return bookSpec{idSheet: "辽宁职业学院", sheets: []sheetSpec{{name: "Sheet1", rows: [][]any{
		{"单位：", "辽宁职业学院"},
		header8,
		{"20", "", task20, "", "开展社会培训", "培训3000人次", "继续教育学院", "2022年"},
	}}}}
}

// mergedRightSpec: 完成时间 and 责任单位 merged down over a task's three measures (the value belongs
// to each), 完成目标 left blank on the last row (not merged: stays blank).
func mergedRightSpec() bookSpec {
	c := func(ref string, v any) cell { return cell{ref: ref, value: v} }
	m := func(ref string, v any, to string) cell { return cell{ref: ref, value: v, merge: to} }
	cells := []cell{c("A1", "单位：营口市教育局")}
	for i, h := range header8 {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		cells = append(cells, c(ref, h))
	}
	cells = append(cells,
		m("A3", "20", "A5"), m("C3", task20, "C5"),
		c("E3", "开展企业职工培训"), c("F3", "培训5000人次"), m("G3", "市人社局", "G5"), m("H3", "2022年底前", "H5"),
		c("E4", "开展农民工培训"), c("F4", "培训3000人次"),
		c("E5", "开展退役军人培训"),
	)
	return bookSpec{sheets: []sheetSpec{{name: "Sheet1", cells: cells}}}
}

func unknownSubmitterSpec() bookSpec {
	return bookSpec{sheets: []sheetSpec{{name: "Sheet1", rows: [][]any{
		{"单位：某某培训中心（公章）"},
		header8,
		{"1", area1, task1, "", "开展师资培训", "培训100人", "人事处", "2022年"},
	}}}}
}

func blankTemplateSpec() bookSpec {
	return bookSpec{sheets: []sheetSpec{{name: "Sheet1", rows: [][]any{
		{"单位：（公章）"},
		header8,
		{"1", area1, task1, "省委教育工委、省教育厅、各市"},
		{"2", "", "充分发挥辽宁工匠联盟和辽宁劳模协会作用", "省总工会"},
	}}}}
}

func unrelatedSpec() bookSpec {
	return bookSpec{sheets: []sheetSpec{{name: "工资表", rows: [][]any{{"姓名", "部门", "基本工资", "绩效"}, {"张三", "办公室", 5000, 1200}}}}}
}

// minimalZip builds a zip with the given entries (name → content).
func minimalZip(t testing.TB, entries [][2]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oleFile writes a minimal OLE2 compound file holding the named streams (each 4096 bytes, so no mini
// stream is needed): enough for a reader to list the streams, as Excel 97 files and encrypted OOXML
// packages both are such containers.
func oleFile(names ...string) []byte {
	const sec = 512
	const streamSectors = 8 // 4096 bytes
	nStreams := len(names)
	dirSectors := (nStreams + 1 + 3) / 4
	total := 1 + dirSectors + nStreams*streamSectors
	out := make([]byte, sec*(1+total))
	le := binary.LittleEndian
	copy(out, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], 1)          // FAT sectors
	le.PutUint32(out[48:], 1)          // first directory sector
	le.PutUint32(out[56:], 0x1000)     // mini stream cutoff
	le.PutUint32(out[60:], 0xFFFFFFFE) // no mini FAT
	le.PutUint32(out[68:], 0xFFFFFFFE) // no DIFAT sectors
	le.PutUint32(out[76:], 0)          // DIFAT[0]: FAT in sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(out[76+4*i:], 0xFFFFFFFF)
	}
	at := func(s int) []byte { return out[sec*(1+s):] }
	fat := at(0)
	for i := 0; i < sec/4; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD)
	for s := 1; s <= dirSectors; s++ {
		next := uint32(s + 1)
		if s == dirSectors {
			next = 0xFFFFFFFE
		}
		le.PutUint32(fat[4*s:], next)
	}
	start := 1 + dirSectors
	for k := 0; k < nStreams; k++ {
		first := start + k*streamSectors
		for s := first; s < first+streamSectors; s++ {
			next := uint32(s + 1)
			if s == first+streamSectors-1 {
				next = 0xFFFFFFFE
			}
			le.PutUint32(fat[4*s:], next)
		}
	}
	entry := func(i int) []byte {
		d := at(1 + i/4)
		return d[128*(i%4) : 128*(i%4)+128]
	}
	for i := 0; i < dirSectors*4; i++ {
		e := entry(i)
		le.PutUint32(e[68:], 0xFFFFFFFF)
		le.PutUint32(e[72:], 0xFFFFFFFF)
		le.PutUint32(e[76:], 0xFFFFFFFF)
	}
	setName := func(e []byte, n string) {
		u := utf16.Encode([]rune(n))
		for i, r := range u {
			le.PutUint16(e[2*i:], r)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
	}
	root := entry(0)
	setName(root, "Root Entry")
	root[66], root[67] = 5, 1
	le.PutUint32(root[76:], 1)
	le.PutUint32(root[116:], 0xFFFFFFFE)
	for k, n := range names {
		e := entry(k + 1)
		setName(e, n)
		e[66], e[67] = 2, 1
		if k+1 < nStreams {
			le.PutUint32(e[72:], uint32(k+2)) // right sibling: a chain is a valid (degenerate) tree
		}
		le.PutUint32(e[116:], uint32(start+k*streamSectors))
		le.PutUint32(e[120:], 4096)
	}
	return out
}

// bombSheet is a worksheet padded with whitespace: small zipped, over the unzip limit unpacked.
func bombXLSX(t testing.TB, unpacked int) []byte {
	var good bytes.Buffer
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &header8)
	if err := f.Write(&good); err != nil {
		t.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(good.Bytes()), int64(good.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := e.Open()
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		body := b.Bytes()
		if e.Name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(body, []byte("<sheetData>"))
			pad := bytes.Repeat([]byte(" "), 1<<20)
			_, _ = w.Write(body[:i])
			for n := 0; n < unpacked>>20; n++ {
				_, _ = w.Write(pad)
			}
			_, _ = w.Write(body[i:])
			continue
		}
		_, _ = w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testdataFiles lists every committed fixture with the verdict it must get.
var testdataFiles = []struct {
	name, status, code, submitter string
	measures                      int
}{
	{"大连市-任务落实举措清单.xlsx", "current", "", "大连市", 10},
	{"辽宁机电职院举措清单.xlsx", "current", "", "辽宁机电职业技术学院", 3},
	{"template_identity.xlsx", "current", "", "沈阳职业技术学院", 1},
	{"hidden_identity.xlsx", "current", "", "辽宁职业学院", 1},
	{"merged_right.xlsx", "current", "", "营口市", 3},
	{"unknown_submitter.xlsx", "rejected", CodeUnknownSubmitter, "", 0},
	{"blank_template.xlsx", "rejected", CodeEmpty, "", 0},
	{"empty.xlsx", "rejected", CodeEmpty, "", 0},
	{"legacy.xls", "rejected", CodeLegacyXLS, "", 0},
	{"encrypted.xlsx", "rejected", CodeEncrypted, "", 0},
	{"encrypted_ole.xlsx", "rejected", CodeEncrypted, "", 0},
	{"corrupt.xlsx", "rejected", CodeCorrupt, "", 0},
	{"word_renamed.xlsx", "rejected", CodeNotXLSX, "", 0},
	{"text_renamed.xlsx", "rejected", CodeNotXLSX, "", 0},
	{"unrelated.xlsx", "rejected", CodeNotChecklist, "", 0},
	{"zipbomb.xlsx", "rejected", CodeTooLarge, "", 0},
}

func TestGenerateTestdata(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/")
	}
	dir := "testdata"
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeBook(t, filepath.Join(dir, "大连市-任务落实举措清单.xlsx"), dalianSpec())
	writeBook(t, filepath.Join(dir, "辽宁机电职院举措清单.xlsx"), jidianSpec())
	writeBook(t, filepath.Join(dir, "template_identity.xlsx"), templateIdentitySpec())
	writeBook(t, filepath.Join(dir, "hidden_identity.xlsx"), hiddenIdentitySpec())
	writeBook(t, filepath.Join(dir, "unknown_submitter.xlsx"), unknownSubmitterSpec())
	writeBook(t, filepath.Join(dir, "merged_right.xlsx"), mergedRightSpec())
	writeBook(t, filepath.Join(dir, "blank_template.xlsx"), blankTemplateSpec())
	writeBook(t, filepath.Join(dir, "unrelated.xlsx"), unrelatedSpec())
	enc := dalianSpec()
	enc.password = "secret"
	writeBook(t, filepath.Join(dir, "encrypted.xlsx"), enc)
	write("empty.xlsx", nil)
	write("legacy.xls", oleFile("Workbook", "\x05SummaryInformation"))
	write("encrypted_ole.xlsx", oleFile("EncryptionInfo", "EncryptedPackage"))
	good, err := os.ReadFile(filepath.Join(dir, "template_identity.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	write("corrupt.xlsx", good[:len(good)/2])
	write("word_renamed.xlsx", minimalZip(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>任务落实举措清单</w:t></w:r></w:p></w:body></w:document>`},
	}))
	write("text_renamed.xlsx", []byte(strings.Repeat("序号,任务内容,具体举措\n", 3)))
	write("zipbomb.xlsx", bombXLSX(t, 110<<20))
}
