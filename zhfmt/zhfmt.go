// Package zhfmt formats numbers and dates the way the province's documents write them (1,234; 12.5%;
// 1.2万; 2022年6月30日). The pages, the chart tooltips and the printable report all use it, so one figure
// reads the same wherever a leader sees it.
package zhfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Pct formats a ratio 0..1 as a Chinese-style percentage with one decimal, "—" when undefined.
func Pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// Num formats an integer-like count with thousands separators.
func Num(v any) string {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		return fmt.Sprint(v)
	}
	neg := f < 0
	if neg {
		f = -f
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		if len(frac) > 2 {
			frac = frac[:2]
		}
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Wan formats large quantities the Chinese way: 12000 → 1.2万, 2000000 → 200万, 3 → 3.
func Wan(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v/1e8, 'f', 2, 64), "0"), ".") + "亿"
	case a >= 1e4:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v/1e4, 'f', 2, 64), "0"), ".") + "万"
	default:
		return Num(v)
	}
}

// Month formats a date as 2022年6月; zero time as "—".
func Month(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
}

// Day formats a date as 2022年6月30日.
func Day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// DateTime formats a time to the minute: 2022-06-30 14:05.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04")
}

// PctOf is a/b as a percentage, "—" when b is 0.
func PctOf(a, b int) string {
	if b == 0 {
		return "—"
	}
	return Pct(float64(a) / float64(b))
}

// Quantity formats a target quantity with its unit the Chinese way (200万人次, 5个, 100%).
func Quantity(v float64, unit string) string {
	return Wan(v) + unit
}
