package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// LinkPath is the path a personal link opens: LinkPath + code.
const LinkPath = "/a/"

// codeBytes is the code's entropy: 256 bits, 43 characters in base64url.
const codeBytes = 32

// Link is one row of access_links, without its hash.
type Link struct {
	ID        int
	Role      Role
	Subject   string // unit's roster name or reviewer's name; "" for viewer and analyst
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while not revoked
	CreatedBy string
}

// Active reports whether the link can still be used at now.
func (l Link) Active(now time.Time) bool { return l.RevokedAt.IsZero() && now.Before(l.ExpiresAt) }

// Errors of links.
var (
	ErrBadCode  = errors.New("链接无效、已过期或已被收回")
	ErrNoLink   = errors.New("没有这个链接编号")
	ErrRevoked  = errors.New("该链接已收回")
	ErrBadInput = errors.New("参数不正确")
)

// HashCode is what is stored for a code.
func HashCode(code string) string {
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}

// Issue creates a link for role and subject valid for ttl and returns the code, which exists nowhere
// else afterwards: the caller shows it once. The issue is audited in the same transaction.
func (s *Store) Issue(ctx context.Context, role Role, subject string, ttl time.Duration, by Actor) (string, Link, error) {
	subject = strings.TrimSpace(subject)
	switch {
	case !LinkRole(role):
		return "", Link{}, fmt.Errorf("%w：角色“%s”不能用链接发放", ErrBadInput, role)
	case (role == Unit || role == Reviewer) && subject == "":
		return "", Link{}, fmt.Errorf("%w：%s链接需要写明%s", ErrBadInput, role.Label(), map[Role]string{Unit: "单位", Reviewer: "专家姓名"}[role])
	case utf8.RuneCountInString(subject) > 60 || strings.ContainsAny(subject, "\r\n\t"):
		return "", Link{}, fmt.Errorf("%w：名称过长或含换行", ErrBadInput)
	case ttl <= 0:
		return "", Link{}, fmt.Errorf("%w：有效期必须大于零", ErrBadInput)
	}
	if role == Viewer || role == Analyst {
		subject = ""
	}
	var raw [codeBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Link{}, fmt.Errorf("access: code: %w", err)
	}
	code := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now().Truncate(time.Second)
	l := Link{Role: role, Subject: subject, CreatedAt: now, ExpiresAt: now.Add(ttl), CreatedBy: string(by.Role)}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, mustSQL("link_insert"), string(role), nullable(subject), HashCode(code),
			l.CreatedAt, l.ExpiresAt, l.CreatedBy).Scan(&l.ID); err != nil {
			return fmt.Errorf("issue link: %w", err)
		}
		return s.Audit(ctx, tx, Entry{At: now, Actor: by, Action: ActLinkIssued, Submitter: unitOf(l),
			Detail: fmt.Sprintf("链接#%d %s %s 有效至 %s", l.ID, role.Label(), subject, l.ExpiresAt.Format("2006-01-02 15:04"))})
	})
	if err != nil {
		return "", Link{}, err
	}
	return code, l, nil
}

func unitOf(l Link) string {
	if l.Role == Unit {
		return l.Subject
	}
	return ""
}

// Revoke ends link id at once; sessions opened with it end at their next request.
func (s *Store) Revoke(ctx context.Context, id int, by Actor) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		l, err := getLink(ctx, tx, id)
		if err != nil {
			return err
		}
		if !l.RevokedAt.IsZero() {
			return fmt.Errorf("链接#%d：%w", id, ErrRevoked)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, mustSQL("link_revoke"), now, id); err != nil {
			return fmt.Errorf("revoke link %d: %w", id, err)
		}
		return s.Audit(ctx, tx, Entry{At: now, Actor: by, Action: ActLinkRevoked, Submitter: unitOf(l),
			Detail: fmt.Sprintf("链接#%d %s %s", id, l.Role.Label(), l.Subject)})
	})
}

// Get returns link id (revoked or not).
func (s *Store) Get(ctx context.Context, id int) (Link, error) {
	return getLink(ctx, s.DB, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getLink(ctx context.Context, q querier, id int) (Link, error) {
	var l Link
	var role string
	var subject sql.NullString
	var revoked sql.NullTime
	err := q.QueryRowContext(ctx, mustSQL("link_get"), id).Scan(&l.ID, &role, &subject, &l.CreatedAt, &l.ExpiresAt, &revoked, &l.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, fmt.Errorf("链接#%d：%w", id, ErrNoLink)
	}
	if err != nil {
		return Link{}, fmt.Errorf("link %d: %w", id, err)
	}
	l.Role, l.Subject, l.RevokedAt = Role(role), subject.String, revoked.Time
	return l, nil
}

// List returns every link ever issued, oldest first.
func (s *Store) List(ctx context.Context) ([]Link, error) {
	rows, err := s.DB.QueryContext(ctx, mustSQL("link_list"))
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		var role string
		var subject sql.NullString
		var revoked sql.NullTime
		if err := rows.Scan(&l.ID, &role, &subject, &l.CreatedAt, &l.ExpiresAt, &revoked, &l.CreatedBy); err != nil {
			return nil, fmt.Errorf("list links: %w", err)
		}
		l.Role, l.Subject, l.RevokedAt = Role(role), subject.String, revoked.Time
		out = append(out, l)
	}
	return out, rows.Err()
}

// Resolve finds the active link whose code this is. The code's hash is compared with every active
// link's in constant time, without stopping at a match, so neither the comparison nor an index
// lookup tells a guesser how close a guess came. ErrBadCode for anything else.
func (s *Store) Resolve(ctx context.Context, code string) (Link, error) {
	if len(code) != base64.RawURLEncoding.EncodedLen(codeBytes) {
		return Link{}, ErrBadCode
	}
	want := []byte(HashCode(code))
	rows, err := s.DB.QueryContext(ctx, mustSQL("link_active_hashes"), s.now())
	if err != nil {
		return Link{}, fmt.Errorf("resolve link: %w", err)
	}
	defer rows.Close()
	var found Link
	match := 0
	for rows.Next() {
		var l Link
		var role, hash string
		var subject sql.NullString
		if err := rows.Scan(&l.ID, &role, &subject, &hash, &l.CreatedAt, &l.ExpiresAt, &l.CreatedBy); err != nil {
			return Link{}, fmt.Errorf("resolve link: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(hash), want) == 1 {
			l.Role, l.Subject = Role(role), subject.String
			found, match = l, 1
		}
	}
	if err := rows.Err(); err != nil {
		return Link{}, fmt.Errorf("resolve link: %w", err)
	}
	if match == 0 {
		return Link{}, ErrBadCode
	}
	return found, nil
}

// DefaultLinkDays is how long a personal link lives unless the issuer says otherwise.
const DefaultLinkDays = 90

// IssueURL is Issue for what a person typed (the CLI and the admin page): a unit's name or alias is
// resolved to the roster name by resolveUnit, days <= 0 means DefaultLinkDays, and the answer is the
// link to hand over: baseURL + LinkPath + code.
func (s *Store) IssueURL(ctx context.Context, role Role, subject string, days int, baseURL string, by Actor, resolveUnit func(string) (string, error)) (string, Link, error) {
	if days <= 0 {
		days = DefaultLinkDays
	}
	if role == Unit {
		name, err := resolveUnit(strings.TrimSpace(subject))
		if err != nil {
			return "", Link{}, err
		}
		subject = name
	}
	code, l, err := s.Issue(ctx, role, subject, time.Duration(days)*24*time.Hour, by)
	if err != nil {
		return "", Link{}, err
	}
	return strings.TrimRight(baseURL, "/") + LinkPath + code, l, nil
}
