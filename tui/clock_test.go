package tui_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
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

// A second of a running timebox sends the terminal the bar's time and
// little more: the bar is rewritten from where it changes, on every
// screen, every second.
func TestASecondSendsOnlyTheTime(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	if err := h.Do(ctx, ada, session.Register{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []session.Command{session.GoToStep{To: 1}, session.StartTimer{Minutes: 10}} {
		if err := h.Do(ctx, facilitator, cmd); err != nil {
			t.Fatal(err)
		}
	}
	// From five seconds in: the countdown is past 10:00, whose extra digit
	// moves the bar's layout, whenever in its second the timer started.
	snap := h.Snapshot()
	var out bytes.Buffer
	m := tui.New(ctx, h, ada, tui.StylesFor(termenv.ANSI256), 80, 24)
	m.Update(tui.SnapshotMsg{Snapshot: snap.Later(snap.Now.Add(5 * time.Second))})
	p := tui.NewPainter(m, &out, 80, 24)
	p.Init()
	emu := vt.NewEmulator(80, 24)
	_, _ = emu.Write(out.Bytes())
	for second := 6; second <= 8; second++ {
		out.Reset()
		next := snap.Later(snap.Now.Add(time.Duration(second) * time.Second))
		p.Update(tui.SnapshotMsg{Snapshot: next})
		if out.Len() > 80 { // the whole bar takes about 200
			t.Errorf("second %d sent %d bytes: %q", second, out.Len(), out.String())
		}
		_, _ = emu.Write(out.Bytes())
		fresh := tui.New(ctx, h, ada, tui.StylesFor(termenv.ANSI256), 80, 24)
		fresh.Update(tui.SnapshotMsg{Snapshot: next})
		sameCells(t, fmt.Sprintf("second %d", second), emu, plainly(fresh.View(), 80, 24))
	}
}
