package charts

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"

	"lnvedash/queries"
)

var liaoningCities = []string{"沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市", "盘锦市", "铁岭市", "朝阳市", "葫芦岛市"}

// svgText is one <text> of ECharts' SVG: its anchor point, font size and content.
type svgText struct {
	x, y, dy, size float64
	text           string
}

var (
	textRe  = regexp.MustCompile(`<text ([^>]*)>([^<]*)</text>`)
	sizeRe  = regexp.MustCompile(`font-size:(\d+)px|font: [a-z ]*?(\d+)px`)
	dyRe    = regexp.MustCompile(` y="([-\d.]+)"`)
	transRe = regexp.MustCompile(`translate\(([-\d.]+) ([-\d.]+)\)`)
)

func svgTexts(svg string) []svgText {
	var out []svgText
	for _, m := range textRe.FindAllStringSubmatch(svg, -1) {
		tx := svgText{text: m[2]}
		if s := sizeRe.FindStringSubmatch(m[1]); s != nil {
			tx.size, _ = strconv.ParseFloat(s[1]+s[2], 64)
		}
		if s := dyRe.FindStringSubmatch(m[1]); s != nil {
			tx.dy, _ = strconv.ParseFloat(s[1], 64)
		}
		if s := transRe.FindStringSubmatch(m[1]); s != nil {
			tx.x, _ = strconv.ParseFloat(s[1], 64)
			tx.y, _ = strconv.ParseFloat(s[2], 64)
		}
		out = append(out, tx)
	}
	return out
}

// box is a label's extent: centred text, one em per CJK character, one em per line.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// The city labels of the map do not overlap: the small central cities (沈阳/抚顺, 辽阳/本溪/鞍山,
// 锦州/盘锦) are drawn on top of each other at their regions' centres unless moved apart. Checked on
// the SVG ECharts itself draws, with every city returned (one line) and none (two lines, 未报送), at
// the page's width and a narrow one.
func TestCityMapLabelsDoNotOverlap(t *testing.T) {
	for _, width := range []int{560, 900} {
		for _, returned := range []bool{true, false} {
			t.Run(fmt.Sprintf("width %d returned %v", width, returned), func(t *testing.T) {
				var rows []queries.CityCoverage
				for _, c := range liaoningCities {
					rows = append(rows, queries.CityCoverage{City: c, CityReturned: returned, CityCoverage: 0.5})
				}
				svg, err := RenderSVG(context.Background(), ChartCityMap("m", rows), width, "")
				if err != nil {
					t.Fatal(err)
				}
				boxes := map[string]box{}
				for _, tx := range svgTexts(svg) {
					city := tx.text
					if tx.text == "未报送" && tx.dy > 0 {
						continue // the second line of a city's label, counted with the city
					}
					if !isCity(city) {
						continue
					}
					w := float64(utf8.RuneCountInString(city)) * tx.size
					lines := 1.0
					if !returned {
						lines = 2
					}
					boxes[city] = box{tx.x - w/2, tx.y - lines*tx.size/2, tx.x + w/2, tx.y + lines*tx.size/2}
				}
				if len(boxes) != len(liaoningCities) {
					t.Fatalf("found %d city labels in the SVG, want %d", len(boxes), len(liaoningCities))
				}
				for i, a := range liaoningCities {
					for _, b := range liaoningCities[i+1:] {
						if boxes[a].overlaps(boxes[b]) {
							t.Errorf("labels %s %v and %s %v overlap", a, boxes[a], b, boxes[b])
						}
					}
				}
			})
		}
	}
}

func isCity(s string) bool {
	for _, c := range liaoningCities {
		if c == s {
			return true
		}
	}
	return false
}

// The target chart's axis name "占目标 %" is drawn whole inside the image (it was cut to "占目" at the
// right edge, where ECharts puts a value axis's name by default).
func TestTargetAxisNameInsideChart(t *testing.T) {
	rows := []queries.TargetProgress{
		{TaskNo: 9, Metric: "专业点", Unit: "个", Target: 100, CommittedByCities: 80, CityRatio: 0.8, SchoolRatio: 1.2},
		{TaskNo: 12, Metric: "实训基地", Unit: "个", Target: 50, CommittedByCities: 10, CityRatio: 0.2, SchoolRatio: 0.4},
	}
	for _, width := range []int{600, 1000} {
		ch := ChartTargetProgress("targets", rows)
		svg, err := RenderSVG(context.Background(), ch, width, "数据截至 2022-06-30")
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, tx := range svgTexts(svg) {
			if tx.text != "占目标 %" {
				continue
			}
			found = true
			// Whatever the anchor, a text of n ems at x lies within [x-n·em, x+n·em].
			w := float64(utf8.RuneCountInString(tx.text)) * tx.size
			if tx.x-w < 0 || tx.x+w > float64(width) || tx.y < 0 || tx.y > float64(ch.H()) {
				t.Errorf("width %d: axis name at (%.0f, %.0f) runs out of the %d×%d image", width, tx.x, tx.y, width, ch.H())
			}
		}
		if !found {
			t.Errorf("width %d: no axis name 占目标 %% in the SVG", width)
		}
	}
}
