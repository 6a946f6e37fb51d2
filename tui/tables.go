package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

// A dialogue step at tables. A participant sees their table above the
// dialogue of its cards (which the view gives them alone); its reporter
// brings cards back (b) and calls the next speaker (N). A facilitator sees
// every table, its size, activity and mix of sectors, and looks into one
// (Enter) to read and moderate its cards as on any dialogue step.
type tableDialogue struct {
	m *Model
	// own is a participant's dialogue: their table's cards.
	own *dialogue
	// all is a facilitator's dialogue of every card, while there are no
	// tables.
	all *dialogue
	// A facilitator's: the table under the cursor, and the one looked
	// into (0: the overview) with its dialogue.
	cursor  int
	looking int64
	inside  *dialogue
	note    string
	failed  bool
}

func newTableDialogue(m *Model) *tableDialogue {
	t := &tableDialogue{m: m}
	if m.facilitator() {
		t.all = newDialogue(m)
	} else {
		t.own = newDialogue(m)
	}
	return t
}

// active is the dialogue that takes keys and snapshots: a participant's,
// or the table a facilitator looks into; nil on the overview.
func (t *tableDialogue) active() *dialogue {
	switch {
	case t.own != nil:
		return t.own
	case len(t.m.view.CurrentTables()) == 0:
		return t.all
	case t.looking != 0:
		return t.inside
	}
	return nil
}

func (t *tableDialogue) typing() bool {
	d := t.active()
	return d != nil && d.typing()
}

func (t *tableDialogue) update(msg tea.Msg) (tea.Cmd, bool) {
	d := t.active()
	key, isKey := msg.(tea.KeyMsg)
	if !isKey {
		if _, ok := msg.(SnapshotMsg); ok {
			t.cursor = min(t.cursor, max(len(t.m.view.CurrentTables())-1, 0))
		}
		if d != nil {
			return d.update(msg)
		}
		return nil, false
	}
	if d != nil && d.typing() {
		return d.update(msg)
	}
	if d == nil {
		return t.overviewKey(key)
	}
	if key.Type == tea.KeyEsc && t.looking != 0 {
		t.looking, t.inside = 0, nil
		return nil, true
	}
	if key.Type == tea.KeyRunes && len(key.Runes) == 1 {
		if cmd, ok := t.tableKey(key.Runes[0], d); ok {
			return cmd, true
		}
	}
	return d.update(msg)
}

// tableKey handles the keys of a table: bringing a card back, calling the
// next speaker, volunteering to report.
func (t *tableDialogue) tableKey(r rune, d *dialogue) (tea.Cmd, bool) {
	v := t.m.view
	table := t.looking
	if mine := v.MyTable(); t.own != nil && mine != nil {
		table = mine.ID
	}
	tv, ok := v.FindTable(table)
	if !ok {
		return nil, false
	}
	reporter := t.m.facilitator() || v.Table(tv).Reporting
	switch {
	case r == 'b' && reporter:
		sel := d.selectedCard()
		if sel == nil {
			d.note, d.failed = "move to a card (↑/↓) to bring it back", true
			return nil, true
		}
		id, back := sel.ID, !sel.BroughtBack
		return t.m.do(session.BringBack{Cards: []int64{id}, Back: back}, func(*session.View) string {
			if back {
				return fmt.Sprintf("card #%d brought back to the room", id)
			}
			return fmt.Sprintf("card #%d no longer brought back", id)
		}), true
	case r == 'N' && reporter:
		id := tv.ID
		return t.m.do(session.CallNextSpeaker{Table: id}, func(v *session.View) string {
			if now, ok := v.FindTable(id); ok && now.Speaker != "" {
				return now.Speaker + " has the floor at " + now.Name
			}
			return "the next at " + tv.Name + " has the floor"
		}), true
	case r == 'R' && t.own != nil && !tv.HasReporter:
		return t.m.do(session.NameReporter{Person: t.m.identity}, func(*session.View) string {
			return "you report for " + tv.Name + ": move to a card and press b to bring it back"
		}), true
	}
	return nil, false
}

func (t *tableDialogue) overviewKey(key tea.KeyMsg) (tea.Cmd, bool) {
	tables := t.m.view.CurrentTables()
	switch key.Type {
	case tea.KeyUp:
		t.cursor = max(t.cursor-1, 0)
		return nil, true
	case tea.KeyDown:
		t.cursor = min(t.cursor+1, max(len(tables)-1, 0))
		return nil, true
	case tea.KeyEnter:
		if t.cursor < len(tables) {
			t.look(tables[t.cursor].ID)
		}
		return nil, true
	case tea.KeyRunes:
	default:
		return nil, false
	}
	if len(key.Runes) != 1 {
		return nil, false
	}
	switch key.Runes[0] {
	case 'k':
		t.cursor = max(t.cursor-1, 0)
	case 'j':
		t.cursor = min(t.cursor+1, max(len(tables)-1, 0))
	case 'M':
		t.m.openInput("tables make ")
	case 'm':
		to := ""
		if t.cursor < len(tables) {
			to = fmt.Sprint(tables[t.cursor].ID)
		}
		t.m.openInput("table move  --to " + to)
		t.m.input.SetCursor(len("table move "))
	default:
		return nil, false
	}
	return nil, true
}

// look opens a table's cards for the facilitator.
func (t *tableDialogue) look(id int64) {
	step := t.m.view.Step()
	d := newDialogue(t.m)
	d.source = func() []*session.CardView { return t.m.view.TableCards(step, id) }
	d.seen = d.newest()
	t.looking, t.inside = id, d
}

func (t *tableDialogue) view(width, height int) string {
	s, v := t.m.styles, t.m.view
	if len(v.CurrentTables()) == 0 {
		msg := "No tables yet: everyone shares one wall of cards until the facilitator makes them."
		if t.m.facilitator() {
			msg = "No tables yet. Press M to make them (tables make 4 --by-sector, or tables make --size 6)."
		}
		head := s.wrap(&s.Muted, width, msg)
		return head + "\n" + t.active().view(width, max(height-lipgloss.Height(head), 3))
	}
	if t.own != nil {
		head := t.participantHead(width)
		if height < 12 {
			head = head[:1] // a short screen keeps its lines for the cards
		}
		return strings.Join(head, "\n") + "\n" + t.own.view(width, max(height-len(head), 3))
	}
	if t.looking != 0 {
		tv, _ := v.FindTable(t.looking)
		line := fmt.Sprintf("Looking into %s · %s", tv.Name, tableActivity(v.Table(tv)))
		keys := "Esc all tables · b bring back · N next speaker here"
		head := []string{s.once(&s.Strong, truncate(line, width)), s.once(&s.Muted, truncate(keys, width))}
		if height < 12 {
			head = head[:1]
		}
		return strings.Join(head, "\n") + "\n" + t.inside.view(width, max(height-len(head), 3))
	}
	return t.overview(width, height)
}

// participantHead is a participant's table on two lines: its name, size
// and reporter; who sits there, or what the reporter's keys do.
func (t *tableDialogue) participantHead(width int) []string {
	s, v := t.m.styles, t.m.view
	mine := v.MyTable()
	if mine == nil {
		return []string{s.once(&s.Muted, truncate("You are not at a table: you see the cards written for the whole room.", width))}
	}
	tv := v.Table(mine)
	line := fmt.Sprintf("%s · %s", tv.Name, session.Count(tv.People, "person", "people"))
	second := ""
	switch {
	case tv.Reporting:
		line += " · you report for the table"
		second = "b brings the selected card back (★) · N calls the next speaker here"
	case tv.Reporter != "":
		line += " · " + tv.Reporter + " reports"
	default:
		line += " · no reporter yet (R to report)"
	}
	if second == "" {
		names := slices.Clone(tv.Members)
		if me, ok := v.Me(); ok {
			if i := slices.Index(names, me.Name); i >= 0 {
				names[i] += " (you)"
			}
		}
		second = "with " + strings.Join(names, ", ")
	}
	return []string{s.once(&s.Strong, truncate(line, width)), s.once(&s.Muted, truncate(second, width))}
}

// tableActivity is a table's size, reporter and activity on one line.
func tableActivity(tv session.TableView) string {
	return tableSize(tv) + " · " + tableWork(tv)
}

// tableSize is how many sit at a table, and how many of them are here.
func tableSize(tv session.TableView) string {
	people := session.Count(tv.People, "person", "people")
	if tv.Connected != nil {
		people += fmt.Sprintf(" (%d here)", *tv.Connected)
	}
	return people
}

// tableWork is a table's cards, hands up and reporter.
func tableWork(tv session.TableView) string {
	parts := []string{session.Count(tv.Cards, "card", "cards")}
	if tv.BroughtBack > 0 {
		parts = append(parts, fmt.Sprintf("★ %d", tv.BroughtBack))
	}
	if tv.Hands > 0 {
		parts = append(parts, session.Count(tv.Hands, "hand", "hands"))
	}
	switch {
	case tv.Reporter != "":
		parts = append(parts, tv.Reporter+" reports")
	case !tv.HasReporter:
		parts = append(parts, "no reporter")
	}
	return strings.Join(parts, " · ")
}

// overview is the facilitator's list of tables: each on two lines, its
// activity and its mix of sectors.
func (t *tableDialogue) overview(width, height int) string {
	s, v := t.m.styles, t.m.view
	tables := v.CurrentTables()
	cards, brought, people := 0, 0, 0
	for _, tv := range tables {
		cards, brought, people = cards+tv.Cards, brought+tv.BroughtBack, people+tv.People
	}
	top := s.once(&s.Muted, truncate(fmt.Sprintf("%s · %s · %s · ★ %d", session.Count(len(tables), "table", "tables"),
		session.Count(people, "person", "people"), session.Count(cards, "card", "cards"), brought), width))
	keys := s.once(&s.Muted, truncate("↑/↓ move · Enter looks into a table · M make tables · m move someone · B brought back", width))
	var lines []string
	at := 0
	for i, tv := range tables {
		if i == t.cursor {
			at = len(lines)
		}
		marker := "  "
		name := tv.Name
		if i == t.cursor {
			marker, name = s.markSelected, s.Strong.Render(name)
		}
		full := v.Table(tv)
		lines = append(lines, marker+name+" "+s.Muted.Render(truncate(tableSize(full), max(width-lipgloss.Width(tv.Name)-3, 10))),
			"    "+s.Muted.Render(truncate(tableWork(full), max(width-4, 10))))
		var mix []string
		for _, sec := range tv.Sectors {
			mix = append(mix, fmt.Sprintf("%s %d", session.SectorLabel(sec.Sector), sec.People))
		}
		lines = append(lines, "    "+s.once(&s.Muted, truncate(strings.Join(mix, " · "), max(width-4, 10))))
	}
	lines = window(lines, at, at+3, max(height-2, 3))
	return top + "\n" + fill(lines, max(height-2, 3)) + "\n" + keys
}

// plenary shows what the tables brought back from a step, table by table:
// on the step itself and on the dialogue and deliberation steps after it.
// A facilitator carries a card into a theme (A) or a statement (S).
type plenary struct {
	m      *Model
	cursor int
}

// cards are the cards brought back, in the order shown.
func (p *plenary) cards() (step int, groups []session.TableCards, flat []*session.CardView) {
	v := p.m.view
	step = v.PlenaryStep(v.Step())
	groups = v.BroughtBack(step)
	for _, g := range groups {
		flat = append(flat, g.Cards...)
	}
	return step, groups, flat
}

func (p *plenary) update(key tea.KeyMsg) (tea.Cmd, bool) {
	_, _, flat := p.cards()
	p.cursor = min(p.cursor, max(len(flat)-1, 0))
	switch {
	case key.Type == tea.KeyUp || key.String() == "k":
		p.cursor = max(p.cursor-1, 0)
		return nil, true
	case key.Type == tea.KeyDown || key.String() == "j":
		p.cursor = min(p.cursor+1, max(len(flat)-1, 0))
		return nil, true
	}
	if !p.m.facilitator() || len(flat) == 0 || key.Type != tea.KeyRunes {
		return nil, false
	}
	c := flat[p.cursor]
	switch key.String() {
	case "A":
		p.m.openInput(fmt.Sprintf("theme assign  %d", c.ID))
		p.m.input.SetCursor(len("theme assign "))
	case "S":
		p.m.openInput("propose " + oneLine(c.Text))
	default:
		return nil, false
	}
	return nil, true
}

func (p *plenary) view(width, height int) string {
	s := p.m.styles
	step, groups, flat := p.cards()
	p.cursor = min(p.cursor, max(len(flat)-1, 0))
	title := s.once(&s.Strong, truncate(fmt.Sprintf("Brought back from the tables (step %d)", step), width))
	keys := "↑/↓ move · B back to the step"
	if p.m.facilitator() {
		keys = "↑/↓ move · A theme · S statement · B back"
	}
	if len(flat) == 0 {
		return title + "\n" + s.wrap(&s.Muted, width, "Nothing brought back yet: each table's reporter marks the cards to bring back (b).") + "\n" + s.once(&s.Muted, keys)
	}
	var lines []string
	at, atEnd, i := 0, 0, 0
	for _, g := range groups {
		lines = append(lines, s.once(&s.Selected, truncate(strings.ToUpper(g.Table.Name), width)))
		for _, c := range g.Cards {
			marker := "  "
			if i == p.cursor {
				marker, at = s.markSelected, len(lines)
			}
			body := s.wrap(&s.Plain, max(width-6, 10), c.Text)
			for j, l := range strings.Split(body, "\n") {
				lead := marker + "★ "
				if j > 0 {
					lead = "    "
				}
				lines = append(lines, lead+l)
			}
			if i == p.cursor {
				atEnd = len(lines)
			}
			i++
		}
	}
	lines = window(lines, at, atEnd, max(height-2, 1))
	return title + "\n" + fill(lines, max(height-2, 1)) + "\n" + s.once(&s.Muted, truncate(keys, width))
}
