package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

func init() {
	phaseModels[session.Dialogue] = func(m *Model) phaseModel {
		if m.view.Tabled(m.view.Step()) {
			return newTableDialogue(m) // tables.go
		}
		return newDialogue(m)
	}
}

// Keys of a dialogue step.
var (
	keyWrite    = bind("w", "w", "tui.key.write", "tui.key.write.help", "w")
	keyEdit     = bind("e", "e", "tui.key.edit", "tui.key.edit.help", "e")
	keyWithdraw = bind("d", "d", "tui.key.withdraw", "tui.key.withdraw.help", "d")
	keyHand     = bind("h", "h", "tui.key.hand", "tui.key.hand.help", "h")
	keyFilter   = bind("f", "f", "tui.key.filter", "tui.key.filter.help", "f")
	keyNewest   = bind(">/End", ">", "tui.key.newest", "tui.key.newest.help", ">", "end")
	keyFirst    = bind("</Home", "", "", "tui.key.first.help", "<", "home")
	keyAnon     = bind("Tab", "Tab", "tui.key.anon", "tui.key.anon.help", "tab")

	keyAssign      = steer("A", "A", "tui.key.assign", "tui.key.assign.help", "A")
	keyMerge       = steer("M", "M", "tui.key.merge", "tui.key.merge.help", "M")
	keyHide        = steer("H", "H", "tui.key.hide", "tui.key.hide.help", "H")
	keyPark        = steer("P", "P", "tui.key.park", "tui.key.park.help", "P")
	keyNewTheme    = steer("T", "T", "tui.key.new_theme", "tui.key.new_theme.help", "T")
	keyNextSpeaker = steer("N", "N", "tui.key.next_speaker", "tui.key.next_speaker.help", "N")

	dialogueKeys = []*keyDef{keyWrite, keyNextSpeaker, keyAssign, keyMerge, keyNewTheme, keyHide, keyPark,
		keyHand, keyDown, keyEdit, keyWithdraw, keyFilter, keyNewest, keyUp, keyFirst, keyPgUp, keyPgDown}
	cardKeys = []*keyDef{keySend, keyCancel, keyAnon}
)

// dialogue shows a dialogue step's cards, grouped by theme, and lets people
// write, edit and withdraw their own, raise a hand, and (facilitators)
// moderate.
type dialogue struct {
	m *Model
	// selected is the card the reader has moved to; 0 while they follow
	// the newest card.
	selected int64
	// row is where the selected card's first line was on screen, so that
	// cards arriving above it do not move it.
	row int
	// seen is the highest card number the reader has had in view; cards
	// above it are counted as new.
	seen int64
	// filter is the theme shown: 0 all, -1 cards with no theme.
	filter int64
	// composer is open while the person writes or edits a card.
	composer *textinput.Model
	editing  int64 // the card being edited, 0 when writing a new one
	anon     bool
	note     string
	failed   bool
	// confirm is the card whose withdrawal waits for a second d.
	confirm int64
	// source gives the cards to show, when they are not the step's as the
	// view gives them (one table's, looked into by a facilitator).
	source func() []*session.CardView
}

// cardSavedMsg answers a write or edit from the composer.
type cardSavedMsg struct{ err error }

func newDialogue(m *Model) *dialogue {
	d := &dialogue{m: m}
	d.seen = d.newest()
	return d
}

func (d *dialogue) typing() bool { return d.composer != nil }

func (d *dialogue) keys() []*keyDef {
	if d.composer == nil {
		return dialogueKeys
	}
	if d.m.view.Forum().AnonymousCards && d.editing == 0 {
		return cardKeys
	}
	return cardKeys[:2]
}

func (d *dialogue) draft() *draft {
	if d.composer == nil {
		return nil
	}
	return &draft{mode: "card", target: d.editing, text: d.composer.Value(), anon: d.anon}
}

func (d *dialogue) restore(k *draft) {
	d.open(k.target, k.text)
	d.anon = k.anon
}

// cards is what the reader sees: the step's cards in screen order, after
// the filter.
func (d *dialogue) cards() []*session.CardView {
	all := d.all()
	if d.filter == 0 {
		return all
	}
	out := all[:0:0]
	for _, c := range all {
		if (d.filter == -1 && c.Theme == nil && !c.Parked) || (d.filter > 0 && c.Theme != nil && c.Theme.ID == d.filter) {
			out = append(out, c)
		}
	}
	return out
}

// all is every card the dialogue shows, before the filter.
func (d *dialogue) all() []*session.CardView {
	if d.source != nil {
		return d.source()
	}
	return d.m.view.StepCards(d.m.view.Step())
}

func (d *dialogue) newest() int64 {
	var n int64
	for _, c := range d.all() {
		n = max(n, c.ID)
	}
	return n
}

func (d *dialogue) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		if d.selected != 0 && !d.visible(d.selected) {
			d.selected = 0 // hidden, withdrawn or merged away
		}
		if d.selected == 0 && d.composer == nil {
			d.seen = d.newest()
		}
		return nil, true
	case cardSavedMsg:
		if msg.err != nil {
			d.note, d.failed = d.m.p.Error(msg.err), true
			return nil, true
		}
		d.note, d.failed = d.m.p.T("tui.saved"), false
		if d.editing == 0 {
			d.selected = 0 // show the new card
		}
		if d.selected == 0 {
			// Following again: what is on the screen now has been seen,
			// one's own new card included.
			d.seen = max(d.seen, d.newest())
		}
		d.composer, d.editing = nil, 0
		return nil, true
	case tea.KeyMsg:
		if d.composer != nil {
			return d.compose(msg), true
		}
		return d.key(msg)
	}
	return nil, false
}

func (d *dialogue) visible(id int64) bool {
	for _, c := range d.cards() {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (d *dialogue) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	confirm := d.confirm
	d.confirm = 0
	cards := d.cards()
	m := d.m
	sel := d.selectedCard()
	switch {
	case m.pressed(msg, keyUp):
		d.move(cards, -1)
	case m.pressed(msg, keyDown):
		d.move(cards, 1)
	case m.pressed(msg, keyPgUp):
		d.move(cards, -5)
	case m.pressed(msg, keyPgDown):
		d.move(cards, 5)
	case m.pressed(msg, keyNewest):
		d.selected, d.seen = 0, d.newest()
	case m.pressed(msg, keyFirst):
		if len(cards) > 0 {
			d.selected, d.row = cards[0].ID, 0
		}
	case m.pressed(msg, keyWrite):
		d.open(0, "")
	case m.pressed(msg, keyEdit):
		if sel == nil || !m.view.Mine(sel) {
			d.note, d.failed = m.p.T("tui.card.move_to_edit", m.styles.keyName("↑/↓")), true
			return nil, true
		}
		d.open(sel.ID, sel.Text)
	case m.pressed(msg, keyWithdraw):
		if sel == nil || !m.view.Mine(sel) {
			d.note, d.failed = m.p.T("tui.card.move_to_withdraw", m.styles.keyName("↑/↓")), true
			return nil, true
		}
		if confirm != sel.ID {
			d.confirm = sel.ID
			d.note, d.failed = m.p.T("tui.card.confirm_withdraw", sel.ID), false
			return nil, true
		}
		id := sel.ID
		return m.do(session.WithdrawCard{ID: id}, func(p *printer, _ *session.View) string { return p.T("tui.card.withdrawn", id) }), true
	case m.pressed(msg, keyHand):
		if m.view.MyHand() > 0 {
			return m.do(session.RaiseHand{}, func(p *printer, _ *session.View) string { return p.T("tui.hand.down") }), true
		}
		return m.do(session.RaiseHand{Raise: true}, func(p *printer, v *session.View) string {
			return p.T("tui.hand.up", v.MyHand())
		}), true
	case m.pressed(msg, keyFilter):
		d.cycleFilter()
	case m.pressed(msg, keyNextSpeaker):
		return m.do(session.CallNextSpeaker{}, func(p *printer, v *session.View) string { return p.T("tui.hand.floor", v.Speaker()) }), true
	case m.pressed(msg, keyNewTheme):
		m.openInput("theme add ")
	case sel == nil && (m.pressed(msg, keyAssign) || m.pressed(msg, keyHide) || m.pressed(msg, keyPark) || m.pressed(msg, keyMerge)):
		d.note, d.failed = m.p.T("tui.card.move_first", m.styles.keyName("↑/↓")), true
	case m.pressed(msg, keyAssign):
		m.openInput(fmt.Sprintf("theme assign  %d", sel.ID))
		m.input.SetCursor(len("theme assign "))
	case m.pressed(msg, keyHide):
		m.openInput(fmt.Sprintf("hide %d --reason ", sel.ID))
	case m.pressed(msg, keyPark):
		id := sel.ID
		if sel.Parked {
			return m.do(session.ParkCard{ID: id}, func(p *printer, _ *session.View) string { return p.T("tui.card.unparked", id) }), true
		}
		return m.do(session.ParkCard{ID: id, Parked: true}, func(p *printer, _ *session.View) string { return p.T("tui.card.parked", id) }), true
	case m.pressed(msg, keyMerge):
		m.openInput(fmt.Sprintf("merge %d ", sel.ID))
	default:
		return nil, false
	}
	return nil, true
}

func (d *dialogue) selectedCard() *session.CardView {
	if d.selected == 0 {
		return nil
	}
	for _, c := range d.cards() {
		if c.ID == d.selected {
			return c
		}
	}
	return nil
}

// move steps the selection through the cards; from following, the first
// step up lands on the newest card.
func (d *dialogue) move(cards []*session.CardView, by int) {
	if len(cards) == 0 {
		return
	}
	at := -1
	for i, c := range cards {
		if c.ID == d.selected {
			at = i
		}
	}
	if at == -1 {
		at = len(cards)
		for i, c := range cards {
			if c.ID == d.newest() {
				at = i
			}
		}
		by = 0
	}
	at = min(max(at+by, 0), len(cards)-1)
	d.selected = cards[at].ID
	d.seen = max(d.seen, d.selected)
}

// cycleFilter shows all cards, then each theme's in turn, then those with
// no theme, then all again.
func (d *dialogue) cycleFilter() {
	options := []int64{0}
	for _, t := range d.m.view.Themes() {
		options = append(options, t.ID)
	}
	options = append(options, -1)
	next := 0
	for i, o := range options {
		if o == d.filter {
			next = (i + 1) % len(options)
		}
	}
	d.filter, d.selected = options[next], 0
}

func (d *dialogue) open(editing int64, text string) {
	d.m.openInput(text)
	d.composer, d.m.input = d.m.input, nil
	d.composer.Prompt = "› "
	d.composer.Placeholder = d.m.p.T("tui.card.placeholder", session.MaxCardLength)
	d.composer.CharLimit = session.MaxCardLength
	d.editing, d.note = editing, ""
}

func (d *dialogue) compose(msg tea.KeyMsg) tea.Cmd {
	switch {
	case d.m.pressed(msg, keyCancel):
		d.composer, d.editing, d.note = nil, 0, ""
		return nil
	case d.m.pressed(msg, keyAnon):
		if d.m.view.Forum().AnonymousCards && d.editing == 0 {
			d.anon = !d.anon
		}
		return nil
	case d.m.pressed(msg, keySend):
		hub, ctx, id := d.m.hub, d.m.ctx, d.m.identity
		var cmd session.Command = session.AddCard{Text: d.composer.Value(), Anonymous: d.anon}
		if d.editing != 0 {
			cmd = session.EditCard{ID: d.editing, Text: d.composer.Value()}
		}
		return func() tea.Msg { return cardSavedMsg{err: hub.Do(ctx, id, cmd)} }
	}
	ti, cmd := d.composer.Update(msg)
	d.composer = &ti
	return cmd
}

// view draws the status line, the cards and, while writing, the composer.
func (d *dialogue) view(width, height int) string {
	s, v, p := d.m.styles, d.m.view, d.m.p
	cards := d.cards()

	var top []string
	status := p.T("count.cards", len(cards))
	if d.filter != 0 {
		status += s.sym.sep + p.T("tui.cards.filtered", truncate(d.filterName(), max(width/3, 12)))
	} else if len(v.Themes()) > 0 {
		status += s.sym.sep + p.T("tui.cards.filter_how")
	}
	if n := len(v.Hands()); n > 0 {
		status += s.sym.sep + p.T("tui.cards.hands", n)
	}
	top = append(top, s.once(&s.Muted, truncate(status, width)))
	if v.HasFloor() {
		top = append(top, s.wrap(&s.OK, width, p.T("tui.hand.your_floor")))
	} else if pos := v.MyHand(); pos > 0 {
		top = append(top, s.wrap(&s.OK, width, p.T("tui.hand.yours_up", pos)))
	}

	var bottom []string
	newCount := 0
	for _, c := range cards {
		if c.ID > d.seen {
			newCount++
		}
	}
	if newCount > 0 {
		bottom = append(bottom, s.once(&s.Selected, truncate(s.sym.newBelow+" "+p.T("tui.cards.new", newCount), width)))
	}
	if d.note != "" {
		style := &s.Muted
		if d.failed {
			style = &s.Error
		}
		bottom = append(bottom, s.wrap(style, width, d.note))
	}
	if d.composer != nil {
		label := p.T("tui.card.new")
		if d.editing != 0 {
			label = p.T("tui.card.editing", d.editing)
		}
		if d.anon {
			label = p.T("tui.card.anonymous", label)
		}
		label = truncate(label, width)
		d.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, label), d.composer.View())
	}

	listHeight := height - lipgloss.Height(strings.Join(top, "\n")) - lipgloss.Height(strings.Join(bottom, "\n"))
	if len(bottom) == 0 {
		listHeight = height - lipgloss.Height(strings.Join(top, "\n"))
	}
	out := strings.Join(top, "\n") + "\n" + d.list(cards, width, max(listHeight, 1))
	if len(bottom) > 0 {
		out += "\n" + strings.Join(bottom, "\n")
	}
	return out
}

func (d *dialogue) filterName() string {
	if d.filter == -1 {
		return d.m.p.T("tui.cards.no_theme")
	}
	if t, ok := d.m.view.FindTheme(d.filter); ok {
		return t.Name
	}
	return "?"
}

// list lays the cards out under their theme headings and shows the window
// of lines that keeps the reader's place. Where each card lies is worked
// out once for every screen that shows the same cards at the same width
// (cardList); only the lines in the window are put together.
func (d *dialogue) list(cards []*session.CardView, width, height int) string {
	s := d.m.styles
	if len(cards) == 0 {
		msg := d.m.p.T("tui.cards.none")
		if d.filter != 0 {
			msg = d.m.p.T("tui.cards.none_in_theme")
		}
		msg = s.wrap(&s.Muted, width, msg)
		return msg + strings.Repeat("\n", max(height-lipgloss.Height(msg), 0))
	}
	all := d.m.view.StepCards(d.m.view.Step())
	key := cardListKey{cards: all[0], p: d.m.p, count: len(all), filter: d.filter, width: width}
	l := s.cardLists.get(key, func() *cardList { return d.layOut(cards, width) })
	selStart, selEnd, newestStart, newestEnd := -1, -1, -1, -1
	if i, ok := l.index[d.selected]; ok && d.selected != 0 {
		p := l.pieces[i]
		selStart, selEnd = p.start, p.start+p.lines
	}
	if i, ok := l.index[d.newest()]; ok {
		p := l.pieces[i]
		newestStart, newestEnd = p.start, p.start+p.lines
	}

	var at placed
	if selStart >= 0 {
		at = place(l.total, l.starts, selStart, selEnd, selStart-d.row, height)
		d.row = selStart - at.offset
	} else {
		// Following: keep the newest card in view, at the foot.
		at = place(l.total, l.starts, newestStart, newestEnd, alignEnd, height)
	}
	offset, shown := at.offset, at.shown

	out := make([]string, 0, shown)
	// The first piece that reaches into the window, then on until it is
	// full.
	first := sort.Search(len(l.pieces), func(i int) bool { return l.pieces[i].start+l.pieces[i].lines > offset })
	for _, p := range l.pieces[first:] {
		if len(out) >= shown {
			break
		}
		var lines []string
		if p.card == nil {
			lines = []string{d.heading(p.group, width)}
		} else {
			lines = d.cardBody(p.card, width)
		}
		for i, line := range lines {
			if p.start+i < offset || len(out) >= shown {
				continue
			}
			if p.card != nil {
				line = d.marker(p.card, i) + line
			}
			out = append(out, line)
		}
	}
	return s.more(d.m.p, at, out, height)
}

// cardListKey names a list of cards: a step's cards as an audience sees
// them in one snapshot (the same slice for every screen of that audience),
// under a filter, at a width.
type cardListKey struct {
	cards  *session.CardView
	p      *printer
	count  int
	filter int64
	width  int
}

// cardList is how a list of cards lies in lines: a piece is a group's
// heading (one line) or a card's lines, in order. It is the same on every
// screen that shows the list: a card takes as many lines whoever reads it
// (its author's own mark is on its first line).
type cardList struct {
	pieces []cardPiece
	// starts holds where each card begins, total how many lines all take.
	starts []int
	total  int
	// index finds a card's piece by its number.
	index map[int64]int
}

type cardPiece struct {
	card         *session.CardView // nil for a heading
	group        int64
	start, lines int
}

// layOut works out where each of the cards lies, under its group's
// heading.
func (d *dialogue) layOut(cards []*session.CardView, width int) *cardList {
	l := &cardList{
		pieces: make([]cardPiece, 0, len(cards)+len(d.m.view.Themes())+2),
		starts: make([]int, 0, len(cards)),
		index:  make(map[int64]int, len(cards)),
	}
	group := int64(-3)
	for _, c := range cards {
		if g := groupOf(c); g != group {
			group = g
			l.pieces = append(l.pieces, cardPiece{group: g, start: l.total, lines: 1})
			l.total++
		}
		n := len(d.cardBody(c, width))
		l.starts = append(l.starts, l.total)
		l.index[c.ID] = len(l.pieces)
		l.pieces = append(l.pieces, cardPiece{card: c, group: group, start: l.total, lines: n})
		l.total += n
	}
	return l
}

// Groups of cards in the list, besides themes (by their IDs).
const (
	groupNoTheme = int64(-1)
	groupParked  = int64(-2)
)

func groupOf(c *session.CardView) int64 {
	switch {
	case c.Parked:
		return groupParked
	case c.Theme == nil:
		return groupNoTheme
	}
	return c.Theme.ID
}

// groupHeading is the plain text of a group's heading.
func groupHeading(p *printer, v *session.View, group int64) string {
	switch group {
	case groupParked:
		return p.T("tui.cards.parking_lot")
	case groupNoTheme:
		return p.T("tui.cards.no_theme_yet")
	}
	if t, ok := v.FindTheme(group); ok {
		if t.Agreed {
			return p.T("tui.cards.theme_agreed", t.Name)
		}
		return t.Name
	}
	return p.T("tui.cards.no_theme_yet")
}

// heading is a group's heading on one line: a long theme name is
// shortened to the width (themes and the report give it in full).
func (d *dialogue) heading(group int64, width int) string {
	s, text := d.m.styles, truncate(groupHeading(d.m.p, d.m.view, group), width)
	return s.once(&s.Strong, text)
}

// marker is what stands before a card's line i: the selection, or a dot on
// a card the reader has not seen yet.
func (d *dialogue) marker(c *session.CardView, line int) string {
	switch {
	case line > 0:
		return "  "
	case c.ID == d.selected:
		return d.m.styles.markSelected
	case c.ID > d.seen:
		return d.m.styles.markNew
	}
	return "  "
}

type cardKey struct {
	card  session.Stamp
	p     *printer
	width int
	mine  bool
}

// cardBody draws one card: its number, who wrote it and the text, wrapped
// to width. It is the same on every screen that shows the card, but for
// "(you)" on the author's, so it is drawn once per width and kept until the
// card or someone's name changes (its stamp).
func (d *dialogue) cardBody(c *session.CardView, width int) []string {
	s := d.m.styles
	p := d.m.p
	key := cardKey{card: c.Stamp(), p: p, width: width, mine: d.m.view.Mine(c)}
	return s.cardLines.get(key, func() []string {
		var who []string
		if c.Anonymous {
			who = []string{p.T("tui.card.by_anonymous")}
		} else {
			who = c.Credits
		}
		tail := ""
		if key.mine {
			tail += " " + p.T("tui.card.yours")
		}
		if c.Edited {
			tail += p.T("tui.card.edited")
		}
		if c.BroughtBack {
			tail += s.sym.sep + s.sym.star + " " + p.T("tui.card.brought_back")
		}
		head := d.m.mutedNames(width-2, fmt.Sprintf("#%d ", c.ID), who, tail)
		text := lipgloss.NewStyle().Width(max(width-4, 10)).Render(s.text(c.Text))
		return append([]string{head}, strings.Split(text, "\n")...)
	})
}
