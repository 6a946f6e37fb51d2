package tui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

func TestProjectorPhases(t *testing.T) {
	h := dialogueHub(t)
	ctx := context.Background()
	do := func(who string, cmd session.Command) {
		t.Helper()
		if err := h.Do(ctx, who, cmd); err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	screen := func(want []string, never ...string) {
		t.Helper()
		v := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@forum.example.org", 100, 30).View()
		for _, w := range want {
			if !strings.Contains(v, w) {
				t.Fatalf("projector does not show %q:\n%s", w, v)
			}
		}
		for _, n := range never {
			if strings.Contains(v, n) {
				t.Fatalf("projector shows %q:\n%s", n, v)
			}
		}
	}
	do(facilitator, session.GoToStep{To: 2})
	screen([]string{"No ballot open yet."})
	do(facilitator, session.OpenBallot{Title: "Which first?", Texts: []string{"Evening meetings", "Plain words"}})
	do(ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 4, 2: 1}})
	do(bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 5}})
	do(facilitator, session.CastVote{Ballot: 1, Dots: map[int]int{2: 1}})
	screen([]string{"BALLOT #1: WHICH FIRST?", "3 have voted", "1. Evening meetings", "2. Plain words"}, "█", "Results")
	do(facilitator, session.CloseBallot{Ballot: 1})
	screen([]string{"Results · 3 voted · 11 dots", "1 ★ Plain words", "2 ★ Evening meetings", "██████"})

	do(facilitator, session.GoToStep{To: 3})
	do(facilitator, session.ProposeStatement{Text: "Meet in the evening"})
	do(facilitator, session.OpenCheck{Statement: 1})
	do(ada, session.Agree{Statement: 1, Level: 1})
	screen([]string{"CHECKING AGREEMENT ON #1", "Meet in the evening", "1 responded", "1 wholehearted endorsement"}, "1:1")
	do(facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})
	do(facilitator, session.AddAction{Statement: 1, Text: "Publish a timetable", Owners: []string{"Council"}})
	screen([]string{"AGREED", "✔ #1 Meet in the evening"}, "CHECKING")

	do(facilitator, session.GoToStep{To: 4})
	do(ada, session.GiveFeedback{Statement: 1, Text: "Which evenings?"})
	screen([]string{"DRAFT REPORT · 1 AGREED · 1 FEEDBACK", "✔ #1 Meet in the evening", "→ Publish a timetable — Council", "1 feedback"}, "Which evenings?")
}
