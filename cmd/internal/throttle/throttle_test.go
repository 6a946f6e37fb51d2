package throttle

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time       { return c.t }
func (c *clock) pass(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                { return &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)} }
func perAddress() Config {
	return Config{Free: 3, Wait: time.Second, MaxWait: 8 * time.Second, LockAfter: 8, LockFor: 15 * time.Minute, Forget: 15 * time.Minute}
}

// guess books a guess and takes the wait it is given; it was wrong.
func guess(t *testing.T, th *Throttle, c *clock, key string) (waited, locked time.Duration) {
	t.Helper()
	b := th.Reserve(key, 0)
	if b.Locked > 0 {
		return 0, b.Locked
	}
	c.pass(b.Wait)
	return b.Wait, 0
}

func TestWaitsGrowThenTheKeyIsLockedOut(t *testing.T) {
	c := newClock()
	th := New(perAddress(), c.now)
	var waits []time.Duration
	for range 8 {
		w, locked := guess(t, th, c, "192.0.2.1")
		if locked > 0 {
			t.Fatalf("locked after %d guesses, want 8", len(waits))
		}
		waits = append(waits, w)
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	// Locked out: refused unchecked, for LockFor.
	if b := th.Reserve("192.0.2.1", 0); b.Locked != 15*time.Minute {
		t.Fatalf("after 8 failures, locked for %v, want 15m", b.Locked)
	}
	if d := th.Locked("192.0.2.1"); d != 15*time.Minute {
		t.Fatalf("Locked: %v", d)
	}
	// Someone else is not held up at all.
	if b := th.Reserve("192.0.2.2", 0); b.Wait != 0 || b.Locked != 0 {
		t.Fatalf("another key: %+v", b)
	}
	// After the lockout and a quiet spell, the key starts afresh.
	c.pass(15 * time.Minute)
	if b := th.Reserve("192.0.2.1", 0); b.Wait != 0 || b.Locked != 0 {
		t.Fatalf("after the lockout: %+v", b)
	}
	if n := th.Failures("192.0.2.1"); n != 1 {
		t.Fatalf("failures after the lockout and one guess: %d, want 1", n)
	}
}

func TestGuessesAtOnceAreCountedAsTheyAreBooked(t *testing.T) {
	c := newClock()
	th := New(perAddress(), c.now)
	// A hundred guesses booked at once, over a hundred connections, none
	// checked yet: each waits behind the one before, and no more than
	// LockAfter are ever booked.
	var waits []time.Duration
	booked, lastSeen := 0, 0
	for range 100 {
		b := th.Reserve("k", 0)
		if b.Locked > 0 {
			continue
		}
		if b.Last {
			lastSeen++
		}
		booked++
		waits = append(waits, b.Wait)
	}
	if booked != 8 || lastSeen != 1 {
		t.Fatalf("%d guesses booked at once (one marked last: %d), want 8 and 1", booked, lastSeen)
	}
	for i := 4; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Fatalf("guesses booked at once wait %v, want each past the free ones longer than the one before", waits)
		}
	}
}

// A right guess is forgiven: a person who mistyped a few times and then got
// it right is not held up next time, and the lockout it would have set is
// lifted.
func TestARightGuessIsForgiven(t *testing.T) {
	c := newClock()
	th := New(perAddress(), c.now)
	for range 7 {
		guess(t, th, c, "k")
	}
	if b := th.Reserve("k", 0); !b.Last || th.Locked("k") == 0 {
		t.Fatal("the eighth guess should lock the key out if wrong")
	}
	th.Forgive("k")
	if th.Locked("k") != 0 || th.Failures("k") != 7 {
		t.Fatalf("after a right eighth guess: locked %v, failures %d", th.Locked("k"), th.Failures("k"))
	}
}

// A guess that would wait past its limit is turned away unbooked: turned
// away guesses do not push the queue back for those who come later.
func TestABusyKeyTurnsAwayWithoutBooking(t *testing.T) {
	c := newClock()
	th := New(Config{Free: 1, Wait: time.Minute, MaxWait: time.Minute, Forget: time.Hour}, c.now)
	guess(t, th, c, "forum")
	for range 1000 {
		if b := th.Reserve("forum", 30*time.Second); !b.Busy {
			t.Fatalf("a guess a minute away was booked: %+v", b)
		}
	}
	c.pass(time.Minute)
	if b := th.Reserve("forum", 30*time.Second); b.Busy || b.Wait != 0 {
		t.Fatalf("a minute later: %+v", b)
	}
}

func TestTheRateInAllIsBounded(t *testing.T) {
	// A forum's throttle: no lockout, a fixed wait once busy.
	c := newClock()
	th := New(Config{Free: 10, Wait: 100 * time.Millisecond, MaxWait: 100 * time.Millisecond, Forget: time.Minute}, c.now)
	start := c.t
	for range 110 {
		guess(t, th, c, "forum")
	}
	// Ten free, then a hundred at ten a second.
	if took := c.t.Sub(start); took < 10*time.Second {
		t.Fatalf("110 guesses checked in %v, want at least 10s", took)
	}
}

func TestTheTableIsBounded(t *testing.T) {
	c := newClock()
	cfg := perAddress()
	cfg.MaxKeys = 10
	th := New(cfg, c.now)
	for i := range 1000 {
		guess(t, th, c, string(rune('a'+i%26))+string(rune(i)))
	}
	if n := len(th.keys); n > 11 {
		t.Fatalf("%d keys remembered, want at most 11", n)
	}
}
