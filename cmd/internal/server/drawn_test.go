package server

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"moot/tui"
)

// bound is how long these tests wait for a program.
const bound = 15 * time.Second

// runDrawn runs a program on model through drawn, with input that never
// comes, until the test ends; ran gets what Run returned.
func runDrawn(t *testing.T, model tea.Model) (d *drawn, p *tea.Program, ran <-chan error) {
	t.Helper()
	d = newDrawn(model)
	in, typing := io.Pipe()
	p = tea.NewProgram(d, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		_, err := p.Run()
		done <- err
		close(finished)
	}()
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
	return d, p, done
}

// overlapWatch counts the messages it takes and notices two taken at once.
type overlapWatch struct {
	busy       atomic.Int32
	overlapped atomic.Bool
	snapshots  atomic.Int64
	keys       atomic.Int64
}

func (w *overlapWatch) Init() tea.Cmd { return nil }
func (w *overlapWatch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if w.busy.Add(1) != 1 {
		w.overlapped.Store(true)
	}
	runtime.Gosched() // room for another goroutine to come in, were it let
	switch msg.(type) {
	case tui.SnapshotMsg:
		w.snapshots.Add(1)
	case tea.KeyMsg:
		w.keys.Add(1)
	}
	w.busy.Add(-1)
	return w, nil
}
func (w *overlapWatch) View() string { return "" }

// Snapshots drawn by the goroutine that takes them and keys handled by the
// program's loop reach the model one at a time, all of them; once the
// program has ended, a snapshot reaches it no more.
func TestSnapshotsAndKeysReachTheModelOneAtATime(t *testing.T) {
	w := &overlapWatch{}
	d, p, ran := runDrawn(t, w)
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
		t.Error("the model took two messages at once")
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

// A panic while a snapshot is drawn outside the program's loop is told,
// and ends that screen's program as a panic in the loop does (tea.Quit,
// from tui.Painter), not the server.
func TestAPanicDrawingASnapshotEndsTheScreen(t *testing.T) {
	painter := tui.NewPainter(snapshotBug{}, io.Discard, 20, 3)
	var told atomic.Value
	painter.OnPanic(func(v any, _ []byte) { told.Store(fmt.Sprint(v)) })
	d, p, ran := runDrawn(t, painter)
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
