package session_test

import (
	"strings"
	"testing"

	"moot/session"
	"moot/session/sessiontest"
	"moot/store/storetest"
)

// A Hub that loses the race to commit goes back to a copy of its state
// taken before it decided. For every kind of event, applying it to the
// copy leaves the original as it was.
func TestCloneIsUntouchedByEveryEvent(t *testing.T) {
	log := sessiontest.Log()
	st, same := session.NewState(sessiontest.Forum()), session.NewState(sessiontest.Forum())
	for _, r := range log {
		c := session.CloneState(st)
		// Copying marks what the two share (a tally's allocations) as
		// shared, in the original too: do the same to the twin.
		session.CloneState(same)
		if err := c.Apply([]session.Record{r}); err != nil {
			t.Fatal(err)
		}
		if d := storetest.Diff(same, st); d != "" {
			t.Fatalf("applying event %d (%s) to a copy changed the original:\n%s", r.Seq, r.Event.Kind(), d)
		}
		if d := storetest.Diff(c, st); d == "" {
			t.Fatalf("event %d (%s) changed nothing in the copy", r.Seq, r.Event.Kind())
		}
		for _, s := range []*session.State{st, same} {
			if err := s.Apply([]session.Record{r}); err != nil {
				t.Fatal(err)
			}
		}
		if d := storetest.Diff(c, st); d != "" {
			t.Fatalf("event %d (%s) applied to the copy and to the original gives two states:\n%s", r.Seq, r.Event.Kind(), d)
		}
	}
}

// A log with a gap, or an event that refers to what is not there, is
// refused with the event's number; the events before it are applied.
func TestApplyRefusesABrokenLog(t *testing.T) {
	log := sessiontest.Log()
	st := session.NewState(sessiontest.Forum())
	err := st.Apply(append(log[:3:3], log[4]))
	if err == nil || !strings.Contains(err.Error(), "event 5 follows event 3") || st.Seq != 3 {
		t.Errorf("a gap: %v (at event %d)", err, st.Seq)
	}
	st = session.NewState(sessiontest.Forum())
	bad := session.Record{Seq: 1, Event: session.StatementMoved{ID: 7, Position: 1}}
	if err := st.Apply([]session.Record{bad}); err == nil || !strings.Contains(err.Error(), "event 1 (statement.moved) does not apply") {
		t.Errorf("an event about a statement that is not there: %v", err)
	}
}
