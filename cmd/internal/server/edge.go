package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/connlimit"
	"moot/cmd/internal/deadline"
	"moot/cmd/internal/guard"
	"moot/cmd/internal/keepalive"
	"moot/cmd/internal/throttle"
)

// Limits bound what any one peer can take from the server: time, sockets,
// sessions, guesses. A zero field is no bound; DefaultLimits are the
// bounds moot serve starts with.
type Limits struct {
	// HandshakeTimeout is how long a connection has, from being accepted,
	// to log in and start a session.
	HandshakeTimeout time.Duration
	// WriteTimeout is how long a write to a client may wait for the client
	// to take it before the connection is dropped.
	WriteTimeout time.Duration
	// KeepAlive is how often a connection's client is asked to answer;
	// one that leaves KeepAliveMissed requests in a row unanswered for
	// that many intervals is dropped.
	KeepAlive       time.Duration
	KeepAliveMissed int
	// MaxConns caps the connections open at once; MaxConnsPerAddr those
	// from one address (an IPv6 /64 counts as one).
	MaxConns, MaxConnsPerAddr int
	// GuessesPerAddr and GuessesPerForum throttle join-code guesses.
	GuessesPerAddr, GuessesPerForum throttle.Config
	// LogEvery is the period over which refusals are summed up in the log.
	LogEvery time.Duration
}

// DefaultLimits are the bounds of a server on the open internet.
func DefaultLimits() Limits {
	return Limits{
		HandshakeTimeout: 60 * time.Second,
		WriteTimeout:     10 * time.Second,
		KeepAlive:        30 * time.Second,
		KeepAliveMissed:  3,
		MaxConns:         2000,
		MaxConnsPerAddr:  300,
		GuessesPerAddr: throttle.Config{
			Free: 5, Wait: time.Second, MaxWait: 30 * time.Second,
			LockAfter: 20, LockFor: 15 * time.Minute, Forget: 15 * time.Minute,
		},
		GuessesPerForum: throttle.Config{
			Free: 50, Wait: 100 * time.Millisecond, MaxWait: 100 * time.Millisecond,
			Forget: time.Minute,
		},
		LogEvery: time.Minute,
	}
}

// Bounds on a connection that have no flag: a login takes a few KiB, and
// OpenSSH's MaxSessions is 10.
const (
	preSessionBytes = 1 << 20
	maxSessions     = 10
	maxEnv          = 32
	maxEnvBytes     = 4 << 10
)

// ctxEdge holds a connection's *edgeConn in its ssh.Context.
const ctxEdge ctxKey = "moot-edge"

// edgeConn is a connection held to the server's limits; closing it gives
// back its place under the connection caps.
type edgeConn struct {
	*deadline.Conn
	source  string
	release func()
}

func (c *edgeConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// accept counts a new connection under the caps and holds it to the
// handshake deadline, or refuses it (nil).
func (s *Server) accept(ctx ssh.Context, c net.Conn) net.Conn {
	release, refusal := s.conns.Acquire(c.RemoteAddr())
	if refusal != nil {
		what := "connection refused: the server holds as many as it takes (--max-conns)"
		if refusal.PerAddr {
			what = "connection refused: as many open from one address as it may have (--max-conns-per-addr)"
		}
		s.tally.Add(what, refusal.Source, "limit", refusal.Limit)
		return nil
	}
	l := s.cfg.Limits
	source := connlimit.Source(c.RemoteAddr())
	ec := &edgeConn{
		Conn: deadline.Wrap(c, deadline.Options{
			Handshake: l.HandshakeTimeout,
			Write:     l.WriteTimeout,
			Budget:    preSessionBytes,
			Expired: func(err error) {
				what := "connection dropped: no session started within the handshake deadline (--handshake-timeout)"
				if errors.Is(err, deadline.ErrBudget) {
					what = "connection dropped: it sent too much before starting a session"
				}
				s.tally.Add(what, source)
			},
		}),
		source:  source,
		release: release,
	}
	ctx.SetValue(ctxEdge, ec)
	return ec
}

// sessionStarting lifts the handshake deadline when a connection starts its
// first session, and from then on asks its client for keepalives.
func (s *Server) sessionStarting(sess ssh.Session, _ string) bool {
	ctx := sess.Context()
	ec, ok := ctx.Value(ctxEdge).(*edgeConn)
	if !ok || !ec.Establish() {
		return true
	}
	conn, ok := ctx.Value(ssh.ContextKeyConn).(*gossh.ServerConn)
	if ok && s.cfg.Limits.KeepAlive > 0 {
		go keepalive.Run(ctx, conn, s.cfg.Limits.KeepAlive, s.cfg.Limits.KeepAliveMissed, func() {
			s.tally.Add("connection dropped: no answer to keepalives (--keepalive)", ec.source)
			conn.Close()
		})
	}
	return true
}

// stalled drops a connection whose client has stopped taking what its
// session writes.
func (s *Server) stalled(sess ssh.Session) func() {
	return func() {
		source := connlimit.Source(sess.RemoteAddr())
		s.tally.Add("connection dropped: the client stopped reading (--write-timeout)", source)
		if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn); ok {
			conn.Close()
		}
	}
}

// sessions wraps the handler of session channels with the bounds of one
// connection.
func sessions() ssh.ChannelHandler {
	return guard.New(ssh.DefaultSessionHandler, guard.Limits{
		Sessions: maxSessions, Env: maxEnv, EnvBytes: maxEnvBytes,
	}).Handle
}

// bounded is sess with every write to it, on stdout and stderr, held to the
// write timeout: a client that stops taking them is dropped. On a session
// with a PTY, its line feeds are written as CR LF (lineFeeds); screen is
// the same bounded stdout without that, for the Painter.
func (s *Server) bounded(sess ssh.Session, pty bool) (_ ssh.Session, screen io.Writer) {
	out, errOut := io.Writer(sess), io.Writer(sess.Stderr())
	if d := s.cfg.Limits.WriteTimeout; d > 0 {
		stalled := s.stalled(sess)
		out, errOut = deadline.Writer(out, d, stalled), deadline.Writer(errOut, d, stalled)
	}
	screen = out
	if pty {
		out, errOut = lineFeeds{out}, lineFeeds{errOut}
	}
	return boundedSession{Session: sess, out: out, errOut: errOut}, screen
}

type boundedSession struct {
	ssh.Session
	out, errOut io.Writer
}

func (b boundedSession) Write(p []byte) (int, error) { return b.out.Write(p) }
func (b boundedSession) Stderr() io.ReadWriter {
	return struct {
		io.Reader
		io.Writer
	}{b.Session.Stderr(), b.errOut}
}

// lineFeeds writes each line feed not already after a carriage return as
// CR LF, as a terminal in raw mode needs to start the next line at its
// left edge. The SSH library's emulated PTY does the same, but copies
// every write twice to do it, the screen's too, which writes no line
// feed at all; so moot grants PTYs itself (pty.go) and turns line feeds
// only where there may be some.
type lineFeeds struct{ w io.Writer }

func (l lineFeeds) Write(p []byte) (int, error) {
	feeds := bytes.Count(p, []byte{'\n'})
	if feeds == 0 {
		return l.w.Write(p)
	}
	crlf := make([]byte, 0, len(p)+feeds)
	for i, c := range p {
		if c == '\n' && (i == 0 || p[i-1] != '\r') {
			crlf = append(crlf, '\r')
		}
		crlf = append(crlf, c)
	}
	n, err := l.w.Write(crlf)
	if n >= len(crlf) {
		return len(p), err
	}
	// Part written: count the bytes of p that went, less the CRs added.
	return min(n, len(p)), err
}
