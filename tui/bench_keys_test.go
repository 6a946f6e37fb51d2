package tui

import (
	"context"
	"fmt"
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
)

// BenchmarkTypingABurst is a card typed all at once, as a paste or a fast
// typist on a slow link sends it, on a dialogue step of 300 cards: the
// Painter takes the keys bubbletea makes of it ("w", then the words and
// the spaces between them, each a message) and then whatever commands
// they asked for; then Esc closes the composer. An op is the whole burst
// and the closing, drawn as a server draws them.
func BenchmarkTypingABurst(b *testing.B) {
	ctx := context.Background()
	h, do, _ := demoHub(b, nil)
	do("SHA256:fac", session.NextStep{})
	for i := 0; i < 300; i++ {
		id := fmt.Sprintf("SHA256:p%d", i)
		do(id, session.Register{Name: fmt.Sprintf("Person %d", i)})
		do(id, session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers and shift workers cannot come.", i)})
	}
	screen := NewPainter(New(ctx, h, "SHA256:p7", StylesFor(termenv.ANSI256), 80, 24), io.Discard, 80, 24)
	screen.Init()
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}
	burst := []tea.KeyMsg{runes("wA"), space, runes("point"), space, runes("from"), space, runes("P0007")}
	closing := []tea.KeyMsg{{Type: tea.KeyEsc}}
	// take hands the keys over, then what their commands send back.
	take := func(keys []tea.KeyMsg) {
		var cmds []tea.Cmd
		for _, k := range keys {
			if _, cmd := screen.Update(k); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
		for len(cmds) > 0 {
			cmd := cmds[0]
			cmds = cmds[1:]
			switch msg := cmd().(type) {
			case tea.BatchMsg:
				cmds = append(cmds, msg...)
			case nil:
			default:
				if _, cmd := screen.Update(msg); cmd != nil {
					cmds = append(cmds, cmd)
				}
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		take(burst)
		take(closing)
	}
}
