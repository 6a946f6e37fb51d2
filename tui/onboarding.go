package tui

import (
	"fmt"
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

func newOnboarding(m *Model) *onboarding {
	o := &onboarding{m: m, naming: true}
	m.openInput("")
	o.name = *m.input
	m.input = nil
	o.name.Prompt = "> "
	o.name.Placeholder = "your name, as others will see it"
	o.name.CharLimit = session.MaxNameLength * 2
	return o
}

func (o *onboarding) update(msg tea.KeyMsg) tea.Cmd {
	o.err = ""
	if o.naming {
		if msg.Type == tea.KeyEnter {
			if _, err := session.Name(o.name.Value()); err != nil {
				o.err = err.Error()
				return nil
			}
			o.naming = false
			o.choice = len(o.m.view.Forum().Sectors)
			return nil
		}
		var cmd tea.Cmd
		o.name, cmd = o.name.Update(msg)
		return cmd
	}
	sectors := o.m.view.Forum().Sectors
	switch msg.Type {
	case tea.KeyUp, tea.KeyShiftTab:
		o.choice = (o.choice + len(sectors)) % (len(sectors) + 1)
	case tea.KeyDown, tea.KeyTab:
		o.choice = (o.choice + 1) % (len(sectors) + 1)
	case tea.KeyEsc:
		o.naming = true
	case tea.KeyEnter:
		sector := ""
		if o.choice < len(sectors) {
			sector = sectors[o.choice]
		}
		hub, ctx, id, name := o.m.hub, o.m.ctx, o.m.identity, o.name.Value()
		return func() tea.Msg {
			return onboardedMsg{err: hub.Do(ctx, id, session.Register{Name: name, Sector: sector})}
		}
	case tea.KeyRunes:
		for _, r := range msg.Runes {
			switch r {
			case 'k':
				o.choice = (o.choice + len(sectors)) % (len(sectors) + 1)
			case 'j':
				o.choice = (o.choice + 1) % (len(sectors) + 1)
			}
		}
	}
	return nil
}

func (o *onboarding) view(width int) string {
	s := o.m.styles
	f := o.m.view.Forum()
	var b strings.Builder
	b.WriteString(s.Title.Render("Welcome to "+f.Title) + "\n\n")
	if f.Purpose != "" {
		b.WriteString(s.Prompt.Width(width).Render(f.Purpose) + "\n\n")
	}
	if o.naming {
		b.WriteString(s.Strong.Render("What name should others see?") + "\n")
		b.WriteString(s.Muted.Render(fmt.Sprintf("Up to %d characters. Enter to go on.", session.MaxNameLength)) + "\n\n")
		b.WriteString(o.name.View() + "\n")
	} else {
		b.WriteString(s.Strong.Render("Which sector are you part of?") + "\n")
		b.WriteString(s.Muted.Width(width).Render("Optional. Reports count people by sector, never by name.") + "\n")
		b.WriteString(s.Muted.Render("↑/↓ to choose, Enter to join, Esc to change your name.") + "\n\n")
		options := append(append([]string{}, f.Sectors...), "Prefer not to say")
		for i, opt := range options {
			if i == o.choice {
				b.WriteString(s.Selected.Render("› "+opt) + "\n")
			} else {
				b.WriteString("  " + opt + "\n")
			}
		}
	}
	if o.err != "" {
		b.WriteString("\n" + s.Error.Render(o.err) + "\n")
	}
	if o.m.rejoin != "" {
		b.WriteString("\n" + s.Notice.Width(min(width, 72)-s.Notice.GetHorizontalBorderSize()).Render(rejoinNotice(o.m.rejoin)) + "\n")
	}
	return b.String()
}
