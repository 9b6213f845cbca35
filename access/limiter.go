package access

import (
	"sync"
	"time"
)

// Limiter counts wrong codes per client: after Max failures within Window the client is refused
// until the window has passed since its first failure. A right code does not reset the count, so a
// guesser holding one valid link gains nothing.
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time
	mu     sync.Mutex
	m      map[string]*failures
}

type failures struct {
	n     int
	first time.Time
}

// NewLimiter allows max wrong codes per window per client.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, m: map[string]*failures{}}
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Blocked reports whether key has used up its failures; retry is when it may try again.
func (l *Limiter) Blocked(key string) (blocked bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.m[key]
	if !ok {
		return false, 0
	}
	if el := l.now().Sub(f.first); el >= l.Window {
		delete(l.m, key)
		return false, 0
	} else if f.n >= l.Max {
		return true, l.Window - el
	}
	return false, 0
}

// Fail records one wrong code from key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.m) > 10000 { // bounded memory under a flood from many addresses
		for k, f := range l.m {
			if now.Sub(f.first) >= l.Window {
				delete(l.m, k)
			}
		}
	}
	f, ok := l.m[key]
	if !ok || now.Sub(f.first) >= l.Window {
		l.m[key] = &failures{n: 1, first: now}
		return
	}
	f.n++
}
