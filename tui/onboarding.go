package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

// onboarding asks a person new to the forum for a display name and,
// optionally, a sector.
type onboarding struct {
	m      *Model
	name   textinput.Model
	naming bool // false once the name is typed and a sector is being chosen
	choice int  // index into the forum's sectors; len(sectors) means none
	err    string
}

type onboardedMsg struct{ err error }

// Keys while joining.
var (
	keyNameDone  = bind("Enter", "Enter", "tui.key.name_done", "tui.key.name_done.help", "enter")
	keyChooseUp  = bind("↑/k", "", "", "tui.key.choose_up.help", "up", "k", "shift+tab")
	keyChooseDn  = bind("↓/j", "↑↓", "tui.key.choose_dn", "tui.key.choose_dn.help", "down", "j", "tab")
	keyJoin      = bind("Enter", "Enter", "tui.key.join", "tui.key.join.help", "enter")
	keyRename    = bind("Esc", "Esc", "tui.key.rename", "tui.key.rename.help", "esc")
	namingKeys   = []*keyDef{keyNameDone}
	choosingKeys = []*keyDef{keyChooseDn, keyJoin, keyRename, keyChooseUp}
)

func newOnboarding(m *Model) *onboarding {
	o := &onboarding{m: m, naming: true}
	m.openInput("")
	o.name = *m.input
	m.input = nil
	o.name.Prompt = "> "
	o.name.Placeholder = m.p.T("tui.onboarding.name_placeholder")
	o.name.CharLimit = session.MaxNameLength * 2
	return o
}

func (o *onboarding) keys() []*keyDef {
	if o.naming {
		return namingKeys
	}
	return choosingKeys
}

func (o *onboarding) update(msg tea.KeyMsg) tea.Cmd {
	o.err = ""
	m := o.m
	if o.naming {
		msg = asText(msg)
		if m.pressed(msg, keyNameDone) {
			if _, err := session.Name(o.name.Value()); err != nil {
				o.err = m.p.Error(err)
				return nil
			}
			o.naming = false
			o.choice = len(m.view.Forum().Sectors)
			return nil
		}
		var cmd tea.Cmd
		o.name, cmd = o.name.Update(msg)
		return cmd
	}
	sectors := m.view.Forum().Sectors
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		for _, r := range msg.Runes {
			o.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		return nil
	}
	switch {
	case m.pressed(msg, keyChooseUp):
		o.choice = (o.choice + len(sectors)) % (len(sectors) + 1)
	case m.pressed(msg, keyChooseDn):
		o.choice = (o.choice + 1) % (len(sectors) + 1)
	case m.pressed(msg, keyRename):
		o.naming = true
	case m.pressed(msg, keyJoin):
		sector := ""
		if o.choice < len(sectors) {
			sector = sectors[o.choice]
		}
		hub, ctx, id, name := m.hub, m.ctx, m.identity, o.name.Value()
		return func() tea.Msg {
			return onboardedMsg{err: hub.Do(ctx, id, session.Register{Name: name, Sector: sector})}
		}
	}
	return nil
}

// view draws the questions in width by height cells; the sector chosen is
// always in view, however short the screen.
func (o *onboarding) view(width, height int) string {
	s, p := o.m.styles, o.m.p
	f := o.m.view.Forum()
	var head []string
	add := func(text string) { head = append(head, strings.Split(text, "\n")...) }
	add(s.wrap(&s.Title, width, p.T("tui.onboarding.welcome", f.Title)))
	if f.Purpose != "" && height >= 20 {
		add("")
		add(s.wrap(&s.Prompt, width, f.Purpose))
	}
	add("")
	var tail []string
	if o.err != "" {
		tail = append(tail, strings.Split(s.wrap(&s.Error, width, o.err), "\n")...)
	}
	if o.m.rejoin != "" {
		tail = append(tail, strings.Split(o.m.rejoinBox(width), "\n")...)
	}
	if o.naming {
		add(s.once(&s.Strong, p.T("tui.onboarding.ask_name")))
		add(s.wrap(&s.Muted, width, p.T("tui.onboarding.name_how", session.MaxNameLength)))
		add("")
		o.name.Width = max(width-4, 10)
		add(o.name.View())
		return strings.Join(append(head, tail...), "\n")
	}
	add(s.once(&s.Strong, p.T("tui.onboarding.ask_sector")))
	add(s.wrap(&s.Muted, width, p.T("tui.onboarding.sector_how", s.sym.up+"/"+s.sym.down)))
	options := append(append([]string{}, f.Sectors...), p.T("tui.onboarding.no_sector"))
	lines := make([]string, len(options))
	starts := make([]int, len(options))
	for i, opt := range options {
		starts[i] = i
		if i == o.choice {
			lines[i] = s.once(&s.Selected, s.sym.selected+truncate(opt, width-2))
		} else {
			lines[i] = "  " + s.text(truncate(opt, width-2))
		}
	}
	room := max(height-len(head)-len(tail), 3)
	list := s.window(o.m.p, lines, starts, o.choice, o.choice+1, min(room, len(lines)+2))
	return strings.Join(head, "\n") + "\n" + strings.TrimRight(list, "\n") + "\n" + strings.Join(tail, "\n")
}
