package tui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/agenda"
	"moot/store"
	"moot/tui"
)

// hubWith is the demo forum, changed, with Fran facilitating.
func hubWith(t *testing.T, change func(f *session.Forum)) *session.Hub {
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
	change(f)
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	return h
}

// seen draws a screen through a headless terminal, as a person sees it,
// and compares it with testdata/NAME-WxH.golden.
func seen(t *testing.T, name string, m tea.Model, width, height int) {
	t.Helper()
	text := onTerminal(m, width, height)
	golden(t, fmt.Sprintf("%s-%dx%d", name, width, height), text)
	checkScreen(t, name, text)
}

// tablesHub is the demo forum with its first step at tables: Fran
// facilitates; twelve people in four sectors sit at three tables balanced
// by sector, and each writes a card there.
func tablesHub(t *testing.T) *session.Hub {
	h := hubWith(t, func(f *session.Forum) { f.Steps[0].Tables = true })
	must(t, h, facilitator, session.Register{Name: "Fran", Sector: "Local government"})
	people := []struct{ id, name, sector string }{
		{ada, "Ada", "Community"}, {bob, "Bob", "Community"}, {"SHA256:cy", "Cy", "Local government"},
		{"SHA256:dee", "Dee", "Third sector"}, {"SHA256:eve", "Eve", "Community"}, {"SHA256:gus", "Gus", "Public body"},
		{"SHA256:hal", "Hal", "Third sector"}, {"SHA256:ivy", "Ivy", "Local government"}, {"SHA256:jo", "Jo", "Public body"},
		{"SHA256:kim", "Kim", "Third sector"}, {"SHA256:lee", "Lee", "Local government"}, {"SHA256:max", "Max", "Public body"},
	}
	for _, p := range people {
		must(t, h, p.id, session.Register{Name: p.name, Sector: p.sector})
	}
	must(t, h, facilitator, session.MakeTables{Count: 3, BySector: true})
	must(t, h, facilitator, session.GoToStep{To: 1})
	texts := []string{"The buses stop at six, so evening meetings are out for many of us",
		"Nobody tells us what happened to what we said last time", "Forms are written in council jargon",
		"Meetings are in working hours"}
	for i, p := range people {
		must(t, h, p.id, session.AddCard{Text: texts[i%len(texts)]})
	}
	return h
}

// A participant sees their table and its cards only; as its reporter they
// bring one back.
func TestGoldenTableParticipant(t *testing.T) {
	h := tablesHub(t)
	mine := h.Snapshot().ViewFor(ada).MyTable()
	for _, size := range sizes {
		seen(t, "table-participant", tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1]), size[0], size[1])
	}
	s := open(t, h, ada)
	s.shows(mine.Name, "no reporter yet", "R report")
	for _, c := range h.Snapshot().ViewFor(facilitator).StepCards(1) {
		onMine := c.Table != nil && c.Table.ID == mine.ID
		if got := strings.Contains(s.m.View(), fmt.Sprintf("#%d ", c.ID)); got != onMine {
			t.Errorf("card #%d (at %v) on Ada's screen: %v", c.ID, c.Table, got)
		}
	}
	s.typeText("R")
	s.shows("you report for the table", "b bring back", "N next speaker")
	s.key(tea.KeyUp) // the newest card of the table
	s.typeText("b")
	s.shows("★ brought back", "brought back to the room")
	for _, size := range sizes {
		m := tui.New(context.Background(), h, ada, tui.StylesFor(termenv.Ascii), size[0], size[1])
		m.Update(tea.KeyMsg{Type: tea.KeyUp})
		seen(t, "table-reporter", m, size[0], size[1])
	}
}

// The facilitator sees every table, and looks into one.
func TestGoldenTablesFacilitator(t *testing.T) {
	h := tablesHub(t)
	must(t, h, ada, session.NameReporter{Person: ada})
	must(t, h, ada, session.BringBack{Cards: []int64{1}, Back: true})
	for _, size := range sizes {
		seen(t, "tables-overview", tui.New(context.Background(), h, facilitator, tui.StylesFor(termenv.Ascii), size[0], size[1]), size[0], size[1])
	}
	s := open(t, h, facilitator)
	s.shows("3 tables · 12 people · 12 cards · ★ 1", "Ada reports")
	s.key(tea.KeyDown)
	s.key(tea.KeyEnter)
	second := h.Snapshot().ViewFor(facilitator).CurrentTables()[1]
	s.shows("Looking into "+second.Name, "Esc all tables")
	for _, c := range h.Snapshot().ViewFor(facilitator).StepCards(1) {
		at := c.Table != nil && c.Table.ID == second.ID
		if got := strings.Contains(s.m.View(), fmt.Sprintf("#%d ", c.ID)); got != at && c.ID < 10 {
			t.Errorf("card #%d (at %v) looking into %s: %v", c.ID, c.Table, second.Name, got)
		}
	}
	for _, size := range sizes {
		m := tui.New(context.Background(), h, facilitator, tui.StylesFor(termenv.Ascii), size[0], size[1])
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
		m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		seen(t, "table-look", m, size[0], size[1])
	}
	s.key(tea.KeyEsc)
	s.shows("Enter look in")
}

// On a later step everyone sees what the tables brought back (B), and the
// room's screen shows it while the step has no cards of its own.
func TestGoldenPlenary(t *testing.T) {
	h := hubWith(t, func(f *session.Forum) {
		f.Steps[0].Tables = true
		f.Steps = append(f.Steps[:1], append([]session.Step{{Title: "Report back", Phase: session.Dialogue, Prompt: "What did your table bring back?"}}, f.Steps[1:]...)...)
	})
	h2 := tablesHubOn(t, h)
	reporters := map[int64]bool{}
	for _, c := range h2.Snapshot().ViewFor(facilitator).StepCards(1) {
		if c.Table != nil && !reporters[c.Table.ID] {
			reporters[c.Table.ID] = true
			author := authorOf(t, h2, c.ID)
			must(t, h2, author, session.NameReporter{Person: author})
			must(t, h2, author, session.BringBack{Cards: []int64{c.ID}, Back: true})
		}
	}
	must(t, h2, facilitator, session.GoToStep{To: 2})
	s := open(t, h2, bob)
	s.shows("The tables brought back 3 points from step 1 (B shows them)")
	s.typeText("B")
	s.shows("Brought back from the tables (step 1)")
	for _, size := range sizes {
		m := tui.New(context.Background(), h2, bob, tui.StylesFor(termenv.Ascii), size[0], size[1])
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("B")})
		seen(t, "plenary", m, size[0], size[1])
	}
	p := tui.NewProjector(h2.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", 80, 24)
	golden(t, "plenary-projector-80x24", p.View())
	if !strings.Contains(p.View(), "BROUGHT BACK FROM THE TABLES") {
		t.Errorf("the room's screen does not show the points brought back:\n%s", p.View())
	}
	// A facilitator carries a point into a statement, as typed.
	f := open(t, h2, facilitator)
	f.typeText("B")
	f.typeText("S")
	f.shows(": propose ")
}

// tablesHubOn puts tablesHub's people, tables and cards on h.
func tablesHubOn(t *testing.T, h *session.Hub) *session.Hub {
	t.Helper()
	must(t, h, facilitator, session.Register{Name: "Fran", Sector: "Local government"})
	names := []string{"Ada", "Bob", "Cy", "Dee", "Eve", "Gus", "Hal", "Ivy", "Jo"}
	sectors := []string{"Community", "Third sector", "Local government"}
	for i, n := range names {
		id := "SHA256:" + strings.ToLower(n)
		must(t, h, id, session.Register{Name: n, Sector: sectors[i%3]})
	}
	must(t, h, facilitator, session.MakeTables{Count: 3, BySector: true})
	must(t, h, facilitator, session.GoToStep{To: 1})
	for i, n := range names {
		must(t, h, "SHA256:"+strings.ToLower(n), session.AddCard{Text: fmt.Sprintf("Point %d from the tables", i+1)})
	}
	return h
}

func authorOf(t *testing.T, h *session.Hub, card int64) string {
	t.Helper()
	c, _ := h.Snapshot().ViewFor(facilitator).FindCard(card)
	return "SHA256:" + strings.ToLower(c.Author)
}

// The room's screen on a step at tables: the tables and what each
// brought back.
func TestGoldenTablesProjector(t *testing.T) {
	h := tablesHub(t)
	must(t, h, ada, session.NameReporter{Person: ada})
	must(t, h, ada, session.BringBack{Cards: []int64{1}, Back: true})
	for _, size := range [][2]int{{80, 24}, {120, 30}} {
		p := tui.NewProjector(h.Snapshot(), tui.StylesFor(termenv.Ascii), "ssh -p 2222 demo@host", size[0], size[1])
		golden(t, fmt.Sprintf("tables-projector-%dx%d", size[0], size[1]), p.View())
		if strings.Contains(p.View(), "Ada") {
			t.Errorf("the room's screen names Ada:\n%s", p.View())
		}
	}
}
