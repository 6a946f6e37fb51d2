package server

import (
	"fmt"
	"io"
	"log/slog"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"

	"moot/session"
	"moot/tui"
)

// screen runs one person's full-screen view for as long as the SSH session
// lasts.
//
// It does what wish's bubbletea middleware does, with three differences
// that matter for a server carrying many people:
//   - the program quits when the window-change channel closes, which is how
//     a session ends while its connection stays open (OpenSSH's
//     ControlMaster); reading a closed channel forever would spin a core
//     and leak the program;
//   - colours come from the client's TERM, never from a query the terminal
//     may not answer;
//   - snapshots and window changes reach the program from goroutines of
//     their own, so that a program that is slow to take them (its client
//     stopped reading) holds up nobody but itself, not even its own
//     connection.
func (s *Server) screen(sess ssh.Session, hub *session.Hub, id string, pty ssh.Pty, windows <-chan ssh.Window, log *slog.Logger) {
	ctx := sess.Context()
	sub, err := hub.Subscribe(ctx, id)
	if err != nil {
		fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
		_ = sess.Exit(1)
		return
	}
	defer sub.Close()

	s.screens.Add(1)
	defer s.screens.Add(-1)
	log.Info("screen opened", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)

	styles := tui.StylesFor(tui.ProfileFor(pty.Term, sess.Environ()))
	model := tui.New(ctx, hub, id, styles, pty.Window.Width, pty.Window.Height)
	// The Painter draws the screen, only when something changed; the
	// program runs without bubbletea's renderer and its frame clock.
	program := tea.NewProgram(tui.NewPainter(model, sess, pty.Window.Width, pty.Window.Height),
		tea.WithInput(sess),
		tea.WithOutput(sess),
		tea.WithoutRenderer(),
		tea.WithoutSignalHandler(),
		tea.WithContext(ctx),
	)

	done := make(chan struct{})
	stopping := make(chan struct{})
	// Window changes are taken as they come and only the latest is kept
	// for the program: the SSH library hands each one over from the
	// connection's read loop, which must never wait on a program that is
	// stuck writing to a client that has stopped reading (else the
	// connection could not even notice that client leave).
	sizes := make(chan tea.WindowSizeMsg, 1)
	go func() {
		for {
			select {
			case w, ok := <-windows:
				if !ok {
					program.Quit()
					return
				}
				latest(sizes, tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			case <-done:
				return
			}
		}
	}()
	// One goroutine feeds the program both mailboxes; while it waits on a
	// slow program, newer snapshots and sizes replace older ones.
	go func() {
		for {
			select {
			case snap := <-sub.C():
				program.Send(tui.SnapshotMsg{Snapshot: snap})
				if snap.Stopping {
					close(stopping)
					program.Quit()
					return
				}
			case size := <-sizes:
				program.Send(size)
			case <-done:
				return
			}
		}
	}()

	if _, err := program.Run(); err != nil && ctx.Err() == nil {
		log.Warn("screen ended with an error", "err", err)
	}
	close(done)
	_, _ = io.WriteString(sess, tui.Restore)
	select {
	case <-stopping:
		fmt.Fprint(sess, "moot: the server is stopping. Everything you saved is kept; reconnect in a minute.\n")
	default:
	}
	log.Info("screen closed")
	_ = sess.Exit(0)
}

// latest puts msg in a one-slot mailbox, replacing what is waiting there.
// Only one goroutine may put.
func latest[T any](box chan T, msg T) {
	for {
		select {
		case box <- msg:
			return
		default:
		}
		select {
		case <-box:
		default:
		}
	}
}
