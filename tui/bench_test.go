package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/agenda"
	"moot/store"
)

// BenchmarkDialogueView500 draws a participant's screen on a dialogue step
// with 500 cards under 5 themes. "first" is the first screen to draw a new
// snapshot (nothing remembered yet); "another" is every further screen of
// the same forum, which reuses what the first drew. The cost of a change
// across N screens is about first + (N-1) × another.
func BenchmarkDialogueView500(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "moot.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	f, _ := agenda.Parse(agenda.Demo)
	f.Facilitators = []string{"SHA256:fac"}
	h, err := session.NewHub(ctx, st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Stop()
	do := func(id string, cmd session.Command) {
		if err := h.Do(ctx, id, cmd); err != nil {
			b.Fatal(err)
		}
	}
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
			styles := newStyles(StylesFor(termenv.ANSI256).renderer) // nothing remembered
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
