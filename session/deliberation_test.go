package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"moot/session"
)

// deliberationHub is a hub on its deliberation step (3) with Ada, Bob and
// the facilitator named.
func deliberationHub(t *testing.T) (*session.Hub, func() *session.Hub) {
	h, reopen := openHub(t)
	do(t, h, ada, session.Register{Name: "Ada", Sector: "Community"})
	do(t, h, bob, session.Register{Name: "Bob", Sector: "Local government"})
	do(t, h, facilitator, session.Register{Name: "Fran"})
	do(t, h, facilitator, session.GoToStep{To: 3})
	return h, reopen
}

func TestStatementLifecycleSurvivesRestart(t *testing.T) {
	h, reopen := deliberationHub(t)
	do(t, h, facilitator, session.ProposeStatement{Text: "The council should meet in the evening"})
	do(t, h, ada, session.CommentOn{Statement: 1, Text: "Evenings are hard for carers"})
	do(t, h, ada, session.ProposeAmendment{Statement: 1, Text: "The council should meet at varied times"})
	do(t, h, facilitator, session.AcceptAmendment{ID: 1})
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	do(t, h, ada, session.Agree{Statement: 1, Level: 2})
	do(t, h, bob, session.Agree{Statement: 1, Level: 5})
	do(t, h, bob, session.Agree{Statement: 1, Level: 4}) // changes his mind
	snap := h.Snapshot()
	if c := snap.Checks[0]; c.Responded() != 2 || c.Counts[1] != 1 || c.Counts[3] != 1 || c.Counts[4] != 0 || c.Blocks() != 0 {
		t.Fatalf("check: %+v", c)
	}
	// A new revision ends the check on the old one.
	do(t, h, bob, session.ProposeAmendment{Statement: 1, Text: "The council should meet at varied times, some in the evening"})
	do(t, h, facilitator, session.AcceptAmendment{ID: 2})
	snap = h.Snapshot()
	if s := snap.Statements[0]; len(s.Revisions) != 3 || s.OpenCheck != 0 || snap.Checks[0].Open() {
		t.Fatalf("after second amendment: %+v, check %+v", s, snap.Checks[0])
	}
	refused(t, h, ada, session.Agree{Statement: 1, Level: 1}, "no check of agreement is open")
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	do(t, h, ada, session.Agree{Statement: 1, Level: 1})
	do(t, h, bob, session.Agree{Statement: 1, Level: 2})
	do(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})
	do(t, h, facilitator, session.AddAction{Statement: 1, Text: "Publish a timetable", Owners: []string{"Council", " Tenants' federation "}})
	do(t, h, facilitator, session.ProposeStatement{Text: "Abolish meetings"})
	do(t, h, facilitator, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed})

	h = reopen()
	snap = h.Snapshot()
	s := snap.Statements[0]
	if s.Outcome != session.Agreed || s.RecordedRevision != 3 || s.RecordedCheck != 2 || len(s.Revisions) != 3 ||
		s.Revisions[1].Author != ada || s.Revisions[1].AcceptedBy != facilitator || s.OpenCheck != 0 {
		t.Fatalf("statement after restart: %+v", s)
	}
	if len(snap.Checks) != 2 || snap.Checks[0].Revision != 2 || snap.Checks[1].Open() || snap.Checks[1].Levels[bob] != 2 || snap.Checks[0].Counts[3] != 1 {
		t.Errorf("checks after restart: %+v %+v", snap.Checks[0], snap.Checks[1])
	}
	if len(snap.Actions) != 1 || snap.Actions[0].Owners[1] != "Tenants' federation" {
		t.Errorf("actions after restart: %+v", snap.Actions)
	}
	if len(snap.Comments) != 1 || snap.Comments[0].Revision != 1 || snap.Statements[1].Outcome != session.NotAgreed {
		t.Errorf("comments %+v, statement 2 %+v", snap.Comments, snap.Statements[1])
	}
	// Recorded: frozen until reopened.
	refused(t, h, ada, session.ProposeAmendment{Statement: 1, Text: "Something else"}, "reopen it first")
	refused(t, h, facilitator, session.OpenCheck{Statement: 1}, "reopen it first")
	do(t, h, facilitator, session.RecordStatement{Statement: 1})
	do(t, h, ada, session.ProposeAmendment{Statement: 1, Text: "Something else"})
	if s := h.Snapshot().Statements[0]; s.Recorded() || s.RecordedCheck != 0 {
		t.Errorf("reopened: %+v", s)
	}
}

func TestDeliberationRefusals(t *testing.T) {
	h, _ := deliberationHub(t)
	refused(t, h, ada, session.ProposeStatement{Text: "mine"}, "only a facilitator can propose")
	do(t, h, facilitator, session.ProposeStatement{Text: "A statement"})
	refused(t, h, ada, session.Agree{Statement: 1, Level: 1}, "no check of agreement is open")
	for _, c := range []session.Command{
		session.AcceptAmendment{ID: 1}, session.OpenCheck{Statement: 1}, session.CloseCheck{Statement: 1},
		session.RecordStatement{Statement: 1, Outcome: session.NotAgreed}, session.AddAction{Statement: 1, Text: "x", Owners: []string{"y"}},
		session.RemoveAction{ID: 1}, session.MoveStatement{Statement: 1, Theme: -1, Position: 1},
		session.ProposeAmendment{Statement: 1, Text: "new", Accept: true},
	} {
		if err := h.Do(context.Background(), ada, c); !errors.Is(err, session.ErrForbidden) {
			t.Errorf("Ada %T: %v", c, err)
		}
	}
	refused(t, h, ada, session.CommentOn{Statement: 9, Text: "hi"}, "no statement #9")
	refused(t, h, ada, session.CommentOn{Statement: 1, Text: " \x1b[31m "}, "cannot be empty")
	refused(t, h, ada, session.ProposeAmendment{Statement: 1, Text: strings.Repeat("x", 601)}, "at most 600")
	refused(t, h, facilitator, session.AcceptAmendment{ID: 3}, "no amendment #3")
	refused(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed}, "check agreement on the current wording")
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	refused(t, h, facilitator, session.OpenCheck{Statement: 1}, "already open")
	refused(t, h, ada, session.Agree{Statement: 1, Level: 6}, "not on the scale")
	refused(t, h, ada, session.Agree{Statement: 1, Level: 0}, "not on the scale")
	do(t, h, bob, session.Agree{Statement: 1, Level: 5})
	refused(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed}, "is blocked")
	do(t, h, facilitator, session.CloseCheck{Statement: 1})
	refused(t, h, ada, session.Agree{Statement: 1, Level: 1}, "no check of agreement is open")
	refused(t, h, facilitator, session.AddAction{Statement: 1, Text: "Do it"}, "say who")
	refused(t, h, facilitator, session.RemoveAction{ID: 1}, "no action #1")
	// Themes: once there are some, a statement needs one.
	do(t, h, facilitator, session.AddTheme{Name: "Access"})
	refused(t, h, facilitator, session.ProposeStatement{Text: "Loose"}, "say which theme")
	do(t, h, facilitator, session.ProposeStatement{Text: "Under access", Theme: 1})
	do(t, h, facilitator, session.ProposeStatement{Text: "Also under access", Theme: 1})
	do(t, h, facilitator, session.MoveStatement{Statement: 3, Theme: -1, Position: 1})
	snap := h.Snapshot()
	if snap.Statements[2].Position != 1 || snap.Statements[1].Position != 2 {
		t.Errorf("order: %+v %+v", snap.Statements[1], snap.Statements[2])
	}
	refused(t, h, facilitator, session.MoveStatement{Statement: 3, Theme: -1, Position: 3}, "positions under this theme run from 1 to 2")
	// Off the deliberation step nothing changes.
	do(t, h, facilitator, session.GoToStep{To: 1})
	refused(t, h, facilitator, session.ProposeStatement{Text: "Late", Theme: 1}, "deliberation step")
}

func TestWordDiff(t *testing.T) {
	got := session.DiffMarked(session.DiffWords("the council should meet in the evening", "the council must meet at varied times"))
	if want := "the council [-should-] {+must+} meet [-in the evening-] {+at varied times+}"; got != want {
		t.Errorf("diff = %q, want %q", got, want)
	}
	if got := session.DiffMarked(session.DiffWords("a b c", "a b c d")); got != "a b c {+d+}" {
		t.Errorf("append: %q", got)
	}
	// In JSON an operation is the string the README documents.
	parts := session.DiffWords("keep old", "keep new")
	b, err := json.Marshal(parts)
	if want := `[{"op":"=","text":"keep"},{"op":"-","text":"old"},{"op":"+","text":"new"}]`; err != nil || string(b) != want {
		t.Errorf("JSON: %s %v, want %s", b, err, want)
	}
	var back []session.DiffPart
	if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, parts) {
		t.Errorf("read back: %+v %v", back, err)
	}
}

// Amendments still waiting when a statement is recorded are closed, and
// stay closed after a restart and a reopen.
func TestRecordingSupersedesWaitingAmendments(t *testing.T) {
	h, reopen := deliberationHub(t)
	do(t, h, facilitator, session.ProposeStatement{Text: "Meet in the evening"})
	do(t, h, ada, session.ProposeAmendment{Statement: 1, Text: "Meet at varied times"})
	do(t, h, bob, session.ProposeAmendment{Statement: 1, Text: "Meet on Saturdays"})
	do(t, h, facilitator, session.AcceptAmendment{ID: 1})
	do(t, h, facilitator, session.ProposeStatement{Text: "Answer every email"})
	do(t, h, ada, session.ProposeAmendment{Statement: 2, Text: "Answer every email within a week"})
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	do(t, h, ada, session.Agree{Statement: 1, Level: 1})
	do(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})

	for restarted := range 2 {
		if restarted == 1 {
			h = reopen()
		}
		ams := h.Snapshot().Amendments
		if ams[0].Accepted != 2 || ams[0].Superseded || !ams[1].Superseded || ams[1].Waiting() || !ams[2].Waiting() {
			t.Fatalf("amendments (restarted: %d): %+v %+v %+v", restarted, ams[0], ams[1], ams[2])
		}
		refused(t, h, facilitator, session.AcceptAmendment{ID: 2}, "closed when statement #1 was recorded")
	}
	do(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Open})
	if !h.Snapshot().Amendments[1].Superseded {
		t.Error("reopening the statement brought a superseded amendment back")
	}
	refused(t, h, facilitator, session.AcceptAmendment{ID: 2}, "closed when statement #1 was recorded")
	do(t, h, facilitator, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed})
	if !h.Snapshot().Amendments[2].Superseded {
		t.Error("recording as not agreed left an amendment waiting")
	}
}
