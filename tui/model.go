// Package tui draws moot for one person's terminal: a bubbletea model per
// connection that draws the person's view of each snapshot of the forum
// (session decides what they may see) and changes the forum only by
// sending typed commands to its Hub. The command line (:) is the one place
// that reads typed text as a command.
package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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
	// view is the forum as this person may see it, as of the latest
	// snapshot.
	view   *session.View
	width  int
	height int

	// onboarding is set while a person who is new to the forum gives their
	// name and sector.
	onboarding *onboarding
	// input is the command line, created only while someone types in it.
	input *textinput.Model
	// output is the last command's answer, or what went wrong.
	output  string
	failed  bool
	showKey bool
	// phase draws the current step's own work; nil where a phase has
	// nothing of its own yet. It is made anew when the step changes.
	phase     phaseModel
	phaseStep int
	// rejoin is the personal code of someone who joined without a key,
	// shown until they have given their name (organiser.go).
	rejoin string
}

// A phaseModel draws one step's own work (cards, ballots, statements) and
// takes the keys and messages that belong to it.
type phaseModel interface {
	// update takes a key or another message; handled is false for a key
	// that is not the phase's, which then goes to the keys every screen has.
	update(msg tea.Msg) (cmd tea.Cmd, handled bool)
	// view draws the phase in width by height cells.
	view(width, height int) string
	// typing is true while the phase has a text field open that takes
	// every key.
	typing() bool
}

// phaseModels makes the model of each phase that has one; each phase's file
// registers its own.
var phaseModels = map[session.Phase]func(m *Model) phaseModel{}

// New builds the screen for the holder of key identity. ctx ends when the
// session does; commands still running then are abandoned.
func New(ctx context.Context, hub *session.Hub, identity string, styles *Styles, width, height int) *Model {
	m := &Model{ctx: ctx, hub: hub, identity: identity, styles: styles, width: width, height: height}
	m.setSnapshot(hub.Snapshot())
	// An archived forum takes no one new: they see it as it ended.
	if _, known := m.view.Me(); !known && !m.view.Archived() {
		m.onboarding = newOnboarding(m)
	}
	return m
}

// setSnapshot takes a new picture of the forum as this person's view, and
// a new phase model when the step has changed.
func (m *Model) setSnapshot(snap *session.Snapshot) {
	m.view = snap.ViewFor(m.identity)
	if m.phase != nil && m.phaseStep == m.view.Step() {
		return
	}
	m.phase, m.phaseStep = nil, m.view.Step()
	if st := m.view.CurrentStep(); st != nil {
		if make, ok := phaseModels[st.Phase]; ok {
			m.phase = withExtras(m, make(m)) // a poll, the tables' points (extras.go)
		}
	}
}

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) facilitator() bool { return m.view.Facilitator() }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		m.setSnapshot(msg.Snapshot)
		if m.phase != nil {
			cmd, _ := m.phase.update(msg)
			return m, cmd
		}
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
		// bubbletea gives every space key the same slice of runes, shared
		// by all programs, and a text field sanitises a key's runes in
		// place: each screen takes its own copy.
		msg.Runes = slices.Clone(msg.Runes)
		return m, m.key(msg)
	case onboardedMsg:
		if msg.err != nil {
			m.onboarding.err = msg.err.Error()
			return m, nil
		}
		m.onboarding = nil
		if m.rejoin != "" {
			m.output, m.failed = rejoinNotice(m.rejoin), false
		}
		return m, nil
	}
	if m.phase != nil {
		cmd, _ := m.phase.update(msg)
		return m, cmd
	}
	return m, nil
}

// typing tells whether a text field is open that takes every key.
func (m *Model) typing() bool {
	return m.onboarding != nil || m.input != nil || (m.phase != nil && m.phase.typing())
}

// key routes a key to whatever has it: an open text field, else the phase,
// else the keys every screen has.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case m.onboarding != nil:
		return m.onboarding.update(msg)
	case m.input != nil:
		return m.updateInput(msg)
	case m.phase != nil && m.phase.typing():
		cmd, _ := m.phase.update(msg)
		return cmd
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		// Several keys in one message (fast typing, a paste): each in
		// turn, and once one opens a text field the rest is typed into it.
		var cmds []tea.Cmd
		for i, r := range msg.Runes {
			if m.typing() {
				cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:]}))
				break
			}
			cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
		}
		return tea.Batch(cmds...)
	}
	if m.phase != nil {
		if cmd, ok := m.phase.update(msg); ok {
			return cmd
		}
	}
	return m.screenKey(msg)
}

// screenKey handles the keys every screen has, and the facilitator's.
func (m *Model) screenKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyEsc {
		m.output, m.showKey = "", false
		return nil
	}
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 {
		return nil
	}
	switch r := msg.Runes[0]; r {
	case 'q':
		return tea.Quit
	case '?':
		m.showKey = !m.showKey
	case ':':
		m.openInput("")
	default:
		if !m.facilitator() {
			return nil
		}
		switch r {
		case 'n':
			return m.do(session.NextStep{}, stepSaid)
		case 'p':
			return m.do(session.PreviousStep{}, stepSaid)
		case 'g':
			m.openInput("step goto ")
		case 't':
			return m.do(session.StartTimer{}, timerSaid)
		case '+':
			return m.do(session.ExtendTimer{Minutes: 5}, timerSaid)
		case 'x':
			return m.do(session.StopTimer{}, timerSaid)
		}
	}
	return nil
}

// stepSaid says where the forum is after a step key.
func stepSaid(v *session.View) string {
	switch v.Stage() {
	case session.Lobby:
		return "the forum is back in the lobby"
	case session.Closed:
		return "the forum is closed"
	}
	st := v.CurrentStep()
	return fmt.Sprintf("step %d/%d: %s [%s]", v.Step(), len(v.Forum().Steps), st.Title, st.Phase)
}

// timerSaid says how the timebox stands after a timer key.
func timerSaid(v *session.View) string {
	if !v.Timer().Running() {
		return "timebox stopped"
	}
	return "timebox: " + session.Countdown(v.Timer().Remaining(time.Now()))
}

// do sends a typed command to the Hub; once it is saved, said tells the
// person what it did, from their view of the forum as it now stands.
func (m *Model) do(cmd session.Command, said func(v *session.View) string) tea.Cmd {
	ctx, hub, id := m.ctx, m.hub, m.identity
	return func() tea.Msg {
		if err := hub.Do(ctx, id, cmd); err != nil {
			return resultMsg{err: err}
		}
		return resultMsg{output: said(hub.Snapshot().ViewFor(id))}
	}
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

// run runs a line typed at the command line through the command language,
// exactly as if it had come as an SSH command. Keys never come here: they
// send typed commands (do).
func (m *Model) run(line string) tea.Cmd {
	ctx, hub, actor := m.ctx, m.hub, m.identity
	return func() tea.Msg {
		var out strings.Builder
		err := command.Run(ctx, command.Env{Hub: hub, Actor: actor, Out: &out, Console: true}, line)
		return resultMsg{output: out.String(), err: err}
	}
}
