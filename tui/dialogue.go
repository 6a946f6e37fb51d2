package tui

import (
	"fmt"
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
			d.note, d.failed = msg.err.Error(), true
			return nil, true
		}
		d.note, d.failed = "saved", false
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
	switch msg.Type {
	case tea.KeyUp:
		d.move(cards, -1)
		return nil, true
	case tea.KeyDown:
		d.move(cards, 1)
		return nil, true
	case tea.KeyPgUp:
		d.move(cards, -5)
		return nil, true
	case tea.KeyPgDown:
		d.move(cards, 5)
		return nil, true
	case tea.KeyEnd:
		d.selected, d.seen = 0, d.newest()
		return nil, true
	case tea.KeyHome:
		if len(cards) > 0 {
			d.selected, d.row = cards[0].ID, 0
		}
		return nil, true
	case tea.KeyRunes:
	default:
		return nil, false
	}
	if len(msg.Runes) != 1 {
		return nil, false
	}
	facilitator := d.m.facilitator()
	sel := d.selectedCard()
	switch r := msg.Runes[0]; {
	case r == 'k':
		d.move(cards, -1)
	case r == 'j':
		d.move(cards, 1)
	case r == 'w':
		d.open(0, "")
	case r == 'e':
		if sel == nil || !d.m.view.Mine(sel) {
			d.note, d.failed = "move to one of your own cards (↑/↓) to edit it", true
			return nil, true
		}
		d.open(sel.ID, sel.Text)
	case r == 'd':
		if sel == nil || !d.m.view.Mine(sel) {
			d.note, d.failed = "move to one of your own cards (↑/↓) to withdraw it", true
			return nil, true
		}
		if confirm != sel.ID {
			d.confirm = sel.ID
			d.note, d.failed = fmt.Sprintf("press d again to withdraw card #%d", sel.ID), false
			return nil, true
		}
		id := sel.ID
		return d.m.do(session.WithdrawCard{ID: id}, func(*session.View) string { return fmt.Sprintf("card #%d withdrawn", id) }), true
	case r == 'h':
		if d.m.view.MyHand() > 0 {
			return d.m.do(session.RaiseHand{}, func(*session.View) string { return "your hand is down" }), true
		}
		return d.m.do(session.RaiseHand{Raise: true}, func(v *session.View) string {
			return fmt.Sprintf("your hand is up: number %d in the queue", v.MyHand())
		}), true
	case r == 'f':
		d.cycleFilter()
	case facilitator && r == 'N':
		return d.m.do(session.CallNextSpeaker{}, func(v *session.View) string { return v.Speaker() + " has the floor" }), true
	case facilitator && r == 'T':
		d.m.openInput("theme add ")
	case facilitator && sel != nil && r == 'A':
		line := fmt.Sprintf("theme assign  %d", sel.ID)
		d.m.openInput(line)
		d.m.input.SetCursor(len("theme assign "))
	case facilitator && sel != nil && r == 'H':
		d.m.openInput(fmt.Sprintf("hide %d --reason ", sel.ID))
	case facilitator && sel != nil && r == 'P':
		id := sel.ID
		if sel.Parked {
			return d.m.do(session.ParkCard{ID: id}, func(*session.View) string { return fmt.Sprintf("card #%d is out of the parking lot", id) }), true
		}
		return d.m.do(session.ParkCard{ID: id, Parked: true}, func(*session.View) string { return fmt.Sprintf("card #%d parked", id) }), true
	case facilitator && sel != nil && r == 'M':
		d.m.openInput(fmt.Sprintf("merge %d ", sel.ID))
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
	d.composer.Placeholder = fmt.Sprintf("your card: an experience or a piece of evidence (up to %d characters)", session.MaxCardLength)
	d.composer.CharLimit = session.MaxCardLength
	d.editing, d.note = editing, ""
}

func (d *dialogue) compose(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		d.composer, d.editing, d.note = nil, 0, ""
		return nil
	case tea.KeyTab:
		if d.m.view.Forum().AnonymousCards && d.editing == 0 {
			d.anon = !d.anon
		}
		return nil
	case tea.KeyEnter:
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
	s, v := d.m.styles, d.m.view
	cards := d.cards()

	var top []string
	status := session.Count(len(cards), "card", "cards")
	if d.filter != 0 {
		status += " · theme: " + truncate(d.filterName(), max(width/3, 12)) + " (f for the next)"
	} else if len(v.Themes()) > 0 {
		status += " · f filters by theme"
	}
	if n := len(v.Hands()); n > 0 {
		status += fmt.Sprintf(" · %d hands up", n)
	}
	top = append(top, s.once(&s.Muted, status))
	if v.HasFloor() {
		top = append(top, s.once(&s.OK, "You have the floor: the facilitator has called you to speak."))
	} else if pos := v.MyHand(); pos > 0 {
		top = append(top, s.once(&s.OK, fmt.Sprintf("Your hand is up: number %d in the queue (h lowers it).", pos)))
	}

	var bottom []string
	newCount := 0
	for _, c := range cards {
		if c.ID > d.seen {
			newCount++
		}
	}
	if newCount > 0 {
		bottom = append(bottom, s.Selected.Render(fmt.Sprintf("▼ %d new (End shows the newest)", newCount)))
	}
	if d.note != "" {
		style := s.Muted
		if d.failed {
			style = s.Error
		}
		bottom = append(bottom, style.Width(width).Render(d.note))
	}
	if d.composer != nil {
		label := "New card"
		if d.editing != 0 {
			label = fmt.Sprintf("Editing card #%d", d.editing)
		}
		if d.anon {
			label += " (anonymous)"
		}
		hint := "Enter saves · Esc cancels"
		if v.Forum().AnonymousCards && d.editing == 0 {
			hint += " · Tab anonymous"
		}
		d.composer.Width = max(10, width-4)
		bottom = append(bottom, s.Strong.Render(label)+" "+s.Muted.Render(hint), d.composer.View())
	} else {
		keys := "w write · e edit · d withdraw · h hand · ↑/↓ move · End newest"
		if d.m.facilitator() {
			keys = "w write · A assign · M merge · H hide · P park · T theme · N next speaker"
		}
		bottom = append(bottom, s.once(&s.Muted, keys))
	}

	listHeight := height - len(top) - lipgloss.Height(strings.Join(bottom, "\n")) - 1
	return strings.Join(top, "\n") + "\n" + d.list(cards, width, max(listHeight, 1)) + "\n" + strings.Join(bottom, "\n")
}

func (d *dialogue) filterName() string {
	if d.filter == -1 {
		return "no theme"
	}
	if t, ok := d.m.view.FindTheme(d.filter); ok {
		return t.Name
	}
	return "?"
}

// list lays the cards out under their theme headings and shows the window
// of lines that keeps the reader's place. Only the lines in that window are
// put together; the rest are only counted.
func (d *dialogue) list(cards []*session.CardView, width, height int) string {
	s := d.m.styles
	if len(cards) == 0 {
		msg := "No cards yet. Press w to write the first."
		if d.filter != 0 {
			msg = "No cards under this theme yet."
		}
		return s.once(&s.Muted, msg) + strings.Repeat("\n", height-1)
	}
	// A piece is a theme heading (one line) or a card's lines.
	type piece struct {
		card  *session.CardView
		lines []string
	}
	pieces := make([]piece, 0, len(cards)+len(d.m.view.Themes())+2)
	newest := d.newest()
	total, selStart, selEnd, newestEnd := 0, -1, -1, -1
	group := int64(-3)
	for _, c := range cards {
		if g := groupOf(c); g != group {
			group = g
			pieces = append(pieces, piece{lines: []string{d.heading(g, width)}})
			total++
		}
		body := d.cardBody(c, width)
		if c.ID == d.selected {
			selStart, selEnd = total, total+len(body)
		}
		if c.ID == newest {
			newestEnd = total + len(body)
		}
		pieces = append(pieces, piece{card: c, lines: body})
		total += len(body)
	}

	var offset int
	if selStart >= 0 {
		offset = min(selStart-d.row, selStart)
		if selEnd-offset > height {
			offset = selEnd - height
		}
	} else if newestEnd > height {
		// Following: keep the newest card in view.
		offset = newestEnd - height
	}
	offset = max(0, min(offset, total-height))
	if selStart >= 0 {
		d.row = selStart - offset
	}

	out := make([]string, 0, height)
	line := 0
	for _, p := range pieces {
		if line+len(p.lines) <= offset {
			line += len(p.lines)
			continue
		}
		for i, l := range p.lines {
			if line >= offset && len(out) < height {
				if p.card != nil {
					l = d.marker(p.card, i) + l
				}
				out = append(out, l)
			}
			line++
		}
		if len(out) >= height {
			break
		}
	}
	for len(out) < height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
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
func groupHeading(v *session.View, group int64) string {
	switch group {
	case groupParked:
		return "Parking lot (kept for later)"
	case groupNoTheme:
		return "No theme yet"
	}
	if t, ok := v.FindTheme(group); ok {
		if t.Agreed {
			return t.Name + "  ✓ agreed"
		}
		return t.Name
	}
	return "No theme yet"
}

// heading is a group's heading on one line: a long theme name is
// shortened to the width (themes and the report give it in full).
func (d *dialogue) heading(group int64, width int) string {
	s, text := d.m.styles, truncate(groupHeading(d.m.view, group), width)
	return s.drawn.get(headingKey{text}, func() string { return s.Strong.Render(text) })
}

type headingKey struct{ text string }

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
	width int
	mine  bool
}

// cardBody draws one card: its number, who wrote it and the text, wrapped
// to width. It is the same on every screen that shows the card, but for
// "(you)" on the author's, so it is drawn once per width and kept until the
// card or someone's name changes (its stamp).
func (d *dialogue) cardBody(c *session.CardView, width int) []string {
	s := d.m.styles
	key := cardKey{card: c.Stamp(), width: width, mine: d.m.view.Mine(c)}
	return s.cardLines.get(key, func() []string {
		who := "anonymous"
		if !c.Anonymous {
			who = strings.Join(c.Credits, ", ")
		}
		if key.mine {
			who += " (you)"
		}
		if c.Edited {
			who += ", edited"
		}
		if c.BroughtBack {
			who += " · ★ brought back"
		}
		head := s.Muted.Render(fmt.Sprintf("#%d %s", c.ID, who))
		text := lipgloss.NewStyle().Width(max(width-4, 10)).Render(c.Text)
		return append([]string{head}, strings.Split(text, "\n")...)
	})
}
