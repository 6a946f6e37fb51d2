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

// pollHub is sectorHub's twelve with a poll step of its own at the end.
func pollHub(t *testing.T) *session.Hub {
	h := hubWith(t, func(f *session.Forum) {
		f.Steps = append(f.Steps, session.Step{Title: "How did it go?", Phase: session.Polling, Prompt: "A few questions before you go."})
	})
	for _, p := range twelve {
		must(t, h, p.id, session.Register{Name: p.name, Sector: p.sector})
	}
	return h
}

var twelve = []struct{ id, name, sector string }{
	{facilitator, "Fran", "Local government"}, {"SHA256:cy", "Cy", "Local government"},
	{ada, "Ada", "Community"}, {bob, "Bob", "Community"}, {"SHA256:dee", "Dee", "Community"}, {"SHA256:eve", "Eve", "Community"},
	{"SHA256:gus", "Gus", "Public body"}, {"SHA256:hal", "Hal", "Third sector"}, {"SHA256:ivy", "Ivy", "Third sector"},
	{"SHA256:jo", "Jo", ""}, {"SHA256:kim", "Kim", ""}, {"SHA256:lee", "Lee", ""},
}

func openPoll(t *testing.T, h *session.Hub, spec session.PollSpec) {
	t.Helper()
	must(t, h, facilitator, session.OpenPoll{Spec: spec})
}

// The ladder on a step of polls: a participant chooses a point with the
// keys; at the close every screen has the results, by sector with s.
func TestGoldenLadderPoll(t *testing.T) {
	h := pollHub(t)
	must(t, h, facilitator, session.GoToStep{To: 5})
	openPoll(t, h, session.PollSpec{Question: "Where does our practice sit, from doing to people to doing with them?", Kind: session.PollScale,
		Points: 5, Labels: []string{"doing to", "doing for", "doing with", "co-producing", "led by the community"}})
	s := open(t, h, ada)
	s.shows("Poll #1 · open · secret until it closes", "( )  1  doing to", "Enter answer")
	s.key(tea.KeyDown)
	s.key(tea.KeyDown)
	s.key(tea.KeyEnter)
	s.shows("saved ✓", "(●)  3  doing with  ← your answer")
	for _, size := range sizes {
		m := tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])
		seen(t, "poll-ladder-open", m, size[0], size[1])
	}
	fac := open(t, h, facilitator)
	fac.shows("1 person has answered")
	for i, p := range twelve {
		if p.id != ada {
			must(t, h, p.id, session.AnswerPoll{Poll: 1, Point: 1 + (i*7)%5})
		}
	}
	if strings.Contains(s.m.View(), "%") {
		t.Errorf("a secret poll shows a count while open:\n%s", s.m.View())
	}
	open := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", 80, 24)
	golden(t, "poll-ladder-projector-open-80x24", open.View())
	if strings.Contains(open.View(), "%") || !strings.Contains(open.View(), "12 people have answered") {
		t.Errorf("the room's screen during a secret poll:\n%s", open.View())
	}
	fac.typeText("C")
	fac.typeText("C")
	s.send(tui.SnapshotMsg{Snapshot: h.Snapshot()})
	s.shows("closed · final results", "12 people answered · mean", "you")
	for _, size := range sizes {
		m := tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])
		seen(t, "poll-ladder-results", m, size[0], size[1])
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
		seen(t, "poll-ladder-by-sector", m, size[0], size[1])
	}
	s.typeText("s")
	s.shows("Community · 4 answered", "Other sectors")
	if strings.Contains(s.m.View(), "Public body ·") {
		t.Errorf("Gus's sector is shown on its own:\n%s", s.m.View())
	}
	for _, size := range [][2]int{{80, 24}, {120, 30}} {
		p := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", size[0], size[1])
		golden(t, fmt.Sprintf("poll-ladder-projector-%dx%d", size[0], size[1]), p.View())
	}
}

// A multiple choice asked on a dialogue step takes the screen; Tab goes
// back to the cards.
func TestGoldenChoicePollOverADialogue(t *testing.T) {
	h := pollHub(t)
	must(t, h, facilitator, session.GoToStep{To: 1})
	must(t, h, bob, session.AddCard{Text: "Meetings in working hours"})
	s := open(t, h, ada)
	openPoll(t, h, session.PollSpec{Question: "Which should we work on first?", Kind: session.PollMultiple,
		Options: []string{"Housing", "Buses, trains and trams", "Parks and the river", "Youth clubs"}, Max: 2})
	s.send(tui.SnapshotMsg{Snapshot: h.Snapshot()})
	s.shows("Poll #1 · open", "pick up to 2", "[ ]  2  Buses, trains and trams", "space pick")
	s.key(tea.KeyDown)
	s.key(tea.KeySpace)
	s.key(tea.KeyDown)
	s.key(tea.KeySpace)
	s.key(tea.KeyDown)
	s.key(tea.KeySpace)
	s.shows("up to 2: take one off first")
	s.key(tea.KeyEnter)
	s.shows("saved ✓", "[●]  2  Buses, trains and trams  ← your answer", "[●]  3  Parks and the river  ← your answer")
	for _, size := range sizes {
		m := tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])
		seen(t, "poll-multiple-open", m, size[0], size[1])
	}
	s.key(tea.KeyTab)
	s.shows("Meetings in working hours")
	if strings.Contains(s.m.View(), "Poll #1 is open") {
		t.Errorf("Ada has answered, and is still told the poll waits for her:\n%s", s.m.View())
	}
	c := open(t, h, "SHA256:cy")
	c.key(tea.KeyTab)
	c.shows("Poll #1 is open: Which should we work on first? (Tab)", "Meetings in working hours")
}

// A words poll's results: the most frequent words and phrases as bars; an
// open poll's answers listed without names.
func TestGoldenWordsAndOpenPolls(t *testing.T) {
	h := pollHub(t)
	must(t, h, facilitator, session.GoToStep{To: 5})
	openPoll(t, h, session.PollSpec{Question: "One or two words for today", Kind: session.PollWords, Words: 2})
	openPoll(t, h, session.PollSpec{Question: "What will you take away?", Kind: session.PollOpen})
	words := []string{"More buses", "more bus", "Trust", "listening", "buses", "trust", "Listening", "more time", "Time", "trust", "buses", "hope"}
	for i, p := range twelve {
		must(t, h, p.id, session.AnswerPoll{Poll: 1, Text: words[i]})
		if i < 5 {
			must(t, h, p.id, session.AnswerPoll{Poll: 2, Text: fmt.Sprintf("Answer %c: ask the tenants before the plans are drawn", 'E'-rune(i))})
		}
	}
	s := open(t, h, ada)
	s.shows("Poll #2", "Your answer:", "Answer C: ask the tenants")
	s.typeText("[")
	s.shows("Poll #1", "Your answer:", "Trust")
	s.typeText("]")
	s.key(tea.KeyEnter)
	s.key(tea.KeyCtrlU) // the answer given before, cleared
	s.typeText("Talk to the bus company")
	s.key(tea.KeyEnter)
	s.shows("saved ✓")
	must(t, h, facilitator, session.ClosePoll{Poll: 1})
	must(t, h, facilitator, session.ClosePoll{Poll: 2})
	for _, size := range sizes {
		m := tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])
		seen(t, "poll-open-results", m, size[0], size[1])
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("[")})
		seen(t, "poll-words-results", m, size[0], size[1])
	}
	w := open(t, h, ada)
	w.shows("▪ Answer A: ask the tenants", "▪ Talk to the bus company")
	if strings.Contains(w.m.View(), "Answer C") {
		t.Errorf("Ada's first answer is still listed after she changed it:\n%s", w.m.View())
	}
	w.typeText("[")
	w.shows("bus", "trust", "more bus")
	if body, _, _ := strings.Cut(w.m.View(), "you are"); strings.Contains(body, "Fran") || strings.Contains(body, "Ada") || strings.Contains(body, "Bob") {
		t.Errorf("an open poll's answers name someone:\n%s", w.m.View())
	}
}

// The room's screen shows a poll asked on a dialogue step while it is
// open, its results once it closes, and the step's cards again once
// someone writes one.
func TestProjectorPollOverADialogue(t *testing.T) {
	h := pollHub(t)
	must(t, h, facilitator, session.GoToStep{To: 1})
	must(t, h, bob, session.AddCard{Text: "Meetings in working hours"})
	live := false
	openPoll(t, h, session.PollSpec{Question: "Which first?", Kind: session.PollChoice, Options: []string{"Housing", "Buses"}, Secret: &live})
	room := func() string {
		return tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", 80, 24).View()
	}
	if v := room(); !strings.Contains(v, "POLL #1 · OPEN · LIVE RESULTS") || strings.Contains(v, "Meetings in working hours") {
		t.Errorf("an open poll on the room's screen:\n%s", v)
	}
	for _, p := range twelve[:4] {
		must(t, h, p.id, session.AnswerPoll{Poll: 1, Choices: []int{2}})
	}
	if v := room(); !strings.Contains(v, "4 people answered") || !strings.Contains(v, "100%") {
		t.Errorf("a live poll's results on the room's screen:\n%s", v)
	}
	must(t, h, facilitator, session.ClosePoll{Poll: 1})
	if v := room(); !strings.Contains(v, "POLL #1 · CLOSED") {
		t.Errorf("a closed poll's results on the room's screen:\n%s", v)
	}
	must(t, h, ada, session.AddCard{Text: "Nobody hears back"})
	if v := room(); strings.Contains(v, "POLL") || !strings.Contains(v, "Nobody hears back") {
		t.Errorf("the room's screen after a card written since the poll closed:\n%s", v)
	}
}

// A live poll shows its results as they come, and until min_group have
// answered says why it shows none.
func TestLivePollSaysWhyNoResultsYet(t *testing.T) {
	h := pollHub(t)
	must(t, h, facilitator, session.GoToStep{To: 5})
	live := false
	openPoll(t, h, session.PollSpec{Question: "One word for today", Kind: session.PollWords, Secret: &live})
	s := open(t, h, ada)
	s.key(tea.KeyEnter)
	s.typeText("buses")
	s.key(tea.KeyEnter)
	s.shows("saved ✓", "The results show once 3 people have answered")
	for _, p := range twelve[3:5] {
		must(t, h, p.id, session.AnswerPoll{Poll: 1, Text: "more buses"})
	}
	s.send(tui.SnapshotMsg{Snapshot: h.Snapshot()})
	s.shows("3 people answered", "more buses")
}
