package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
	"moot/session/command"
)

// Projector is the read-only view for a screen in the room (ssh
// SLUG+screen@host): the current step's question and its live work, in
// large, spaced print. It has no hub: it can never act, only draw the
// snapshots it is given. q or Ctrl+C closes it.
type Projector struct {
	styles *Styles
	snap   *session.Snapshot
	width  int
	height int
}

// NewProjector builds the projector view from a first snapshot.
func NewProjector(snap *session.Snapshot, styles *Styles, width, height int) *Projector {
	return &Projector{styles: styles, snap: snap, width: width, height: height}
}

func (p *Projector) Init() tea.Cmd { return nil }

func (p *Projector) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		p.snap = msg.Snapshot
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC || (msg.Type == tea.KeyRunes && strings.ContainsRune(string(msg.Runes), 'q')) {
			return p, tea.Quit
		}
	}
	return p, nil
}

// phaseProjectors draws a phase's own work on the projector; each phase
// may register one. Phases without one show a plain notice.
var phaseProjectors = map[session.Phase]func(p *Projector, width, height int) string{
	session.Dialogue: projectDialogue,
}

func (p *Projector) View() string {
	s, snap := p.styles, p.snap
	width, height := max(p.width, 20), max(p.height, 8)
	mid := stepLabel(snap)
	right := ""
	if snap.Timer.Running() && !snap.Archived {
		right = "⏱ " + command.Countdown(snap.Timer.Remaining(snap.Now))
	}
	header := spread(s.Bar, width, s.BarTitle.Render(snap.Forum.Title), s.BarStep.Render(mid), s.BarTimer.Render(right))
	footer := s.Muted.Render(fmt.Sprintf(" Screen view (read-only) · %d connected · ssh %s@host to take part", snap.Connected, snap.Forum.Slug))

	inner := width - 6
	var b strings.Builder
	switch {
	case snap.Stage() == session.Lobby:
		b.WriteString(big(s, snap.Forum.Title, inner) + "\n\n")
		if snap.Forum.Purpose != "" {
			b.WriteString(s.Prompt.Width(inner).Render(snap.Forum.Purpose) + "\n\n")
		}
		b.WriteString(s.Muted.Render("Waiting to begin.") + "\n")
	case snap.Stage() == session.Closed:
		b.WriteString(big(s, "The forum has closed", inner) + "\n\n")
		b.WriteString(s.Prompt.Width(inner).Render("Thank you for taking part.") + "\n")
	default:
		st := snap.CurrentStep()
		b.WriteString(big(s, st.Title, inner) + "\n\n")
		if st.Prompt != "" {
			b.WriteString(s.Strong.Width(inner).Render(st.Prompt) + "\n\n")
		}
		used := lipgloss.Height(b.String())
		rest := height - 4 - used
		if draw, ok := phaseProjectors[st.Phase]; ok {
			b.WriteString(draw(p, inner, max(rest, 1)))
		} else {
			b.WriteString(s.Muted.Width(inner).Render(fmt.Sprintf("The %s results will show here.", st.Phase)))
		}
	}
	if snap.Archived {
		b.WriteString("\n\n" + s.Muted.Render("This forum is archived."))
	}
	bodyHeight := height - 2
	body := lipgloss.NewStyle().Padding(1, 3, 0, 3).Width(width).Height(bodyHeight).MaxHeight(bodyHeight).Render(b.String())
	return lipgloss.JoinVertical(lipgloss.Left, header, body, footer)
}

// big is a heading meant to be read from the back of the room: bold,
// spaced out when it fits.
func big(s *Styles, text string, width int) string {
	spaced := strings.Join(strings.Split(strings.ToUpper(text), ""), " ")
	if lipgloss.Width(spaced) <= width {
		text = spaced
	}
	return s.Title.Width(width).Render(text)
}

// projectDialogue shows the step's live cards by theme, newest kept in view
// when they do not all fit.
func projectDialogue(p *Projector, width, height int) string {
	s, snap := p.styles, p.snap
	cards := command.StepCards(snap, snap.Step)
	if len(cards) == 0 {
		return s.Muted.Render("No cards yet.")
	}
	var lines []string
	group := int64(-3)
	for _, c := range cards {
		if g := groupOf(c); g != group {
			group = g
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, s.Selected.Render(strings.ToUpper(groupHeading(snap, g))))
		}
		text := lipgloss.NewStyle().Width(max(width-4, 10)).Render(c.Text)
		lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, "  ▪ ", text), "\n")...)
	}
	if len(lines) > height {
		lines = append([]string{s.Muted.Render(fmt.Sprintf("… %d cards in all; the first ones are off the screen", len(cards)))}, lines[len(lines)-height+1:]...)
	}
	return strings.Join(lines, "\n")
}
