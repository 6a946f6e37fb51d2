package tui

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

// extras lays what any step may have over the step's own screen: a poll
// asked on it, which takes the screen when it opens and again when it
// closes (Tab goes back to the step and to the poll), and, on a dialogue
// or deliberation step after a step at tables, what the tables brought
// back (B). Every phase's model is wrapped in it.
type extras struct {
	m     *Model
	inner phaseModel
	mode  extrasMode
	// polls is nil on a poll step, whose own screen is the polls.
	polls   *pollPanel
	plenary *plenary
	// status is how each poll of the step stood when last seen, so that
	// one opening or closing takes the screen once.
	status map[int64]string
}

type extrasMode int

// Keys between a step and what lies over it.
var (
	keyToPoll = bind("Tab", "Tab", "tui.key.to_poll", "tui.key.to_poll.help", "tab")
	keyToStep = bind("Tab/Esc", "Tab", "tui.key.to_step", "tui.key.to_step.help", "tab", "esc")
	keyUnder  = bind("B/Esc", "B", "tui.key.under", "tui.key.under.help", "B", "esc")
)

const (
	showStep extrasMode = iota
	showPoll
	showPlenary
)

func withExtras(m *Model, inner phaseModel) phaseModel {
	e := &extras{m: m, inner: inner, plenary: &plenary{m: m}, status: map[int64]string{}}
	if st := m.view.CurrentStep(); st != nil && st.Phase != session.Polling {
		e.polls = newPollPanel(m, false)
		for _, p := range m.view.PollsOf(m.view.Step()) {
			e.status[p.ID] = p.Status
		}
		if e.polls.current() != nil && e.polls.current().Open() {
			e.mode = showPoll
		}
	}
	return e
}

func (e *extras) keys() []*keyDef {
	switch e.mode {
	case showPoll:
		keys := e.polls.keys()
		if e.polls.typing() {
			return keys
		}
		return append(slices.Clone(keys), keyToStep)
	case showPlenary:
		return plenaryKeys
	}
	keys := e.inner.keys()
	if e.inner.typing() {
		return keys
	}
	var extra []*keyDef
	if e.polls != nil && e.polls.current() != nil {
		extra = append(extra, keyToPoll)
	}
	if e.hasPlenary() {
		extra = append(extra, keyBrought)
	}
	if e.waiting() {
		// A poll waits for this person's answer: Tab comes first.
		return append(extra, keys...)
	}
	return append(slices.Clone(keys), extra...)
}

// waiting tells whether a poll open on the step waits for the reader's
// answer.
func (e *extras) waiting() bool {
	if e.polls == nil {
		return false
	}
	v := e.m.view
	for _, p := range v.PollsOf(v.Step()) {
		if p.Open() && v.MyAnswer(p.ID) == nil {
			return true
		}
	}
	return false
}

func (e *extras) draft() *draft {
	if e.polls != nil {
		if d := e.polls.draft(); d != nil {
			return d
		}
	}
	return e.inner.draft()
}

func (e *extras) restore(d *draft) {
	if d.mode == "answer" && e.polls != nil {
		e.mode = showPoll
		e.polls.restore(d)
		return
	}
	e.inner.restore(d)
}

func (e *extras) typing() bool {
	switch e.mode {
	case showPoll:
		return e.polls.typing()
	case showStep:
		return e.inner.typing()
	}
	return false
}

// hasPlenary tells whether the step has the tables' points to show.
func (e *extras) hasPlenary() bool { return e.m.view.PlenaryStep(e.m.view.Step()) != 0 }

func (e *extras) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		cmd, handled := e.inner.update(msg)
		if e.polls != nil {
			e.polls.update(msg)
			e.noticePolls()
		}
		if e.mode == showPlenary && !e.hasPlenary() {
			e.mode = showStep
		}
		return cmd, handled
	case pollSavedMsg:
		if e.polls != nil {
			return e.polls.update(msg)
		}
	case tea.KeyMsg:
		return e.key(msg)
	}
	return e.inner.update(msg)
}

// noticePolls brings a poll up when it opens or closes, unless the person
// is typing on the step (the banner tells them).
func (e *extras) noticePolls() {
	for _, p := range e.m.view.PollsOf(e.m.view.Step()) {
		if e.status[p.ID] == p.Status {
			continue
		}
		e.status[p.ID] = p.Status
		if e.mode == showStep && e.inner.typing() {
			continue
		}
		e.polls.show(p.ID)
		e.mode = showPoll
	}
}

func (e *extras) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	m := e.m
	switch e.mode {
	case showPoll:
		if !e.polls.typing() && m.pressed(msg, keyToStep) {
			e.mode = showStep
			return nil, true
		}
		return e.polls.update(msg)
	case showPlenary:
		if m.pressed(msg, keyUnder) {
			e.mode = showStep
			return nil, true
		}
		return e.plenary.update(msg)
	}
	if e.inner.typing() {
		return e.inner.update(msg)
	}
	switch {
	case e.polls != nil && e.polls.current() != nil && m.pressed(msg, keyToPoll):
		e.mode = showPoll
		return nil, true
	case e.hasPlenary() && m.pressed(msg, keyBrought):
		e.mode = showPlenary
		return nil, true
	}
	return e.inner.update(msg)
}

func (e *extras) view(width, height int) string {
	switch e.mode {
	case showPoll:
		return e.polls.view(width, height)
	case showPlenary:
		return e.plenary.view(width, height)
	}
	if line := e.banner(width); line != "" {
		return line + "\n" + e.inner.view(width, max(height-1, 3))
	}
	return e.inner.view(width, height)
}

// banner is a line above the step: a poll that waits for the reader, or
// the points the tables brought back.
func (e *extras) banner(width int) string {
	s, v := e.m.styles, e.m.view
	if e.polls != nil {
		for _, p := range v.PollsOf(v.Step()) {
			if p.Open() && (v.MyAnswer(p.ID) == nil || e.m.facilitator()) {
				return s.once(&s.OK, truncate(s.text(e.m.p.T("tui.poll.banner", p.ID, p.Question)), width))
			}
		}
	}
	if step := v.PlenaryStep(v.Step()); step != 0 && step != v.Step() {
		n := 0
		for _, g := range v.BroughtBack(step) {
			n += len(g.Cards)
		}
		if n > 0 {
			return s.once(&s.OK, truncate(e.m.p.T("tui.plenary.banner", n, step), width))
		}
	}
	return ""
}
