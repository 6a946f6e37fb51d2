package tui_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

// The Painter sends each line in fewer bytes than the view lays it out in,
// and the terminal shows exactly the same cells, in the same colours: on
// every step of the demo forum, for a participant and for the facilitator,
// in true colour and in 256 colours, at both sizes, on the first paint and
// on each change of step (which redraws only the lines that changed).
func TestPainterSendsLessAndShowsTheSame(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256} {
		for _, size := range sizes {
			h := roomHub(t)
			width, height := size[0], size[1]
			type watcher struct {
				name    string
				m       tea.Model
				painter *tui.Painter
				out     bytes.Buffer
				emu     *vt.Emulator
				last    []string
			}
			var ws []*watcher
			for _, who := range []struct{ name, id string }{{"participant", ada}, {"facilitator", facilitator}} {
				w := &watcher{name: who.name, m: tui.New(context.Background(), h, who.id, tui.StylesFor(profile), width, height), emu: vt.NewEmulator(width, height)}
				w.m, _ = w.m.Update(tea.WindowSizeMsg{Width: width, Height: height})
				w.painter = tui.NewPainter(w.m, &w.out, width, height)
				ws = append(ws, w)
			}
			// asLaidOut is what sending each changed line as laid out
			// would take: its address, the line, plain attributes and an
			// erase.
			sent, asLaidOut := 0, 0
			for step := 0; ; step++ {
				for _, w := range ws {
					if step == 0 {
						w.painter.Init()
					} else {
						w.painter.Update(tui.SnapshotMsg{Snapshot: h.Snapshot()})
					}
					sent += w.out.Len()
					if _, err := w.emu.Write(w.out.Bytes()); err != nil {
						t.Fatal(err)
					}
					w.out.Reset()
					view := w.m.View()
					lines := strings.SplitN(view, "\n", height)
					for i, line := range lines {
						if i >= len(w.last) || w.last[i] != line {
							asLaidOut += len(fmt.Sprintf("\x1b[%d;1H", i+1)) + len(line) + len("\x1b[0m\x1b[K")
						}
					}
					w.last = lines
					what := fmt.Sprintf("%v %dx%d %s, step %d", profile, width, height, w.name, step)
					sameCells(t, what, w.emu, plainly(view, width, height))
				}
				if h.Snapshot().Stage() == session.Closed {
					break
				}
				must(t, h, facilitator, session.NextStep{})
				if step == 0 { // the dialogue
					must(t, h, ada, session.AddCard{Text: "Buses stop at six on weekdays"})
					must(t, h, bob, session.AddCard{Text: "Too much jargon in every letter"})
				}
			}
			t.Logf("%v %dx%d: sent %d bytes, %d as laid out", profile, width, height, sent, asLaidOut)
			if sent*10 > asLaidOut*9 {
				t.Errorf("%v %dx%d: sent %d bytes where the lines as laid out take %d: want a tenth fewer at least", profile, width, height, sent, asLaidOut)
			}
		}
	}
}

// plainly is a terminal showing view written as laid out, each line at its
// place, after clearing the screen.
func plainly(view string, width, height int) *vt.Emulator {
	emu := vt.NewEmulator(width, height)
	var b strings.Builder
	b.WriteString("\x1b[0m\x1b[2J")
	for i, line := range strings.SplitN(view, "\n", height) {
		fmt.Fprintf(&b, "\x1b[%d;1H%s\x1b[0m", i+1, line)
	}
	_, _ = emu.WriteString(b.String())
	return emu
}

// sameCells fails unless both terminals show the same text in the same
// colours and attributes in every cell.
func sameCells(t *testing.T, what string, got, want *vt.Emulator) {
	t.Helper()
	for y := range want.Height() {
		for x := range want.Width() {
			g, w := got.CellAt(x, y), want.CellAt(x, y)
			if !g.Equal(w) {
				t.Fatalf("%s: cell %d,%d is %q %+v, want %q %+v\nscreen:\n%s", what, x+1, y+1, g.Content, g.Style, w.Content, w.Style, got.String())
			}
		}
	}
}

// Frame after frame of lines that grow, shrink and change, from their
// start or further on, in colour, with wide characters and combining
// marks, the Painter leaves on
// the terminal exactly what each frame laid out: whatever it does not
// erase, the new text covers.
func TestPainterLeavesNothingOfTheFrameBefore(t *testing.T) {
	const width, height = 20, 6
	pieces := []string{"a", "bc", " ", "   ", "界", "é", "e\u0301", "·", "\x1b[1mB\x1b[0m", "\x1b[38;5;98mcol\x1b[0m", "\x1b[48;5;98m  \x1b[0m"}
	rnd := rand.New(rand.NewPCG(1, 2))
	// Half the time a line keeps a start of the one before it (as a
	// countdown or a count does) and changes after it.
	pieceAt := make([][]string, height)
	frame := func() lines {
		l := make(lines, height)
		for i := range l {
			kept := 0
			if rnd.IntN(2) == 0 && len(pieceAt[i]) > 0 {
				kept = rnd.IntN(len(pieceAt[i]) + 1)
			}
			line := pieceAt[i][:kept]
			for n := rnd.IntN(8); n > 0; n-- {
				line = append(line, pieces[rnd.IntN(len(pieces))])
			}
			pieceAt[i] = line
			l[i] = ansi.Truncate(strings.Join(line, ""), width, "")
		}
		return l
	}
	screen := &shown{frame()}
	var out bytes.Buffer
	p := tui.NewPainter(screen, &out, width, height)
	p.Init()
	emu := vt.NewEmulator(width, height)
	for n := range 1000 {
		if _, err := emu.Write(out.Bytes()); err != nil {
			t.Fatal(err)
		}
		out.Reset()
		sameCells(t, fmt.Sprintf("frame %d", n), emu, plainly(screen.View(), width, height))
		screen.lines = frame()
		p.Update(tui.SnapshotMsg{})
	}
}

// shown is a model that shows whatever lines it is given.
type shown struct{ lines lines }

func (s *shown) Init() tea.Cmd                       { return nil }
func (s *shown) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }
func (s *shown) View() string                        { return s.lines.View() }

// Ctrl+L draws the whole screen again: whatever the terminal came to show
// (line noise, another program's output), it shows the screen as laid out
// afterwards, where a change would rewrite only what changed.
func TestCtrlLDrawsTheWholeScreenAgain(t *testing.T) {
	const width, height = 30, 5
	screen := &shown{lines{"\x1b[1mStep 1/4\x1b[0m · Dialogue", "  a card", "", "", "w write · q quit"}}
	var out bytes.Buffer
	p := tui.NewPainter(screen, &out, width, height)
	p.Init()
	emu := vt.NewEmulator(width, height)
	_, _ = emu.Write(out.Bytes())
	_, _ = emu.WriteString("\x1b[2;3H\x1b[41mnoise\x1b[0m\x1b[4;1Hmore noise") // not from the Painter
	out.Reset()
	p.Update(tea.KeyMsg{Type: tea.KeyCtrlL})
	_, _ = emu.Write(out.Bytes())
	sameCells(t, "after Ctrl+L", emu, plainly(screen.View(), width, height))
}
