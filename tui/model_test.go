package tui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/agenda"
	"moot/store"
	"moot/tui"
)

const (
	facilitator = "SHA256:facilitator"
	ada         = "SHA256:ada"
	bob         = "SHA256:bob"
)

func newHub(t *testing.T) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	f.Facilitators = []string{facilitator}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	return h
}

// screen drives a model as a program would: messages in, commands run to
// completion and their messages fed back, the hub's latest snapshot
// delivered as the subscription would.
type screen struct {
	t   *testing.T
	hub *session.Hub
	m   tea.Model
}

func open(t *testing.T, h *session.Hub, id string) *screen {
	return &screen{t: t, hub: h, m: tui.New(context.Background(), h, id, tui.StylesFor(termenv.Ascii), 80, 24)}
}

func (s *screen) send(msg tea.Msg) {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	s.run(cmd)
	s.m, _ = s.m.Update(tui.SnapshotMsg{Snapshot: s.hub.Snapshot()})
}

func (s *screen) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			s.run(c)
		}
	case nil:
	default:
		var next tea.Cmd
		s.m, next = s.m.Update(msg)
		s.run(next)
	}
}

func (s *screen) typeText(text string) { s.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)}) }
func (s *screen) key(k tea.KeyType)    { s.send(tea.KeyMsg{Type: k}) }

func (s *screen) shows(want ...string) {
	s.t.Helper()
	view := s.m.View()
	for _, w := range want {
		if !strings.Contains(view, w) {
			s.t.Fatalf("screen does not show %q:\n%s", w, view)
		}
	}
}

func TestNewcomerNamesThemselves(t *testing.T) {
	h := newHub(t)
	s := open(t, h, ada)
	s.shows("Welcome to Co-production in our town", "What name should others see?")
	s.key(tea.KeyEnter)
	s.shows("a name cannot be empty")
	s.typeText("Ada Lovelace") // a paste arrives as one message
	s.key(tea.KeyEnter)
	s.shows("Which sector are you part of?", "› Prefer not to say")
	s.key(tea.KeyDown) // wraps to the first sector
	s.key(tea.KeyEnter)
	s.shows("you are Ada Lovelace (Local government)", "Waiting to begin")
	if p, ok := h.Snapshot().Participant(ada); !ok || p.Name != "Ada Lovelace" || p.Sector != "Local government" {
		t.Errorf("hub has %+v, %v", p, ok)
	}
	// Returning with the same key skips the questions.
	open(t, h, ada).shows("you are Ada Lovelace")
}

func TestParticipantKeysDoNotSteer(t *testing.T) {
	h := newHub(t)
	if err := h.Do(context.Background(), ada, session.Register{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	s := open(t, h, ada)
	s.typeText("npt+x")
	if h.Snapshot().Step != 0 || h.Snapshot().Timer.Running() {
		t.Fatal("a participant's keys moved the forum")
	}
	s.typeText(":step next")
	s.key(tea.KeyEnter)
	s.shows("only a facilitator can do that")
	if h.Snapshot().Step != 0 {
		t.Fatal("a participant's command line moved the forum")
	}
}

func TestFacilitatorConsole(t *testing.T) {
	h := newHub(t)
	for id, name := range map[string]string{facilitator: "Fran", ada: "Ada"} {
		if err := h.Do(context.Background(), id, session.Register{Name: name, Sector: "Community"}); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, h, facilitator)
	s.shows("People 0/2", "Ada", "Fran", "n next step")
	s.typeText("nn") // two presses in one message: both count
	if got := h.Snapshot().Step; got != 2 {
		t.Fatalf("step = %d after nn, want 2", got)
	}
	s.shows("Step 2/4 · Voting", "Which barriers matter most?")
	s.typeText("t")
	s.shows("⏱ ", " left")
	s.typeText("g")
	s.shows(": step goto ")
	s.typeText("4")
	s.key(tea.KeyEnter)
	s.shows("Step 4/4 · Feedback", "Comments on the draft report", "step 4/4")
	s.typeText(":timer start 500")
	s.key(tea.KeyEnter)
	s.shows("minutes must be from 1 to 240")
	s.key(tea.KeyEsc)
	// n on the last step asks first; any other key keeps the forum open.
	s.typeText("n")
	s.shows("This is the last step: press n again to close the forum for everyone")
	s.typeText("x")
	if got := h.Snapshot().Step; got != 4 {
		t.Fatalf("step = %d after n then x on the last step, want 4", got)
	}
	s.typeText("n")
	s.typeText("n")
	s.shows("The forum has closed")
}

func TestSnapshotRedrawsWithoutKeys(t *testing.T) {
	h := newHub(t)
	if err := h.Do(context.Background(), ada, session.Register{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	s := open(t, h, ada)
	s.shows("Lobby")
	if err := h.Do(context.Background(), facilitator, session.GoToStep{To: 4}); err != nil {
		t.Fatal(err)
	}
	s.m, _ = s.m.Update(tui.SnapshotMsg{Snapshot: h.Snapshot()})
	s.shows("Step 4/4 · Feedback", "Comments on the draft report", "Draft report: 0 agreed statements")
}

func TestProfileFor(t *testing.T) {
	for _, c := range []struct {
		term string
		env  []string
		want termenv.Profile
	}{
		{"", nil, termenv.Ascii},
		{"dumb", nil, termenv.Ascii},
		{"xterm", nil, termenv.ANSI},
		{"xterm-256color", nil, termenv.ANSI256},
		{"xterm-256color", []string{"COLORTERM=truecolor"}, termenv.TrueColor},
		{"xterm-256color", []string{"NO_COLOR=1"}, termenv.Ascii},
	} {
		if got := tui.ProfileFor(c.term, c.env); got != c.want {
			t.Errorf("ProfileFor(%q, %v) = %v, want %v", c.term, c.env, got, c.want)
		}
	}
}

func dialogueHub(t *testing.T) *session.Hub {
	h := newHub(t)
	for id, name := range map[string]string{facilitator: "Fran", ada: "Ada", bob: "Bob"} {
		if err := h.Do(context.Background(), id, session.Register{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Do(context.Background(), facilitator, session.NextStep{}); err != nil {
		t.Fatal(err)
	}
	return h
}

func say(t *testing.T, h *session.Hub, id, text string) {
	t.Helper()
	if err := h.Do(context.Background(), id, session.AddCard{Text: text}); err != nil {
		t.Fatal(err)
	}
}

func TestWritingACard(t *testing.T) {
	h := dialogueHub(t)
	s := open(t, h, ada)
	s.shows("No cards yet: w writes the first.")
	s.typeText("wMeetings are in working hours") // w opens the composer; the rest is typed into it
	s.shows("New card", "Meetings are in working hours")
	s.key(tea.KeyEnter)
	s.shows("#1 Ada (you)", "Meetings are in working hours", "saved")
	if len(h.Snapshot().Cards) != 1 {
		t.Fatal("card not in the hub")
	}
	s.key(tea.KeyUp) // select it
	s.typeText("e")
	s.shows("Editing card #1")
	s.key(tea.KeyEnter)
	s.typeText("dd")
	s.shows("No cards yet")
	if h.Snapshot().Cards[0].Shown() {
		t.Error("withdrawn card still shown")
	}
}

func TestCardErrorsStayOnTheSendersScreen(t *testing.T) {
	h := dialogueHub(t)
	s := open(t, h, ada)
	s.typeText("w")
	s.key(tea.KeyEnter)
	s.shows("a card cannot be empty", "New card")
	for i := 0; i < session.CardBurst; i++ {
		say(t, h, ada, "flood")
	}
	s.typeText("one more")
	s.key(tea.KeyEnter)
	s.shows("wait", "New card")
}

// A reader who has moved up the list keeps their place while cards arrive,
// and is told how many are new.
func TestNewCardsDoNotMoveTheReader(t *testing.T) {
	h := dialogueHub(t)
	for i := 1; i <= 30; i++ {
		// Ten people, three cards each: within the rate limit.
		id := fmt.Sprintf("SHA256:p%d", i%10)
		if err := h.Do(context.Background(), id, session.Register{Name: fmt.Sprintf("P%d", i%10)}); err != nil {
			t.Fatal(err)
		}
		say(t, h, id, fmt.Sprintf("point number %d", i))
	}
	s := open(t, h, ada)
	s.shows("point number 30")
	for i := 0; i < 20; i++ {
		s.key(tea.KeyUp)
	}
	before := s.m.View()
	if !strings.Contains(before, "› ") {
		t.Fatalf("no selection shown:\n%s", before)
	}
	say(t, h, bob, "a brand new point")
	say(t, h, bob, "and another")
	s.send(nil)
	after := s.m.View()
	if line(before, "›") != line(after, "›") {
		t.Errorf("the selected card moved from line %d to %d", line(before, "›"), line(after, "›"))
	}
	s.shows("▼ 2 new")
	s.key(tea.KeyEnd)
	s.shows("and another")
	if strings.Contains(s.m.View(), "new (End") {
		t.Error("still counting new cards after End")
	}
}

func line(view, mark string) int {
	for i, l := range strings.Split(view, "\n") {
		if strings.Contains(l, mark) {
			return i
		}
	}
	return -1
}

func TestFacilitatorModeratesFromTheScreen(t *testing.T) {
	h := dialogueHub(t)
	say(t, h, ada, "keep this")
	say(t, h, bob, "park this")
	if err := h.Do(context.Background(), facilitator, session.AddTheme{Name: "Access"}); err != nil {
		t.Fatal(err)
	}
	s := open(t, h, facilitator)
	s.key(tea.KeyUp) // the newest: card 2
	s.typeText("P")
	s.shows("Parking lot (kept for later)")
	s.key(tea.KeyUp) // card 1
	s.typeText("A")
	s.shows(": theme assign  1")
	s.typeText("Access")
	s.key(tea.KeyEnter)
	s.shows("1 card under Access")
	if h.Snapshot().Cards[0].Theme != 1 {
		t.Fatal("card 1 not under Access")
	}
	s.typeText("H")
	s.shows(": hide 1 --reason ")
	s.typeText("off topic")
	s.key(tea.KeyEnter)
	s.shows("card #1 hidden")
	if strings.Contains(s.m.View(), "keep this") {
		t.Error("a hidden card is still on the facilitator's screen")
	}
}

func TestHandsOnScreen(t *testing.T) {
	h := dialogueHub(t)
	a := open(t, h, ada)
	a.typeText("h")
	a.shows("Your hand is up: number 1 in the queue")
	f := open(t, h, facilitator)
	f.shows("Hands up: 1", "1. Ada")
	f.typeText("N")
	a.send(nil)
	a.shows("You have the floor")
}

func TestTimeUpTellsTheFacilitator(t *testing.T) {
	h := dialogueHub(t)
	if err := h.Do(context.Background(), facilitator, session.StartTimer{Minutes: 1}); err != nil {
		t.Fatal(err)
	}
	f, a := open(t, h, facilitator), open(t, h, ada)
	snap := *h.Snapshot()
	snap.Now = snap.Timer.EndsAt.Add(30 * time.Second) // the hub's clock, half a minute past the end
	f.m, _ = f.m.Update(tui.SnapshotMsg{Snapshot: &snap})
	a.m, _ = a.m.Update(tui.SnapshotMsg{Snapshot: &snap})
	f.shows("Time is up for this step", "0:30 over time")
	a.shows("0:30 over time")
	if strings.Contains(a.m.View(), "Time is up") {
		t.Error("a participant is told to extend the timebox")
	}
}

func TestPainterCutsOnlyWhatIsTooWide(t *testing.T) {
	var out strings.Builder
	wide := strings.Repeat("界", 30) // 60 cells
	m := staticModel("short\n\x1b[1m" + strings.Repeat("x", 50) + "\x1b[0m\n" + wide)
	p := tui.NewPainter(m, &out, 40, 3)
	p.Init()
	got := out.String()
	if !strings.Contains(got, "short") || !strings.Contains(got, strings.Repeat("x", 40)) || strings.Contains(got, strings.Repeat("x", 41)) {
		t.Errorf("painted %q", got)
	}
	if strings.Contains(got, strings.Repeat("界", 21)) || !strings.Contains(got, strings.Repeat("界", 20)) {
		t.Errorf("wide line not cut at 40 cells: %q", got)
	}
	out.Reset()
	p.Update(nil) // nothing changed: nothing written
	if out.Len() != 0 {
		t.Errorf("an unchanged screen wrote %q", out.String())
	}
}

type staticModel string

func (s staticModel) Init() tea.Cmd                       { return nil }
func (s staticModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }
func (s staticModel) View() string                        { return string(s) }

// The command line (:) reads a line as an SSH command is read: the text is
// what was typed, quotes, apostrophes and backslashes kept.
func TestCommandLineTakesWordsAsTyped(t *testing.T) {
	h := newHub(t)
	for _, c := range []struct {
		who string
		cmd session.Command
	}{{ada, session.Register{Name: "Ada"}}, {facilitator, session.GoToStep{To: 1}}} {
		if err := h.Do(context.Background(), c.who, c.cmd); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, h, ada)
	typed := `It's late, "really" late \o/ -- isn't it?`
	s.typeText(":")
	s.typeText("say " + typed)
	s.key(tea.KeyEnter)
	s.shows("saved: card #1")
	if cards := h.Snapshot().Cards; len(cards) != 1 || cards[0].Text != typed {
		t.Errorf("cards: %+v", cards)
	}
}

// A name someone has already is refused when the newcomer joins, and the
// screen asks for another.
func TestNewcomerWithATakenNameIsAskedAgain(t *testing.T) {
	h := newHub(t)
	if err := h.Do(context.Background(), bob, session.Register{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	s := open(t, h, ada)
	s.typeText("ada")
	s.key(tea.KeyEnter)
	s.key(tea.KeyEnter) // no sector
	s.shows("someone here is already called Ada", "What name should others see?")
	s.typeText(" L")
	s.key(tea.KeyEnter)
	s.key(tea.KeyEnter)
	s.shows("you are ada L")
}
