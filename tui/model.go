// Package tui draws moot for one person's terminal: a bubbletea model per
// connection that reads the forum's snapshots and changes the forum only by
// sending commands to its Hub.
package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
	"moot/session/command"
)

// SnapshotMsg carries a new picture of the forum to the model.
type SnapshotMsg struct{ Snapshot *session.Snapshot }

// resultMsg is the answer to a command the person gave.
type resultMsg struct {
	output string
	err    error
}

// Model is the root model: it switches view by where the person is
// (naming themselves, or in the forum) and by role.
type Model struct {
	ctx      context.Context
	hub      *session.Hub
	identity string
	styles   *Styles
	snap     *session.Snapshot
	width    int
	height   int

	// onboarding is set while a person who is new to the forum gives their
	// name and sector.
	onboarding *onboarding
	// input is the command line, created only while someone types in it.
	input *textinput.Model
	// output is the last command's answer, or what went wrong.
	output  string
	failed  bool
	showKey bool
}

// New builds the screen for the holder of key identity. ctx ends when the
// session does; commands still running then are abandoned.
func New(ctx context.Context, hub *session.Hub, identity string, styles *Styles, width, height int) *Model {
	m := &Model{ctx: ctx, hub: hub, identity: identity, styles: styles, snap: hub.Snapshot(), width: width, height: height}
	if _, known := m.snap.Participant(identity); !known {
		m.onboarding = newOnboarding(m)
	}
	return m
}

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) role() session.Role { return m.snap.Forum.RoleOf(m.identity) }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		m.snap = msg.Snapshot
		return m, nil
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.input != nil {
			m.input.Width = max(10, m.width-4)
		}
		return m, nil
	case resultMsg:
		m.output, m.failed = strings.TrimRight(msg.output, "\n"), msg.err != nil
		if msg.err != nil {
			m.output = msg.err.Error()
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return m, tea.Quit
		}
		if m.onboarding != nil {
			return m, m.onboarding.update(msg)
		}
		if m.input != nil {
			return m, m.updateInput(msg)
		}
		return m, m.keys(msg)
	case onboardedMsg:
		if msg.err != nil {
			m.onboarding.err = msg.err.Error()
			return m, nil
		}
		m.onboarding = nil
		return m, nil
	}
	return m, nil
}

// keys handles keys on the main screen. Several keys can arrive in one
// message (fast typing, paste); each is handled in turn.
func (m *Model) keys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes {
		switch msg.Type {
		case tea.KeyEsc:
			m.output, m.showKey = "", false
		}
		return nil
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		switch r {
		case 'q':
			return tea.Quit
		case '?':
			m.showKey = !m.showKey
		case ':':
			// Whatever follows in the same message was typed into the
			// command line.
			m.openInput(string(msg.Runes[i+1:]))
			return tea.Batch(cmds...)
		default:
			if m.role() == session.RoleFacilitator {
				if line, ok := facilitatorKeys[r]; ok {
					if strings.HasSuffix(line, " ") {
						m.openInput(line)
						return tea.Batch(cmds...)
					}
					cmds = append(cmds, m.run(line))
				}
			}
		}
	}
	return tea.Batch(cmds...)
}

// facilitatorKeys are shortcuts for command lines; a line that ends in a
// space opens the command line for the rest to be typed.
var facilitatorKeys = map[rune]string{
	'n': "step next",
	'p': "step prev",
	'g': "step goto ",
	't': "timer start",
	'+': "timer extend 5",
	'x': "timer stop",
}

func (m *Model) openInput(value string) {
	ti := textinput.New()
	ti.Prompt = ": "
	ti.PromptStyle = m.styles.InputPrompt
	ti.TextStyle = m.styles.Input
	ti.PlaceholderStyle = m.styles.Placeholder
	ti.Cursor.Style = m.styles.Cursor
	ti.Cursor.TextStyle = m.styles.Input
	// A static cursor: a blinking one would wake this program, and redraw
	// the screen, twice a second for as long as the line is open.
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Placeholder = "a command, e.g. help (Enter runs, Esc closes)"
	ti.CharLimit = 1000
	ti.Width = max(10, m.width-4)
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Focus()
	m.input = &ti
}

func (m *Model) updateInput(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.input = nil
		return nil
	case tea.KeyEnter:
		line := strings.TrimSpace(m.input.Value())
		m.input = nil
		if line == "" {
			return nil
		}
		return m.run(line)
	}
	ti, cmd := m.input.Update(msg)
	m.input = &ti
	return cmd
}

// run runs a command line through the command language, exactly as if it
// had come as an SSH command.
func (m *Model) run(line string) tea.Cmd {
	ctx, hub, actor := m.ctx, m.hub, m.identity
	return func() tea.Msg {
		argv, err := command.Split(line)
		if err != nil {
			return resultMsg{err: err}
		}
		var out strings.Builder
		err = command.Run(ctx, command.Env{Hub: hub, Actor: actor, Out: &out}, argv)
		return resultMsg{output: out.String(), err: err}
	}
}
