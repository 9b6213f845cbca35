# Generates own_layout_dalian.xlsx: 大连市 sends back its plan in its own layout with an added
# 完成情况 column and no 完成状态 column (as many units will). Run: /usr/bin/python3 make_own_layout.py
# (Debian: python3-openpyxl). The expected links are worked out by hand in ownlayout_test.go.
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "进展"
ws["A1"] = "大连市落实举措进展情况"
ws["A2"] = "单位：大连市教育局"
ws.append([])
ws.append(["序号", "任务内容", "具体举措", "完成目标", "完成情况"])
rows = [
    # identical text to the plan: links by text
    ("24", "", "推动重点产业园区与职业院校共建产业学院", "建设产业学院2个", "已完成，建成产业学院2个"),
    # reworded: shares part of its text with the plan measure, a weak link with a finding
    ("24", "", "开展省级产业学院申报工作", "完成申报", "正在推进：申报材料已报送"),
    # identical text, status not readable from the description: kept with a finding
    ("9", "", "建设市级高水平特色专业群", "建成特色专业群5个", "因疫情影响进度有所放缓"),
    # nothing like it in the plan: a new measure
    ("15", "", "举办全市职业院校技能大赛", "", "已完成"),
]
for r in rows:
    ws.append(list(r))
wb.save("own_layout_dalian.xlsx")
