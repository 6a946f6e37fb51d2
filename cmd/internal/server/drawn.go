package server

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"moot/tui"
)

// drawn is a screen's model as its bubbletea program runs it, drawn by
// the screen's own goroutine (the one that takes its snapshots) rather
// than by the program's loop.
//
// Handed to the program (Program.Send), a snapshot passes from the
// goroutine that takes it from the forum to the program's loop, each
// waiting on its channels in a select: two goroutine hand-offs on every
// screen at every change, a tenth of what a change cost the server at a
// thousand screens. So the screen's goroutine updates the model with a
// snapshot itself, and draws it. Keys, window sizes and what commands
// return still go through the loop, which only updates the model and
// leaves the drawing owed (tui.Painter.DeferPainting): one goroutine draws,
// so one goroutine's stack grows to the depth drawing takes, not two on
// every screen. The model is updated by one goroutine at a time, behind mu.
type drawn struct {
	mu      sync.Mutex
	painter *tui.Painter
	// ready is closed once Init has run: the screen has been entered and
	// the model may take snapshots.
	ready chan struct{}
	// owed holds a token while the loop has left something to draw.
	owed chan struct{}
	// ended is set once the program has ended: nothing more is drawn, so
	// that nothing follows the terminal's restoring.
	ended bool
}

func newDrawn(painter *tui.Painter) *drawn {
	painter.DeferPainting()
	return &drawn{painter: painter, ready: make(chan struct{}), owed: make(chan struct{}, 1)}
}

func (d *drawn) Init() tea.Cmd {
	d.mu.Lock()
	cmd := d.painter.Init()
	owe := d.painter.Dirty()
	d.mu.Unlock()
	close(d.ready)
	if owe {
		d.owe()
	}
	return cmd
}

func (d *drawn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	d.mu.Lock()
	_, cmd := d.painter.Update(msg)
	owe := d.painter.Dirty()
	d.mu.Unlock()
	if owe {
		d.owe()
	}
	return d, cmd
}

// View is empty: the Painter draws the screen itself.
func (d *drawn) View() string { return "" }

func (d *drawn) owe() {
	select {
	case d.owed <- struct{}{}:
	default: // already owed
	}
}

// take updates the model with msg outside the program's loop and draws
// it, unless the program has ended; Init must have run.
func (d *drawn) take(program *tea.Program, msg tea.Msg) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ended {
		return
	}
	_, cmd := d.painter.Update(msg)
	run(program, cmd)
	run(program, d.painter.Paint())
}

// draw draws what the loop left to draw, unless the program has ended.
func (d *drawn) draw(program *tea.Program) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.ended {
		run(program, d.painter.Paint())
	}
}

// run runs cmd as the program runs a command: on a goroutine of its own,
// its message sent to the loop (where a batch, a sequence or a quit is
// carried out). Send returns once the program has ended.
func run(program *tea.Program, cmd tea.Cmd) {
	if cmd != nil {
		go func() { program.Send(cmd()) }()
	}
}

// end stops take and draw from drawing: the program has ended. It waits
// for a drawing in progress.
func (d *drawn) end() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ended = true
}
