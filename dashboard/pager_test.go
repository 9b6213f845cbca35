package dashboard

import (
	"net/url"
	"reflect"
	"testing"
)

func TestPager(t *testing.T) {
	tests := []struct {
		page, total int
		from, to    int
		pages       int
		links       string // labels, the current one in brackets
	}{
		{1, 0, 0, 0, 1, ""},
		{1, 200, 1, 200, 1, ""},
		{1, 201, 1, 200, 2, "[1] 2 下一页"},
		{2, 201, 201, 201, 2, "上一页 1 [2]"},
		{5, 2000, 801, 1000, 10, "上一页 1 2 3 4 [5] 6 7 8 … 10 下一页"},
		{10, 2000, 1801, 2000, 10, "上一页 1 … 7 8 9 [10]"},
		{13, 2000, 0, 0, 10, "上一页 1 … 10"}, // past the end: a way back, nothing shown
	}
	for _, tt := range tests {
		p := newPager(tt.page, tt.total, 200)
		links := ""
		for i, l := range p.Links {
			if i > 0 {
				links += " "
			}
			if l.Current {
				links += "[" + l.Label + "]"
			} else {
				links += l.Label
			}
		}
		if p.From != tt.from || p.To != tt.to || p.Pages != tt.pages || links != tt.links {
			t.Errorf("page %d of %d: rows %d–%d of %d pages, links %q; want %d–%d of %d, %q",
				tt.page, tt.total, p.From, p.To, p.Pages, links, tt.from, tt.to, tt.pages, tt.links)
		}
	}
}

func TestPageHrefKeepsFilters(t *testing.T) {
	q := url.Values{"status": {"current"}, "page": {"3"}}
	for n, want := range map[int]string{1: "?status=current", 4: "?page=4&status=current"} {
		if got := pageHref(q, n); got != want {
			t.Errorf("page %d: %q, want %q", n, got, want)
		}
	}
	if got := withQuery(url.Values{"status": {"current"}}, "status", ""); got != "?" {
		t.Errorf("dropping the last parameter gives %q, want \"?\" (an empty href would keep the filter)", got)
	}
	if !reflect.DeepEqual(q["page"], []string{"3"}) {
		t.Error("pageHref changed its input")
	}
}
