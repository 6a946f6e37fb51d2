package server

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
	"moot/tui"
)

// drawn is a screen's model as its bubbletea program runs it, owned by the
// screen's own goroutine (the session's, which takes its snapshots): the
// program reads the person's keys and runs commands, and its loop hands
// every message it gets to that goroutine, which updates the model and
// draws.
//
// Handed to the program (Program.Send), a snapshot would pass from the
// screen's goroutine to the program's loop, each waiting on its channels
// in a select: two goroutine hand-offs on every screen at every change, a
// tenth of what a change cost the server at a thousand screens. Keys are
// fewer, and take the hand-off instead. One goroutine updates and draws,
// so the model needs no lock, and one goroutine's stack, not two, grows to
// the depth drawing takes (a few tens of KiB on every screen).
type drawn struct {
	ctx     context.Context // the session's
	painter *tui.Painter
	// ready is closed once Init has run (on the program's goroutine): the
	// screen has been entered and the model is the screen goroutine's.
	ready chan struct{}
	// inbox carries what the program's loop takes to the screen's
	// goroutine, in order; gone is closed once that goroutine has stopped
	// taking it.
	inbox chan tea.Msg
	gone  chan struct{}
}

func newDrawn(ctx context.Context, painter *tui.Painter) *drawn {
	painter.DeferPainting()
	return &drawn{ctx: ctx, painter: painter, ready: make(chan struct{}), inbox: make(chan tea.Msg, 16), gone: make(chan struct{})}
}

func (d *drawn) Init() tea.Cmd {
	defer close(d.ready)
	return d.painter.Init()
}

// Update hands msg to the screen's goroutine, waiting while it is busy
// (a burst of keys waits its turn, in order), unless that goroutine has
// stopped or the session has ended.
func (d *drawn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	select {
	case d.inbox <- msg:
	case <-d.gone:
	case <-d.ctx.Done():
	}
	return d, nil
}

// View is empty: the Painter draws the screen itself.
func (d *drawn) View() string { return "" }

// own is the screen's goroutine's work once the program runs: it draws
// the first screen, then takes snapshots (once a subscription comes on
// subs), sizes and what the loop hands it, until the program has ended
// (ran) or the forum stops, which it reports; then it has the program
// quit.
func (d *drawn) own(program *tea.Program, subs <-chan *session.Subscription, sizes <-chan tea.WindowSizeMsg, ran <-chan struct{}) (stopping bool) {
	if stopping = d.serve(program, subs, sizes, ran); stopping {
		// Only now that the loop no longer waits to hand this goroutine
		// what it took (gone is closed) can it take the quit.
		program.Quit()
	}
	return stopping
}

// serve is own's loop. Once it returns, the loop hands it nothing more.
func (d *drawn) serve(program *tea.Program, subs <-chan *session.Subscription, sizes <-chan tea.WindowSizeMsg, ran <-chan struct{}) (stopping bool) {
	defer close(d.gone)
	select {
	case <-d.ready:
	case <-ran:
		return false
	}
	// The first screen, which Init left to draw.
	d.draw(program)
	var snaps <-chan *session.Snapshot // none until the forum is known
	for {
		select {
		case sub := <-subs:
			snaps = sub.C()
		case snap := <-snaps:
			d.take(program, tui.SnapshotMsg{Snapshot: snap})
			if snap.Stopping {
				return true
			}
		case size := <-sizes:
			d.take(program, size)
		case msg := <-d.inbox:
			d.take(program, msg)
		case <-ran:
			return false
		}
	}
}

// take updates the model with msg and draws what it changed. Only the
// screen's goroutine calls it, once ready is closed.
func (d *drawn) take(program *tea.Program, msg tea.Msg) {
	_, cmd := d.painter.Update(msg)
	run(program, cmd)
	run(program, d.painter.Paint())
}

// draw draws what is owed (the first screen, after Init).
func (d *drawn) draw(program *tea.Program) { run(program, d.painter.Paint()) }

// run runs cmd as the program runs a command: on a goroutine of its own,
// its message sent to the loop (where a batch, a sequence or a quit is
// carried out, and anything else comes back through the inbox). Send
// returns once the program has ended.
func run(program *tea.Program, cmd tea.Cmd) {
	if cmd != nil {
		go func() { program.Send(cmd()) }()
	}
}
