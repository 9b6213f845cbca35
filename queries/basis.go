package queries

import "fmt"

// Basis is what time a return is judged on time by. It is set in one place (lnvedash serve
// --on-time-basis, else DefaultBasis) and every page and export states it, so the returns page, the
// printable report and the meeting pack give the same answer.
type Basis string

// On-time bases.
const (
	// BasisEarliest: the earliest receipt evidence the data has, the file's own modified time or its
	// ingest time, whichever is earlier. Files collected from the platform and ingested in bulk after
	// the deadline are then judged by when they were made, not when they were loaded.
	BasisEarliest Basis = "earliest"
	// BasisIngested: when lnvedash ingested the file (right when files are uploaded as they arrive).
	BasisIngested Basis = "ingested"
	// BasisModified: the file's docProps modified time (else its mtime); trusts the submitter's clock.
	BasisModified Basis = "modified"
)

// DefaultBasis is the basis when none is set: ingest time alone said every file collected in one batch
// was late (issue 20), so the earliest evidence is the default.
const DefaultBasis = BasisEarliest

// Bases lists the bases, default first, for the choice on the returns page.
var Bases = []Basis{BasisEarliest, BasisIngested, BasisModified}

// ParseBasis reads a basis; "" is DefaultBasis.
func ParseBasis(s string) (Basis, error) {
	switch b := Basis(s); b {
	case "":
		return DefaultBasis, nil
	case BasisEarliest, BasisIngested, BasisModified:
		return b, nil
	}
	return "", fmt.Errorf("on-time basis %q: want earliest, ingested or modified", s)
}

// OrDefault is b, or DefaultBasis when b is unset.
func (b Basis) OrDefault() Basis {
	if b == "" {
		return DefaultBasis
	}
	return b
}

// Label is the basis in the words stated on every page and export.
func (b Basis) Label() string {
	switch b.OrDefault() {
	case BasisIngested:
		return "按入库时间判定是否按时"
	case BasisModified:
		return "按文件自身修改时间判定是否按时"
	}
	return "按最早的收到凭据（文件修改时间与入库时间取早者）判定是否按时"
}

// Short is the basis in a few characters, for choices and table cells.
func (b Basis) Short() string {
	switch b.OrDefault() {
	case BasisIngested:
		return "入库时间"
	case BasisModified:
		return "文件修改时间"
	}
	return "最早收到凭据"
}
