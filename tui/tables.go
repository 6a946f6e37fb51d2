package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

// Keys of a step at tables, and of what the tables brought back.
var (
	keyReport    = bind("R", "R report", "report for your table: you mark the cards it brings back to the room", "R")
	keyBring     = bind("b", "b bring back", "bring the selected card back to the room, or take it back (marked with a star)", "b")
	keyTableNext = bind("N", "N next speaker", "give the floor to the first hand up at the table", "N")

	keyLook        = steer("Enter", "Enter look in", "look into the selected table: its cards, as on any dialogue step", "enter")
	keyAllTables   = steer("Esc", "Esc all tables", "back to every table", "esc")
	keyMakeTables  = steer("M", "M make tables", "split the room into tables (opens tables make)", "M")
	keyMoveSomeone = steer("m", "m move someone", "move someone to the selected table (opens table move)", "m")

	keyBrought     = bind("B", "B brought back", "what the tables brought back, table by table (B again: back to the step)", "B")
	keyToTheme     = steer("A", "A theme", "put the selected card under a theme (opens theme assign)", "A")
	keyToStatement = steer("S", "S statement", "draft a statement in the selected card's words (opens propose)", "S")

	overviewKeys = []*keyDef{keyLook, keyDown, keyMakeTables, keyMoveSomeone, keyUp}
	plenaryKeys  = []*keyDef{keyDown, keyToStatement, keyToTheme, keyUnder, keyUp}
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
// a facilitator's while there are no tables, or the table a facilitator
// looks into; nil on the overview.
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

func (t *tableDialogue) keys() []*keyDef {
	d := t.active()
	switch {
	case d != nil && d.typing():
		return d.keys()
	case d == nil:
		return overviewKeys
	case t.own == nil && t.looking == 0:
		return append(slices.Clone(d.keys()), keyMakeTables)
	}
	var keys []*keyDef
	if t.looking != 0 {
		keys = append(keys, keyAllTables, keyBring, keyTableNext)
	} else if mine := t.m.view.MyTable(); mine != nil {
		switch tv := t.m.view.Table(mine); {
		case tv.Reporting:
			keys = append(keys, keyBring, keyTableNext)
		case !tv.HasReporter:
			keys = append(keys, keyReport)
		}
	}
	// Here N calls the table's next speaker, not the room's.
	return append(keys, slices.DeleteFunc(slices.Clone(d.keys()), func(k *keyDef) bool { return k == keyNextSpeaker })...)
}

func (t *tableDialogue) draft() *draft {
	if d := t.active(); d != nil {
		return d.draft()
	}
	return nil
}

func (t *tableDialogue) restore(k *draft) {
	if d := t.active(); d != nil {
		d.restore(k)
	}
}

func (t *tableDialogue) update(msg tea.Msg) (tea.Cmd, bool) {
	d := t.active()
	key, isKey := msg.(tea.KeyMsg)
	if !isKey {
		if _, ok := msg.(SnapshotMsg); ok {
			t.cursor = min(t.cursor, max(len(t.m.view.CurrentTables())-1, 0))
			if t.inside != nil && d != t.inside {
				t.inside.update(msg) // it keeps count of what its reader has seen
			}
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
	if t.looking != 0 && t.m.pressed(key, keyAllTables) {
		t.looking, t.inside = 0, nil
		return nil, true
	}
	if cmd, ok := t.tableKey(key, d); ok {
		return cmd, true
	}
	return d.update(msg)
}

// tableKey handles the keys of a table: bringing a card back, calling the
// next speaker, volunteering to report.
func (t *tableDialogue) tableKey(key tea.KeyMsg, d *dialogue) (tea.Cmd, bool) {
	v := t.m.view
	table := t.looking
	if mine := v.MyTable(); t.own != nil && mine != nil {
		table = mine.ID
	}
	tv, ok := v.FindTable(table)
	if !ok {
		return nil, false
	}
	reporting := t.m.facilitator() || v.Table(tv).Reporting
	switch {
	case reporting && t.m.pressed(key, keyBring):
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
	case reporting && t.m.pressed(key, keyTableNext):
		id := tv.ID
		return t.m.do(session.CallNextSpeaker{Table: id}, func(v *session.View) string {
			if now, ok := v.FindTable(id); ok && now.Speaker != "" {
				return now.Speaker + " has the floor at " + now.Name
			}
			return "the next at " + tv.Name + " has the floor"
		}), true
	case t.own != nil && !tv.HasReporter && t.m.pressed(key, keyReport):
		return t.m.do(session.NameReporter{Person: t.m.identity}, func(*session.View) string {
			return "you report for " + tv.Name + ": move to a card and press b to bring it back"
		}), true
	}
	return nil, false
}

func (t *tableDialogue) overviewKey(key tea.KeyMsg) (tea.Cmd, bool) {
	tables := t.m.view.CurrentTables()
	switch {
	case t.m.pressed(key, keyUp):
		t.cursor = max(t.cursor-1, 0)
	case t.m.pressed(key, keyDown):
		t.cursor = min(t.cursor+1, max(len(tables)-1, 0))
	case t.m.pressed(key, keyLook):
		if t.cursor < len(tables) {
			t.look(tables[t.cursor].ID)
		}
	case t.m.pressed(key, keyMakeTables):
		t.m.openInput("tables make ")
	case t.m.pressed(key, keyMoveSomeone):
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
			msg = "No tables yet: M makes them (tables make 4 --by-sector, or tables make --size 6)."
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
		line := s.text(fmt.Sprintf("Looking into %s · %s", tv.Name, tableActivity(v.Table(tv))))
		return s.once(&s.Strong, truncate(line, width)) + "\n" + t.inside.view(width, max(height-1, 3))
	}
	return t.overview(width, height)
}

// participantHead is a participant's table on two lines: its name, size
// and reporter; who sits there.
func (t *tableDialogue) participantHead(width int) []string {
	s, v := t.m.styles, t.m.view
	mine := v.MyTable()
	if mine == nil {
		return []string{s.once(&s.Muted, truncate("You are not at a table: you see the cards written for the whole room.", width))}
	}
	tv := v.Table(mine)
	line := fmt.Sprintf("%s · %s", tv.Name, session.Count(tv.People, "person", "people"))
	switch {
	case tv.Reporting:
		line += " · you report for the table"
	case tv.Reporter != "":
		line += " · " + tv.Reporter + " reports"
	default:
		line += " · no reporter yet"
	}
	names := slices.Clone(tv.Members)
	if me, ok := v.Me(); ok {
		if i := slices.Index(names, me.Name); i >= 0 {
			names[i] += " (you)"
		}
	}
	return []string{s.once(&s.Strong, truncate(s.text(line), width)), s.once(&s.Muted, truncate("with "+strings.Join(names, ", "), width))}
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
		parts = append(parts, fmt.Sprintf("★ %d brought back", tv.BroughtBack))
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

// overview is the facilitator's list of tables: each on three lines, its
// size, its activity and its mix of sectors.
func (t *tableDialogue) overview(width, height int) string {
	s, v := t.m.styles, t.m.view
	tables := v.CurrentTables()
	cards, brought, people := 0, 0, 0
	for _, tv := range tables {
		cards, brought, people = cards+tv.Cards, brought+tv.BroughtBack, people+tv.People
	}
	top := s.once(&s.Muted, truncate(s.text(fmt.Sprintf("%s · %s · %s · ★ %d", session.Count(len(tables), "table", "tables"),
		session.Count(people, "person", "people"), session.Count(cards, "card", "cards"), brought)), width))
	var lines []string
	var starts []int
	from, to := -1, -1
	for i, tv := range tables {
		starts = append(starts, len(lines))
		marker, name := "  ", tv.Name
		if i == t.cursor {
			marker, name, from = s.markSelected, s.Strong.Render(name), len(lines)
		}
		full := v.Table(tv)
		var mix []string
		for _, sec := range tv.Sectors {
			mix = append(mix, fmt.Sprintf("%s %d", session.SectorLabel(sec.Sector), sec.People))
		}
		lines = append(lines,
			marker+name+" "+s.Muted.Render(truncate(tableSize(full), max(width-lipgloss.Width(tv.Name)-3, 10))),
			"    "+s.Muted.Render(truncate(s.text(tableWork(full)), max(width-4, 10))),
			"    "+s.once(&s.Muted, truncate(s.text(strings.Join(mix, " · ")), max(width-4, 10))))
		if i == t.cursor {
			to = len(lines)
		}
	}
	return top + "\n" + s.window(lines, starts, from, to, max(height-1, 3))
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
	m := p.m
	switch {
	case m.pressed(key, keyUp):
		p.cursor = max(p.cursor-1, 0)
		return nil, true
	case m.pressed(key, keyDown):
		p.cursor = min(p.cursor+1, max(len(flat)-1, 0))
		return nil, true
	case len(flat) == 0:
		return nil, false
	case m.pressed(key, keyToTheme):
		m.openInput(fmt.Sprintf("theme assign  %d", flat[p.cursor].ID))
		m.input.SetCursor(len("theme assign "))
		return nil, true
	case m.pressed(key, keyToStatement):
		m.openInput("propose " + oneLine(flat[p.cursor].Text))
		return nil, true
	}
	return nil, false
}

func (p *plenary) view(width, height int) string {
	s := p.m.styles
	step, groups, flat := p.cards()
	p.cursor = min(p.cursor, max(len(flat)-1, 0))
	title := s.once(&s.Strong, truncate(fmt.Sprintf("Brought back from the tables (step %d)", step), width))
	if len(flat) == 0 {
		return title + "\n" + s.wrap(&s.Muted, width, "Nothing brought back yet: each table's reporter marks the cards to bring back (b).")
	}
	var lines []string
	var starts []int
	from, to, i := -1, -1, 0
	for _, g := range groups {
		lines = append(lines, s.once(&s.Selected, truncate(strings.ToUpper(g.Table.Name), width)))
		for _, c := range g.Cards {
			starts = append(starts, len(lines))
			marker := "  "
			if i == p.cursor {
				marker, from = s.markSelected, len(lines)
			}
			body := s.wrap(&s.Plain, max(width-6, 10), s.text(c.Text))
			for j, l := range strings.Split(body, "\n") {
				lead := marker + s.sym.star + " "
				if j > 0 {
					lead = "    "
				}
				lines = append(lines, lead+l)
			}
			if i == p.cursor {
				to = len(lines)
			}
			i++
		}
	}
	return title + "\n" + s.window(lines, starts, from, to, max(height-1, 1))
}
