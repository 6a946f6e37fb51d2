// Package throttle bounds how fast guesses at a secret (a forum's join
// code) are checked, by key: a source address, a forum. A few wrong
// guesses cost nothing, so that a person who mistypes is not held up; after
// that each guess waits longer than the one before, and too many lock the
// key out for a while. Failures are forgotten after a quiet spell.
package throttle

import (
	"sync"
	"time"
)

// Config says how a Throttle treats one kind of key.
type Config struct {
	// Free is how many failures are forgiven before any wait.
	Free int
	// Wait is the wait before a guess once Free failures are past; it
	// doubles with each failure after that, up to MaxWait.
	Wait, MaxWait time.Duration
	// LockAfter failures lock the key out for LockFor: its guesses are
	// refused unchecked. 0: never.
	LockAfter int
	LockFor   time.Duration
	// Forget is how long after its last failure a key starts afresh.
	Forget time.Duration
	// MaxKeys bounds the keys remembered; beyond it (a flood from many
	// addresses) new keys share one entry, and so one budget.
	MaxKeys int
}

// Throttle keeps the failures of each key.
type Throttle struct {
	cfg Config
	now func() time.Time

	mu   sync.Mutex
	keys map[string]*entry
}

type entry struct {
	failures    int
	last        time.Time // of the last failure
	next        time.Time // the earliest the next guess may be checked
	lockedUntil time.Time
}

// overflow is the key shared by every key that finds the table full.
const overflow = "\x00others"

// New makes a Throttle; now is the clock (time.Now when nil).
func New(cfg Config, now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = 100_000
	}
	return &Throttle{cfg: cfg, now: now, keys: map[string]*entry{}}
}

// Reserve books the next guess for key: it may be checked after wait. A
// key that is locked out gets locked > 0, how long it still is, and must
// not be checked at all.
func (t *Throttle) Reserve(key string) (wait, locked time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	e := t.entry(key, now)
	if now.Before(e.lockedUntil) {
		return 0, e.lockedUntil.Sub(now)
	}
	at := now
	if e.next.After(at) {
		at = e.next
	}
	// Guesses booked meanwhile queue behind this one, as if it failed.
	e.next = at.Add(t.gap(e.failures))
	return at.Sub(now), 0
}

// Locked is how long key is still locked out; 0 when it is not.
func (t *Throttle) Locked(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if e, ok := t.keys[key]; ok && now.Before(e.lockedUntil) {
		return e.lockedUntil.Sub(now)
	}
	return 0
}

// Fail records a wrong guess for key, and tells whether it locked the key
// out.
func (t *Throttle) Fail(key string) (locked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	e := t.entry(key, now)
	e.failures++
	e.last = now
	if next := now.Add(t.gap(e.failures)); next.After(e.next) {
		e.next = next
	}
	if t.cfg.LockAfter > 0 && e.failures >= t.cfg.LockAfter {
		e.lockedUntil = now.Add(t.cfg.LockFor)
		return true
	}
	return false
}

// Failures is how many failures key has to its name now.
func (t *Throttle) Failures(key string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.keys[key]; ok && !t.forgotten(e, t.now()) {
		return e.failures
	}
	return 0
}

// gap is the wait after a guess made with failures to the key's name.
func (t *Throttle) gap(failures int) time.Duration {
	if failures < t.cfg.Free {
		return 0
	}
	d := t.cfg.Wait
	for i := t.cfg.Free; i < failures && d < t.cfg.MaxWait; i++ {
		d *= 2
	}
	return min(d, t.cfg.MaxWait)
}

func (t *Throttle) forgotten(e *entry, now time.Time) bool {
	return now.Sub(e.last) >= t.cfg.Forget && !now.Before(e.lockedUntil) && !now.Before(e.next)
}

// entry is key's entry, fresh if its failures are forgotten. Called with
// t.mu held.
func (t *Throttle) entry(key string, now time.Time) *entry {
	e, ok := t.keys[key]
	if ok && !t.forgotten(e, now) {
		return e
	}
	if !ok && len(t.keys) >= t.cfg.MaxKeys {
		for k, old := range t.keys {
			if t.forgotten(old, now) {
				delete(t.keys, k)
			}
		}
		if len(t.keys) >= t.cfg.MaxKeys {
			key = overflow
			if e, ok := t.keys[key]; ok {
				return e
			}
		}
	}
	e = &entry{}
	t.keys[key] = e
	return e
}
