package tui_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moot/tui"
)

// buggyModel panics on a key, in Update or in the View drawn after it.
type buggyModel struct{ inView bool }

func (b *buggyModel) Init() tea.Cmd { return nil }
func (b *buggyModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "u" {
		var cards []string
		_ = cards[3] // a bug
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "v" {
		b.inView = true
	}
	return b, nil
}
func (b *buggyModel) View() string {
	if b.inView {
		panic("a bug in drawing")
	}
	return "the forum"
}

// A panic in the model of one screen, in Update or in View, is reported
// with its stack and ends that program cleanly (tea.Quit), with the
// Painter still its model.
func TestAPanicOnAScreenQuitsThatScreen(t *testing.T) {
	for _, key := range []string{"u", "v"} {
		var out strings.Builder
		p := tui.NewPainter(&buggyModel{}, &out, 40, 3)
		var told any
		var stack string
		p.OnPanic(func(v any, s []byte) { told, stack = v, string(s) })
		p.Init()
		m, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(key)})
		// A key is drawn by the message its command sends (Painter): the
		// panic in View comes then.
		if told == nil && cmd != nil {
			m, cmd = p.Update(cmd())
		}
		if told == nil || !strings.Contains(stack, "recover_test.go") {
			t.Fatalf("key %s: the panic was not reported with its stack (told %v)", key, told)
		}
		if m != p {
			t.Fatalf("key %s: the program's model is now %T, want the Painter", key, m)
		}
		if cmd == nil {
			t.Fatalf("key %s: no command after the panic, want tea.Quit", key)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("key %s: the command after the panic is not tea.Quit", key)
		}
	}
}
