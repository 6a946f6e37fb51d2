// Package tui draws moot for one person's terminal: a bubbletea model per
// connection that draws the person's view of each snapshot of the forum
// (session decides what they may see) and changes the forum only by
// sending typed commands to its Hub. The command line (:) is the one place
// that reads typed text as a command.
package tui

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/command"
)

// SnapshotMsg carries a new picture of the forum to the model.
type SnapshotMsg struct{ Snapshot *session.Snapshot }

// resultMsg is the answer to a command the person gave; step is where
// the forum stood once it was done, so that the answer is not shown on a
// later step, where it would no longer be true.
type resultMsg struct {
	line   string
	output string
	err    error
	step   int
}

// Model is the root model: it switches view by where the person is
// (naming themselves, or in the forum) and by role.
type Model struct {
	// catalogue has the languages the server speaks; nil: the ones moot
	// ships. p prints this screen in the person's language (their choice,
	// else their forum's), chosen once for each snapshot.
	catalogue *catalogue.Catalogue
	p         *printer

	ctx      context.Context
	hub      *session.Hub
	identity string
	// styles draw this screen; terminal are the ones the client's
	// terminal asked for, which the person's own choice of symbols may
	// override.
	styles, terminal *Styles
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
	// output is the last short answer, or what went wrong, said on step
	// outputStep.
	output     string
	failed     bool
	outputStep int
	// page is open while the screen shows something taller than itself:
	// the help, or a command's long output.
	page *page
	// phase draws the current step's own work; nil where a phase has
	// nothing of its own yet. It is made anew when the step changes.
	phase     phaseModel
	phaseStep int
	// confirm is the key that, pressed again, does what it asked about:
	// leaving, or closing the forum.
	confirm *keyDef
	// drafts keeps, by step, what was being written when the step
	// changed; nil until then.
	drafts map[int]*draft
	// rejoin is the personal code of someone who joined without a key;
	// rejoinPinned keeps it on screen until they say they have it.
	rejoin       string
	rejoinPinned bool

	// drawn is the screen as View last drew it, but for its bar, and
	// drawnLate whether it said the time was up; clockOnly is set while
	// nothing but the clock has moved since (clock.go).
	drawn     string
	drawnLate bool
	clockOnly bool
	// statusLine is the status line drawn last, and what it showed.
	statusLine string
	statusKey  statusKey
	// keyList and phaseKeys are kept from drawing to drawing for the list
	// of keys the footer lays out: every screen makes it at every change.
	keyList, phaseKeys []*keyDef
}

// page is a text shown in the pager; help pages are made at each drawing.
type page struct {
	title string
	text  string
	help  bool
	scroll
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
	// keys are the phase's keys as they stand now (a text open, details
	// open), the most important first.
	keys() []*keyDef
	// draft is what is being written, nil when nothing is; restore opens
	// it again, unsent.
	draft() *draft
	restore(d *draft)
}

// draft is text a person was writing when the step changed under them: it
// is kept, never sent, and comes back when that step does.
type draft struct {
	// mode is what was being written (the phase's own word for it) and
	// target what about (a card, a statement); theme, anon and wording
	// are the rest of what the composer held.
	mode    string
	target  int64
	text    string
	theme   int64
	anon    bool
	wording string
}

// phaseModels makes the model of each phase that has one; each phase's file
// registers its own.
var phaseModels = map[session.Phase]func(m *Model) phaseModel{}

// New builds the screen for the holder of key identity. ctx ends when the
// session does; commands still running then are abandoned.
func New(ctx context.Context, hub *session.Hub, identity string, styles *Styles, width, height int) *Model {
	m := &Model{ctx: ctx, hub: hub, identity: identity, styles: styles, terminal: styles, width: width, height: height}
	m.setSnapshot(hub.Snapshot())
	// An archived forum takes no one new: they see it as it ended.
	if _, known := m.view.Me(); !known && !m.view.Archived() {
		m.onboarding = newOnboarding(m)
	}
	return m
}

// setSnapshot takes a new picture of the forum as this person's view, and
// a new phase model when the step has changed; what was being written on
// the step before is kept as a draft.
func (m *Model) setSnapshot(snap *session.Snapshot) {
	m.view = snap.ViewFor(m.identity)
	if cp := m.catalogue.Printer(m.view.Langs()...); m.p == nil || m.p.Printer != cp {
		m.p = printerOf(cp)
	}
	m.chooseSymbols()
	if m.phase != nil && m.phaseStep == m.view.Step() {
		return
	}
	left := m.phaseStep
	if m.confirm == keyNext {
		// Asked about the step that was last; it no longer is.
		m.confirm = nil
	}
	if m.phase != nil {
		if d := m.phase.draft(); d != nil && strings.TrimSpace(d.text) != "" {
			if m.drafts == nil {
				m.drafts = map[int]*draft{}
			}
			m.drafts[left] = d
			m.say(m.p.T("tui.draft.kept", left), false)
		}
	}
	m.phase, m.phaseStep = nil, m.view.Step()
	if st := m.view.CurrentStep(); st != nil {
		if make, ok := phaseModels[st.Phase]; ok {
			m.phase = withExtras(m, make(m)) // a poll, the tables' points (extras.go)
		}
	}
	if d := m.drafts[m.phaseStep]; d != nil && m.phase != nil {
		delete(m.drafts, m.phaseStep)
		m.phase.restore(d)
		m.say(m.p.T("tui.draft.back"), false)
	}
}

// SetCatalogue gives the screen the languages the server speaks (New
// starts with the ones moot ships).
func (m *Model) SetCatalogue(c *catalogue.Catalogue) {
	m.catalogue = c
	m.p = printerOf(c.Printer(m.view.Langs()...))
}

// chooseSymbols follows the person's own choice of symbols, where they
// made one, else their terminal's.
func (m *Model) chooseSymbols() {
	me, _ := m.view.Me()
	switch me.Symbols {
	case session.SymbolsASCII:
		m.styles = m.terminal.withSymbols(true)
	case session.SymbolsUnicode:
		m.styles = m.terminal.withSymbols(false)
	default:
		m.styles = m.terminal
	}
}

// say shows a short message on the current step.
func (m *Model) say(text string, failed bool) {
	m.output, m.failed, m.outputStep = text, failed, m.view.Step()
}

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) facilitator() bool { return m.view.Facilitator() }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.noteClock(msg, m.view)
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
		m.result(msg)
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
	case InputRefusedMsg:
		m.say(msg.text(m.p), true)
		return m, nil
	case onboardedMsg:
		if msg.err != nil {
			// The sector came from the list: what was refused is the name
			// (someone has it already), so ask for it again.
			m.onboarding.err, m.onboarding.naming = m.p.Error(msg.err), true
			return m, nil
		}
		m.onboarding = nil
		return m, nil
	}
	if m.phase != nil {
		cmd, _ := m.phase.update(msg)
		return m, cmd
	}
	return m, nil
}

// maxMessageLines is the most a message takes at the foot of the screen;
// a longer answer opens in the pager.
const maxMessageLines = 3

// result shows a command's answer: short ones at the foot of the screen,
// longer ones in the pager.
func (m *Model) result(msg resultMsg) {
	m.outputStep = msg.step
	if msg.err != nil {
		// Why it was refused, in the person's language.
		m.output, m.failed = m.p.Error(msg.err), true
		return
	}
	text := strings.TrimRight(msg.output, "\n")
	if len(strings.Split(m.styles.wrap(&m.styles.Muted, max(m.width-2, 10), text), "\n")) > maxMessageLines {
		m.page = &page{title: msg.line, text: text}
		m.output = ""
		return
	}
	m.output, m.failed = text, false
}

// typing tells whether a text field is open that takes every key.
func (m *Model) typing() bool {
	return m.onboarding != nil || m.input != nil || (m.phase != nil && m.phase.typing())
}

// key routes a key to whatever has it: an open text field, a question
// waiting for its answer, the pager, else the phase, else the keys every
// screen has.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case m.onboarding != nil:
		return m.onboarding.update(msg)
	case m.input != nil:
		return m.updateInput(asText(msg))
	case m.phase != nil && m.phase.typing():
		cmd, _ := m.phase.update(asText(msg))
		return cmd
	case msg.Paste:
		// Pasted text is never taken as keys: it could hold any of them.
		m.say(m.p.T("tui.paste_elsewhere"), true)
		return nil
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
	if asked := m.confirm; asked != nil {
		// Any other key keeps things as they are.
		m.confirm = nil
		m.output = ""
		switch {
		case asked == keyQuit && m.pressed(msg, keyQuit):
			return tea.Quit
		case asked == keyNext && m.pressed(msg, keyNext):
			return m.do(session.NextStep{}, stepSaid)
		}
		return nil
	}
	if m.page != nil {
		if m.pressed(msg, keyBack) || (m.page.help && m.pressed(msg, keyHelp)) {
			m.page = nil
		} else {
			m.page.key(m, msg)
		}
		return nil
	}
	if m.rejoinPinned && m.pressed(msg, keyGotIt) {
		m.rejoinPinned = false
		return nil
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
	switch {
	case m.pressed(msg, keyClear):
		m.output = ""
	case m.pressed(msg, keyHelp):
		m.page = &page{help: true}
	case m.pressed(msg, keyCommand):
		m.openInput("")
	case m.pressed(msg, keyQuit):
		m.confirm = keyQuit
		m.say(m.p.T("tui.confirm.quit"), false)
	case m.pressed(msg, keyNext):
		if m.view.Step() == len(m.view.Forum().Steps) {
			m.confirm = keyNext
			m.say(m.p.T("tui.confirm.close"), false)
			return nil
		}
		return m.do(session.NextStep{}, stepSaid)
	case m.pressed(msg, keyPrev):
		return m.do(session.PreviousStep{}, stepSaid)
	case m.pressed(msg, keyGoto):
		m.openInput("step goto ")
	case m.pressed(msg, keyTimer):
		return m.do(session.StartTimer{}, timerSaid)
	case m.pressed(msg, keyExtend):
		return m.do(session.ExtendTimer{Minutes: 5}, timerSaid)
	case m.pressed(msg, keyStop):
		return m.do(session.StopTimer{}, timerSaid)
	}
	return nil
}

// keys are the keys the screen has as it stands, the most important
// first. The list is the screen's own until the next call.
func (m *Model) keys() []*keyDef {
	switch {
	case m.onboarding != nil:
		return m.onboarding.keys()
	case m.input != nil:
		return []*keyDef{keyRun, keyClose}
	case m.phase != nil && m.phase.typing():
		return m.phase.keys()
	case m.page != nil:
		return pagerKeys
	}
	// Laid out in slices the screen keeps: only View asks, and the footer's
	// memo copies what it keeps.
	keys := m.keyList[:0]
	if m.rejoinPinned {
		keys = append(keys, keyGotIt)
	}
	var phase []*keyDef
	if m.phase != nil && m.view.Stage() == session.Running {
		phase = m.appendMine(m.phaseKeys[:0], m.phase.keys()...)
		m.phaseKeys = phase
		if slices.Contains(phase, keyBack) {
			// The phase shows a page of its own, which q closes.
			m.keyList = append(append(keys, phase...), keyCommand)
			return m.keyList
		}
	}
	// The footer gives room first to the step's most important key, then
	// to moving the forum on (a facilitator's), then to the step's next
	// two, the command line and leaving, then to the rest.
	first, lead := phase[:min(1, len(phase))], phase[min(1, len(phase)):min(3, len(phase))]
	keys = m.appendMine(append(keys, first...), keyNext)
	keys = append(append(keys, lead...), keyCommand, keyQuit)
	keys = append(keys, phase[len(first)+len(lead):]...)
	m.keyList = m.appendMine(keys, screenKeys...)
	return m.keyList
}

// appendMine appends to dst the keys this person's screen has.
func (m *Model) appendMine(dst []*keyDef, keys ...*keyDef) []*keyDef {
	for _, k := range keys {
		if k.whose != facilitators || m.facilitator() {
			dst = append(dst, k)
		}
	}
	return dst
}

// stepSaid says where the forum is after a step key.
func stepSaid(p *printer, v *session.View) string {
	switch v.Stage() {
	case session.Lobby:
		return p.T("tui.said.lobby")
	case session.Closed:
		return p.T("tui.said.closed")
	}
	st := v.CurrentStep()
	return p.T("tui.said.step", v.Step(), len(v.Forum().Steps), st.Title, session.PhaseWord(st.Phase))
}

// timerSaid says how the timebox stands after a timer key.
func timerSaid(p *printer, v *session.View) string {
	if !v.Timer().Running() {
		return p.T("tui.said.timer_stopped")
	}
	return p.T("tui.said.timer", session.CountdownText(v.Timer().Remaining(time.Now())))
}

// do sends a typed command to the Hub; once it is saved, said tells the
// person what it did, in their language, from their view of the forum as
// it now stands.
func (m *Model) do(cmd session.Command, said func(p *printer, v *session.View) string) tea.Cmd {
	ctx, hub, id, cat := m.ctx, m.hub, m.identity, m.catalogue
	return func() tea.Msg {
		if err := hub.Do(ctx, id, cmd); err != nil {
			return resultMsg{err: err, step: hub.Snapshot().ViewFor(id).Step()}
		}
		v := hub.Snapshot().ViewFor(id)
		return resultMsg{output: said(printerOf(cat.Printer(v.Langs()...)), v), step: v.Step()}
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
	ti.Placeholder = m.p.T("tui.command_line.placeholder")
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
	ctx, hub, actor, rejoin, cat := m.ctx, m.hub, m.identity, m.rejoin, m.catalogue
	return func() tea.Msg {
		// Run refuses a line over command.MaxLineBytes before reading it,
		// as it does one sent over SSH. The answer is in the person's
		// language.
		p := cat.Printer(hub.Snapshot().ViewFor(actor).Langs()...)
		var out strings.Builder
		err := command.Run(ctx, command.Env{Hub: hub, Actor: actor, Out: &out, Console: true, Log: hub.Logger(), Rejoin: rejoin, Catalogue: cat, Printer: p}, line)
		return resultMsg{line: line, output: out.String(), err: err, step: hub.Snapshot().ViewFor(actor).Step()}
	}
}
