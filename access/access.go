// Package access is who may do what without a user directory: roles, personal links (a long random
// code in a URL, shown once, stored only as its SHA-256, revocable, expiring), the sessions opened by
// following a link, the limiter for wrong codes, and the audit log every state change is written to.
package access

import (
	"embed"
	"fmt"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("access: no sql/%s.sql", name))
	}
	return string(b)
}

// Role is what a session may do.
type Role string

// Roles. Admin is today's admin token (not a link); the others come from personal links.
const (
	Admin    Role = "admin"    // uploads for anyone, issues and revokes links
	Reviewer Role = "reviewer" // 专家审核: the review queue, comments and decisions
	Viewer   Role = "viewer"   // leadership: the dashboard pages, read only
	Analyst  Role = "analyst"  // the SQL console and API
	Unit     Role = "unit"     // one city or one college: its own return only
)

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "管理员"
	case Reviewer:
		return "审核专家"
	case Viewer:
		return "查看"
	case Analyst:
		return "分析员"
	case Unit:
		return "报送单位"
	}
	return string(r)
}

// LinkRole reports whether r can be given by a personal link.
func LinkRole(r Role) bool {
	return r == Reviewer || r == Viewer || r == Analyst || r == Unit
}
