package ingest

import (
	"strings"
	"testing"

	"lnvedash/seeds"
)

// Each quantity of a 完成目标 cell counts toward the target its own clause names.
func TestAttributeCommitments(t *testing.T) {
	set := seeds.MustLoad()
	tests := []struct {
		name string
		task int
		goal string
		want []string // metric per quantity, "" = unattributed
		vals []float64
	}{
		{"noun before each number", 3, "建设示范课堂10个、课程思政案例2400个", []string{"思想政治课示范课堂", "课程思政教育案例"}, []float64{10, 2400}},
		{"full-width digits", 3, "建设示范课堂９个、课程思政案例１０００个", []string{"思想政治课示范课堂", "课程思政教育案例"}, []float64{9, 1000}},
		{"noun after the number", 24, "共建2个产业学院", []string{"产业学院"}, []float64{2}},
		{"lone number borrows the cell's keyword", 24, "产业学院建设：2个", []string{"产业学院"}, []float64{2}},
		{"two targets of one task", 41, "在线课程5门、虚拟仿真实训基地三个", []string{"精品在线开放课程", "示范性虚拟仿真实训基地"}, []float64{5, 3}},
		{"a sub-count is not counted twice", 20, "培训1.2万人次，其中退役军人2000人次", []string{"职业技能培训", ""}, []float64{12000, 2000}},
		{"unit must match", 41, "虚拟仿真实训基地3门", []string{""}, []float64{3}},
		{"no target for the task", 1, "配备3名", []string{""}, []float64{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs := ParseQuantities(tc.goal)
			cs := commitments(tc.goal, tc.task, qs, set.TargetsFor(tc.task))
			if len(cs) != len(tc.want) {
				t.Fatalf("%d commitments from %q, want %d: %+v", len(cs), tc.goal, len(tc.want), cs)
			}
			for i, c := range cs {
				if c.Metric != tc.want[i] || c.Value != tc.vals[i] || c.Seq != i+1 || c.TaskNo != tc.task {
					t.Errorf("commitment %d = %+v, want metric %q value %v", i, c, tc.want[i], tc.vals[i])
				}
			}
		})
	}
}

func TestClauseAround(t *testing.T) {
	goal := "建设示范课堂10个、课程思政案例200个"
	at := strings.Index(goal, "200个")
	if got := clauseAround(goal, at, len("200个")); got != "课程思政案例200个" {
		t.Errorf("clause = %q", got)
	}
	if got := clauseAround("10个", 0, len("10个")); got != "10个" {
		t.Errorf("clause of a lone quantity = %q", got)
	}
}
