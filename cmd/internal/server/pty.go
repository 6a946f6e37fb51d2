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

// grant is the server's PTY handler: it grants every PTY a client asks
// for without allocating an OS one (the program reads and writes the SSH
// channel itself, and bounded turns its line feeds into CR LF), and keeps
// the session's PTY, complete once the library hands it here, until the
// session's requests end.
func (p *ptys) grant() ssh.Option {
	return func(srv *ssh.Server) error {
		srv.PtyHandler = func(_ ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
			// The requests' goroutine: no race. Session.Pty reports no PTY
			// where the library neither emulates nor allocates one, but
			// hands over the window changes all the same.
			_, windows, _ := sess.Pty()
			p.mu.Lock()
			if p.m == nil {
				p.m = map[ssh.Session]ptyOf{}
			}
			p.m[sess] = ptyOf{pty: pty, windows: windows}
			p.mu.Unlock()
			return func() error {
				p.mu.Lock()
				delete(p.m, sess)
				p.mu.Unlock()
				return nil
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
