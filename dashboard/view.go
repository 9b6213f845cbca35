package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// Template helpers for the leadership pages, added to the shared FuncMap before the templates are
// parsed (New parses them; package init runs first).
func init() {
	funcs["kindname"] = kindName
	funcs["statusname"] = statusName
	funcs["severityname"] = severityName
	funcs["reasonname"] = reasonName
	funcs["pctof"] = pctOf
	funcs["quantity"] = quantity
	funcs["join"] = strings.Join
	funcs["itoa"] = strconv.Itoa
	funcs["unitpath"] = unitPath
}

func kindName(kind string) string {
	switch kind {
	case queries.KindCity:
		return "地市"
	case queries.KindSchool:
		return "院校"
	}
	return "未识别"
}

func statusName(status string) string {
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

func severityName(s string) string {
	switch s {
	case "error":
		return "错误"
	case "warning":
		return "警告"
	case "info":
		return "提示"
	}
	return s
}

func reasonName(code string) string {
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
	}
	return code
}

// pctOf is a/b as a percentage, "—" when b is 0.
func pctOf(a, b int) string {
	if b == 0 {
		return "—"
	}
	return pct(float64(a) / float64(b))
}

// unitPath is the page of a submitter: /cities/<name> or /colleges/<name>.
func unitPath(kind, name string) string {
	if kind == queries.KindCity {
		return "/cities/" + pathEscape(name)
	}
	return "/colleges/" + pathEscape(name)
}

func pathEscape(s string) string { return url.PathEscape(s) }

// param is a route parameter, URL-decoded (fiber hands it over as it appeared in the path).
func param(c *fiber.Ctx, name string) string {
	v := c.Params(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
