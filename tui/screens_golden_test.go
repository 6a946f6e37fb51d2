package tui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/vt"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

// onTerminal draws m, sized width by height, through the Painter into a
// headless terminal and gives back the screen's text as a person sees it.
func onTerminal(m tea.Model, width, height int) string {
	m, _ = m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	emu := vt.NewEmulator(width, height)
	tui.NewPainter(m, emu, width, height).Init()
	return emu.String()
}

// sizes are the screens every golden is drawn at: a laptop's terminal and
// a phone's.
var sizes = [][2]int{{80, 24}, {40, 15}}

// roomHub is the demo forum with a facilitator and fourteen participants
// in four sectors.
func roomHub(t *testing.T) *session.Hub {
	h := sectorHub(t)
	for i, name := range []string{"Mo", "Nia", "Olu"} {
		must(t, h, fmt.Sprintf("SHA256:x%d", i), session.Register{Name: name, Sector: "Third sector"})
	}
	return h
}

// goldenScreens draws what make gives for Ada and for Fran at both sizes,
// and compares each with testdata/screen-NAME-ROLE-WxH.golden.
func goldenScreens(t *testing.T, h *session.Hub, name string, drive func(s *screen)) {
	t.Helper()
	for _, who := range []struct{ role, id string }{{"participant", ada}, {"facilitator", facilitator}} {
		for _, size := range sizes {
			s := &screen{t: t, hub: h, m: tui.New(context.Background(), h, who.id, tui.StylesFor(termenv.Ascii), size[0], size[1])}
			if drive != nil {
				drive(s)
			}
			text := onTerminal(s.m, size[0], size[1])
			golden(t, fmt.Sprintf("screen-%s-%s-%dx%d", name, who.role, size[0], size[1]), text)
			checkScreen(t, name+" "+who.role, text)
		}
	}
}

// checkScreen holds what every screen must show at any size: its title,
// where the forum is and the key for help.
func checkScreen(t *testing.T, name, text string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	if !strings.Contains(lines[0], "Co-production") && !strings.Contains(lines[0], "Co-prod") {
		t.Errorf("%s: the bar has no title:\n%s", name, text)
	}
	if !strings.Contains(lines[0], "Step ") && !strings.Contains(lines[0], "Lobby") && !strings.Contains(lines[0], "step ") {
		t.Errorf("%s: the bar does not say where the forum is:\n%s", name, text)
	}
	if !strings.Contains(text, "? keys") {
		t.Errorf("%s: no key for help:\n%s", name, text)
	}
}

func TestGoldenLobby(t *testing.T) {
	goldenScreens(t, roomHub(t), "lobby", nil)
}

func TestGoldenDialogueWithManyCards(t *testing.T) {
	h := roomHub(t)
	must(t, h, facilitator, session.GoToStep{To: 1})
	must(t, h, facilitator, session.AddTheme{Name: "Access"})
	must(t, h, facilitator, session.AddTheme{Name: "Trust"})
	ids := []string{ada, bob, "SHA256:dee", "SHA256:eve", "SHA256:gus", "SHA256:hal", facilitator, "SHA256:cy",
		"SHA256:ivy", "SHA256:jo", "SHA256:kim", "SHA256:lee", "SHA256:x0", "SHA256:x1", "SHA256:x2"}
	for i := 0; i < 30; i++ {
		must(t, h, ids[i%len(ids)], session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers and shift workers cannot come", i+1)})
	}
	for i := int64(1); i <= 30; i++ {
		if i%3 != 0 {
			must(t, h, facilitator, session.AssignCards{Theme: i%2 + 1, Cards: []int64{i}})
		}
	}
	must(t, h, bob, session.RaiseHand{Raise: true})
	goldenScreens(t, h, "dialogue", func(s *screen) {
		for range 4 {
			s.key(tea.KeyUp)
		}
	})
}

// A ballot of 35 items, Ada's dots on two of them.
func ballotHub(t *testing.T) *session.Hub {
	h := roomHub(t)
	must(t, h, facilitator, session.GoToStep{To: 2})
	items := make([]string, 35)
	for i := range items {
		items[i] = fmt.Sprintf("Barrier %d: meetings are held when carers and shift workers cannot come", i+1)
	}
	must(t, h, facilitator, session.OpenBallot{Texts: items})
	must(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{3: 2, 20: 1}})
	return h
}

func TestGoldenBallot(t *testing.T) {
	goldenScreens(t, ballotHub(t), "ballot", func(s *screen) {
		s.typeText("jj")
	})
}

func TestGoldenResults(t *testing.T) {
	h := ballotHub(t)
	for i, id := range []string{bob, "SHA256:dee", "SHA256:eve", "SHA256:gus", "SHA256:hal", "SHA256:ivy"} {
		must(t, h, id, session.CastVote{Ballot: 1, Dots: map[int]int{i + 1: 3, 30 + i%5: 2}})
	}
	must(t, h, facilitator, session.CloseBallot{Ballot: 1})
	goldenScreens(t, h, "results", nil)
}

// Three statements under two themes, one agreed with an action, a check
// open on the second with some responses.
func checkHub(t *testing.T) *session.Hub {
	h := roomHub(t)
	must(t, h, facilitator, session.AddTheme{Name: "Access"})
	must(t, h, facilitator, session.AddTheme{Name: "Trust"})
	must(t, h, facilitator, session.GoToStep{To: 3})
	must(t, h, facilitator, session.ProposeStatement{Text: "Meet at varied times, some in the evening", Theme: 1})
	must(t, h, bob, session.ProposeStatement{Text: "Publish every decision with the reasons for it, in plain words", Theme: 2})
	must(t, h, ada, session.ProposeStatement{Text: "Pay community members for their time", Theme: 1})
	must(t, h, facilitator, session.OpenCheck{Statement: 1})
	for _, id := range []string{ada, bob, "SHA256:dee"} {
		must(t, h, id, session.Agree{Statement: 1, Level: 1})
	}
	must(t, h, facilitator, session.CloseCheck{Statement: 1})
	must(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})
	must(t, h, facilitator, session.AddAction{Statement: 1, Text: "Publish a timetable", Owners: []string{"Council", "Library"}})
	must(t, h, bob, session.CommentOn{Statement: 2, Text: "Plain words matter most"})
	must(t, h, "SHA256:dee", session.ProposeAmendment{Statement: 2, Text: "Publish every decision and its reasons in plain words"})
	must(t, h, facilitator, session.OpenCheck{Statement: 2})
	for _, id := range []string{bob, "SHA256:eve", "SHA256:gus"} {
		must(t, h, id, session.Agree{Statement: 2, Level: 2})
	}
	return h
}

func TestGoldenDeliberationWithACheck(t *testing.T) {
	goldenScreens(t, checkHub(t), "deliberation", func(s *screen) {
		s.typeText("jj")
	})
}

func TestGoldenHistory(t *testing.T) {
	goldenScreens(t, checkHub(t), "history", func(s *screen) {
		s.typeText("jj")
		s.key(tea.KeyEnter)
	})
}

func TestGoldenFeedback(t *testing.T) {
	h := checkHub(t)
	must(t, h, facilitator, session.GoToStep{To: 4})
	must(t, h, bob, session.GiveFeedback{Statement: 1, Text: "Say which evenings"})
	goldenScreens(t, h, "feedback", nil)
}

func TestGoldenHelp(t *testing.T) {
	h := roomHub(t)
	must(t, h, facilitator, session.GoToStep{To: 1})
	goldenScreens(t, h, "help", func(s *screen) {
		s.typeText("?")
	})
}

// The room's screen, on the results of a ballot and on a dialogue.
func TestGoldenProjector(t *testing.T) {
	h := ballotHub(t)
	for i, id := range []string{bob, "SHA256:dee", "SHA256:eve", "SHA256:gus"} {
		must(t, h, id, session.CastVote{Ballot: 1, Dots: map[int]int{i + 1: 3, 30: 2}})
	}
	must(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, size := range sizes {
		p := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", size[0], size[1])
		text := onTerminal(p, size[0], size[1])
		golden(t, fmt.Sprintf("screen-projector-%dx%d", size[0], size[1]), text)
		if !strings.Contains(text, "step 2/4") {
			t.Errorf("the room's screen does not say where the forum is:\n%s", text)
		}
	}
}
