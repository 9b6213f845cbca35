package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Due is what a 完成时间 cell means: the last day of the period written, or ongoing work with no end.
type Due struct {
	Date    time.Time // zero unless HasDate
	HasDate bool
	Ongoing bool
}

// OK reports whether the cell was understood.
func (d Due) OK() bool { return d.HasDate || d.Ongoing }

// ongoingWords mark work without an end date (SCHEMA.md: 长期, 持续推进, 常态化 and the like).
var ongoingWords = []string{"长期", "持续", "常态化", "每年", "逐年", "长效", "常年", "按年度", "每学期", "每季度", "每月", "定期", "不定期", "动态"}

// dueRe finds one mention of a period; alternatives are tried left to right at each position, the most
// specific first. The groups are named after what they carry.
var dueRe = regexp.MustCompile(
	`(?P<fy>\d{4})\s*(?:年\s*(?P<fm>\d{1,2})\s*月\s*(?P<fd>\d{1,2})\s*[日号]|\.(?P<fm2>\d{1,2})\.(?P<fd2>\d{1,2})|/(?P<fm3>\d{1,2})/(?P<fd3>\d{1,2})|-(?P<fm4>\d{1,2})-(?P<fd4>\d{1,2}))` +
		`|(?P<qy>\d{4})\s*年?\s*(?:第\s*)?(?P<q>[一二三四1234])\s*季度?` +
		`|(?P<hy>\d{4})\s*年?\s*(?P<h>上|下)\s*半\s*年` +
		`|(?P<my>\d{4})\s*(?:年|\.|/|-)\s*(?P<mm>\d{1,2})(?:\s*月)?` +
		`|(?P<yy>\d{4})\s*年?` +
		`|(?P<q2>[一二三四1234])\s*季度` +
		`|(?P<h2>上|下)\s*半\s*年` +
		`|(?P<m2>\d{1,2})\s*月(?:\s*(?P<d2>\d{1,2})\s*[日号])?`)

// yearRangeRe finds "2021-2022" (a range of whole years), which would otherwise read as year 2021,
// month 20.
var yearRangeRe = regexp.MustCompile(`(\d{4})\s*[-—–~－]+\s*(\d{4})`)

var dueGroups = func() map[string]int {
	m := map[string]int{}
	for i, n := range dueRe.SubexpNames() {
		if n != "" {
			m[n] = i
		}
	}
	return m
}()

func lastDayOfMonth(y, m int) time.Time {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
}

func quarterNo(s string) int {
	switch s {
	case "一", "1":
		return 1
	case "二", "2":
		return 2
	case "三", "3":
		return 3
	case "四", "4":
		return 4
	}
	return 0
}

// excelEpoch is day 0 of the 1900 date system as Excel counts (it pretends 1900 was a leap year, so
// serials from 61 on are one day ahead of the true count from 1899-12-31).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialToDate converts an Excel date serial; date1904 selects the Mac date system.
func serialToDate(v float64, date1904 bool) time.Time {
	days := int(v)
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	}
	return excelEpoch.AddDate(0, 0, days)
}

// ParseDue reads a 完成时间 cell. raw is the cell's raw value (a date-styled cell arrives as its serial);
// date1904 is the workbook's date system. Anything not understood returns a zero Due.
func ParseDue(raw string, date1904 bool) Due {
	k := dueKey{raw, date1904}
	if d, ok := dueSeen.Load(k); ok {
		return d.(Due)
	}
	d := parseDue(raw, date1904)
	if len(raw) <= maxDueKey && dueSeenN.Add(1) <= dueSeenMax {
		dueSeen.Store(k, d)
	}
	return d
}

// dueSeen remembers what ParseDue read: 完成时间 cells are formulaic ("2022年底前", "长期"), a few
// hundred texts over a whole run. Bounded in entries and in the length of a text kept.
var (
	dueSeen  sync.Map // dueKey → Due
	dueSeenN atomic.Int64
)

const (
	dueSeenMax = 1 << 14
	maxDueKey  = 64
)

type dueKey struct {
	raw      string
	date1904 bool
}

func parseDue(raw string, date1904 bool) Due {
	t := stripSpace(halfWidth(strings.TrimSpace(raw)))
	if t == "" {
		return Due{}
	}
	// A bare number: a year (2022), year.month typed into a number cell (2021.12), or a date serial.
	if v, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "eExX") {
		switch {
		case v >= 1900 && v < 2200 && v == float64(int(v)):
			return Due{Date: time.Date(int(v), 12, 31, 0, 0, 0, 0, time.UTC), HasDate: true}
		case v >= 1900 && v < 2200:
			parts := strings.SplitN(t, ".", 2)
			y, _ := strconv.Atoi(parts[0])
			m, err := strconv.Atoi(parts[1])
			if err == nil && m >= 1 && m <= 12 {
				return Due{Date: lastDayOfMonth(y, m), HasDate: true}
			}
			return Due{}
		case v >= 10000 && v < 110000: // 1927 … 2201
			return Due{Date: serialToDate(v, date1904), HasDate: true}
		}
		return Due{}
	}
	for _, w := range ongoingWords {
		if strings.Contains(t, w) {
			return Due{Ongoing: true}
		}
	}
	t = yearRangeRe.ReplaceAllString(t, "${1}年至${2}")
	// Every mention in order; a range ("2021年9月—2022年12月", "2021年9月至12月") ends at the last one, and
	// a mention without a year takes the year of the one before it.
	var last Due
	year := 0
	for _, m := range dueRe.FindAllStringSubmatchIndex(t, -1) {
		g := func(name string) string {
			i := dueGroups[name]
			if m[2*i] < 0 {
				return ""
			}
			return t[m[2*i]:m[2*i+1]]
		}
		num := func(name string) int { n, _ := strconv.Atoi(g(name)); return n }
		var d time.Time
		switch {
		case g("fy") != "":
			y, mo, day := num("fy"), num("fm"), num("fd")
			for _, k := range []string{"2", "3", "4"} {
				if g("fm"+k) != "" {
					mo, day = num("fm"+k), num("fd"+k)
				}
			}
			if mo < 1 || mo > 12 || day < 1 || day > lastDayOfMonth(y, mo).Day() {
				continue
			}
			year, d = y, time.Date(y, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
		case g("qy") != "":
			year = num("qy")
			d = lastDayOfMonth(year, 3*quarterNo(g("q")))
		case g("hy") != "":
			year = num("hy")
			d = lastDayOfMonth(year, map[string]int{"上": 6, "下": 12}[g("h")])
		case g("my") != "":
			y, mo := num("my"), num("mm")
			if mo < 1 || mo > 12 {
				continue
			}
			year, d = y, lastDayOfMonth(y, mo)
		case g("yy") != "":
			year = num("yy")
			d = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
		case year == 0:
			continue // a month or quarter with no year anywhere before it
		case g("q2") != "":
			d = lastDayOfMonth(year, 3*quarterNo(g("q2")))
		case g("h2") != "":
			d = lastDayOfMonth(year, map[string]int{"上": 6, "下": 12}[g("h2")])
		case g("m2") != "":
			mo := num("m2")
			if mo < 1 || mo > 12 {
				continue
			}
			d = lastDayOfMonth(year, mo)
			if day := num("d2"); day >= 1 && day <= d.Day() {
				d = time.Date(year, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
			}
		}
		if year < 1990 || year > 2100 {
			continue
		}
		last = Due{Date: d, HasDate: true}
	}
	// "即日起" (from now on) with no end date written is ongoing work; "即日起至2022年底" ends then.
	if !last.HasDate && strings.Contains(t, "即日") {
		return Due{Ongoing: true}
	}
	return last
}
