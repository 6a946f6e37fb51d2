package tui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

// sized draws a model at width by height, for golden (themes_test.go),
// under NAME-WxH.
func sized(t *testing.T, name string, m tea.Model, width, height int) {
	t.Helper()
	m, _ = m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	golden(t, fmt.Sprintf("%s-%dx%d", name, width, height), m.View())
}

// sectorHub is the demo forum with twelve people: four in Community, two
// in Local government, Gus alone in Public body, two in Third sector and
// three with no sector; Fran facilitates.
func sectorHub(t *testing.T) *session.Hub {
	h := newHub(t)
	people := []struct{ id, name, sector string }{
		{facilitator, "Fran", "Local government"}, {"SHA256:cy", "Cy", "Local government"},
		{ada, "Ada", "Community"}, {bob, "Bob", "Community"}, {"SHA256:dee", "Dee", "Community"}, {"SHA256:eve", "Eve", "Community"},
		{"SHA256:gus", "Gus", "Public body"}, {"SHA256:hal", "Hal", "Third sector"}, {"SHA256:ivy", "Ivy", "Third sector"},
		{"SHA256:jo", "Jo", ""}, {"SHA256:kim", "Kim", ""}, {"SHA256:lee", "Lee", ""},
	}
	for _, p := range people {
		if err := h.Do(context.Background(), p.id, session.Register{Name: p.name, Sector: p.sector}); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func must(t *testing.T, h *session.Hub, id string, cmd session.Command) {
	t.Helper()
	if err := h.Do(context.Background(), id, cmd); err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
}

// A ballot's results by sector on a participant's screen: Community and
// No sector given on their own, the small sectors counted together.
func TestGoldenResultsBySector(t *testing.T) {
	h := sectorHub(t)
	must(t, h, facilitator, session.GoToStep{To: 2})
	must(t, h, facilitator, session.OpenBallot{Texts: []string{"Meetings in working hours", "Too much jargon", "Nobody hears back"}})
	votes := map[string]map[int]int{
		facilitator: {1: 3, 2: 2}, "SHA256:cy": {2: 5}, ada: {1: 5}, bob: {1: 2, 3: 3}, "SHA256:dee": {3: 5}, "SHA256:eve": {2: 1, 3: 4},
		"SHA256:gus": {2: 5}, "SHA256:hal": {1: 1, 2: 4}, "SHA256:ivy": {3: 5}, "SHA256:jo": {1: 5}, "SHA256:kim": {2: 5}, "SHA256:lee": {3: 2},
	}
	for id, dots := range votes {
		must(t, h, id, session.CastVote{Ballot: 1, Dots: dots})
	}
	must(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		s := &screen{t: t, hub: h, m: tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])}
		s.typeText("s")
		sized(t, "results-by-sector", s.m, size[0], size[1])
	}
	s := open(t, h, ada)
	s.typeText("s")
	s.shows("Community · 4 voted", "No sector given · 3 voted", "Other sectors (Local government, Public body, Third sector) · 5 voted")
	if strings.Contains(s.m.View(), "Public body ·") {
		t.Errorf("Gus's sector is shown on its own:\n%s", s.m.View())
	}
}

// A ballot two people voted on shows no tally, and says why.
func TestGoldenTooFewVoted(t *testing.T) {
	h := sectorHub(t)
	must(t, h, facilitator, session.GoToStep{To: 2})
	must(t, h, facilitator, session.OpenBallot{Texts: []string{"Meetings in working hours", "Too much jargon"}})
	must(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 5}})
	must(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 5}})
	must(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		sized(t, "too-few-voted", tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1]), size[0], size[1])
	}
	open(t, h, ada).shows("Fewer than 3 people voted, so the tally is not shown")
	p := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", 80, 24).View()
	if !strings.Contains(p, "Fewer than 3 people voted") || strings.Contains(p, "█") {
		t.Errorf("the room's screen shows a tally of two:\n%s", p)
	}
}

// A statement's history with its closed check by sector.
func TestGoldenCheckBySector(t *testing.T) {
	h := sectorHub(t)
	must(t, h, facilitator, session.GoToStep{To: 3})
	must(t, h, facilitator, session.ProposeStatement{Text: "Meet at varied times, some in the evening"})
	must(t, h, facilitator, session.OpenCheck{Statement: 1})
	for id, level := range map[string]int{ada: 1, bob: 2, "SHA256:dee": 1, "SHA256:eve": 1, "SHA256:gus": 4, "SHA256:hal": 2, "SHA256:cy": 1} {
		must(t, h, id, session.Agree{Statement: 1, Level: level})
	}
	must(t, h, facilitator, session.CloseCheck{Statement: 1})
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		s := &screen{t: t, hub: h, m: tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])}
		s.key(tea.KeyEnter)
		if size[1] < 24 {
			for range 10 { // down to the check by sector
				s.key(tea.KeyDown)
			}
		}
		sized(t, "check-by-sector", s.m, size[0], size[1])
	}
}
