package tui_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moot/tui"
)

// Pasted text is never taken as keys: on a facilitator's screen with no
// text field open, a paste full of shortcut keys (n moves the step on, q
// quits) does nothing but say where a paste goes; in a text field it is
// typed.
func TestAPasteIsNeverKeys(t *testing.T) {
	h := dialogueHub(t)
	f := open(t, h, facilitator)
	step := h.Snapshot().Step
	f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nnnn ppp ttt xq"), Paste: true})
	if got := h.Snapshot().Step; got != step {
		t.Fatalf("a paste moved the forum from step %d to %d", step, got)
	}
	f.shows("pastes go in a text field (w or :)")
	f.typeText("w")
	f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Meetings clash with school runs"), Paste: true})
	f.shows("Meetings clash with school runs")
}

// Input dropped before it reached the screen is told on it.
func TestDroppedInputIsTold(t *testing.T) {
	h := dialogueHub(t)
	a := open(t, h, ada)
	a.send(tui.InputRefusedMsg{Paste: true, Limit: 8 << 10})
	a.shows("that paste is over 8 KiB: none of it was taken")
	a.send(tui.InputRefusedMsg{Limit: 4 << 10})
	a.shows("too much typed at once: the rest was not taken")
}
