package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
	"moot/session/catalogue"
)

// ForumItem is one forum a server hosts, as the picker lists it.
type ForumItem struct {
	Slug, Title string
	Snapshot    *session.Snapshot
}

// Picker lists the forums of a server with several, for someone who joined
// without naming one (ssh HOST rather than ssh SLUG@HOST), and then becomes
// the chosen forum's screen.
type Picker struct {
	forums func() []ForumItem
	// open makes the chosen forum's screen; its error is shown and the
	// list stays.
	open func(slug string, width, height int) (tea.Model, error)
	// join is the command that reaches a forum straight away.
	join   func(slug string) string
	styles *Styles
	// catalogue has the languages the server speaks; nil: the ones moot
	// ships.
	catalogue *catalogue.Catalogue
	width     int
	height    int
	choice    int
	// err is why the chosen forum did not open, worded when shown.
	err error
	// chosen is the forum's screen once one is picked: every message goes
	// to it from then on.
	chosen tea.Model
}

// NewPicker builds the picker; forums is called on every redraw, so the
// steps it shows are current.
// join is the command that reaches a forum without the list.
func NewPicker(forums func() []ForumItem, open func(slug string, width, height int) (tea.Model, error), join func(slug string) string, styles *Styles, width, height int) *Picker {
	return &Picker{forums: forums, open: open, join: join, styles: styles, width: width, height: height}
}

// SetCatalogue gives the picker the languages the server speaks.
func (p *Picker) SetCatalogue(c *catalogue.Catalogue) { p.catalogue = c }

func (p *Picker) Init() tea.Cmd { return nil }

func (p *Picker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if p.chosen != nil {
		var cmd tea.Cmd
		p.chosen, cmd = p.chosen.Update(msg)
		return p, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
	case tea.KeyMsg:
		forums := p.forums()
		switch msg.Type {
		case tea.KeyCtrlC, tea.KeyEsc:
			return p, tea.Quit
		case tea.KeyUp, tea.KeyShiftTab:
			p.choice = (p.choice + len(forums) - 1) % len(forums)
		case tea.KeyDown, tea.KeyTab:
			p.choice = (p.choice + 1) % len(forums)
		case tea.KeyEnter:
			m, err := p.open(forums[p.choice].Slug, p.width, p.height)
			if err != nil {
				p.err = err
				return p, nil
			}
			p.chosen = m
			return p, m.Init()
		case tea.KeyRunes:
			for _, r := range msg.Runes {
				switch {
				case r == 'q':
					return p, tea.Quit
				case r == 'k':
					p.choice = (p.choice + len(forums) - 1) % len(forums)
				case r == 'j':
					p.choice = (p.choice + 1) % len(forums)
				case r >= '1' && r <= '9' && int(r-'1') < len(forums):
					p.choice = int(r - '1')
				}
			}
		}
	}
	return p, nil
}

func (p *Picker) View() string {
	if p.chosen != nil {
		return p.chosen.View()
	}
	s := p.styles
	width := max(p.width, 20)
	var b strings.Builder
	height := max(p.height, 8)
	// No one's language is known before a forum is chosen: the server's
	// own (English, unless a catalogue says otherwise) is spoken here.
	pr := printerOf(p.catalogue.Printer())
	b.WriteString(s.once(&s.Title, pr.T("tui.picker.title")) + "\n")
	b.WriteString(s.wrap(&s.Muted, width-4, pr.T("tui.picker.how", "↑/↓")) + "\n\n")
	forums := p.forums()
	p.choice = min(p.choice, len(forums)-1)
	lines := make([]string, len(forums))
	starts := make([]int, len(forums))
	for i, f := range forums {
		v := f.Snapshot.ViewAs(session.ForProjector)
		where := stepLabel(printerOf(p.catalogue.Printer(v.Langs()...)), v)
		line := fmt.Sprintf("%d. %s  %s", i+1, s.text(truncate(f.Title, max(width-40, 12))), s.Muted.Render(s.text(f.Slug+" · "+where)))
		starts[i] = i
		if i == p.choice {
			lines[i] = s.markSelected + line
		} else {
			lines[i] = "  " + line
		}
	}
	room := max(height-2-lipgloss.Height(b.String())-4, 3)
	b.WriteString(strings.TrimRight(s.window(pr, lines, starts, p.choice, p.choice+1, min(room, len(lines)+2)), "\n") + "\n")
	if p.choice >= 0 {
		b.WriteString("\n" + s.Muted.Width(width-4).Render(pr.T("tui.picker.next_time", p.join(forums[p.choice].Slug))) + "\n")
	}
	if p.err != nil {
		b.WriteString("\n" + s.Error.Width(width-4).Render(pr.Error(p.err)) + "\n")
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(b.String())
}

// stepLabel says where a forum is: lobby, its step, closed or archived.
func stepLabel(p *printer, v *session.View) string {
	if v.Archived() {
		return p.T("tui.picker.archived")
	}
	switch v.Stage() {
	case session.Lobby:
		return p.T("tui.picker.lobby")
	case session.Closed:
		return p.T("tui.picker.closed")
	}
	return p.T("tui.picker.step", v.Step(), len(v.Forum().Steps), session.PhaseWord(v.CurrentStep().Phase))
}
