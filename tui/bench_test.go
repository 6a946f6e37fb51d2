package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/agenda"
	"moot/store"
)

// demoHub is the demo forum, as edit changes it, on a store of its own,
// with a facilitator SHA256:fac; do runs a command or fails the benchmark.
func demoHub(b *testing.B, edit func(*session.Forum)) (*session.Hub, func(id string, cmd session.Command), *session.Forum) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "moot.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	f, _ := agenda.Parse(agenda.Demo)
	f.Facilitators = []string{"SHA256:fac"}
	if edit != nil {
		edit(f)
	}
	h, err := session.NewHub(ctx, st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Stop)
	do := func(id string, cmd session.Command) {
		if err := h.Do(ctx, id, cmd); err != nil {
			b.Fatal(err)
		}
	}
	return h, do, f
}

// BenchmarkDialogueView500 draws a participant's screen on a dialogue step
// with 500 cards under 5 themes. "first" is the first screen to draw a new
// snapshot (nothing remembered yet); "another" is every further screen of
// the same forum, which reuses what the first drew. The cost of a change
// across N screens is about first + (N-1) × another.
func BenchmarkDialogueView500(b *testing.B) {
	ctx := context.Background()
	h, do, _ := demoHub(b, nil)
	do("SHA256:fac", session.NextStep{})
	for t := 1; t <= 5; t++ {
		do("SHA256:fac", session.AddTheme{Name: fmt.Sprintf("Theme %d", t)})
	}
	for i := 0; i < 500; i++ {
		id := fmt.Sprintf("SHA256:p%d", i/2)
		if i%2 == 0 {
			do(id, session.Register{Name: fmt.Sprintf("Person %d", i/2)})
		}
		do(id, session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers and shift workers cannot come, and nobody hears back afterwards.", i)})
		if i%3 != 0 {
			do("SHA256:fac", session.AssignCards{Theme: int64(i%5 + 1), Cards: []int64{int64(i + 1)}})
		}
	}
	viewer := "SHA256:p7"
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			styles := newStyles(StylesFor(termenv.ANSI256).renderer, false) // nothing remembered
			m := New(ctx, h, viewer, styles, 80, 24)
			_ = m.View()
		}
	})
	b.Run("another", func(b *testing.B) {
		styles := StylesFor(termenv.ANSI256)
		New(ctx, h, viewer, styles, 80, 24).View()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			m := New(ctx, h, viewer, styles, 80, 24)
			_ = m.View()
		}
	})
}

// BenchmarkVotingResults300 draws a participant's screen of a closed
// ballot of 20 items that 300 people in five sectors voted on, by sector.
// "first" is the first screen of a new snapshot (its views and drawings
// made anew); "another" is every further screen of the same snapshot.
func BenchmarkVotingResults300(b *testing.B) {
	ctx := context.Background()
	h, do, f := demoHub(b, nil)
	do("SHA256:fac", session.GoToStep{To: 2})
	items := make([]string, 20)
	for i := range items {
		items[i] = fmt.Sprintf("Barrier %d: meetings are held when carers and shift workers cannot come", i+1)
	}
	do("SHA256:fac", session.OpenBallot{Texts: items})
	for i := 0; i < 300; i++ {
		id := fmt.Sprintf("SHA256:p%d", i)
		do(id, session.Register{Name: fmt.Sprintf("Person %d", i), Sector: f.Sectors[i%len(f.Sectors)]})
		do(id, session.CastVote{Ballot: 1, Dots: map[int]int{i%20 + 1: 3, (i*7)%20 + 1: 2}})
	}
	do("SHA256:fac", session.CloseBallot{Ballot: 1})
	viewer := "SHA256:p7"
	draw := func(styles *Styles) {
		m := New(ctx, h, viewer, styles, 80, 24)
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'s'}})
		_ = m.View()
	}
	do("SHA256:fac", session.Register{Name: "Fran"})
	up := false
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			// A change makes a new snapshot, whose views nobody has made
			// yet; nothing drawn is remembered either.
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

// BenchmarkScreensStepChange is a step change on 100 people's screens,
// drawn by the Painter as a server draws them: each model takes the new
// snapshot, and its Painter writes the lines that changed. An op is the
// whole change, every screen drawn once; the SSH write is
// cmd/internal/server's BenchmarkFanOut.
func BenchmarkScreensStepChange(b *testing.B) {
	ctx := context.Background()
	h, _, f := demoHub(b, nil)
	const people = 100
	styles := StylesFor(termenv.ANSI256)
	screens := make([]*Painter, people)
	for i := range screens {
		id := fmt.Sprintf("SHA256:p%d", i)
		if err := h.Do(ctx, id, session.Register{Name: fmt.Sprintf("Person %d", i)}); err != nil {
			b.Fatal(err)
		}
		screens[i] = NewPainter(New(ctx, h, id, styles, 80, 24), io.Discard, 80, 24)
		screens[i].Init()
	}
	steps := len(f.Steps)
	snaps := make([]*session.Snapshot, steps)
	for s := range snaps {
		if err := h.Do(ctx, "SHA256:fac", session.GoToStep{To: s + 1}); err != nil {
			b.Fatal(err)
		}
		snaps[s] = h.Snapshot()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		msg := SnapshotMsg{Snapshot: snaps[i%steps]}
		for _, p := range screens {
			p.Update(msg)
		}
	}
}
