package ingest

import (
	"fmt"
	"strings"

	"lnvedash/seeds"
)

// Column roles of the checklist header.
const (
	colNo = iota
	colArea
	colTask
	colDept
	colMeasure
	colGoal
	colOwner
	colDue
	nRoles
)

// roleGroup marks a group title above the columns ("落实具体举措" over the measure columns), not a column.
const roleGroup = nRoles

var roleByName = map[string]int{"no": colNo, "area": colArea, "task": colTask, "dept": colDept, "measure": colMeasure,
	"goal": colGoal, "owner": colOwner, "due": colDue, "group": roleGroup}

// roleLabels name the roles in messages, as the template prints them.
var roleLabels = [nRoles]string{"序号", "主要任务", "任务内容", "责任部门", "具体举措", "完成目标", "责任单位", "完成时间"}

// maxHeaderBytes bounds the cells looked up as header words (the longest, with spaces, line breaks and
// a bracketed note, stays well under it).
const maxHeaderBytes = 96

// headerVocab is seeds/headers.csv by comparison key.
type headerVocab struct {
	exact  map[string]int
	prefix []seeds.HeaderWord
}

var vocab = func() headerVocab {
	words, err := seeds.Headers()
	if err != nil {
		panic(err)
	}
	v := headerVocab{exact: map[string]int{}}
	for _, w := range words {
		if w.Prefix {
			v.prefix = append(v.prefix, seeds.HeaderWord{Role: w.Role, Word: normKey(w.Word)})
		} else {
			v.exact[normKey(w.Word)] = roleByName[w.Role]
		}
	}
	return v
}()

// headerRole says which column a header cell names, by its text alone (spaces, line breaks and
// full-width brackets ignored); -1 for none, roleGroup for a group title.
func headerRole(cell string) int {
	if len(cell) > maxHeaderBytes {
		return -1 // a measure's text, not a header word: skip normalising it
	}
	k := normKey(cell)
	if k == "" {
		return -1
	}
	if r, ok := vocab.exact[k]; ok {
		return r
	}
	for _, w := range vocab.prefix {
		if strings.HasPrefix(k, w.Word) {
			return roleByName[w.Role]
		}
	}
	return -1
}

// headerColumns maps roles to column indexes for a row, -1 where absent; n is the roles found. The
// first column of a role wins: a second 序号 that numbers the measures within a task stays unread.
func headerColumns(cells []string) (cols [nRoles]int, n int) {
	for i := range cols {
		cols[i] = -1
	}
	for i, c := range cells {
		if r := headerRole(c); r >= 0 && r < nRoles && cols[r] < 0 {
			cols[r] = i
			n++
		}
	}
	return cols, n
}

func anyGroupTitle(cells []string) bool {
	for _, c := range cells {
		if headerRole(c) == roleGroup {
			return true
		}
	}
	return false
}

// unplaced lists the header cells of a row that name no column, as "C列“措施内容”".
func unplaced(cells []string) []string {
	var out []string
	for i, c := range cells {
		if c != "" && headerRole(c) < 0 {
			out = append(out, fmt.Sprintf("%s列“%s”", colName(i), clip(c)))
		}
	}
	return out
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
