package tui

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
)

// benchHub is the demo forum with its first step at tables and a poll
// step at the end, and n people in its sectors.
func benchHub(b *testing.B, n int) (*session.Hub, func(id string, cmd session.Command)) {
	h, do, f := demoHub(b, func(f *session.Forum) {
		f.Steps[0].Tables = true
		f.Steps = append(f.Steps, session.Step{Title: "How did it go?", Phase: session.Polling})
	})
	for i := 0; i < n; i++ {
		do(fmt.Sprintf("SHA256:p%03d", i), session.Register{Name: fmt.Sprintf("Person %d", i), Sector: f.Sectors[i%len(f.Sectors)]})
	}
	return h, do
}

// BenchmarkTablesView300 draws a participant's screen on a step at tables:
// 300 people at 50 tables of six, two cards each. "first" is the first
// screen of a new snapshot (its views made anew, nothing drawn
// remembered); "another" is every further screen of the same snapshot.
func BenchmarkTablesView300(b *testing.B) {
	h, do := benchHub(b, 300)
	do("SHA256:fac", session.MakeTables{Count: 50, BySector: true})
	do("SHA256:fac", session.NextStep{})
	for i := 0; i < 600; i++ {
		do(fmt.Sprintf("SHA256:p%03d", i%300), session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers and shift workers cannot come.", i)})
	}
	benchScreens(b, h, do, "SHA256:p007", nil)
}

// BenchmarkPollResults300 draws a participant's screen of a closed ladder
// of five points that 300 people in five sectors answered, by sector.
func BenchmarkPollResults300(b *testing.B) {
	h, do := benchHub(b, 300)
	do("SHA256:fac", session.GoToStep{To: 5})
	do("SHA256:fac", session.OpenPoll{Spec: session.PollSpec{Question: "Where does our practice sit?", Kind: session.PollScale, Labels: []string{"doing to", "doing with"}}})
	for i := 0; i < 300; i++ {
		do(fmt.Sprintf("SHA256:p%03d", i), session.AnswerPoll{Poll: 1, Point: 1 + (i*7)%5})
	}
	do("SHA256:fac", session.ClosePoll{Poll: 1})
	benchScreens(b, h, do, "SHA256:p007", &tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'s'}})
}

// benchScreens measures the first screen of a new snapshot and every
// other, as BenchmarkVotingResults300 does.
func benchScreens(b *testing.B, h *session.Hub, do func(string, session.Command), viewer string, key *tea.KeyMsg) {
	ctx := context.Background()
	draw := func(styles *Styles) {
		m := New(ctx, h, viewer, styles, 80, 24)
		if key != nil {
			m.Update(*key)
		}
		_ = m.View()
	}
	do("SHA256:fac", session.Register{Name: "Fran"})
	up := false
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			up = !up
			do("SHA256:fac", session.RaiseHand{Raise: up})
			styles := newStyles(StylesFor(termenv.ANSI256).renderer, false)
			b.StartTimer()
			draw(styles)
		}
	})
	b.Run("another", func(b *testing.B) {
		styles := StylesFor(termenv.ANSI256)
		draw(styles)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			draw(styles)
		}
	})
}
