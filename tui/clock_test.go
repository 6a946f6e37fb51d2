package tui_test

import (
	"context"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

// A second of a running timebox redraws the bar and nothing more, and what
// it draws is what a fresh screen draws at that clock: on every step, for
// a participant and a facilitator, also once the time has run out.
func TestALaterClockDrawsAsAFreshScreen(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	for id, name := range map[string]string{ada: "Ada", facilitator: "Fran"} {
		if err := h.Do(ctx, id, session.Register{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	styles := tui.StylesFor(termenv.ANSI256)
	for step := 1; step <= len(h.Forum().Steps); step++ {
		for _, cmd := range []session.Command{session.GoToStep{To: step}, session.StartTimer{Minutes: 1}} {
			if err := h.Do(ctx, facilitator, cmd); err != nil {
				t.Fatal(err)
			}
		}
		snap := h.Snapshot()
		for _, id := range []string{ada, facilitator} {
			for _, later := range []time.Duration{time.Second, 2 * time.Minute} {
				m := tui.New(ctx, h, id, styles, 80, 24)
				m.Update(tui.SnapshotMsg{Snapshot: snap})
				before := m.View()
				next := snap.Later(snap.Now.Add(later))
				m.Update(tui.SnapshotMsg{Snapshot: next})
				got := m.View()
				fresh := tui.New(ctx, h, id, styles, 80, 24)
				fresh.Update(tui.SnapshotMsg{Snapshot: next})
				if want := fresh.View(); got != want {
					t.Errorf("step %d, %s, %v later: the screen redrawn for the clock is\n%s\nwhere a fresh one is\n%s", step, id, later, got, want)
				}
				if got == before {
					t.Errorf("step %d, %s, %v later: the countdown did not move", step, id, later)
				}
			}
		}
	}
}
