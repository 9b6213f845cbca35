package ingest

import (
	"errors"
	"fmt"
)

// Severities of a finding.
const (
	SevError   = "error"
	SevWarning = "warning"
	SevInfo    = "info"
)

// Finding is something ingest could not read, guessed, or wants corrected, addressed to the submitter.
type Finding struct {
	Sheet    string
	Row      int // 0 = the whole file
	Severity string
	Code     string
	Message  string
}

// Verdict codes for a rejected file (files.reason starts with one of them).
const (
	CodeCorrupt          = "corrupt"
	CodeLegacyXLS        = "legacy_xls"
	CodeEncrypted        = "encrypted"
	CodeEmpty            = "empty"
	CodeNotChecklist     = "not_checklist"
	CodeTooLarge         = "too_large"
	CodeNotXLSX          = "not_xlsx"
	CodeUnknownSubmitter = "unknown_submitter"
	CodeWrongUnit        = "wrong_unit" // uploaded through one unit's link, names another
)

// Rejection is a whole-file verdict: the file is kept (archived, listed) but none of it is loaded.
type Rejection struct {
	Code    string
	Message string // Chinese, for the clerk to send back
	Err     error  // the technical cause, if any (not shown to submitters)
}

func (r *Rejection) Error() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: %s (%v)", r.Code, r.Message, r.Err)
	}
	return r.Code + ": " + r.Message
}

func (r *Rejection) Unwrap() error { return r.Err }

// Reason is the files.reason text: the code, then the Chinese explanation.
func (r *Rejection) Reason() string { return r.Code + ": " + r.Message }

func reject(code, msg string, err error) *Rejection {
	return &Rejection{Code: code, Message: msg, Err: err}
}

// AsRejection extracts a verdict from an error.
func AsRejection(err error) (*Rejection, bool) {
	var r *Rejection
	ok := errors.As(err, &r)
	return r, ok
}
