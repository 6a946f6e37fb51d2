package session

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"moot/session/catalogue"
)

// ErrInternal answers a command that failed in a way it never should (a
// panic: a bug). Nothing it would have changed was kept.
var ErrInternal = catalogue.Err("session.internal")

// The Hub's goroutine runs every forum's rules, so a panic there would take
// the forum, and the server, down with it. Each step that runs code
// particular to a command (deciding it, applying its events, committing
// them) recovers: the command is answered with ErrInternal, the panic is
// logged with its stack, and the forum goes on.

// Logger is where front ends report what goes wrong while serving the
// forum.
func (h *Hub) Logger() *slog.Logger { return h.log }

// decide is cmd.decide, recovered.
func (h *Hub) decide(cmd Command, a Actor, now time.Time) (events []Event, err error) {
	defer h.recovered("deciding", cmd, a.ID, &err)
	return cmd.decide(h.state, a, now)
}

// applyEvents applies a command's events to the state and adds their
// records. On a panic the state may be half changed: the caller must bring
// it back from the store.
func (h *Hub) applyEvents(cmd Command, actor string, events []Event, now time.Time, records *[]Record) (err error) {
	defer h.recovered("applying", cmd, actor, &err)
	for _, e := range events {
		h.state.Seq++
		e.apply(h.state)
		*records = append(*records, Record{Seq: h.state.Seq, At: now, Actor: actor, Event: e})
	}
	return nil
}

// committing runs a commit, recovered.
func (h *Hub) committing(commit func() error) (err error) {
	defer h.recovered("committing", nil, "", &err)
	return commit()
}

func (h *Hub) recovered(doing string, cmd Command, actor string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	kind := ""
	if cmd != nil {
		kind = fmt.Sprintf("%T", cmd)
	}
	h.log.Error("panic "+doing+" a command; it was refused and the forum goes on",
		"command", kind, "actor", actor, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	*err = ErrInternal
}
