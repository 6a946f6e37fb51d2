package server

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// drawn is a screen's model as its bubbletea program runs it, which a
// snapshot may also reach without going through the program's loop.
//
// Handed to the program (Program.Send), a snapshot passes from the
// goroutine that takes it from the forum to the program's loop, each
// waiting on its channels in a select: two goroutine hand-offs on every
// screen at every change, a tenth of what a change cost the server at a
// thousand screens. drawn lets the goroutine that takes the snapshot draw
// it itself: the model is updated by one goroutine at a time, behind mu,
// whichever it is; keys, window sizes and what commands return still come
// through the loop.
type drawn struct {
	mu    sync.Mutex
	model tea.Model
	// ready is closed once Init has run: the screen has been entered and
	// drawn, and the model may take snapshots.
	ready chan struct{}
	// ended is set once the program has ended: nothing more is drawn, so
	// that nothing follows the terminal's restoring.
	ended bool
}

func newDrawn(model tea.Model) *drawn {
	return &drawn{model: model, ready: make(chan struct{})}
}

func (d *drawn) Init() tea.Cmd {
	d.mu.Lock()
	defer d.mu.Unlock()
	defer close(d.ready)
	return d.model.Init()
}

func (d *drawn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var cmd tea.Cmd
	d.model, cmd = d.model.Update(msg)
	return d, cmd
}

// View is empty: the model draws the screen itself (tui.Painter).
func (d *drawn) View() string { return "" }

// take updates the model with msg outside the program's loop, unless the
// program has ended; Init must have run. What the returned command sends
// goes to the program, as the loop would have sent it.
func (d *drawn) take(program *tea.Program, msg tea.Msg) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ended {
		return
	}
	var cmd tea.Cmd
	d.model, cmd = d.model.Update(msg)
	if cmd != nil {
		// As the program runs a command: on a goroutine of its own, its
		// message sent to the loop (where a batch, a sequence or a quit
		// is carried out). Send returns once the program has ended.
		go func() { program.Send(cmd()) }()
	}
}

// end stops take from drawing: the program has ended. It waits for a
// drawing in progress.
func (d *drawn) end() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ended = true
}
