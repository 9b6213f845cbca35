package ingest

import (
	"regexp"
	"strconv"
	"strings"
)

// Quantity is one number found in a 完成目标 cell, normalised (万 multiplied out, Chinese numerals as
// digits), with its measure word and the text it was read from.
type Quantity struct {
	Value  float64
	Unit   string
	Source string
}

// units are the measure words a committed quantity may carry, longest first so "万人次" is not read as
// "万" + "人" and "个百分点" not as "个". Years, months and days are deliberately absent: "2022年" is
// a date, not a quantity.
var units = []string{
	"个百分点", "平方米", "人次", "课时", "学时", "小时", "万元", "亿元",
	"个", "门", "所", "家", "项", "人", "名", "次", "本", "部", "套", "支", "期", "场", "批", "篇", "种",
	"类", "台", "间", "处", "座", "条", "位", "元", "亩", "册", "节", "份", "届", "班", "队", "%",
}

var quantityRe = func() *regexp.Regexp {
	var alt []string
	for _, u := range units {
		alt = append(alt, regexp.QuoteMeta(u))
	}
	num := `(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)`
	// number, optional 万/亿, optional 余/多/左右 and a classifier like "个左右" handled by the unit list.
	return regexp.MustCompile(num + `\s*([万亿千]?)\s*(?:余|多)?\s*(` + strings.Join(alt, "|") + `)`)
}()

// rangeStartRe finds the floor of a range just before a quantity ("1-2个", "3至5门"): a range commits
// its floor.
var rangeStartRe = regexp.MustCompile(`(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:-|~|～|—|–|至|到)\s*$`)

// batchRe finds "第一批" (with a few words after it) just before a quantity: batches of one thing
// add up ("第一批10个、第二批5个" is 15个).
var batchRe = regexp.MustCompile(`第\s*[一二三四五六七八九十\d]+\s*批\s*\p{Han}{0,4}$`)

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// parseChineseNumber reads 三, 十, 十二, 二十, 一百零五, 三千. ok is false for anything else.
func parseChineseNumber(s string) (int, bool) {
	total, cur := 0, 0
	seenUnit := false
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			cur = cur*10 + d // "一〇五" style digit strings too
			continue
		}
		var mul int
		switch r {
		case '十':
			mul = 10
		case '百':
			mul = 100
		case '千':
			mul = 1000
		default:
			return 0, false
		}
		if cur == 0 {
			cur = 1 // "十门" = 10
		}
		total += cur * mul
		cur = 0
		seenUnit = true
	}
	_ = seenUnit
	return total + cur, true
}

// ParseQuantities finds every quantity in a 完成目标 cell. A number needs a measure word to count, so
// "2022年", "1+X证书", "第一" and "进一步" are not quantities.
func ParseQuantities(text string) []Quantity {
	t := halfWidth(text)
	var out []Quantity
	lastBatch, batchFrom := false, 0
	for _, m := range quantityRe.FindAllStringSubmatchIndex(t, -1) {
		numText := t[m[2]:m[3]]
		// an ordinal (第三批) or part of a longer word (统一, 唯一) is not a count
		if m[2] > 0 {
			prev := t[:m[2]]
			if strings.HasSuffix(prev, "第") || strings.HasSuffix(prev, "统") || strings.HasSuffix(prev, "唯") ||
				strings.HasSuffix(prev, "进") || strings.HasSuffix(prev, "每") {
				continue
			}
			// digits glued to more digits or letters before them (5G, A3) are codes, not counts
			if r := prev[len(prev)-1]; r >= '0' && r <= '9' || r == '.' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				continue
			}
		}
		start := m[0]
		if rm := rangeStartRe.FindStringSubmatchIndex(t[:m[2]]); rm != nil {
			numText, start = t[rm[2]:rm[3]], rm[0]
		}
		v, ok := numberValue(numText)
		if !ok {
			continue
		}
		switch t[m[4]:m[5]] {
		case "万":
			v *= 10000
		case "亿":
			v *= 100000000
		case "千":
			v *= 1000
		}
		unit := t[m[6]:m[7]]
		// "三个月", "5个工作日" are durations, not counts
		if rest := t[m[1]:]; unit == "个" && (strings.HasPrefix(rest, "月") || strings.HasPrefix(rest, "工作日") || strings.HasPrefix(rest, "小时")) {
			continue
		}
		switch unit {
		case "万元":
			v, unit = v*10000, "元"
		case "亿元":
			v, unit = v*100000000, "元"
		}
		q := Quantity{Value: v, Unit: unit, Source: strings.TrimSpace(t[start:m[1]])}
		if b := batchRe.FindStringIndex(t[:start]); b != nil {
			if n := len(out); n > 0 && lastBatch && out[n-1].Unit == unit {
				out[n-1].Value += v
				out[n-1].Source = strings.TrimSpace(t[batchFrom:m[1]])
				continue
			}
			lastBatch, batchFrom = true, b[0]
			q.Source = strings.TrimSpace(t[b[0]:m[1]])
		} else {
			lastBatch = false
		}
		out = append(out, q)
	}
	return out
}

func numberValue(numText string) (float64, bool) {
	if c := numText[0]; c >= '0' && c <= '9' {
		f, err := strconv.ParseFloat(numText, 64)
		return f, err == nil
	}
	n, ok := parseChineseNumber(numText)
	return float64(n), ok
}
