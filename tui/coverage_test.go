package tui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/catalogue/cataloguetest"
	"moot/store"
	"moot/tui"
)

// coverage is a forum in the pseudo-locale and the screens that watch
// it: what each shows, at each size, must hold no English word but
// people's own and what is typed as it is.
type coverage struct {
	t   *testing.T
	f   cataloguetest.Fixtures
	hub *session.Hub
	// screens are the people's, by name; projector is the room's.
	screens   map[string]*screen
	order     []string
	projector tea.Model
	drawn     int
	// late draws the forum as of half a minute after its timebox ran out.
	late bool
}

// check draws every screen at every size, and with its help (?) open,
// and finds the words that are not the catalogue's.
func (c *coverage) check(what string) {
	c.t.Helper()
	snap := c.hub.Snapshot()
	if c.late {
		later := *snap
		later.Now = snap.Timer.EndsAt.Add(30 * time.Second)
		snap = &later
	}
	c.projector, _ = c.projector.Update(tui.SnapshotMsg{Snapshot: snap})
	for _, size := range sizes {
		c.look(what+", projector", c.projector, size)
		for _, name := range c.order {
			s := c.screens[name]
			s.m, _ = s.m.Update(tui.SnapshotMsg{Snapshot: snap})
			c.look(what+", "+name, s.m, size)
		}
	}
}

// sync gives every screen the forum as it now stands, as the
// subscriptions would.
func (c *coverage) sync() {
	for _, s := range c.screens {
		s.m, _ = s.m.Update(tui.SnapshotMsg{Snapshot: c.hub.Snapshot()})
	}
}

// help opens the help on each person's screen, checks it, and closes it.
func (c *coverage) help(what string) {
	c.t.Helper()
	for _, name := range c.order {
		c.screens[name].typeText("?")
	}
	c.check(what + ", help")
	for _, name := range c.order {
		c.screens[name].key(tea.KeyEsc)
	}
}

func (c *coverage) look(what string, m tea.Model, size [2]int) {
	c.t.Helper()
	text := onTerminal(m, size[0], size[1])
	c.drawn++
	// A person's words cut short to fit ("Third sect…") are still theirs.
	text = cutShort.ReplaceAllStringFunc(text, func(cut string) string {
		for w := range c.f {
			if strings.HasPrefix(w, strings.TrimSuffix(cut, "…")) {
				return "…"
			}
		}
		return cut
	})
	// The room's screen gives headings in capitals, people's words too.
	for w := range c.f {
		c.f[strings.ToUpper(w)] = true
	}
	if bad := c.f.Unaccented(text); len(bad) > 0 {
		c.t.Errorf("%s at %dx%d: uncatalogued words %q on:\n%s", what, size[0], size[1], bad, text)
	}
}

var cutShort = regexp.MustCompile(`\pL+…`)

// Under the pseudo-locale every word the screens show comes from the
// catalogue (en/tui.yaml, en/screens.yaml and the words every part
// shares), or is someone's own, or is typed as it is (a key's name, a
// command): the screens a newcomer, a participant at a table and a
// facilitator reach, and the room's projector, through a forum taken
// through every phase with tables and polls, with the help open and the
// messages that follow a key, at 80x24 and 40x15. The check finds
// English in any line, cut or wrapped: every letter of the catalogue's is
// accented under en-XA.
func TestScreensSayNoUncataloguedWord(t *testing.T) {
	f := cataloguetest.Fixtures{}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		fran = "SHA256:fran"
		cy   = "SHA256:cy"
		dee  = "SHA256:dee"
		eve  = "SHA256:eve"
		newb = "SHA256:newcomer"
	)
	forum := cataloguetest.Forum(f, fran)
	f.Fx("TABLE") // a command's placeholder, as its usage writes it (--to TABLE)
	// Typed as it is in every language: keys' names, and a single letter
	// is a key's (w write, q quit); the room's command to take part; what
	// a key puts on the command line.
	f.Fx("Enter Esc Tab space PgUp PgDn Home End Up Down Left Right Ctrl")
	for r := 'a'; r <= 'z'; r++ {
		f.Fx(string(r) + " " + strings.ToUpper(string(r)))
	}
	join := f.Fx("ssh -p 2222 riverside@host")
	f.Fx("poll results by sector")
	hub, err := session.NewHub(context.Background(), st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Stop(); st.Close() })
	do := func(id string, cmds ...session.Command) {
		t.Helper()
		for _, cmd := range cmds {
			must(t, hub, id, cmd)
		}
	}
	for _, p := range []struct{ id, name, sector string }{{fran, "Fran", "Community"}, {ada, "Ada", "Community"},
		{bob, "Bob", "Third sector"}, {cy, "Cy", "Community"}, {dee, "Dee", ""}, {eve, "Eve", "Third sector"}} {
		do(p.id, session.Register{Name: f.Fx(p.name), Sector: p.sector})
	}

	c := &coverage{t: t, f: f, hub: hub, screens: map[string]*screen{},
		projector: tui.NewProjector(hub.Snapshot(), tui.StylesFor(termenv.Ascii), join, 80, 24)}
	styles := tui.StylesFor(termenv.ANSI256)
	for _, v := range []struct{ name, id string }{{"participant", ada}, {"facilitator", fran}, {"newcomer", newb}} {
		c.screens[v.name] = &screen{t: t, hub: hub, m: tui.New(context.Background(), hub, v.id, styles, 80, 24)}
		c.order = append(c.order, v.name)
	}
	part, steer, newcomer := c.screens["participant"], c.screens["facilitator"], c.screens["newcomer"]

	// The lobby; a newcomer names themselves and chooses a sector, with a
	// rejoin code on screen.
	newcomer.m.(*tui.Model).ShowRejoinCode(f.Fx("k7mq-x3pa"))
	c.check("lobby")
	c.help("lobby")
	newcomer.typeText("[x]")
	newcomer.key(tea.KeyEnter) // a name refused
	c.check("a name refused")
	for range 3 {
		newcomer.key(tea.KeyBackspace)
	}
	newcomer.typeText(f.Fx("Gus"))
	newcomer.key(tea.KeyEnter)
	c.check("choosing a sector")
	newcomer.key(tea.KeyEnter)
	c.check("joined, the rejoin code pinned")
	newcomer.typeText("y")

	// A dialogue at tables, with a timebox, cards, themes and hands.
	do(fran, session.MakeTables{Count: 2})
	steer.typeText("n")
	c.sync()
	steer.typeText("t")
	c.check("a dialogue at tables")
	c.help("a dialogue at tables")
	part.typeText("w")
	part.typeText(f.Fx("Buses stop at six"))
	c.check("writing a card")
	part.key(tea.KeyEnter)
	part.typeText("R") // reports for her table
	part.typeText("h")
	c.check("a card saved, a hand up")
	do(bob, session.AddCard{Text: f.Fx("Too much jargon"), Anonymous: true})
	do(ada, session.AddCard{Text: f.Fx("Nobody hears back")}, session.EditCard{ID: 1, Text: f.Fx("Buses stop at six on weekdays")})
	do(fran, session.AddTheme{Name: f.Fx("Access")}, session.AddTheme{Name: f.Fx("Trust")},
		session.AssignCards{Theme: 1, Cards: []int64{1}}, session.AgreeTheme{Theme: 1, Agreed: true}, session.ParkCard{ID: 2, Parked: true})
	part.key(tea.KeyUp)
	part.typeText("b")
	c.check("a card brought back")
	part.typeText("e")
	c.check("editing a card")
	part.key(tea.KeyEsc)
	part.typeText("d")
	c.check("asked before withdrawing")
	part.typeText("x")
	part.typeText("f")
	c.check("cards filtered by theme")
	steer.key(tea.KeyEnter) // looks into a table
	c.check("a facilitator looking into a table")
	steer.typeText("N")
	c.check("the next speaker called")
	steer.key(tea.KeyEsc)
	c.late = true
	c.check("time is up")
	c.late = false
	steer.typeText("x")
	steer.typeText("q")
	c.check("asked before leaving")
	steer.typeText("z")
	steer.send(tui.InputRefusedMsg{Paste: true, Limit: 64 << 10})
	c.check("a paste refused")

	// Voting: the tables' points, a ballot open, then its results.
	steer.typeText("n")
	c.sync()
	c.check("voting, no ballot yet")
	steer.typeText("B")
	c.check("what the tables brought back")
	steer.typeText("B")
	do(fran, session.OpenBallot{Title: f.Fx("Which first?"), Texts: []string{f.Fx("Buses"), f.Fx("Jargon"), f.Fx("Parks")}, MaxPerItem: 3},
		session.OpenBallot{Title: f.Fx("And then?"), Texts: []string{f.Fx("Housing"), f.Fx("Roads")}})
	part.typeText("[")
	part.typeText("lll")
	c.check("spending dots")
	c.help("voting")
	part.typeText("llll")
	c.check("too many dots on one item")
	for i, id := range []string{bob, cy, dee, eve} {
		do(id, session.CastVote{Ballot: 1, Dots: map[int]int{i%3 + 1: 3, (i+1)%3 + 1: 2}})
	}
	steer.typeText("C")
	c.check("asked before closing a ballot")
	steer.typeText("C")
	part.typeText("s")
	c.check("results, and by sector")

	// Deliberation: statements, an amendment, a check, a record.
	steer.typeText("n")
	c.sync()
	c.check("deliberation, no statements")
	do(fran, session.ProposeStatement{Text: f.Fx("Meet at varied times"), Theme: 1}, session.ProposeStatement{Text: f.Fx("Say less"), Theme: 2})
	part.typeText("a")
	part.typeText(f.Fx(", some in the evening"))
	part.key(tea.KeyEnter)
	part.typeText("c")
	part.typeText(f.Fx("Which times?"))
	part.key(tea.KeyEnter)
	do(fran, session.OpenCheck{Statement: 1})
	c.check("a check open")
	c.help("a check open")
	part.typeText("1")
	for _, id := range []string{bob, cy} {
		do(id, session.Agree{Statement: 1, Level: 1})
	}
	do(dee, session.Agree{Statement: 1, Level: 5})
	c.check("levels given, one a block")
	part.key(tea.KeyEnter)
	c.check("a statement in full")
	part.key(tea.KeyEsc)
	do(dee, session.Agree{Statement: 1, Level: 2})
	do(fran, session.CloseCheck{Statement: 1}, session.RecordStatement{Statement: 1, Outcome: session.Agreed},
		session.AddAction{Statement: 1, Text: f.Fx("Publish a timetable"), Owners: []string{f.Fx("Council"), f.Fx("Library")}},
		session.RecordStatement{Statement: 2, Outcome: session.NotAgreed})
	part.typeText("w")
	c.check("proposing a statement")
	part.key(tea.KeyEsc)
	c.check("statements recorded")

	// Feedback on the draft report, and a revision.
	steer.typeText("n")
	c.sync()
	part.typeText("c")
	part.typeText(f.Fx("Say which evenings"))
	part.key(tea.KeyEnter)
	c.check("feedback given")
	steer.typeText("R")
	c.check("revising a statement")
	steer.key(tea.KeyEsc)
	do(fran, session.ReviseStatement{Statement: 1, Text: f.Fx("Meet on Tuesday evenings"), Reason: f.Fx("feedback asked")})
	part.key(tea.KeyEnter)
	c.check("a revised statement in full")
	part.key(tea.KeyEsc)

	// A step of polls of every kind.
	steer.typeText("n")
	c.sync()
	c.check("no poll yet")
	do(fran,
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Where do we sit?"), Kind: session.PollScale, Points: 5, Labels: []string{f.Fx("doing to"), f.Fx("doing with")}, Secret: new(false)}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Which two?"), Kind: session.PollMultiple, Options: []string{f.Fx("Housing"), f.Fx("Parks"), f.Fx("Roads")}, Max: 2}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("One word"), Kind: session.PollWords, Words: 1, Secret: new(false)}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Anything else?"), Kind: session.PollOpen}})
	c.check("polls open")
	part.typeText("jj")
	part.key(tea.KeyEnter)
	c.check("a scale answered")
	for _, id := range []string{bob, cy, dee} {
		do(id, session.AnswerPoll{Poll: 1, Point: 4}, session.AnswerPoll{Poll: 2, Choices: []int{1, 3}},
			session.AnswerPoll{Poll: 3, Text: f.Fx("buses")}, session.AnswerPoll{Poll: 4, Text: f.Fx("More buses please")})
	}
	part.typeText(" ")
	part.typeText("j ")
	part.typeText("j ")
	c.check("choosing too many")
	part.key(tea.KeyEnter)
	c.help("polls")
	for id := int64(1); id <= 4; id++ {
		do(fran, session.ClosePoll{Poll: id})
		part.typeText("]")
		c.check("a poll's results")
	}
	part.typeText("s")
	c.check("a poll's results by sector")

	// Archived, then closed.
	do(fran, session.ArchiveForum{Archived: true})
	c.check("archived")
	do(fran, session.ArchiveForum{})
	steer.typeText("n")
	c.sync()
	steer.typeText("n")
	c.sync()
	c.check("closed")

	if c.drawn < 300 {
		t.Fatalf("only %d screens drawn", c.drawn)
	}
}

// pseudoGoldens draws what drive leaves on Ada's and Fran's screens, each
// of them reading in the pseudo-locale (lang en-XA), at both sizes, and
// compares each with testdata/xa-NAME-ROLE-WxH.golden: English a third
// longer must leave every screen whole, no line wider than the terminal.
func pseudoGoldens(t *testing.T, h *session.Hub, name string, drive func(s *screen)) {
	t.Helper()
	for _, who := range []struct{ role, id string }{{"participant", ada}, {"facilitator", facilitator}} {
		must(t, h, who.id, session.ChooseLang{Lang: catalogue.Pseudo})
		for _, size := range sizes {
			s := &screen{t: t, hub: h, m: tui.New(context.Background(), h, who.id, tui.StylesFor(termenv.Ascii), size[0], size[1])}
			if drive != nil {
				drive(s)
			}
			// A timebox shows five minutes left, whenever the test runs.
			snap := *h.Snapshot()
			if !snap.Timer.EndsAt.IsZero() {
				snap.Now = snap.Timer.EndsAt.Add(-5 * time.Minute)
			}
			s.m, _ = s.m.Update(tui.SnapshotMsg{Snapshot: &snap})
			s.m, _ = s.m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for i, line := range strings.Split(s.m.View(), "\n") {
				if w := ansi.StringWidth(line); w > size[0] {
					t.Errorf("%s %s at %dx%d: line %d is %d cells wide: %q", name, who.role, size[0], size[1], i, w, ansi.Strip(line))
				}
			}
			golden(t, fmt.Sprintf("xa-%s-%s-%dx%d", name, who.role, size[0], size[1]), onTerminal(s.m, size[0], size[1]))
		}
	}
}

func TestGoldenPseudoLocale(t *testing.T) {
	t.Run("dialogue", func(t *testing.T) {
		h := roomHub(t)
		must(t, h, facilitator, session.GoToStep{To: 1})
		must(t, h, facilitator, session.AddTheme{Name: "Access"})
		for i, id := range []string{ada, bob, "SHA256:dee", facilitator} {
			must(t, h, id, session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers and shift workers cannot come", i+1)})
		}
		must(t, h, facilitator, session.AssignCards{Theme: 1, Cards: []int64{1, 2}})
		must(t, h, bob, session.RaiseHand{Raise: true})
		must(t, h, facilitator, session.StartTimer{Minutes: 10})
		pseudoGoldens(t, h, "dialogue", func(s *screen) { s.key(tea.KeyUp) })
	})
	t.Run("voting", func(t *testing.T) {
		pseudoGoldens(t, ballotHub(t), "voting", func(s *screen) { s.typeText("jj") })
	})
	t.Run("check", func(t *testing.T) {
		pseudoGoldens(t, checkHub(t), "check", func(s *screen) { s.typeText("jj") })
	})
	t.Run("help", func(t *testing.T) {
		h := roomHub(t)
		must(t, h, facilitator, session.GoToStep{To: 1})
		pseudoGoldens(t, h, "help", func(s *screen) { s.typeText("?") })
	})
}
