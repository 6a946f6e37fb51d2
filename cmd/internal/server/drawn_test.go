package server

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"moot/tui"
)

// bound is how long these tests wait for a program.
const bound = 15 * time.Second

// lockedBuffer is a terminal's output, written by one goroutine and read
// by another.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runDrawn runs a program on a Painter of inner through drawn, with input
// that never comes, until the test ends; ran gets what Run returned. With
// drawer, a goroutine draws what the loop leaves to draw, as a screen's
// does.
func runDrawn(t *testing.T, inner tea.Model, out io.Writer, drawer bool) (d *drawn, p *tea.Program, painter *tui.Painter, ran <-chan error) {
	t.Helper()
	painter = tui.NewPainter(inner, out, 20, 3)
	d = newDrawn(painter)
	in, typing := io.Pipe()
	p = tea.NewProgram(d, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		_, err := p.Run()
		done <- err
		close(finished)
	}()
	if drawer {
		go func() {
			for {
				select {
				case <-d.owed:
					d.draw(p)
				case <-finished:
					return
				}
			}
		}()
	}
	t.Cleanup(func() {
		p.Quit()
		typing.Close()
		select {
		case <-finished:
		case <-time.After(bound):
			t.Error("the program did not end")
		}
	})
	select {
	case <-d.ready:
	case <-time.After(bound):
		t.Fatal("Init did not run")
	}
	return d, p, painter, done
}

// overlapWatch counts the messages it takes and notices two goroutines in
// it at once, updating or drawing.
type overlapWatch struct {
	busy       atomic.Int32
	overlapped atomic.Bool
	snapshots  atomic.Int64
	keys       atomic.Int64
}

func (w *overlapWatch) enter() {
	if w.busy.Add(1) != 1 {
		w.overlapped.Store(true)
	}
	runtime.Gosched() // room for another goroutine to come in, were it let
}

func (w *overlapWatch) Init() tea.Cmd { return nil }
func (w *overlapWatch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	w.enter()
	defer w.busy.Add(-1)
	switch msg.(type) {
	case tui.SnapshotMsg:
		w.snapshots.Add(1)
	case tea.KeyMsg:
		w.keys.Add(1)
	}
	return w, nil
}
func (w *overlapWatch) View() string {
	w.enter()
	defer w.busy.Add(-1)
	return fmt.Sprintf("%d keys", w.keys.Load())
}

// Snapshots drawn by the screen's goroutine and keys taken by the
// program's loop reach the model one at a time, all of them; once the
// program has ended, a snapshot reaches it no more.
func TestSnapshotsAndKeysReachTheModelOneAtATime(t *testing.T) {
	w := &overlapWatch{}
	d, p, _, ran := runDrawn(t, w, io.Discard, true)
	const each = 300
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range each {
			d.take(p, tui.SnapshotMsg{})
		}
	}()
	go func() {
		defer wg.Done()
		for range each {
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
		}
	}()
	wg.Wait()
	// Send returns once the loop has the key, perhaps before the model
	// does: the last key is in once a message sent after it has been.
	p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	deadline := time.Now().Add(bound)
	for w.keys.Load() < each+1 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if got := w.snapshots.Load(); got != each {
		t.Errorf("the model took %d snapshots, want %d", got, each)
	}
	if got := w.keys.Load(); got != each+1 {
		t.Errorf("the model took %d keys, want %d", got, each+1)
	}
	if w.overlapped.Load() {
		t.Error("two goroutines were in the model at once")
	}

	p.Quit()
	select {
	case <-ran:
	case <-time.After(bound):
		t.Fatal("the program did not end")
	}
	d.end()
	d.take(p, tui.SnapshotMsg{})
	if got := w.snapshots.Load(); got != each {
		t.Errorf("after the program ended the model took a snapshot (%d, want %d)", got, each)
	}
}

// The program's loop only changes the model: what a key changes is drawn
// by the screen's goroutine, and by nothing else.
func TestTheLoopLeavesTheDrawingToTheScreensGoroutine(t *testing.T) {
	w := &overlapWatch{}
	var out lockedBuffer
	d, p, painter, _ := runDrawn(t, w, &out, false)
	select { // the first screen, which Init left to draw
	case <-d.owed:
	case <-time.After(bound):
		t.Fatal("Init left nothing to draw")
	}
	d.draw(p)
	if !strings.Contains(out.String(), "0 keys") {
		t.Fatalf("the first screen was not drawn: %q", out.String())
	}
	p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	// The key is drawn with the message the Painter sends round the loop
	// after a burst of keys: owed once that has been taken.
	select {
	case <-d.owed:
	case <-time.After(bound):
		t.Fatal("the loop took the key and left nothing to draw")
	}
	if strings.Contains(out.String(), "1 keys") {
		t.Fatal("the program's loop drew the screen")
	}
	d.draw(p)
	if !strings.Contains(out.String(), "1 keys") {
		t.Fatalf("the key was not drawn: %q", out.String())
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if painter.Dirty() {
		t.Error("the screen still owes a drawing")
	}
}

// snapshotBug panics on a snapshot, as a bug in drawing one would.
type snapshotBug struct{}

func (snapshotBug) Init() tea.Cmd { return nil }
func (b snapshotBug) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tui.SnapshotMsg); ok {
		var steps []int
		_ = steps[2] // the bug
	}
	return b, nil
}
func (snapshotBug) View() string { return "the forum" }

// A panic while the screen's goroutine takes a snapshot is told, and ends
// that screen's program as a panic in the loop does (tea.Quit, from
// tui.Painter), not the server.
func TestAPanicDrawingASnapshotEndsTheScreen(t *testing.T) {
	var told atomic.Value
	d, p, painter, ran := runDrawn(t, snapshotBug{}, io.Discard, true)
	d.mu.Lock()
	painter.OnPanic(func(v any, _ []byte) { told.Store(fmt.Sprint(v)) })
	d.mu.Unlock()
	d.take(p, tui.SnapshotMsg{})
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("the program ended with %v, want a clean quit", err)
		}
	case <-time.After(bound):
		t.Fatal("the program went on after the panic")
	}
	if told.Load() == nil {
		t.Error("the panic was not told")
	}
}
