package queries

import "strings"

// Chinese labels for the codes the schema stores (kind, status, severity, reason code). They live beside
// the codes so the dashboard, the exports and the SQL console say the same words for the same value.

// KindLabel names a submitter kind: city → 地市, school → 院校.
func KindLabel(kind string) string {
	switch kind {
	case KindCity:
		return "地市"
	case KindSchool:
		return "院校"
	case "university":
		return "本科高校"
	}
	return "未识别"
}

// StatusLabel names a file's status, and the returns page's missing/late.
func StatusLabel(status string) string {
	switch status {
	case "current":
		return "现行版本"
	case "superseded":
		return "已被新版本替代"
	case "rejected":
		return "未能读取"
	case "duplicate":
		return "重复文件（已收过）"
	case "missing":
		return "未报送"
	case "late":
		return "逾期报送"
	}
	return status
}

// SeverityLabel names a finding's severity.
func SeverityLabel(severity string) string {
	switch severity {
	case "error":
		return "错误"
	case "warning":
		return "警告"
	case "info":
		return "提示"
	}
	return severity
}

// ReasonLabel names a rejection's reason code.
func ReasonLabel(code string) string { return FindingLabel(code) }

// ReasonText is a rejection as stored ("corrupt: 文件已损坏…") without its code prefix, for people.
func ReasonText(reason string) string {
	code, msg, ok := strings.Cut(reason, ":")
	if !ok || strings.ContainsFunc(code, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z') }) {
		return strings.TrimSpace(reason)
	}
	return strings.TrimSpace(msg)
}

// findingLabels name the codes of findings and rejections (ingest's Code* constants and Finding
// codes). Adding a code to ingest takes one line here; ingest's TestEveryFindingCodeHasALabel fails
// until it has one.
var findingLabels = map[string]string{
	// whole-file rejections
	"corrupt":           "文件损坏",
	"legacy_xls":        "旧版 .xls 格式",
	"encrypted":         "文件已加密",
	"empty":             "空文件",
	"not_checklist":     "不是任务落实举措清单",
	"too_large":         "文件过大",
	"not_xlsx":          "不是 xlsx 文件",
	"unknown_submitter": "无法识别报送单位",
	"no_round":          "没有对应的进展轮次",
	"stamped_unnamed":   "盖章扫描件未写明单位",
	"wrong_unit":        "不是本单位的文件",
	"unit_from_link":    "按上传链接认定单位",
	"header_unmapped":   "表头无法对应",
	// findings in an accepted file
	"ambiguous_task":     "任务对应不确定",
	"unknown_task":       "无法对应任务",
	"weak_match":         "任务内容与原文差异较大",
	"number_mismatch":    "序号与任务内容不一致",
	"task_by_number":     "按序号对应任务",
	"task_missing":       "缺少任务行",
	"task_unmatched":     "未能对应任务",
	"task_not_expected":  "不要求填报的任务",
	"hidden_sheet":       "含隐藏工作表",
	"submitter_conflict": "报送单位不一致",
	"unit_missing":       "未填写单位",
	"due_missing":        "未填写完成时间",
	"due_unreadable":     "完成时间无法识别",
	"due_ongoing":        "完成时间为长期",
	"goal_missing":       "未填写完成目标",
	"goal_no_number":     "完成目标缺少数量",
	// how the workbook was read
	"sheets_read":    "读取的工作表",
	"hidden_rows":    "含隐藏行（未计入）",
	"hidden_columns": "含隐藏列（未计入）",
	"total_rows":     "合计/小计行（未计入）",
	"number_is_row":  "序号为行号（按内容对应任务）",
	// the stamped copy
	"stamped_unreadable": "盖章扫描件无法读取页数",
	// progress returns
	"status_missing":     "未填写完成状态",
	"status_unreadable":  "完成状态无法识别",
	"lag_reason_missing": "滞后未写原因及整改措施",
	"round_conflict":     "进展轮次不一致",
	"round_assumed":      "按最近一轮计入",
	// progress returns and rounds, beside the above
	"achieved_missing":     "未填写已完成数量",
	"achieved_unreadable":  "已完成数量无法识别",
	"measure_new":          "新增举措",
	"measure_not_reported": "举措未报告进展",
	"measure_twice":        "同一举措报告两次",
	"key_unknown":          "举措编号无法对应方案",
	"link_weak":            "与方案举措对应不确定",
	"status_contradiction": "完成状态与其他填报内容矛盾",
	// the stamped copy the notice asks for beside the xlsx (corrections_findings.sql)
	"stamped_missing": "缺少盖章扫描件",
	"stamped_stale":   "盖章扫描件早于现行清单",
}

// FindingLabel names a finding's or a rejection's code in Chinese; a code without a label is shown
// as "其他问题（code）" so nothing English stands alone on a page.
func FindingLabel(code string) string {
	if l, ok := findingLabels[code]; ok {
		return l
	}
	if code == "" {
		return ""
	}
	return "其他问题（" + code + "）"
}

// HasFindingLabel reports whether code has a Chinese label.
func HasFindingLabel(code string) bool {
	_, ok := findingLabels[code]
	return ok
}

// MatchMethodLabel names how a measure's task was matched (measure_rows.match_method).
func MatchMethodLabel(m string) string {
	switch m {
	case "content":
		return "按任务内容"
	case "template":
		return "按模板行"
	case "measure":
		return "按举措内容"
	case "number":
		return "按序号"
	case "none", "":
		return "未能对应"
	}
	return m
}

// IdentityLabel names how a file's submitter was told (files.identity_source).
func IdentityLabel(source string) string {
	switch source {
	case "template":
		return "模板内嵌的单位名"
	case "unit":
		return "“单位”栏"
	case "file_name":
		return "文件名"
	case "header_footer":
		return "页眉/页脚"
	case "title":
		return "表头上方的标题"
	case "cover":
		return "封面等其他工作表"
	case "sheet_name":
		return "工作表名"
	case "folder":
		return "压缩包内的文件夹名"
	case "link":
		return "本单位的上传链接"
	}
	return source
}
