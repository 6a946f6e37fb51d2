package server

import (
	"sync"

	"github.com/charmbracelet/ssh"
)

// The SSH library writes a session's window size into its PTY record, in
// the goroutine that reads the session's requests, each time the client's
// window changes; Session.Pty copies that record with no lock. Called from
// the session's handler, while a window change arrives, that is a data
// race. So the PTY is read once, in the requests' own goroutine, when the
// library hands it to its PTY handler, and kept here for the handler,
// which starts later from that same goroutine.

// ptyOf is what the handler needs of a session's PTY.
type ptyOf struct {
	pty     ssh.Pty
	windows <-chan ssh.Window
}

// ptys holds the PTY of each session whose handler has not taken it yet.
type ptys struct {
	mu sync.Mutex
	m  map[ssh.Session]ptyOf
}

// capture wraps the server's PTY handler (set by an option before it):
// once that has run, the session's PTY is complete and is kept. It is
// forgotten when the session's requests end.
func (p *ptys) capture() ssh.Option {
	return func(srv *ssh.Server) error {
		inner := srv.PtyHandler
		srv.PtyHandler = func(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
			closer := func() error { return nil }
			if inner != nil {
				c, err := inner(ctx, sess, pty)
				if err != nil {
					return nil, err
				}
				if c != nil {
					closer = c
				}
			}
			got, windows, ok := sess.Pty() // the requests' goroutine: no race
			if ok {
				p.mu.Lock()
				if p.m == nil {
					p.m = map[ssh.Session]ptyOf{}
				}
				p.m[sess] = ptyOf{pty: got, windows: windows}
				p.mu.Unlock()
			}
			return func() error {
				p.mu.Lock()
				delete(p.m, sess)
				p.mu.Unlock()
				return closer()
			}, nil
		}
		return nil
	}
}

// of is the session's PTY as it was when granted, and its window changes;
// ok is false for a session without one.
func (p *ptys) of(sess ssh.Session) (ssh.Pty, <-chan ssh.Window, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	got, ok := p.m[sess]
	return got.pty, got.windows, ok
}
