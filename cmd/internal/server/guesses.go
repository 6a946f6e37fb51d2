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

// admit books a guess from source at forum and waits until it may be
// made, telling the person (tell) of a wait of a second or more. It returns
// what to tell them when the guess is not to be made at all. The guess
// counts as wrong until right says otherwise.
func (g *guesses) admit(ctx context.Context, source, forum string, tell func(string)) string {
	if msg := g.locked(source); msg != "" {
		return msg
	}
	byAddr := g.byAddr.Reserve(source, maxGuessWait)
	switch {
	case byAddr.Locked > 0:
		return g.locked(source)
	case byAddr.Busy:
		return "Too many codes from your address at once: try again in a minute, or join with an SSH key."
	}
	if byAddr.Last {
		g.tally.Add("join codes: an address is locked out after too many wrong guesses", source, "forum", forum)
	}
	byForum := g.byForum.Reserve(forum, maxGuessWait)
	if byForum.Busy {
		g.byAddr.Forgive(source) // not checked: not a guess
		g.tally.Add("join codes: guesses for a forum held back", source, "forum", forum)
		return "Many people are trying codes for this forum right now: try again in a minute, or join with an SSH key."
	}
	wait := max(byAddr.Wait, byForum.Wait)
	if wait <= 0 {
		return ""
	}
	if wait >= time.Second {
		tell(fmt.Sprintf("Wrong codes have been typed here lately: you can type yours in %s.", minutes(wait)))
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

// right takes back a guess admit counted as wrong.
func (g *guesses) right(source, forum string) {
	g.byAddr.Forgive(source)
	g.byForum.Forgive(forum)
}

// minutes says a wait in whole minutes, or in seconds under one.
func minutes(d time.Duration) string {
	if d < time.Minute {
		return session.Count(max(1, int(d.Round(time.Second)/time.Second)), "second", "seconds")
	}
	return session.Count(int((d+time.Minute-1)/time.Minute), "minute", "minutes")
}
