package server

import (
	"context"
	"fmt"
	"time"

	"moot/cmd/internal/tally"
	"moot/cmd/internal/throttle"
	"moot/session"
)

// guesses throttles join-code guesses twice: by source address, so that one
// guesser is slowed and then locked out while everyone else gets in at
// once; and by forum, so that guessers spread over many addresses are held
// to a bounded rate in all. A person who has mistyped a few times waits a
// second or two; nobody is ever told whether a guess was close.
type guesses struct {
	byAddr, byForum *throttle.Throttle
	tally           *tally.Tally
}

// maxGuessWait is the longest a guess waits to be checked; a guess that
// would wait longer is refused with a message to try later.
const maxGuessWait = 30 * time.Second

func newGuesses(l Limits, t *tally.Tally) *guesses {
	return &guesses{
		byAddr:  throttle.New(l.GuessesPerAddr, nil),
		byForum: throttle.New(l.GuessesPerForum, nil),
		tally:   t,
	}
}

// locked says, before a person is asked for a code, why their guesses are
// not being taken; "" when they are.
func (g *guesses) locked(source string) string {
	if d := g.byAddr.Locked(source); d > 0 {
		return fmt.Sprintf("Too many wrong codes from your address: try again in %s, or join with an SSH key (ssh-keygen -t ed25519 makes one).", minutes(d))
	}
	return ""
}

// admit waits until a guess from source at forum may be checked. It
// returns what to tell the person when the guess is not to be checked.
func (g *guesses) admit(ctx context.Context, source, forum string) string {
	if msg := g.locked(source); msg != "" {
		return msg
	}
	wait, _ := g.byAddr.Reserve(source)
	forumWait, _ := g.byForum.Reserve(forum)
	if forumWait > maxGuessWait {
		g.tally.Add("join codes: guesses for a forum held back", source, "forum", forum)
		return "Many people are trying codes for this forum right now: try again in a minute, or join with an SSH key."
	}
	wait = max(wait, forumWait)
	if wait <= 0 {
		return ""
	}
	t := time.NewTimer(min(wait, maxGuessWait))
	defer t.Stop()
	select {
	case <-t.C:
		return ""
	case <-ctx.Done():
		return "the connection closed"
	}
}

// failed records a wrong guess.
func (g *guesses) failed(source, forum string) {
	g.byForum.Fail(forum)
	if g.byAddr.Fail(source) {
		g.tally.Add("join codes: an address is locked out after too many wrong guesses", source, "forum", forum, "failures", g.byAddr.Failures(source))
	}
}

// minutes says a wait in whole minutes, or in seconds under one.
func minutes(d time.Duration) string {
	if d < time.Minute {
		return session.Count(max(1, int(d.Round(time.Second)/time.Second)), "second", "seconds")
	}
	return session.Count(int((d+time.Minute-1)/time.Minute), "minute", "minutes")
}
