package sqlconsole

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
)

// Kind classifies a console error; every kind carries a message written for the analyst.
type Kind string

const (
	KindRefused  Kind = "refused" // the guard refused the statement
	KindSQL      Kind = "sql"     // DuckDB rejected or failed the statement
	KindTimeout  Kind = "timeout" // stopped at the statement timeout
	KindTooLarge Kind = "too_large"
	KindWorker   Kind = "worker"      // the worker process died or could not start
	KindNoData   Kind = "unavailable" // no database or snapshot to read
)

// Error is what every door shows: the kind and a message without server paths.
type Error struct {
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// HTTPStatus is the status the HTTP API answers with.
func (e *Error) HTTPStatus() int {
	switch e.Kind {
	// A timeout is the statement's fault, not the client's (408 invites browsers to retry): 400.
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case KindWorker, KindNoData:
		return http.StatusServiceUnavailable
	case KindRefused:
		return http.StatusForbidden
	default:
		return http.StatusBadRequest
	}
}

func refused(msg string) *Error { return &Error{Kind: KindRefused, Message: "已拒绝：" + msg} }

// AsError returns err as a console *Error, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// absPath matches an absolute path inside a message: a slash after a boundary, followed by at least one
// path segment ("1/2" and "a / b" are left alone).
var absPath = regexp.MustCompile(`(^|[\s'"(=:\[])((?:/[^\s'"(),;:/\]]+)+/?)`)

// scrub removes server paths from a DuckDB message: anything that looks like an absolute path, then
// the known directories wherever they still appear.
func scrub(msg string, known ...string) string {
	msg = absPath.ReplaceAllString(msg, "${1}…")
	for _, k := range known {
		if len(k) > 1 && strings.HasPrefix(k, "/") {
			msg = strings.ReplaceAll(msg, k, "…")
		}
	}
	return msg
}
