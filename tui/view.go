package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"moot/session"
)

// panelWidth is the width of the facilitator's list of people, shown beside
// the step when the terminal is wide enough.
const panelWidth = 30

func (m *Model) View() string {
	width, height := max(m.width, 20), max(m.height, 8)
	if m.onboarding != nil {
		return lipgloss.NewStyle().Padding(1, 2).Render(m.onboarding.view(min(width-4, 76)))
	}
	s := m.styles
	var bottom []string
	if m.facilitator() && m.view.Timer().Running() && m.view.Timer().Remaining(m.view.Now()) <= 0 {
		bottom = append(bottom, s.BarLate.Render(" Time is up for this step: + adds 5 minutes, x stops the timebox. "))
	}
	if m.input != nil {
		bottom = append(bottom, m.input.View())
	}
	if m.output != "" {
		style := s.Muted
		if m.failed {
			style = s.Error
		}
		bottom = append(bottom, strings.Split(style.Width(width-2).Render(m.output), "\n")...)
	}
	// The screen is laid out line by line rather than by lipgloss boxes
	// around the whole of it: every line is drawn once, and the Painter
	// clears what is left of each, so nothing needs padding to the width.
	bodyHeight := max(height-2-len(bottom), 2)
	mainWidth := width - 2
	showPanel := m.facilitator() && width >= 80
	if showPanel {
		mainWidth = width - panelWidth - 3
	}
	var main string
	if m.showKey {
		main = m.keyHelp()
	} else {
		main = m.stepView(mainWidth, bodyHeight-1)
	}
	body := strings.Split(main, "\n")
	if showPanel {
		body = besidePanel(body, strings.Split(m.peoplePanel(bodyHeight-1), "\n"), mainWidth+1, s.Muted.Render("│")+" ")
	}
	lines := make([]string, 0, height)
	lines = append(lines, m.header(width), "")
	for i := 0; i < bodyHeight-1; i++ {
		line := ""
		if i < len(body) {
			line = " " + body[i]
		}
		lines = append(lines, line)
	}
	for _, l := range bottom {
		lines = append(lines, " "+l)
	}
	lines = append(lines, m.footer(width))
	return strings.Join(lines, "\n")
}

// headerKey is everything the header shows. Keys hold values, never the
// snapshot itself, so that remembered renderings do not keep old snapshots
// (and their lists of participants) alive.
type headerKey struct {
	forum      *session.Forum
	mid, right string
	late       bool
	width      int
}

// besidePanel sets the panel's lines to the right of the main lines, the
// main column padded to width.
func besidePanel(main, panel []string, width int, border string) []string {
	n := max(len(main), len(panel))
	out := make([]string, n)
	for i := range out {
		l := ""
		if i < len(main) {
			l = main[i]
		}
		if w := ansi.StringWidth(l); w < width {
			l += strings.Repeat(" ", width-w)
		} else if w > width {
			l = ansi.Truncate(l, width, "")
		}
		p := ""
		if i < len(panel) {
			p = panel[i]
		}
		out[i] = l + border + p
	}
	return out
}

func (m *Model) header(width int) string {
	s, v := m.styles, m.view
	key := headerKey{forum: v.Forum(), width: width}
	switch v.Stage() {
	case session.Lobby:
		key.mid = "Lobby"
	case session.Closed:
		key.mid = "Closed"
	default:
		key.mid = fmt.Sprintf("Step %d/%d · %s", v.Step(), len(v.Forum().Steps), v.CurrentStep().Phase.Title())
	}
	if v.Archived() {
		key.mid += " · Archived (read-only)"
	}
	if v.Timer().Running() {
		left := v.Timer().Remaining(v.Now())
		key.right, key.late = "⏱ "+session.Countdown(left), left < 0
	}
	return s.drawn.get(key, func() string {
		timer := s.BarTimer
		if key.late {
			timer = s.BarLate
		}
		return spread(s.Bar, width, s.BarTitle.Render(v.Forum().Title), s.BarStep.Render(key.mid), timer.Render(key.right))
	})
}

// spread lays three pieces out across a bar: left, centre, right.
func spread(bar lipgloss.Style, width int, left, mid, right string) string {
	inner := width - bar.GetHorizontalPadding()
	gap := inner - lipgloss.Width(left) - lipgloss.Width(mid) - lipgloss.Width(right)
	if gap < 2 {
		// Too narrow for all three: keep the left piece whole if possible
		// and cut the line, rather than wrap the bar onto a second line.
		line := ansi.Truncate(left+"  "+mid+"  "+right, inner, "…")
		return bar.Render(line + strings.Repeat(" ", max(0, inner-lipgloss.Width(line))))
	}
	lgap := gap / 2
	return bar.Render(left + strings.Repeat(" ", lgap) + mid + strings.Repeat(" ", gap-lgap) + right)
}

func (m *Model) footer(width int) string {
	s, v := m.styles, m.view
	who := "you have not given a name"
	if p, ok := v.Me(); ok {
		who = "you are " + p.Name
		if p.Sector != "" {
			who += " (" + p.Sector + ")"
		}
		if m.facilitator() {
			who += " · facilitator"
		}
	}
	left := fmt.Sprintf("%d connected · %s", v.Connected(), who)
	keys := "? keys · : command · q quit"
	if m.facilitator() {
		keys = "n/p step · t timer · ? keys · : command"
	}
	if m.input != nil {
		keys = "Enter run · Esc close"
	}
	// Drawn without lipgloss: the left side differs on every screen and
	// changes with every arrival, so it is worth keeping cheap.
	gap := width - textWidth(left) - textWidth(keys)
	if gap < 2 {
		return s.mutedOpen + ansi.Truncate(left+"  "+keys, width, "…") + s.mutedClose
	}
	return s.mutedOpen + left + strings.Repeat(" ", gap) + keys + s.mutedClose
}

// textWidth is the cells plain text takes; most text here is ASCII, one
// cell a byte, which is settled without measuring graphemes.
func textWidth(text string) int {
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			return ansi.StringWidth(text)
		}
	}
	return len(text)
}

// stepView is what the current step shows, in width by height cells.
func (m *Model) stepView(width, height int) string {
	v := m.view
	head := m.styles.drawn.get(stepHeadKey{v.Forum(), v.Step(), width}, func() string {
		return m.stepHead(width)
	})
	if v.Stage() != session.Running || m.phase == nil {
		return head
	}
	return head + m.phase.view(width, max(height-lipgloss.Height(head), 3))
}

type stepHeadKey struct {
	forum *session.Forum
	step  int
	width int
}

// stepHead is the part of a step's screen that is the same for everyone:
// the lobby, the closing words, or the step's title and question (each
// phase draws its own work below it).
func (m *Model) stepHead(width int) string {
	s, v := m.styles, m.view
	var b strings.Builder
	switch v.Stage() {
	case session.Lobby:
		b.WriteString(s.Title.Render("Waiting to begin") + "\n\n")
		if v.Forum().Purpose != "" {
			b.WriteString(s.Prompt.Width(width).Render(v.Forum().Purpose) + "\n\n")
		}
		b.WriteString(s.Strong.Render("Agenda") + "\n")
		for i, st := range v.Forum().Steps {
			b.WriteString(fmt.Sprintf("  %d. %s %s\n", i+1, st.Title, s.Muted.Render("("+string(st.Phase)+")")))
		}
		b.WriteString("\n" + s.Muted.Width(width).Render("The facilitator will start the first step; this screen follows by itself."))
	case session.Closed:
		b.WriteString(s.Title.Render("The forum has closed") + "\n\n")
		b.WriteString(s.Prompt.Width(width).Render("Thank you for taking part. Everything said and agreed has been kept for the report."))
	default:
		st := v.CurrentStep()
		b.WriteString(s.Title.Render(st.Title) + "\n")
		if st.Prompt != "" {
			b.WriteString(s.Prompt.Width(width).Render(st.Prompt) + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (m *Model) peoplePanel(height int) string {
	s, v := m.styles, m.view
	var b strings.Builder
	hands, speaker := v.Hands(), v.Speaker()
	if len(hands) > 0 || speaker != "" {
		b.WriteString(s.PanelTitle.Render(fmt.Sprintf("Hands up %d", len(hands))) + "\n")
		if speaker != "" {
			b.WriteString(s.Online.Render("speaking: "+truncate(speaker, panelWidth-11)) + "\n")
		}
		for i, h := range hands {
			if i == 5 {
				b.WriteString(s.Muted.Render(fmt.Sprintf("…%d more (:hands)", len(hands)-i)) + "\n")
				break
			}
			b.WriteString(fmt.Sprintf("%d. %s %s\n", h.Position, truncate(h.Name, 16),
				s.Muted.Render("since "+h.RaisedAt.Local().Format("15:04"))))
		}
		b.WriteString("\n")
		height -= lipgloss.Height(b.String())
	}
	people := v.People()
	b.WriteString(s.PanelTitle.Render(fmt.Sprintf("People %d/%d", v.Connected(), v.PeopleCount())) + "\n")
	shown := 0
	for _, p := range people {
		if shown >= height-2 {
			b.WriteString(s.Muted.Render(fmt.Sprintf("…and %d more (:participants)", len(people)-shown)))
			break
		}
		dot := s.Offline.Render("○")
		if p.Connected {
			dot = s.Online.Render("●")
		}
		line := dot + " " + truncate(p.Name, 14)
		if p.Sector != "" {
			line += " " + s.Muted.Render(truncate(p.Sector, panelWidth-19))
		}
		b.WriteString(line + "\n")
		shown++
	}
	return b.String()
}

func (m *Model) keyHelp() string {
	s := m.styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Keys") + "\n\n")
	rows := [][2]string{{":", "command line (type help for the commands)"}, {"?", "show or hide this help"}, {"Esc", "clear the message"}, {"q", "leave (your place is kept)"}}
	if m.facilitator() {
		rows = append([][2]string{
			{"n / p", "next / previous step"},
			{"g", "go to a step by number (0 is the lobby)"},
			{"t", "start the step's timebox"},
			{"+", "add 5 minutes to the timebox"},
			{"x", "stop the timebox"},
		}, rows...)
	}
	for _, r := range rows {
		b.WriteString(fmt.Sprintf("  %s  %s\n", s.Key.Render(fmt.Sprintf("%-5s", r[0])), r[1]))
	}
	return b.String()
}

func truncate(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
