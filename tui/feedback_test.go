package tui_test

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

func TestFeedbackOnScreen(t *testing.T) {
	h := deliberationHub(t)
	ctx := context.Background()
	for _, c := range []struct {
		who string
		cmd session.Command
	}{
		{facilitator, session.ProposeStatement{Text: "Meet in the evening"}},
		{facilitator, session.OpenCheck{Statement: 1}},
		{ada, session.Agree{Statement: 1, Level: 1}},
		{facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed}},
		{facilitator, session.AddAction{Statement: 1, Text: "Publish a timetable", Owners: []string{"Council"}}},
		{facilitator, session.ProposeStatement{Text: "Abolish meetings"}},
		{facilitator, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed}},
		{facilitator, session.GoToStep{To: 4}},
	} {
		if err := h.Do(ctx, c.who, c.cmd); err != nil {
			t.Fatalf("%T: %v", c.cmd, err)
		}
	}
	fac, a := open(t, h, facilitator), open(t, h, ada)
	a.shows("Draft report: 1 agreed statement", "#1 ✔ AGREED", "Meet in the evening", "→ Publish a timetable — Council", "c feedback")
	if v := a.m.View(); strings.Contains(v, "Abolish meetings") || strings.Contains(v, "R revise") {
		t.Fatalf("the draft shows a statement not agreed, or a participant can revise:\n%s", v)
	}
	a.typeText("cWhich evenings?")
	a.shows("Feedback on #1", "Which evenings?")
	a.key(tea.KeyEnter)
	a.shows("feedback #1 saved", "1 feedback · latest, Ada: Which evenings?")

	fac.send(nil)
	fac.typeText("R")
	fac.shows("New wording for #1", "Meet in the evening")
	fac.key(tea.KeyCtrlU) // clears the line
	fac.typeText("Meet on Tuesday evenings")
	fac.key(tea.KeyEnter)
	fac.shows("Why #1 is revised")
	fac.typeText("Feedback #1 asked which evenings")
	fac.key(tea.KeyEnter)
	fac.shows("statement #1 revised: revision 2", "Meet on Tuesday evenings", "revised after the forum, reason: Feedback")

	a.send(nil)
	a.key(tea.KeyEnter)
	a.shows("Agreed by the forum (revision 1)", "Meet in the evening", "Revised after the forum",
		"reason: Feedback #1 asked which evenings", "[-in the evening-]", "{+on Tuesday evenings+}", "#1 Ada (revision 1): Which evenings?")
	if s := h.Snapshot().Statements[0]; s.Outcome != session.Agreed || s.RecordedRevision != 1 || s.Current().N != 2 {
		t.Fatalf("statement: %+v", s)
	}
}
