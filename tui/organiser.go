package tui

// ShowRejoinCode tells a person who joined with the forum's join code
// (no SSH key) the personal code that brings them back as themselves: it
// stays on the screen until they say they have written it down (y).
func (m *Model) ShowRejoinCode(code string) {
	m.rejoin, m.rejoinPinned = code, true
}

// KnowRejoinCode gives the screen the rejoin code the person joined with,
// so that whoami can show it again; "" for someone with a key.
func (m *Model) KnowRejoinCode(code string) {
	if code != "" {
		m.rejoin = code
	}
}
