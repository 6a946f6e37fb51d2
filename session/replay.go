package session

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
)

// The event log is the truth: a forum's state is what its log makes of
// the forum's definition, event by event, in order. Stores keep the log
// (and may keep tables projected from it); LoadState is the one way a
// state is made from it, on start, for an export, and when a Hub catches
// up with events another node committed.

// LogReader reads a forum's log; every Store is one.
type LogReader interface {
	// Events returns up to limit records of the forum's log after seq, in
	// order.
	Events(ctx context.Context, slug string, after int64, limit int) ([]Record, error)
}

// logPage is how many records LoadState and a Hub's catch-up read at once.
const logPage = 1000

// LoadState is the state of forum f as its log in r makes it.
func LoadState(ctx context.Context, r LogReader, f *Forum) (*State, error) {
	st := NewState(f)
	if err := st.readLog(ctx, r, nil); err != nil {
		return nil, err
	}
	// A forum restarted from an edited agenda with fewer steps is closed
	// rather than pointing at a step that is no longer there.
	st.Step = min(st.Step, len(f.Steps)+1)
	return st, nil
}

// readLog applies the records of the log after st.Seq, reading them page
// by page; each page applied is handed to seen, if given.
func (st *State) readLog(ctx context.Context, r LogReader, seen func([]Record)) error {
	for {
		page, err := r.Events(ctx, st.Forum.Slug, st.Seq, logPage)
		if err != nil {
			return fmt.Errorf("forum %s: reading the log after event %d: %w", st.Forum.Slug, st.Seq, err)
		}
		if err := st.Apply(page); err != nil {
			return fmt.Errorf("forum %s: %w", st.Forum.Slug, err)
		}
		if seen != nil && len(page) > 0 {
			seen(page)
		}
		if len(page) < logPage {
			return nil
		}
	}
}

// Apply applies records of the forum's log to the state, in order. Each
// must be the next in the log (Seq one more than the state's); a record
// that is not, or that does not apply (a log edited by hand), stops Apply
// with an error, the records before it applied.
func (st *State) Apply(records []Record) (err error) {
	for _, r := range records {
		if r.Seq != st.Seq+1 {
			return fmt.Errorf("event %d follows event %d: the log has a gap or is out of order", r.Seq, st.Seq)
		}
		if r.Event == nil {
			return fmt.Errorf("event %d has no event", r.Seq)
		}
		if err := applyOne(st, r); err != nil {
			return err
		}
	}
	return nil
}

func applyOne(st *State, r Record) (err error) {
	defer func() {
		// Events refer to what the events before them made (card #3,
		// ballot #1); in a log that was changed by hand they may not.
		if p := recover(); p != nil {
			err = fmt.Errorf("event %d (%s) does not apply to the forum as the events before it left it: %v", r.Seq, r.Event.Kind(), p)
		}
	}()
	st.Seq = r.Seq
	r.Event.apply(st)
	return nil
}

// EventKinds lists the kind of every event registered, sorted: what a
// store must be able to keep and give back.
func EventKinds() []string {
	kinds := make([]string, 0, len(eventDecoders))
	for k := range eventDecoders {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// clone is a copy of the state that events applied to one do not change in
// the other: a Hub keeps it while a commit may still lose to another node's,
// to go back to. Objects in the state are never modified in place (a change
// puts a new one in), so copying the slices and maps that hold them is
// enough; each ballot's tally is copied on its next change.
func (st *State) clone() *State {
	c := *st
	c.Participants = maps.Clone(st.Participants)
	c.Cards = slices.Clone(st.Cards)
	c.Themes = slices.Clone(st.Themes)
	c.Hands = slices.Clone(st.Hands)
	c.Statements = slices.Clone(st.Statements)
	c.Comments = slices.Clone(st.Comments)
	c.Amendments = slices.Clone(st.Amendments)
	c.Checks = slices.Clone(st.Checks)
	c.Actions = slices.Clone(st.Actions)
	c.Feedback = slices.Clone(st.Feedback)
	c.posted = maps.Clone(st.posted)
	c.Ballots = slices.Clone(st.Ballots)
	c.Tables = slices.Clone(st.Tables)
	c.Polls = slices.Clone(st.Polls)
	c.answered = maps.Clone(st.answered)
	c.answers = make([]*answerBook, len(st.answers))
	for i, b := range st.answers {
		c.answers[i] = b.clone()
	}
	c.tallies = make([]*tally, len(st.tallies))
	for i, t := range st.tallies {
		c.tallies[i] = t.clone()
	}
	return &c
}
