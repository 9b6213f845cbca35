// Package csvcell holds the one rule for formula-like text in every CSV lnvedash writes (the table
// exports and the SQL console's downloads): a text cell that a spreadsheet would run as a formula —
// starting with =, +, -, @, a tab or a carriage return (OWASP's CSV-injection list) — gets a leading
// apostrophe, which Excel and WPS show as text and do not display. Numbers, dates and booleans are not
// text cells and are written as they are; xlsx needs no such guard, its cells are typed strings.
package csvcell

import "strings"

// Defuse returns s with a leading apostrophe when a spreadsheet would read it as a formula.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
