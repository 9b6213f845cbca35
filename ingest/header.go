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
	// first holds the first rune of every word's key: a cell whose key starts otherwise names no
	// column, and most data cells are told so without normalising them.
	first map[rune]bool
}

var vocab = func() headerVocab {
	words, err := seeds.Headers()
	if err != nil {
		panic(err)
	}
	v := headerVocab{exact: map[string]int{}, first: map[rune]bool{}}
	for _, w := range words {
		k := normKey(w.Word)
		if w.Prefix {
			v.prefix = append(v.prefix, seeds.HeaderWord{Role: w.Role, Word: k})
		} else {
			v.exact[k] = roleByName[w.Role]
		}
		for _, r := range k {
			v.first[r] = true
			break
		}
		if k == "" {
			panic("seeds/headers.csv: a header word with no letter or digit: " + w.Word)
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
	if r, ok := firstKeyRune(cell); !ok || !vocab.first[r] {
		return -1
	}
	k := normKey(cell)
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

// firstKeyRune is the first rune of normKey(s), without building the key.
func firstKeyRune(s string) (rune, bool) {
	for _, r := range s {
		if k, ok := keyRune(r); ok {
			return k, true
		}
	}
	return 0, false
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

// repeatsHeader says whether a data row is the header again (a page break repeats it): two column
// names, or a group title. Each cell is looked up once.
func repeatsHeader(cells []string) bool {
	var seen [nRoles]bool
	n := 0
	for _, c := range cells {
		switch r := headerRole(c); {
		case r == roleGroup:
			return true
		case r >= 0 && r < nRoles && !seen[r]:
			seen[r] = true
			if n++; n >= 2 {
				return true
			}
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
