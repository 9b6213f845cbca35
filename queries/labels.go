package queries

// Chinese labels for the codes the schema stores (kind, status, severity, reason code). They live beside
// the codes so the dashboard, the exports and the SQL console say the same words for the same value.

// KindLabel names a submitter kind: city → 地市, school → 院校.
func KindLabel(kind string) string {
	switch kind {
	case KindCity:
		return "地市"
	case KindSchool:
		return "院校"
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
func ReasonLabel(code string) string {
	switch code {
	case "corrupt":
		return "文件损坏"
	case "legacy_xls":
		return "旧版 .xls 格式"
	case "encrypted":
		return "文件已加密"
	case "empty":
		return "空文件"
	case "not_checklist":
		return "不是任务落实举措清单"
	case "too_large":
		return "文件过大"
	case "not_xlsx":
		return "不是 xlsx 文件"
	case "unknown_submitter":
		return "无法识别报送单位"
	case "header_unmapped":
		return "表头无法对应"
	}
	return code
}
