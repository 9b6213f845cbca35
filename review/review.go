// Package review is the experts' 审核确认 of the units' plans: a comment per measure and a decision
// (通过 / 退回修改) on one version, the state every unit's current version is in, and the figures the
// leadership pages show. Every change is written with its audit_log entry in one transaction.
package review

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"lnvedash/access"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("review: no sql/%s.sql", name))
	}
	return string(b)
}

// Decisions and states.
const (
	Approve = "通过"
	Return  = "退回修改"

	StatePending  = "待审核"
	StateApproved = "通过"
	StateReturned = "退回修改"
	StateRevised  = "已修改待复核"
)

// States lists the review states in the order pages show them.
var States = []string{StatePending, StateRevised, StateReturned, StateApproved}

// round is the only round until progress rounds exist (issue 17); the tables carry round_id already.
const round = 1

// maxText bounds a comment or the reasons of a decision.
const maxText = 2000

// ErrInput is a request the reviewer can correct; its message is Chinese.
var ErrInput = errors.New("审核输入有误")

// Service records reviews through the access store (for its write lock and audit log).
type Service struct {
	Access *access.Store
}

func (s *Service) db() *sql.DB { return s.Access.DB }

func cleanText(t string) (string, error) {
	t = strings.TrimSpace(strings.ToValidUTF8(t, "\uFFFD"))
	if utf8.RuneCountInString(t) > maxText {
		return "", fmt.Errorf("%w：意见不能超过%d字", ErrInput, maxText)
	}
	return t, nil
}

// version checks that id is a unit's accepted, current version and returns its submitter.
func version(ctx context.Context, tx *sql.Tx, id int) (string, error) {
	var sub sql.NullString
	var status string
	err := tx.QueryRowContext(ctx, mustSQL("version_get"), id).Scan(new(int), &sub, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w：没有编号为%d的文件", ErrInput, id)
	}
	if err != nil {
		return "", fmt.Errorf("review: version %d: %w", id, err)
	}
	switch {
	case !sub.Valid:
		return "", fmt.Errorf("%w：文件%d未识别报送单位，不能审核", ErrInput, id)
	case status == "rejected":
		return "", fmt.Errorf("%w：文件%d被拒收，不能审核", ErrInput, id)
	case status != "current":
		return "", fmt.Errorf("%w：文件%d已被该单位的新版本取代，请审核现行版本", ErrInput, id)
	}
	return sub.String, nil
}

// Decide records decision on version id. 退回修改 needs reasons.
func (s *Service) Decide(ctx context.Context, by access.Actor, id int, decision, reasons string) error {
	if decision != Approve && decision != Return {
		return fmt.Errorf("%w：结论只能是“通过”或“退回修改”", ErrInput)
	}
	reasons, err := cleanText(reasons)
	if err != nil {
		return err
	}
	if decision == Return && reasons == "" {
		return fmt.Errorf("%w：退回修改须写明理由", ErrInput)
	}
	return s.Access.Write(ctx, func(tx *sql.Tx) error {
		sub, err := version(ctx, tx, id)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		if s.Access.Now != nil {
			now = s.Access.Now().UTC()
		}
		if _, err := tx.ExecContext(ctx, mustSQL("review_insert"), round, id, sub, by.Name, decision, nullable(reasons), now); err != nil {
			return fmt.Errorf("review: decide: %w", err)
		}
		return s.Access.Audit(ctx, tx, access.Entry{At: now, Actor: by, Action: access.ActDecision, Submitter: sub,
			SubmissionID: id, Detail: strings.TrimSpace(decision + " " + reasons)})
	})
}

// Comment records a reviewer's comment on the measure at sheet/row of version id.
func (s *Service) Comment(ctx context.Context, by access.Actor, id int, sheet string, row int, text string) error {
	text, err := cleanText(text)
	if err != nil {
		return err
	}
	if text == "" {
		return fmt.Errorf("%w：意见为空", ErrInput)
	}
	return s.Access.Write(ctx, func(tx *sql.Tx) error {
		sub, err := version(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, mustSQL("measure_exists"), id, sheet, row).Scan(&n); err != nil {
			return fmt.Errorf("review: comment: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("%w：文件%d没有“%s”第%d行的举措", ErrInput, id, sheet, row)
		}
		now := time.Now().UTC()
		if s.Access.Now != nil {
			now = s.Access.Now().UTC()
		}
		if _, err := tx.ExecContext(ctx, mustSQL("comment_insert"), round, id, sub, sheet, row, by.Name, text, now); err != nil {
			return fmt.Errorf("review: comment: %w", err)
		}
		return s.Access.Audit(ctx, tx, access.Entry{At: now, Actor: by, Action: access.ActComment, Submitter: sub,
			SubmissionID: id, Detail: fmt.Sprintf("%s 第%d行：%s", sheet, row, text)})
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
