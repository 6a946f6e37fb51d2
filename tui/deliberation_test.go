package tui_test

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

// deliberationHub is the demo forum on its deliberation step (3) with
// Fran (facilitator), Ada and Bob named.
func deliberationHub(t *testing.T) *session.Hub {
	h := dialogueHub(t)
	if err := h.Do(context.Background(), facilitator, session.GoToStep{To: 3}); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestDeliberationOnScreen(t *testing.T) {
	h := deliberationHub(t)
	fac, a := open(t, h, facilitator), open(t, h, ada)
	a.shows("No statements yet. Press w to propose the first.")

	// Ada drafts a statement (the demo lets participants propose).
	a.typeText("wMeet in the evening")
	a.shows("New statement", "Meet in the evening")
	a.key(tea.KeyEnter)
	a.shows("proposed: statement #1", "#1 draft, revision 1 by Ada", "Meet in the evening")
	fac.send(nil)
	fac.shows("#1 draft", "Meet in the evening")

	// Bob proposes new wording; the facilitator accepts it with A.
	if err := h.Do(context.Background(), bob, session.ProposeAmendment{Statement: 1, Text: "Meet at varied times"}); err != nil {
		t.Fatal(err)
	}
	fac.send(nil)
	fac.shows("1 amendment waiting")
	fac.typeText("A")
	fac.shows(": accept 1")
	fac.key(tea.KeyEnter)
	fac.shows("revision 2 by Bob", "Meet at varied times")

	// The facilitator opens a check; Ada agrees with a key; Bob blocks.
	fac.typeText("o")
	a.send(nil)
	a.shows("Check open: 0 responded", "Agree on #1: press 1 wholehearted endorsement")
	a.typeText("2")
	a.shows("Check open: 1 responded", "yours: 2 agree with minor reservations")
	// Participants do not see the spread while the check is open.
	a.shows("1 responded · yours")
	if err := h.Do(context.Background(), bob, session.Agree{Statement: 1, Level: 5}); err != nil {
		t.Fatal(err)
	}
	fac.send(nil)
	// Who blocked, at once; the spread of two responses would tell each
	// of them the other's level, so it waits for a third.
	fac.shows("BLOCK on statement #1 by Bob", "Check open: 2 responded · you have not")
	fac.typeText("3")
	fac.shows("your level on statement #1: 3 support with reservations", "3 responded · 1:0 2:1 3:1 4:0", "5:1 · yours: 3")

	// History shows the word diff between revisions.
	a.send(nil)
	a.key(tea.KeyEnter)
	a.shows("Revisions", "Meet [-in the evening-] {+at varied times+}", "Checks")
	a.key(tea.KeyDown)
	a.key(tea.KeyDown)
	a.shows("#1 on revision 2, open: 3 responded")
	a.key(tea.KeyEsc)

	// Reword, check again, record as agreed with an action.
	fac.typeText(":")
	fac.typeText("amend 1 Meet at varied times, some evenings --accept")
	fac.key(tea.KeyEnter)
	fac.typeText("o")
	for _, id := range []string{ada, bob} {
		if err := h.Do(context.Background(), id, session.Agree{Statement: 1, Level: 1}); err != nil {
			t.Fatal(err)
		}
	}
	fac.typeText("r")
	fac.typeText("agreed")
	fac.key(tea.KeyEnter)
	fac.typeText("W")
	fac.typeText("Publish a timetable")
	fac.shows(": action add 1 Publish a timetable --who")
	fac.key(tea.KeyEnd)
	fac.typeText(`Council, Tenants`)
	fac.key(tea.KeyEnter)
	fac.shows("#1 ✔ AGREED", "→ Publish a timetable — Council, Tenants")
	a.send(nil)
	a.shows("#1 ✔ AGREED", "→ Publish a timetable — Council, Tenants")

	// A recorded statement refuses new wording on the sender's screen.
	a.typeText("aX")
	a.key(tea.KeyEnter)
	a.shows("reopen it first")
}
