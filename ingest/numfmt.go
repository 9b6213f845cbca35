package ingest

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Number formats, applied the way Excel and WPS show a cell on a Chinese (zh-CN) desktop: that is the
// text the submitter saw and the text kept beside every parsed field. The built-in formats whose look
// depends on the locale (14, 22, 27–36, 50–58) are given their zh-CN form.
var builtinFormats = map[int]string{
	0: "", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
	12: "", 13: "", // fractions: shown as General
	14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
	20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm",
	27: `yyyy"年"m"月"`, 28: `m"月"d"日"`, 29: `m"月"d"日"`, 30: "m-d-yy", 31: `yyyy"年"m"月"d"日"`,
	32: `h"时"mm"分"`, 33: `h"时"mm"分"ss"秒"`, 34: `上午/下午h"时"mm"分"`, 35: `上午/下午h"时"mm"分"ss"秒"`,
	36: `yyyy"年"m"月"`,
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;(#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
	50: `yyyy"年"m"月"`, 51: `m"月"d"日"`, 52: `yyyy"年"m"月"`, 53: `m"月"d"日"`, 54: `m"月"d"日"`,
	55: `上午/下午h"时"mm"分"`, 56: `上午/下午h"时"mm"分"ss"秒"`, 57: `yyyy"年"m"月"`, 58: `m"月"d"日"`,
}

// fmtToken is one piece of a format section: a literal, or a code (y, m, d, h, s, 0, #, ...).
type fmtToken struct {
	lit  string
	code string
}

// tokenizeFormat splits a format section into literals and runs of one code letter; brackets ([Red],
// [$-804], [DBNum1]) are dropped, except a currency symbol [$¥-804], which is shown.
func tokenizeFormat(sec string) []fmtToken {
	var out []fmtToken
	rs := []rune(sec)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			out = append(out, fmtToken{lit: string(rs[i+1 : min(j, len(rs))])})
			i = j
		case r == '\\' && i+1 < len(rs):
			out = append(out, fmtToken{lit: string(rs[i+1])})
			i++
		case r == '_' && i+1 < len(rs):
			out = append(out, fmtToken{lit: " "})
			i++
		case r == '*' && i+1 < len(rs):
			i++
		case r == '[':
			j := i + 1
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			in := string(rs[i+1 : min(j, len(rs))])
			if strings.HasPrefix(in, "$") {
				sym, _, _ := strings.Cut(in[1:], "-")
				if sym != "" {
					out = append(out, fmtToken{lit: sym})
				}
			} else if strings.Trim(strings.ToLower(in), "hms") == "" {
				out = append(out, fmtToken{code: strings.ToLower(in[:1])}) // [h] elapsed hours
			}
			i = j
		case strings.HasPrefix(strings.ToUpper(string(rs[i:])), "AM/PM"):
			out = append(out, fmtToken{code: "ampm"})
			i += 4
		case strings.HasPrefix(strings.ToUpper(string(rs[i:])), "A/P"):
			out = append(out, fmtToken{code: "ampm"})
			i += 2
		case strings.HasPrefix(string(rs[i:]), "上午/下午"):
			out = append(out, fmtToken{code: "ampm"})
			i += 4
		case (r == 'E' || r == 'e') && i+1 < len(rs) && (rs[i+1] == '+' || rs[i+1] == '-'):
			out = append(out, fmtToken{code: "E+"})
			i++
		case strings.ContainsRune("yYmMdDhHsSeEaAbB", r):
			j := i
			lr := toLowerASCII(r)
			for j+1 < len(rs) && toLowerASCII(rs[j+1]) == lr {
				j++
			}
			out = append(out, fmtToken{code: strings.Repeat(string(lr), j-i+1)})
			i = j
		case r == '0' || r == '#' || r == '?' || r == '.' || r == ',' || r == '%' || r == '@':
			out = append(out, fmtToken{code: string(r)})
		default:
			out = append(out, fmtToken{lit: string(r)})
		}
	}
	return out
}

func toLowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 32
	}
	return r
}

// splitSections splits a format at semicolons outside quotes.
func splitSections(code string) []string {
	var out []string
	inQ, start := false, 0
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			inQ = !inQ
		case '\\':
			i++
		case ';':
			if !inQ {
				out = append(out, code[start:i])
				start = i + 1
			}
		}
	}
	return append(out, code[start:])
}

func isDateFormat(toks []fmtToken) bool {
	for _, t := range toks {
		if t.code == "" || t.code == "E+" {
			continue
		}
		switch t.code[0] {
		case 'y', 'm', 'd', 'h', 's', 'e', 'a', 'b':
			return true
		}
	}
	return false
}

// formatNumber shows a number as the cell's format does.
func formatNumber(v float64, code string, date1904 bool) string {
	if code == "" || strings.EqualFold(code, "General") || code == "@" {
		return generalNumber(v)
	}
	secs := splitSections(code)
	sec := secs[0]
	neg := v < 0
	switch {
	case v < 0 && len(secs) > 1:
		sec, v = secs[1], -v
		neg = false
	case v == 0 && len(secs) > 2:
		sec = secs[2]
	}
	toks := tokenizeFormat(sec)
	if isDateFormat(toks) {
		if v < 0 || v > 2958465 {
			return generalNumber(v)
		}
		return formatDate(excelTime(v, date1904), toks)
	}
	return formatDecimal(v, neg && len(secs) == 1, toks)
}

// excelTime converts a serial (days, with the time of day as the fraction) to a time.
func excelTime(v float64, date1904 bool) time.Time {
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	base := excelEpoch
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
}

var (
	monthsLong  = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	weekdaysCN  = []string{"日", "一", "二", "三", "四", "五", "六"}
	weekdaysEng = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func formatDate(t time.Time, toks []fmtToken) string {
	ampm := false
	for _, tk := range toks {
		ampm = ampm || tk.code == "ampm"
	}
	var b strings.Builder
	for i, tk := range toks {
		if tk.code == "" {
			b.WriteString(tk.lit)
			continue
		}
		switch c := tk.code; c[0] {
		case 'y', 'e':
			if len(c) <= 2 && c[0] == 'y' {
				b.WriteString(pad2(t.Year() % 100))
			} else {
				b.WriteString(strconv.Itoa(t.Year()))
			}
		case 'b':
			b.WriteString(strconv.Itoa(t.Year() + 543))
		case 'm':
			if minuteContext(toks, i) {
				b.WriteString(padN(t.Minute(), len(c)))
				continue
			}
			switch len(c) {
			case 1:
				b.WriteString(strconv.Itoa(int(t.Month())))
			case 2:
				b.WriteString(pad2(int(t.Month())))
			case 3:
				b.WriteString(monthsLong[t.Month()-1][:3])
			case 5:
				b.WriteString(monthsLong[t.Month()-1][:1])
			default:
				b.WriteString(monthsLong[t.Month()-1])
			}
		case 'd':
			switch len(c) {
			case 1:
				b.WriteString(strconv.Itoa(t.Day()))
			case 2:
				b.WriteString(pad2(t.Day()))
			case 3:
				b.WriteString(weekdaysEng[t.Weekday()][:3])
			default:
				b.WriteString(weekdaysEng[t.Weekday()])
			}
		case 'a':
			if len(c) >= 4 {
				b.WriteString("星期" + weekdaysCN[t.Weekday()])
			} else if len(c) == 3 {
				b.WriteString(weekdaysCN[t.Weekday()])
			}
		case 'h':
			h := t.Hour()
			if ampm {
				h = h % 12
				if h == 0 {
					h = 12
				}
			}
			b.WriteString(padN(h, len(c)))
		case 's':
			b.WriteString(padN(t.Second(), len(c)))
		case '0':
			// fraction of a second after "ss." — not kept
		default:
			if c == "ampm" {
				if t.Hour() < 12 {
					b.WriteString("上午")
				} else {
					b.WriteString("下午")
				}
			} else if c == "." || c == "," {
				b.WriteString(c)
			}
		}
	}
	return b.String()
}

// minuteContext says whether an m at toks[i] means minutes: right after an hour or right before seconds.
func minuteContext(toks []fmtToken, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if c := toks[j].code; c != "" {
			if c[0] == 'h' {
				return true
			}
			break
		}
	}
	for j := i + 1; j < len(toks); j++ {
		if c := toks[j].code; c != "" {
			return c[0] == 's'
		}
	}
	return false
}

func pad2(n int) string { return padN(n, 2) }

func padN(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// formatDecimal shows a number through a numeric section: decimals, thousands separators, percent,
// scientific notation, and the literal text before and after the digits ("0个", "¥#,##0").
func formatDecimal(v float64, minus bool, toks []fmtToken) string {
	var prefix, suffix strings.Builder
	decimals, thousands, percent, sci, seenDigit, afterDot := 0, false, 0, false, false, false
	intZero := false
	for i, tk := range toks {
		switch tk.code {
		case "":
			if seenDigit {
				suffix.WriteString(tk.lit)
			} else {
				prefix.WriteString(tk.lit)
			}
		case "0", "#", "?":
			if afterDot {
				decimals++
			} else if tk.code == "0" {
				intZero = true
			}
			seenDigit = true
		case ".":
			afterDot = true
		case ",":
			if !afterDot && seenDigit && i+1 < len(toks) && (toks[i+1].code == "0" || toks[i+1].code == "#") {
				thousands = true
			}
		case "%":
			percent++
			if seenDigit {
				suffix.WriteString("%")
			} else {
				prefix.WriteString("%")
			}
		case "E+":
			sci = true
		case "@":
			prefix.WriteString(generalNumber(v))
		}
	}
	if !seenDigit {
		if prefix.Len()+suffix.Len() == 0 {
			return generalNumber(v)
		}
		return prefix.String() + suffix.String()
	}
	for ; percent > 0; percent-- {
		v *= 100
	}
	var num string
	if sci {
		num = strings.Replace(strconv.FormatFloat(math.Abs(v), 'E', decimals, 64), "E+0", "E+", 1)
	} else {
		num = strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
		if !intZero && strings.HasPrefix(num, "0.") {
			num = num[1:]
		}
		if thousands {
			num = groupThousands(num)
		}
	}
	if minus && v < 0 && strings.Trim(num, "0.,") != "" {
		num = "-" + num
	}
	return prefix.String() + num + suffix.String()
}

func groupThousands(num string) string {
	intPart, frac, hasFrac := strings.Cut(num, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return b.String() + "." + frac
	}
	return b.String()
}

// generalNumber is Excel's General format: up to 11 significant characters, no float noise (2022.1,
// not 2022.0999999999999).
func generalNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e11 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	a := math.Abs(v)
	if a >= 1e11 || a < 1e-9 {
		return strconv.FormatFloat(v, 'E', 5, 64)
	}
	digits := 10 - int(math.Floor(math.Log10(a)))
	if digits < 0 {
		digits = 0
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// formatISODate shows a t="d" cell (an ISO 8601 date some writers store) through its format.
func formatISODate(v, code string) string {
	for _, layout := range []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			toks := tokenizeFormat(splitSections(code)[0])
			if code == "" || !isDateFormat(toks) {
				toks = tokenizeFormat(builtinFormats[14])
			}
			return formatDate(t, toks)
		}
	}
	return v
}
