package tui

// ShowRejoinCode tells a person who joined with the forum's join code
// (no SSH key) the personal code that brings them back as themselves: on
// the welcome screen, then as a message until they clear it.
func (m *Model) ShowRejoinCode(code string) {
	m.rejoin = code
	if m.onboarding == nil {
		m.output, m.failed = rejoinNotice(code), false
	}
}

func rejoinNotice(code string) string {
	return "Your rejoin code is " + code + " — write it down. You joined without an SSH key: next time, type this code at the join-code prompt to come back as yourself."
}
