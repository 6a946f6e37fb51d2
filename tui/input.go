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
		return fmt.Sprintf("that paste was longer than %d KiB, so none of it was taken; paste less at a time", m.Limit>>10)
	}
	return "that was more than anyone types at once, so the rest of it was not taken"
}
