package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// CookieName is the session cookie (HttpOnly, SameSite=Strict, set by the dashboard).
const CookieName = "lnvedash_session"

// SessionTTL bounds one session; the link itself may live longer and opens a new one.
const SessionTTL = 12 * time.Hour

// Session is what following a link (or the admin's token) opens. Sessions live in memory: a restart
// ends them, and people open their link again.
type Session struct {
	ID      string
	Role    Role
	Subject string
	LinkID  int    // 0 for the admin's session
	CSRF    string // the token every state-changing form of this session carries
	Expires time.Time
}

// Actor is who the session acts as, for the audit log.
func (s *Session) Actor() Actor { return Actor{Role: s.Role, Name: s.Subject} }

// CSRFOK compares a submitted token with the session's in constant time.
func (s *Session) CSRFOK(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(s.CSRF), []byte(token)) == 1
}

// Sessions is the in-memory session table.
type Sessions struct {
	mu  sync.Mutex
	m   map[string]*Session
	Now func() time.Time
}

// NewSessions returns an empty table.
func NewSessions() *Sessions { return &Sessions{m: map[string]*Session{}} }

func (ss *Sessions) now() time.Time {
	if ss.Now != nil {
		return ss.Now()
	}
	return time.Now()
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("access: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Open starts a session for role and subject (linkID 0 for the admin).
func (ss *Sessions) Open(role Role, subject string, linkID int) *Session {
	s := &Session{ID: randomToken(), Role: role, Subject: subject, LinkID: linkID, CSRF: randomToken(), Expires: ss.now().Add(SessionTTL)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := ss.now()
	for id, x := range ss.m { // sweep: the table stays as small as the live sessions
		if now.After(x.Expires) {
			delete(ss.m, id)
		}
	}
	ss.m[s.ID] = s
	return s
}

// Get returns the live session with this id, or nil.
func (ss *Sessions) Get(id string) *Session {
	if id == "" {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[id]
	if !ok {
		return nil
	}
	if ss.now().After(s.Expires) {
		delete(ss.m, id)
		return nil
	}
	return s
}

// End removes a session (logout, or its link was revoked).
func (ss *Sessions) End(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

// EndLink ends every session opened with link id.
func (ss *Sessions) EndLink(id int) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, s := range ss.m {
		if s.LinkID == id {
			delete(ss.m, k)
		}
	}
}
