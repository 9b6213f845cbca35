package zhfmt

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	june := time.Date(2022, 6, 30, 14, 5, 0, 0, time.UTC)
	tests := []struct{ name, got, want string }{
		{"pct one decimal", Pct(0.1234), "12.3%"},
		{"pct undefined", Pct(math.NaN()), "—"},
		{"num thousands", Num(1234567), "1,234,567"},
		{"num negative fraction", Num(-1234.5678), "-1,234.56"},
		{"wan", Wan(12000), "1.2万"},
		{"yi", Wan(250000000), "2.5亿"},
		{"small stays", Wan(3), "3"},
		{"month", Month(june), "2022年6月"},
		{"day", Day(june), "2022年6月30日"},
		{"datetime", DateTime(june), "2022-06-30 14:05"},
		{"zero date", Day(time.Time{}), "—"},
		{"pctof", PctOf(1, 8), "12.5%"},
		{"pctof of none", PctOf(0, 0), "—"},
		{"quantity", Quantity(2000000, "人次"), "200万人次"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
