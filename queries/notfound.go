package queries

import "fmt"

// NotFoundError names what was asked for and not found, so that whoever shows the error can say
// which name was wrong (找不到地市“火星市”) rather than only that something was. It matches
// ErrNotFound with errors.Is.
type NotFoundError struct {
	What string // in Chinese: 地市, 部门, 任务, 主要任务, 报送单位, 文件, 举措
	Name string // as asked for
}

func notFound(what string, name any) error {
	return &NotFoundError{What: what, Name: fmt.Sprint(name)}
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %q: %v", e.What, e.Name, ErrNotFound) }

// Is makes errors.Is(err, ErrNotFound) hold.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Chinese is the message for a clerk: 找不到地市“火星市”.
func (e *NotFoundError) Chinese() string { return fmt.Sprintf("找不到%s“%s”", e.What, e.Name) }
