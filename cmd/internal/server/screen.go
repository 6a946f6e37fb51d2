package server

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"

	"moot/cmd/internal/connlimit"
	"moot/cmd/internal/inputlimit"
	"moot/session"
	"moot/session/catalogue"
	"moot/tui"
)

// screen runs one person's full-screen view for as long as the SSH session
// lasts.
//
// It does what wish's bubbletea middleware does, with differences that
// matter for a server carrying many people:
//   - the program quits when the window-change channel closes, which is how
//     a session ends while its connection stays open (OpenSSH's
//     ControlMaster); reading a closed channel forever would spin a core
//     and leak the program;
//   - colours come from the client's TERM, never from a query the terminal
//     may not answer;
//   - snapshots come through a mailbox and window changes through a
//     goroutine of their own, so that a screen that is slow to take them
//     (its client stopped reading) holds up nobody but itself, not even
//     its own connection;
//   - the session's goroutine owns the model and draws the screen: it
//     takes snapshots without handing them to the program's loop, which
//     reads keys, runs commands and hands it what they bring (drawn);
//   - the screen is drawn by tui.Painter, only when something changed,
//     not by bubbletea's renderer on its frame clock.
//
// The screen is painted on out, which writes to the session as it is:
// the Painter writes only escape sequences and text, never a line feed
// the client's terminal would need turned into CR LF.
func (s *Server) screen(sess ssh.Session, out io.Writer, o screenOpts, pty ssh.Pty, windows <-chan ssh.Window, log *slog.Logger) {
	ctx := sess.Context()
	s.screens.Add(1)
	defer s.screens.Add(-1)
	log.Info("screen opened", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)
	styles := tui.StylesForTerminal(pty.Term, sess.Environ())
	pty.Window.Width, pty.Window.Height = windowSize(pty.Window)

	// The subscription starts when the forum is known: at once, or once
	// the person has picked one from the list.
	subs := make(chan *session.Subscription, 1)
	var subMu sync.Mutex
	var sub *session.Subscription
	defer func() {
		subMu.Lock()
		defer subMu.Unlock()
		if sub != nil {
			sub.Close()
		}
	}()
	open := func(hub *session.Hub, width, height int) (tea.Model, error) {
		var su *session.Subscription
		var err error
		if o.watch {
			su, err = hub.Watch(ctx)
		} else {
			su, err = hub.Subscribe(ctx, o.id)
		}
		if err != nil {
			return nil, err
		}
		subMu.Lock()
		sub = su
		subMu.Unlock()
		subs <- su
		if o.watch {
			p := tui.NewProjector(hub.Snapshot(), styles, s.cfg.Public.SSH(hub.Forum().Slug), width, height)
			p.SetCatalogue(s.cfg.Catalogue)
			return p, nil
		}
		m := tui.New(ctx, hub, o.id, styles, width, height)
		m.SetCatalogue(s.cfg.Catalogue)
		m.KnowRejoinCode(o.held)
		if o.rejoin != "" {
			m.ShowRejoinCode(o.rejoin)
		}
		return m, nil
	}
	var model tea.Model
	if o.hub != nil {
		m, err := open(o.hub, pty.Window.Width, pty.Window.Height)
		if err != nil {
			fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
			_ = sess.Exit(1)
			return
		}
		model = m
	} else {
		picker := tui.NewPicker(s.forums, func(slug string, width, height int) (tea.Model, error) {
			hub, ok := s.hub(slug)
			if !ok {
				return nil, catalogue.Err("tui.picker.gone", slug)
			}
			log.Info("forum picked", "picked", slug)
			return open(hub, width, height)
		}, s.cfg.Public.SSH, styles, pty.Window.Width, pty.Window.Height)
		picker.SetCatalogue(s.cfg.Catalogue)
		model = picker
	}
	painter := tui.NewPainter(model, out, pty.Window.Width, pty.Window.Height)
	var crashed atomic.Bool
	painter.OnPanic(func(v any, stack []byte) {
		crashed.Store(true)
		log.Error("screen panicked; it was closed and the forum goes on", "panic", fmt.Sprint(v), "stack", string(stack))
	})
	var program *tea.Program
	// Input is bounded before bubbletea reads it (cmd/internal/inputlimit).
	input := inputlimit.New(sess, inputlimit.Options{Refused: func(r inputlimit.Refusal) {
		what := "input dropped: more typed at once than anyone types"
		if r.Paste {
			what = "input dropped: a paste over the bound"
		}
		s.tally.Add(what, connlimit.Source(sess.RemoteAddr()), "id", o.id)
		program.Send(tui.InputRefusedMsg{Paste: r.Paste, Limit: r.Limit})
	}})
	drawing := newDrawn(ctx, painter)
	program = tea.NewProgram(drawing,
		tea.WithInput(input),
		tea.WithOutput(sess),
		tea.WithoutRenderer(),
		tea.WithoutSignalHandler(),
		tea.WithContext(ctx),
	)

	done := make(chan struct{})
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
				width, height := windowSize(w)
				latest(sizes, tea.WindowSizeMsg{Width: width, Height: height})
			case <-done:
				return
			}
		}
	}()
	// The program (reading keys, running commands) runs on a goroutine of
	// its own, and this one, the session's, owns the screen (drawn): it
	// takes the snapshots, the sizes and what the program's loop hands it,
	// updates the model and draws. It built the model, so its stack is
	// already as deep as drawing takes; the program's stays shallow. While
	// it waits on a slow screen, newer snapshots and sizes replace older
	// ones.
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		if _, err := program.Run(); err != nil && ctx.Err() == nil {
			log.Warn("screen ended with an error", "err", err)
		}
	}()
	stopping := drawing.own(program, subs, sizes, ran)
	// Nothing is drawn after the terminal is restored: the drawing has
	// stopped, and the program has ended.
	<-ran
	close(done)
	_, _ = io.WriteString(sess, tui.Restore)
	// The last words, once the screen is gone, in the person's language.
	p := s.cfg.Catalogue.Printer()
	switch {
	case o.hub != nil && o.watch:
		p = s.cfg.Catalogue.Printer(o.hub.Forum().Lang)
	case o.hub != nil:
		p = s.cfg.Catalogue.Printer(o.hub.Snapshot().ViewFor(o.id).Langs()...)
	}
	switch {
	case stopping:
		fmt.Fprint(sess, "moot: "+p.T("tui.stopping")+"\n")
	case crashed.Load():
		fmt.Fprint(sess, "moot: "+p.T("tui.crashed")+"\n")
	}
	log.Info("screen closed")
	_ = sess.Exit(0)
}

// screenOpts says whose screen to open, on which forum, and how.
type screenOpts struct {
	hub *session.Hub // nil: the person picks a forum first
	id  string
	// rejoin is the rejoin code made for this person just now, to show;
	// held is the one they hold, made now or typed, for whoami.
	rejoin, held string
	// watch opens the read-only projector view.
	watch bool
}

// windowSize is the size to draw a window at. A client that gives none
// (ssh -tt from a script asks for a 0x0 terminal) gets the size terminals
// start at, rather than a screen that is never drawn.
func windowSize(w ssh.Window) (width, height int) {
	if w.Width <= 0 || w.Height <= 0 {
		return 80, 24
	}
	return w.Width, w.Height
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
