package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"moot/session/catalogue"
)

// What organisers need around a forum: initial themes from the agenda,
// archiving, join codes, read-only watchers (a projector) and the log for
// reports.

// ValidJoinCode checks a join code as an agenda gives it: it is typed at an
// SSH password prompt, so it keeps to letters, digits and '-', and is long
// enough not to be guessed in a few tries.
func ValidJoinCode(code string) error {
	if len(code) < 6 || len(code) > 64 {
		return catalogue.Err("session.join_code.length", len(code))
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return catalogue.Err("session.join_code.characters")
		}
	}
	return nil
}

// AgendaActor is the actor recorded in the log for changes the agenda made
// (its initial themes), not a person.
const AgendaActor = "agenda"

// initialThemes are the events that create the agenda's themes in a forum
// that has no themes yet; none once it has any.
func initialThemes(st *State, now time.Time) ([]Event, error) {
	if len(st.Themes) > 0 || len(st.Forum.Themes) == 0 {
		return nil, nil
	}
	a := Actor{ID: AgendaActor, Role: RoleFacilitator}
	var all []Event
	for _, name := range st.Forum.Themes {
		events, err := AddTheme{Name: name}.decide(st, a, now)
		if err != nil {
			return nil, fmt.Errorf("theme %q: %w", name, err)
		}
		for _, e := range events {
			e.apply(st)
		}
		all = append(all, events...)
	}
	return all, nil
}

// seedThemes commits the agenda's initial themes like any other change.
// Another node opening the forum at the same moment may seed them first:
// then this one takes its events and finds the themes there.
func (h *Hub) seedThemes(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		base := h.state.clone()
		now := clock()
		events, err := initialThemes(h.state, now)
		if err != nil || len(events) == 0 {
			return err
		}
		records := make([]Record, len(events))
		for i, e := range events {
			h.state.Seq++
			records[i] = Record{Seq: h.state.Seq, At: now, Actor: AgendaActor, Event: e}
		}
		err = h.store.Commit(ctx, h.state.Forum.Slug, records)
		if !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			return err
		}
		h.state = base
		if err := h.state.readLog(ctx, h.store, nil); err != nil {
			return err
		}
	}
}

// ForumArchived: a facilitator archived the forum (or took it out of the
// archive). An archived forum is read-only and still exportable.
type ForumArchived struct {
	Archived bool      `json:"archived"`
	At       time.Time `json:"at"`
}

func (ForumArchived) Kind() string { return "forum.archived" }

func (e ForumArchived) apply(st *State) { st.Archived = e.Archived }

func init() { registerEvent[ForumArchived]() }

// ErrArchived is the refusal of every change to an archived forum.
var ErrArchived = catalogue.Err("session.archived")

// ArchiveForum makes the forum read-only (Archived true), or writable again.
type ArchiveForum struct{ Archived bool }

func (c ArchiveForum) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.archive"); err != nil {
		return nil, err
	}
	switch {
	case c.Archived && st.Archived:
		return nil, catalogue.Err("session.archived_already")
	case !c.Archived && !st.Archived:
		return nil, catalogue.Err("session.not_archived")
	}
	return []Event{ForumArchived{Archived: c.Archived, At: now}}, nil
}

// refuseArchived tells whether a command may run on the state: on an
// archived forum only taking it out of the archive may.
func refuseArchived(st *State, cmd Command) error {
	if !st.Archived {
		return nil
	}
	if _, ok := cmd.(ArchiveForum); ok {
		return nil // taking it out of the archive; decide checks the rest
	}
	return ErrArchived
}

// Watch opens a read-only view of the forum, such as a projector in the
// room: it receives every snapshot but is not a person, so it does not
// count as connected.
func (h *Hub) Watch(ctx context.Context) (*Subscription, error) {
	s := &Subscription{mailbox: make(chan *Snapshot, 1), hub: h, watcher: true}
	if _, err := h.send(ctx, request{sub: s, attach: true}); err != nil {
		return nil, err
	}
	return s, nil
}

// Log reads the forum's whole event log, up to the snapshot's Seq (later
// events are left out so that the two agree).
func (h *Hub) Log(ctx context.Context, upTo int64) ([]Record, error) {
	return ReadLog(ctx, h.store, h.Forum().Slug, upTo)
}

// ReadLog reads a forum's event log from a store, up to seq upTo.
func ReadLog(ctx context.Context, s LogReader, slug string, upTo int64) ([]Record, error) {
	var out []Record
	var after int64
	for after < upTo {
		page, err := s.Events(ctx, slug, after, 1000)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if r.Seq > upTo {
				return out, nil
			}
			out = append(out, r)
		}
		after = page[len(page)-1].Seq
	}
	return out, nil
}

// SnapshotOf is a read-only picture of a state loaded outside a Hub (an
// export from the data folder): nobody counts as connected.
func SnapshotOf(st *State) *Snapshot {
	return st.snapshot(nil, time.Now(), nil)
}
