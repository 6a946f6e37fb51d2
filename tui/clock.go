package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
)

// While a timebox runs, the Hub delivers the forum once a second at a
// later clock and nothing else changed (session.Snapshot.Later). Such a
// snapshot redraws the bar, where the countdown is, and nothing more: the
// rest of the screen is the one drawn last. So only the bar (header) and
// whether the time is up (timeUp) may depend on the clock; a screen that
// shows the time anywhere else must say so in timeUp's place.

// noteClock, deferred by Update, notes whether the message just handled
// moved nothing but the clock since the view before it, prev. Any other
// message forgets the screen drawn last, so that it is reused only when
// nothing but the clock has moved since it was drawn.
func (m *Model) noteClock(msg tea.Msg, prev *session.View) {
	_, snapshot := msg.(SnapshotMsg)
	m.clockOnly = snapshot && m.view.OnlyLater(prev)
	if !m.clockOnly {
		m.drawn = ""
	}
}

// timeUp tells whether the facilitator's screen says the time is up.
func (m *Model) timeUp() bool {
	return m.facilitator() && m.view.Timer().Running() && m.view.Timer().Remaining(m.view.Now()) <= 0
}
