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

// Booking is what Reserve made of a guess.
type Booking struct {
	// Wait is how long the guess must wait before it is checked.
	Wait time.Duration
	// Locked > 0: the key is locked out for this long still; the guess
	// must not be checked at all, and is not booked.
	Locked time.Duration
	// Busy: the guess would wait longer than it may; it is not booked.
	Busy bool
	// Last: this guess locks the key out if it is wrong.
	Last bool
}

// Reserve books a guess for key, to be checked after a wait of at most
// within (0: any). The guess counts as wrong from now on, until Forgive
// says it was right, so that guesses made at once (over many connections)
// are paced and counted as if each failed: no more than LockAfter are ever
// booked before the lockout.
func (t *Throttle) Reserve(key string, within time.Duration) Booking {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	e := t.entry(key, now)
	if now.Before(e.lockedUntil) {
		return Booking{Locked: e.lockedUntil.Sub(now)}
	}
	at := now
	if e.next.After(at) {
		at = e.next
	}
	if within > 0 && at.Sub(now) > within {
		return Booking{Busy: true}
	}
	e.failures++
	e.last = now
	e.next = at.Add(t.gap(e.failures))
	b := Booking{Wait: at.Sub(now)}
	if t.cfg.LockAfter > 0 && e.failures >= t.cfg.LockAfter {
		e.lockedUntil = at.Add(t.cfg.LockFor)
		b.Last = true
	}
	return b
}

// Forgive takes back a guess Reserve counted as wrong: it was right.
func (t *Throttle) Forgive(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.keys[key]
	if !ok || e.failures == 0 {
		return
	}
	e.failures--
	if t.cfg.LockAfter > 0 && e.failures < t.cfg.LockAfter {
		e.lockedUntil = time.Time{}
	}
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

// Failures is how many failures key has to its name now.
func (t *Throttle) Failures(key string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.keys[key]; ok && !t.forgotten(e, t.now()) {
		return e.failures
	}
	return 0
}

// gap is the wait after a guess that brought the key's failures to
// failures.
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
