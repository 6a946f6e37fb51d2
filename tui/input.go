package tui

// InputRefusedMsg tells a screen that input was dropped before it reached
// the screen: a paste longer than Limit bytes (dropped whole), or more
// typing at once than Limit bytes (the rest dropped).
type InputRefusedMsg struct {
	Paste bool
	Limit int
}

func (m InputRefusedMsg) text(p *printer) string {
	if m.Paste {
		return p.T("tui.input.paste_too_long", m.Limit>>10)
	}
	return p.T("tui.input.too_fast")
}
