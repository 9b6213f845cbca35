package seeds

import "fmt"

// HeaderWord is one way a checklist's header names a column (headers.csv).
type HeaderWord struct {
	Role   string // no, area, task, dept, measure, goal, owner, due, group
	Word   string
	Prefix bool // the header cell starts with Word ("责任单位（部门）")
}

// HeaderRoles are the roles headers.csv may give.
var HeaderRoles = []string{"no", "area", "task", "dept", "measure", "goal", "owner", "due", "group"}

// Headers reads the header vocabulary.
func Headers() ([]HeaderWord, error) {
	var out []HeaderWord
	b, err := files.ReadFile("headers.csv")
	if err != nil {
		return nil, fmt.Errorf("seeds headers.csv: %w", err)
	}
	err = readCSV(b, func(m map[string]string) error {
		ok := false
		for _, r := range HeaderRoles {
			ok = ok || r == m["role"]
		}
		if !ok {
			return fmt.Errorf("unknown role %q", m["role"])
		}
		if m["word"] == "" || (m["match"] != "exact" && m["match"] != "prefix") {
			return fmt.Errorf("role %s: word %q match %q", m["role"], m["word"], m["match"])
		}
		out = append(out, HeaderWord{Role: m["role"], Word: m["word"], Prefix: m["match"] == "prefix"})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seeds headers.csv: %w", err)
	}
	return out, nil
}
