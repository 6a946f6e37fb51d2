package tui_test

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

// votingHub is the demo forum on its voting step with a secret ballot of
// three items, Ada, Bob and Fran named.
func votingHub(t *testing.T) *session.Hub {
	h := dialogueHub(t)
	ctx := context.Background()
	for _, c := range []session.Command{session.NextStep{},
		session.OpenBallot{Texts: []string{"Meetings in working hours", "Too much jargon", "Nobody hears back"}, MaxPerItem: 3}} {
		if err := h.Do(ctx, facilitator, c); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func TestVotingOnScreen(t *testing.T) {
	h := votingHub(t)
	s := open(t, h, ada)
	s.shows("Ballot #1", "secret until it closes", "You have 5 of 5 dots left", "› 1. Meetings in working hours")
	s.key(tea.KeyRight)
	s.key(tea.KeySpace)
	s.shows("You have 3 of 5 dots left", "saved ✓", "●●○")
	if got := h.Snapshot().ViewFor(ada).MyAllocation(1); got.On(1) != 2 {
		t.Fatalf("Ada's dots in the hub: %+v", got)
	}
	s.key(tea.KeyRight)
	s.key(tea.KeyRight) // a fourth on one item: over the cap
	s.shows("at most 3 dots on one item")
	s.key(tea.KeyDown)
	s.typeText("2")
	s.shows("You have 0 of 5 dots left", "all spent")
	s.typeText("j")
	s.key(tea.KeyRight)
	s.shows("you have spent all 5 dots")
	// Nothing on the screen counts other people's dots.
	if err := h.Do(context.Background(), bob, session.CastVote{Ballot: 1, Dots: map[int]int{3: 3, 2: 2}}); err != nil {
		t.Fatal(err)
	}
	s.send(nil)
	if v := s.m.View(); strings.Contains(v, "voted") || strings.Contains(v, "dots ·") {
		t.Fatalf("a participant's screen shows a count during a secret ballot:\n%s", v)
	}
	// Reconnecting shows the same allocation.
	s = open(t, h, ada)
	s.shows("You have 0 of 5 dots left", "●●●")

	if err := h.Do(context.Background(), facilitator, session.CastVote{Ballot: 1, Dots: map[int]int{2: 2, 1: 1, 3: 1}}); err != nil {
		t.Fatal(err)
	}
	f := open(t, h, facilitator)
	f.shows("3 people have voted")
	f.typeText("C")
	f.shows("press C again")
	f.typeText("C")
	f.shows("ballot #1 closed")
	s.send(nil)
	s.shows("closed · final results", "3 people voted · 14 dots", "★", "▇", "Too much jargon", "43%", "=2")
	s.typeText("s")
	s.shows("No sector given · 3 voted")
}

func TestFacilitatorOpensBallotFromScreen(t *testing.T) {
	h := dialogueHub(t)
	say(t, h, ada, "Meetings in working hours")
	say(t, h, bob, "Too much jargon")
	if err := h.Do(context.Background(), facilitator, session.NextStep{}); err != nil {
		t.Fatal(err)
	}
	f := open(t, h, facilitator)
	f.shows("No ballot yet. Press O")
	f.typeText("O")
	f.key(tea.KeyEnter)
	f.shows("Ballot #1", "1. Meetings in working hours", "2. Too much jargon", "0 people have voted")
}
