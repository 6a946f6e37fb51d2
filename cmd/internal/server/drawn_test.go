package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
	"moot/session/agenda"
	"moot/store"
	"moot/tui"
)

// bound is how long these tests wait for a program.
const bound = 15 * time.Second

// runDrawn runs a program on a Painter of inner through drawn, with input
// that never comes, until the test ends; ran gets what Run returned. With
// snaps, a goroutine owns the screen as a screen's does: it draws the
// first screen, then takes snapshots from snaps and what the loop hands
// it. Without, the test is that goroutine.
func runDrawn(t *testing.T, inner tea.Model, out io.Writer, snaps <-chan tea.Msg) (d *drawn, p *tea.Program, painter *tui.Painter, ran <-chan error, finished <-chan struct{}) {
	t.Helper()
	painter = tui.NewPainter(inner, out, 20, 3)
	ctx, cancel := context.WithCancel(context.Background())
	d = newDrawn(ctx, painter)
	in, typing := io.Pipe()
	p = tea.NewProgram(d, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	ended := make(chan struct{})
	go func() {
		_, err := p.Run()
		done <- err
		close(ended)
	}()
	if snaps != nil {
		go func() {
			defer close(d.gone)
			<-d.ready
			d.draw(p)
			for {
				select {
				case msg := <-snaps:
					d.take(p, msg)
				case msg := <-d.inbox:
					d.take(p, msg)
				case <-ended:
					return
				}
			}
		}()
	}
	t.Cleanup(func() {
		cancel() // as the session ends
		p.Kill()
		typing.Close()
		select {
		case <-ended:
		case <-time.After(bound):
			t.Error("the program did not end")
		}
	})
	select {
	case <-d.ready:
	case <-time.After(bound):
		t.Fatal("Init did not run")
	}
	return d, p, painter, done, ended
}

// watcher counts the messages it takes, notes the order of the keys, and
// notices two goroutines in it at once, updating or drawing.
type watcher struct {
	busy       atomic.Int32
	overlapped atomic.Bool
	snapshots  atomic.Int64
	keys       atomic.Int64
	typed      strings.Builder
}

func (w *watcher) enter() func() {
	if w.busy.Add(1) != 1 {
		w.overlapped.Store(true)
	}
	return func() { w.busy.Add(-1) }
}

func (w *watcher) Init() tea.Cmd { return nil }
func (w *watcher) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer w.enter()()
	switch msg := msg.(type) {
	case tui.SnapshotMsg:
		w.snapshots.Add(1)
	case tea.KeyMsg:
		w.keys.Add(1)
		w.typed.WriteString(msg.String())
	}
	return w, nil
}
func (w *watcher) View() string {
	defer w.enter()()
	return fmt.Sprintf("%d keys", w.keys.Load())
}

// Snapshots from the forum and keys from the program's loop all reach the
// model, keys in the order typed, taken one at a time.
func TestSnapshotsAndKeysReachTheModelOneAtATime(t *testing.T) {
	w := &watcher{}
	snaps := make(chan tea.Msg)
	_, p, _, _, _ := runDrawn(t, w, io.Discard, snaps)
	const each = 300
	var want strings.Builder
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range each {
			snaps <- tui.SnapshotMsg{}
		}
	}()
	go func() {
		defer wg.Done()
		for i := range each {
			k := string(rune('a' + i%26))
			want.WriteString(k)
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}()
	wg.Wait()
	deadline := time.Now().Add(bound)
	for w.keys.Load() < each && time.Now().Before(deadline) {
		snaps <- tui.SnapshotMsg{}
	}
	// The screen's goroutine takes a snapshot only once it is done with
	// what it took before: after this one, the model is still.
	snaps <- tui.SnapshotMsg{}
	if got := w.keys.Load(); got != each {
		t.Fatalf("the model took %d keys, want %d", got, each)
	}
	if got := w.snapshots.Load(); got < each {
		t.Errorf("the model took %d snapshots, want at least %d", got, each)
	}
	if w.typed.String() != want.String() {
		t.Errorf("the keys came in another order than typed:\n%s\nwant\n%s", w.typed.String(), want.String())
	}
	if w.overlapped.Load() {
		t.Error("two goroutines were in the model at once")
	}
}

// The program's loop never touches the model: what it takes waits for the
// screen's goroutine, which updates the model and draws.
func TestTheLoopHandsTheModelsMessagesToTheScreensGoroutine(t *testing.T) {
	w := &watcher{}
	// Written by the program's goroutine only in Init, before ready.
	var out bytes.Buffer
	d, p, _, _, _ := runDrawn(t, w, &out, nil)
	d.draw(p) // the first screen, which Init left to draw
	if !strings.Contains(out.String(), "0 keys") {
		t.Fatalf("the first screen was not drawn: %q", out.String())
	}
	next := func() tea.Msg {
		t.Helper()
		select {
		case msg := <-d.inbox:
			return msg
		case <-time.After(bound):
			t.Fatal("the loop handed nothing over")
			return nil
		}
	}
	p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	key := next()
	if w.keys.Load() != 0 {
		t.Fatal("the program's loop updated the model")
	}
	d.take(p, key)
	if w.keys.Load() != 1 {
		t.Fatal("the key handed over did not reach the model")
	}
	// A key is drawn by the message the Painter sends round the loop
	// after a burst of keys: handed over in its turn.
	d.take(p, next())
	if !strings.Contains(out.String(), "1 keys") {
		t.Fatalf("the key was not drawn: %q", out.String())
	}
	n := out.Len()
	d.draw(p)
	if out.Len() != n {
		t.Error("drawn again with nothing changed")
	}
}

// Once the screen's goroutine has stopped (the forum stopping), the loop
// hands nothing more over and never waits for it: more keys than the inbox
// holds are all taken.
func TestTheLoopNeverWaitsForAScreenThatHasStopped(t *testing.T) {
	d, p, _, _, _ := runDrawn(t, &watcher{}, io.Discard, nil)
	close(d.gone)
	sent := make(chan struct{})
	go func() {
		for range 4 * cap(d.inbox) {
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
		}
		close(sent)
	}()
	select {
	case <-sent:
	case <-time.After(bound):
		t.Fatalf("the loop waited on a screen that had stopped (inbox holds %d)", len(d.inbox))
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
// that screen's program as a panic in the loop did (tea.Quit, from
// tui.Painter), not the server.
func TestAPanicDrawingASnapshotEndsTheScreen(t *testing.T) {
	var told atomic.Value
	d, p, painter, ran, _ := runDrawn(t, snapshotBug{}, io.Discard, nil)
	painter.OnPanic(func(v any, _ []byte) { told.Store(fmt.Sprint(v)) })
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

// The forum stopping ends a screen while a flood of keys keeps the
// program's loop busy handing them over: the screen's goroutine reports
// the stop, stops taking, and the program quits. (The quit is sent only
// once that goroutine has stopped taking: sent before, it could wait
// behind a loop waiting to hand over a key; a flood makes that rare, so
// this test does not count on it.)
func TestTheForumStoppingEndsAScreenWhileKeysWait(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	forum, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	hub, err := session.NewHub(ctx, st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Stop(); st.Close() })
	sub, err := hub.Subscribe(ctx, "SHA256:ada")
	if err != nil {
		t.Fatal(err)
	}

	d, p, _, _, ended := runDrawn(t, &watcher{}, io.Discard, nil)
	flood := make(chan struct{})
	t.Cleanup(func() { close(flood) })
	go func() {
		for {
			select {
			case <-flood:
				return
			default:
				p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
			}
		}
	}()
	deadline := time.Now().Add(bound)
	for len(d.inbox) < cap(d.inbox) {
		if time.Now().After(deadline) {
			t.Fatal("the keys never filled the inbox")
		}
		runtime.Gosched()
	}
	hub.Stop() // a Stopping snapshot waits in the mailbox

	subs := make(chan *session.Subscription, 1)
	subs <- sub
	owned := make(chan bool, 1)
	go func() { owned <- d.own(p, subs, nil, ended) }()
	select {
	case stopping := <-owned:
		if !stopping {
			t.Error("the screen did not see the forum stopping")
		}
	case <-time.After(bound):
		t.Fatal("the screen's goroutine never finished with the forum stopping")
	}
	select {
	case <-ended:
	case <-time.After(bound):
		t.Fatal("the program did not end after the forum stopped")
	}
}
