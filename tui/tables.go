package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

// Keys of a step at tables, and of what the tables brought back.
var (
	keyReport    = bind("R", "R", "tui.key.report", "tui.key.report.help", "R")
	keyBring     = bind("b", "b", "tui.key.bring", "tui.key.bring.help", "b")
	keyTableNext = bind("N", "N", "tui.key.table_next", "tui.key.table_next.help", "N")

	keyLook        = steer("Enter", "Enter", "tui.key.look", "tui.key.look.help", "enter")
	keyAllTables   = steer("Esc", "Esc", "tui.key.all_tables", "tui.key.all_tables.help", "esc")
	keyMakeTables  = steer("M", "M", "tui.key.make_tables", "tui.key.make_tables.help", "M")
	keyMoveSomeone = steer("m", "m", "tui.key.move_someone", "tui.key.move_someone.help", "m")

	keyBrought     = bind("B", "B", "tui.key.brought", "tui.key.brought.help", "B")
	keyToTheme     = steer("A", "A", "tui.key.to_theme", "tui.key.to_theme.help", "A")
	keyToStatement = steer("S", "S", "tui.key.to_statement", "tui.key.to_statement.help", "S")

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
			d.note, d.failed = t.m.p.T("tui.tables.move_to_bring", t.m.styles.keyName("↑/↓")), true
			return nil, true
		}
		id, back := sel.ID, !sel.BroughtBack
		return t.m.do(session.BringBack{Cards: []int64{id}, Back: back}, func(p *printer, _ *session.View) string {
			if back {
				return p.T("tui.tables.brought", id)
			}
			return p.T("tui.tables.not_brought", id)
		}), true
	case reporting && t.m.pressed(key, keyTableNext):
		id := tv.ID
		return t.m.do(session.CallNextSpeaker{Table: id}, func(p *printer, v *session.View) string {
			if now, ok := v.FindTable(id); ok && now.Speaker != "" {
				return p.T("tui.tables.floor", now.Speaker, now.Name)
			}
			return p.T("tui.tables.floor_next", tv.Name)
		}), true
	case t.own != nil && !tv.HasReporter && t.m.pressed(key, keyReport):
		return t.m.do(session.NameReporter{Person: t.m.identity}, func(p *printer, _ *session.View) string {
			return p.T("tui.tables.you_report", tv.Name)
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
	s, v, p := t.m.styles, t.m.view, t.m.p
	if len(v.CurrentTables()) == 0 {
		msg := p.T("tui.tables.none")
		if t.m.facilitator() {
			msg = p.T("tui.tables.none_make")
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
		line := s.text(p.T("tui.tables.looking", tv.Name) + s.sym.sep + tableActivity(p, v.Table(tv)))
		return s.once(&s.Strong, truncate(line, width)) + "\n" + t.inside.view(width, max(height-1, 3))
	}
	return t.overview(width, height)
}

// participantHead is a participant's table on two lines: its name, size
// and reporter; who sits there.
func (t *tableDialogue) participantHead(width int) []string {
	s, v, p := t.m.styles, t.m.view, t.m.p
	mine := v.MyTable()
	if mine == nil {
		return []string{s.once(&s.Muted, truncate(p.T("tui.tables.not_at_one"), width))}
	}
	tv := v.Table(mine)
	line := tv.Name + s.sym.sep + p.T("count.people", tv.People)
	switch {
	case tv.Reporting:
		line += s.sym.sep + p.T("tui.tables.you_report_here")
	case tv.Reporter != "":
		line += s.sym.sep + p.T("tui.tables.reports", tv.Reporter)
	default:
		line += s.sym.sep + p.T("tui.tables.no_reporter_yet")
	}
	names := slices.Clone(tv.Members)
	if me, ok := v.Me(); ok {
		if i := slices.Index(names, me.Name); i >= 0 {
			names[i] += " " + p.T("tui.card.yours")
		}
	}
	// Joined here, as catalogue.Commas would, so that the line is printed
	// once for everyone at the table.
	return []string{s.once(&s.Strong, truncate(s.text(line), width)), s.once(&s.Muted, truncate(p.T("tui.tables.with", strings.Join(names, p.T("sep.comma"))), width))}
}

// tableActivity is a table's size, reporter and activity on one line.
func tableActivity(p *printer, tv session.TableView) string {
	return tableSize(p, tv) + " · " + tableWork(p, tv)
}

// tableSize is how many sit at a table, and how many of them are here.
func tableSize(p *printer, tv session.TableView) string {
	if tv.Connected != nil {
		return p.T("tui.tables.people_here", tv.People, *tv.Connected)
	}
	return p.T("count.people", tv.People)
}

// tableWork is a table's cards, hands up and reporter.
func tableWork(p *printer, tv session.TableView) string {
	parts := []string{p.T("count.cards", tv.Cards)}
	if tv.BroughtBack > 0 {
		parts = append(parts, p.T("tui.tables.brought_count", tv.BroughtBack))
	}
	if tv.Hands > 0 {
		parts = append(parts, p.T("tui.tables.hands", tv.Hands))
	}
	switch {
	case tv.Reporter != "":
		parts = append(parts, p.T("tui.tables.reports", tv.Reporter))
	case !tv.HasReporter:
		parts = append(parts, p.T("tui.tables.no_reporter"))
	}
	return strings.Join(parts, " · ")
}

// overview is the facilitator's list of tables: each on three lines, its
// size, its activity and its mix of sectors.
func (t *tableDialogue) overview(width, height int) string {
	s, v, p := t.m.styles, t.m.view, t.m.p
	tables := v.CurrentTables()
	cards, brought, people := 0, 0, 0
	for _, tv := range tables {
		cards, brought, people = cards+tv.Cards, brought+tv.BroughtBack, people+tv.People
	}
	top := s.once(&s.Muted, truncate(s.text(strings.Join([]string{p.T("count.tables", len(tables)),
		p.T("count.people", people), p.T("count.cards", cards), "★ " + strconv.Itoa(brought)}, " · ")), width))
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
			mix = append(mix, p.T("tui.tables.sector_mix", session.SectorText(sec.Sector), sec.People))
		}
		lines = append(lines,
			marker+name+" "+s.Muted.Render(truncate(tableSize(p, full), max(width-lipgloss.Width(tv.Name)-3, 10))),
			"    "+s.Muted.Render(truncate(s.text(tableWork(p, full)), max(width-4, 10))),
			"    "+s.once(&s.Muted, truncate(s.text(strings.Join(mix, " · ")), max(width-4, 10))))
		if i == t.cursor {
			to = len(lines)
		}
	}
	return top + "\n" + s.window(t.m.p, lines, starts, from, to, max(height-1, 3))
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
	s, pr := p.m.styles, p.m.p
	step, groups, flat := p.cards()
	p.cursor = min(p.cursor, max(len(flat)-1, 0))
	title := s.once(&s.Strong, truncate(pr.T("tui.plenary.title", step), width))
	if len(flat) == 0 {
		return title + "\n" + s.wrap(&s.Muted, width, pr.T("tui.plenary.none"))
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
	return title + "\n" + s.window(pr, lines, starts, from, to, max(height-1, 1))
}
