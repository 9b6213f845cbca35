#!/usr/bin/python3
"""Writes the returns corpus of issue 13 with writers other than excelize.

Each case below is written three ways:
  openpyxl/<case>.xlsx     by openpyxl (Debian python3-openpyxl)
  libreoffice/<case>.xlsx  the openpyxl file opened and saved again by LibreOffice headless
  ooxml/<case>.xlsx        hand-built OOXML (inline strings, formulas with their cached values)
The expected facts are NOT generated: they are written by hand in <case>.want beside this script.
Run through `make testdata` (needs python3-openpyxl and libreoffice-calc-nogui); the outputs are committed.
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2021, 9, 10, 8, 0, 0)


class F:
    """A formula with the value Excel would have cached (openpyxl cannot write the cached value)."""

    def __init__(self, formula, cached):
        self.formula, self.cached = formula, cached


class N:
    """A number or date shown through a number format."""

    def __init__(self, value, fmt):
        self.value, self.fmt = value, fmt


class Sheet:
    def __init__(self, title, rows, hidden_rows=(), hidden_cols=(), header=None, footer=None, state="visible", merges=()):
        self.title, self.rows = title, rows
        self.hidden_rows, self.hidden_cols = set(hidden_rows), set(hidden_cols)
        self.header, self.footer, self.state, self.merges = header, footer, state, list(merges)


HEAD = ["序号", "主要任务", "任务内容", "具体举措", "完成目标", "责任单位", "完成时间"]
T1 = "采取专兼职结合方式，为职业院校班子配备1名具有5年以上行业工业企业工作经历的高层次技术管理人才"
T2 = "充分发挥辽宁工匠联盟和辽宁劳模协会作用，完善大国工匠和劳动模范担任德育兼职导师制度"
T3 = "遴选建设200个左右思想政治课示范课堂、800个左右课程思政教育案例"
T5 = "对接辽宁重点发展产业，优化职业院校专业布局"
T9 = "重点培育200个左右高水平特色专业（群）"
T20 = "完成200万人次左右职业技能培训"
T24 = "支持高水平高职院校与地方政府、产业园区、骨干企业等多主体合作，共建20个左右产学研融合的产业学院"
A1 = "加强党对职业教育的全面领导"
UNIT_DL = "单位：大连市教育局（公章）"


def checklist(rows, unit=UNIT_DL, title="任务落实举措清单"):
    top = [[title]]
    if unit:
        top.append([unit])
    return top + [HEAD] + rows


CASES = {
    # 1. Who sent it: the name only in the print header, the sheet tab, a cover sheet; sources that
    # disagree; nothing at all.
    "c1_header": [Sheet("Sheet1", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "教务处", "2022年6月"]], unit=None),
                        header="&C&\"宋体,常规\"锦州师专", footer="第&P页")],
    "c1_tab": [Sheet("辽宁机电职院", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "教务处", "2022年6月"]], unit=None))],
    "c1_cover": [Sheet("封面", [["辽宁省职业教育改革任务落实举措清单"], ["鞍山市"], ["二〇二一年九月"]]),
                 Sheet("清单", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", "2022年6月"]], unit=None))],
    "c1_conflict": [Sheet("Sheet1", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", "2022年6月"]]),
                          footer="&L鞍山市教育局&R第&P页")],
    "c1_nobody": [Sheet("Sheet1", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", "2022年6月"]], unit=None),
                        footer="第&P页")],
    # 2. Header words and order: 工作目标 before 工作举措, 备注 and a second 序号, 牵头单位, 时间节点.
    "c2_vocab": [Sheet("Sheet1", [["单位：大连市教育局"],
                                  ["序号", "任务内容", "工作目标", "工作举措", "备注", "序号", "牵头单位", "时间节点"],
                                  [3, T3, "建设5个示范课堂", "建设思政示范课堂", "已立项", 1, "市教育局", "2022年6月"],
                                  [3, T3, "案例20个", "征集课程思政案例", "", 2, "市教育局", "2022年12月"],
                                  [20, T20, "培训3千人次", "开展职业技能培训", "", 1, "市人社局", "2022年底前"]])],
    "c2_unmapped": [Sheet("Sheet1", [["单位：大连市教育局"],
                                     ["序号", "任务内容", "措施内容", "效果", "完成时间"],
                                     [3, T3, "建设思政示范课堂", "建设5个示范课堂", "2022年6月"],
                                     [20, T20, "开展职业技能培训", "培训3000人次", "2022年底前"]])],
    # 3. The whole workbook: one sheet per main task, a 汇总 sheet restating them, a 合计 row, a hidden
    # old copy, a sheet of notes.
    "c3_split": [Sheet("填报说明", [["填报说明"], ["请按模板填写，每项举措一行。"]]),
                 Sheet("一、党的领导", checklist([[1, A1, T1, "选派企业高管任兼职副院长", "配备2名", "组织部", "2021年12月"],
                                                [2, A1, T2, "聘请劳模担任德育导师", "聘请10名", "宣传部", "2022年6月"]])),
                 Sheet("二、专业建设", checklist([[5, "优化专业布局", T5, "新增智能制造专业", "新增2个", "教务处", "2022年9月"],
                                                [9, "优化专业布局", T9, "建设高水平特色专业群", "建设3个", "教务处", "2022年12月"],
                                                ["合计", "", "", "", "", "", ""]])),
                 Sheet("汇总", checklist([[1, A1, T1, "选派企业高管任兼职副院长", "配备2名", "组织部", "2021年12月"],
                                        [2, A1, T2, "聘请劳模担任德育导师", "聘请10名", "宣传部", "2022年6月"],
                                        [5, "优化专业布局", T5, "新增智能制造专业", "新增2个", "教务处", "2022年9月"],
                                        [9, "优化专业布局", T9, "建设高水平特色专业群", "建设3个", "教务处", "2022年12月"]])),
                 Sheet("旧版", checklist([[24, "产教融合", T24, "旧稿：共建产业学院", "共建5个", "教务处", "2022年"]]), state="hidden")],
    # 4. Hidden rows and columns are drafts: rows 6 and 7 hidden, column H (a draft 完成目标) hidden.
    "c4_hidden": [Sheet("Sheet1", [["任务落实举措清单"], [UNIT_DL], HEAD + ["草稿"],
                                   [3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", "2022年6月", "建设50个"],
                                   [3, A1, T3, "草稿：建设100个示范课堂", "建设100个", "市教育局", "2022年6月"],
                                   [3, A1, T3, "草稿：再建50个", "建设50个", "市教育局", "2022年6月"],
                                   [20, A1, T20, "开展职业技能培训", "培训3000人次", "市人社局", "2022年12月"]],
                        hidden_rows=[5, 6], hidden_cols=["H"])],
    # 5. 序号 counts rows: =ROW()-3 formulas, a task spanning two numbers, task text left blank below.
    "c5_rowno": [Sheet("Sheet1", checklist([[F("ROW()-3", 1), A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", "2022年6月"],
                                           [F("ROW()-3", 2), A1, None, "征集课程思政案例", "案例20个", "市教育局", "2022年12月"],
                                           [F("ROW()-3", 3), A1, T20, "开展职业技能培训", "培训3000人次", "市人社局", "2022年12月"],
                                           [F("ROW()-3", 4), A1, T20, "开展社区培训", "培训500人次", "市人社局", "2022年12月"]]))],
    # 6. Displayed values: a date shown 2022年6月, 2022.1 shown 2022.10, a built-in short date, a date
    # typed yyyy-mm-dd, a goal from a string formula's cached value.
    "c6_display": [Sheet("Sheet1", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个示范课堂", "市教育局", N(datetime.datetime(2022, 6, 1), 'yyyy"年"m"月"')],
                                             [3, A1, T3, "征集课程思政案例", "案例20个", "市教育局", N(2022.1, "0.00")],
                                             [20, A1, T20, "开展职业技能培训", "培训3000人次", "市人社局", N(datetime.datetime(2021, 12, 31), "yyyy/m/d")],
                                             [24, A1, T24, "共建产业学院", F('"共建"&"2个产业学院"', "共建2个产业学院"), "教务处", N(datetime.datetime(2022, 9, 30), "yyyy-mm-dd")]]))],
    # 7. More 完成时间 forms.
    "c7_due": [Sheet("Sheet1", checklist([[3, A1, T3, "建设思政示范课堂", "建设5个", "市教育局", "即日起"],
                                         [3, A1, T3, "开展思政课集体备课", "", "市教育局", "每学期"],
                                         [5, A1, T5, "优化专业布局", "", "市教育局", "2021-2025年"],
                                         [9, A1, T9, "建设特色专业群", "建设3个", "市教育局", "2022年9月至12月"],
                                         [20, A1, T20, "开展职业技能培训", "培训3000人次", "市人社局", "2022.6.30"],
                                         [24, A1, T24, "共建产业学院", "共建2个产业学院", "市教育局", "2022年12月31日前"]]))],
    # 8. More 完成目标 forms.
    "c8_goal": [Sheet("Sheet1", checklist([[24, A1, T24, "共建产业学院", "1-2个产业学院", "市教育局", "2022年"],
                                          [9, A1, T9, "建设特色专业群", "3至5个", "市教育局", "2022年"],
                                          [20, A1, T20, "开展职业技能培训", "培训3千人次", "市人社局", "2022年"],
                                          [3, A1, T3, "建设思政示范课堂", "第一批10个、第二批5个", "市教育局", "2022年"]]))],
    # 9. Numbered lists in one cell.
    "c9_lists": [Sheet("Sheet1", checklist([[24, A1, T24, "1.共建智能制造产业学院；2.共建现代物流产业学院", "1.建成1个；2.建成2个", "1.市教育局；2.市发改委", "1.2022年6月；2.2022年12月"],
                                           [3, A1, T3, "（1）建设思政示范课堂\n（2）开展集体备课\n（3）组织教学竞赛", "建设示范课堂5个", "市教育局", "2022年12月"],
                                           [9, A1, T9, "①建设特色专业群②开展专业评估", "建设3个", "市教育局", "2022年"],
                                           [20, A1, T20, "推进1+X证书试点，培训2所以上院校教师", "培训3000人次", "市人社局", "2022年"]]))],
    # 9b. One 完成目标 merged down over two measure rows serves both: its quantity counts once.
    "c9_merged": [Sheet("Sheet1", checklist([[20, A1, T20, "开展职业技能培训", "培训3000人次", "市人社局", "2022年12月"],
                                            [20, A1, T20, "开展社区培训", None, "市人社局", "2022年12月"]]),
                        merges=["E4:E5"])],
}

# 10. Damage: the zip directory is intact, the sheet's XML is cut off half-way.
DAMAGED = {"c10_damaged": "c7_due"}


def write_openpyxl(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.title)
        ws.sheet_state = s.state
        for r, row in enumerate(s.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(v, F):
                    cell.value = "=" + v.formula
                elif isinstance(v, N):
                    cell.value = v.value
                    cell.number_format = v.fmt
                else:
                    cell.value = v
        for r in s.hidden_rows:
            ws.row_dimensions[r].hidden = True
        for c in s.hidden_cols:
            ws.column_dimensions[c].hidden = True
        if s.header:
            ws.oddHeader.center.text = s.header.replace("&C", "").replace('&"宋体,常规"', "")
        if s.footer:
            ws.oddFooter.center.text = s.footer.replace("&L", "").replace("&R", " ")
        for m in s.merges:
            ws.merge_cells(m)
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)
    rezip(path)


def rezip(path):
    """Rewrites a package with fixed entry times, so rerunning the generator changes no byte."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    write_zip(path, parts)


def excel_serial(d):
    return (d - datetime.datetime(1899, 12, 30)).days


def write_ooxml(path, sheets):
    """A minimal package by hand: inline strings, formulas with cached values, custom number formats."""
    fmts = []
    for s in sheets:
        for row in s.rows:
            for v in row:
                if isinstance(v, N) and v.fmt not in fmts:
                    fmts.append(v.fmt)
    num_fmts = "".join('<numFmt numFmtId="%d" formatCode="%s"/>' % (164 + i, escape(f, {'"': "&quot;"})) for i, f in enumerate(fmts))
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' + "".join(
        '<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>' % (164 + i) for i in range(len(fmts)))
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="%d">%s</numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="%d">%s</cellXfs></styleSheet>') % (len(fmts), num_fmts, len(fmts) + 1, xfs)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {}
    sheet_entries, rels, types = [], [], []
    for i, s in enumerate(sheets, start=1):
        state = '' if s.state == "visible" else ' state="%s"' % s.state
        sheet_entries.append('<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (escape(s.title), i, state, i))
        rels.append('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i))
        types.append('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % i)
        x = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet %s>' % ns]
        if s.hidden_cols:
            x.append("<cols>")
            for c in sorted(s.hidden_cols):
                n = openpyxl.utils.column_index_from_string(c)
                x.append('<col min="%d" max="%d" width="9" hidden="1" customWidth="1"/>' % (n, n))
            x.append("</cols>")
        x.append("<sheetData>")
        for r, row in enumerate(s.rows, start=1):
            hid = ' hidden="1"' if r in s.hidden_rows else ''
            x.append('<row r="%d"%s>' % (r, hid))
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                ref = "%s%d" % (get_column_letter(c), r)
                if isinstance(v, F):
                    if isinstance(v.cached, str):
                        x.append('<c r="%s" t="str"><f>%s</f><v>%s</v></c>' % (ref, escape(v.formula), escape(v.cached)))
                    else:
                        x.append('<c r="%s"><f>%s</f><v>%s</v></c>' % (ref, escape(v.formula), v.cached))
                elif isinstance(v, N):
                    val = v.value
                    if isinstance(val, datetime.datetime):
                        val = excel_serial(val)
                    x.append('<c r="%s" s="%d"><v>%s</v></c>' % (ref, fmts.index(v.fmt) + 1, repr(val)))
                elif isinstance(v, (int, float)):
                    x.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                else:
                    x.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(v)))
            x.append("</row>")
        x.append("</sheetData>")
        if s.merges:
            x.append('<mergeCells count="%d">%s</mergeCells>' % (len(s.merges), "".join('<mergeCell ref="%s"/>' % m for m in s.merges)))
        if s.header or s.footer:
            x.append("<headerFooter>")
            if s.header:
                x.append("<oddHeader>%s</oddHeader>" % escape(s.header))
            if s.footer:
                x.append("<oddFooter>%s</oddFooter>" % escape(s.footer))
            x.append("</headerFooter>")
        x.append("</worksheet>")
        parts["xl/worksheets/sheet%d.xml" % i] = "".join(x)
    n = len(sheets)
    parts["xl/workbook.xml"] = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook %s><sheets>%s</sheets></workbook>' % (ns, "".join(sheet_entries))
    parts["xl/_rels/workbook.xml.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s'
                                           '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>') % ("".join(rels), n + 1)
    parts["xl/styles.xml"] = styles
    parts["_rels/.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["[Content_Types].xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                                    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>%s</Types>') % "".join(types)
    write_zip(path, parts)


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(parts, key=lambda p: (p != "[Content_Types].xml", p)):
            info = zipfile.ZipInfo(name, date_time=(2021, 9, 10, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = parts[name]
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def damage(src, dst):
    """Cuts the first worksheet's XML in half; every other part, and the zip directory, stay intact."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))[0]
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    write_zip(dst, parts)


def main():
    for d in ("openpyxl", "libreoffice", "ooxml"):
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
    for name, sheets in CASES.items():
        write_openpyxl(os.path.join(HERE, "openpyxl", name + ".xlsx"), sheets)
        write_ooxml(os.path.join(HERE, "ooxml", name + ".xlsx"), sheets)
    # LibreOffice re-saves every openpyxl file with its own writer (and computes the formulas).
    with tempfile.TemporaryDirectory() as tmp:
        profile = "file://" + os.path.join(tmp, "profile")
        srcs = [os.path.join(HERE, "openpyxl", n + ".xlsx") for n in CASES]
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--calc", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", os.path.join(tmp, "out")] + srcs,
                       check=True, stdout=subprocess.DEVNULL)
        for n in CASES:
            shutil.copy(os.path.join(tmp, "out", n + ".xlsx"), os.path.join(HERE, "libreoffice", n + ".xlsx"))
    for name, base in DAMAGED.items():
        for d in ("openpyxl", "libreoffice", "ooxml"):
            damage(os.path.join(HERE, d, base + ".xlsx"), os.path.join(HERE, d, name + ".xlsx"))


if __name__ == "__main__":
    sys.exit(main())
