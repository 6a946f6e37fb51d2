package tui

import "fmt"

// InputRefusedMsg tells a screen that input was dropped before it reached
// the screen: a paste longer than Limit bytes (dropped whole), or more
// typing at once than Limit bytes (the rest dropped).
type InputRefusedMsg struct {
	Paste bool
	Limit int
}

func (m InputRefusedMsg) text() string {
	if m.Paste {
		return fmt.Sprintf("that paste is over %d KiB: none of it was taken", m.Limit>>10)
	}
	return "too much typed at once: the rest was not taken"
}
