// Package guard bounds what one SSH connection can ask for inside it: how
// many sessions it holds open at once and how many environment variables
// each may set, and refuses agent forwarding outright.
//
// A connection is cheap to hold once made; each session on it is a screen
// or a command running on the server, and each environment variable is
// kept for the session's life. Agent forwarding would hand the server the
// use of the person's keys, which moot never needs: refusing it says so to
// the client, where accepting and ignoring it would not.
package guard

import (
	"sync"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// AgentRequest is the request by which a client offers its agent.
const AgentRequest = "auth-agent-req@openssh.com"

// Limits for the sessions of one connection.
type Limits struct {
	// Sessions is how many sessions one connection may hold open at once
	// (OpenSSH's MaxSessions is 10).
	Sessions int
	// Env is how many environment variables a session may set, and
	// EnvBytes how long each may be; more are refused.
	Env, EnvBytes int
}

// Sessions wraps the handler of session channels with the limits.
type Sessions struct {
	limits Limits
	next   ssh.ChannelHandler

	mu   sync.Mutex
	open map[*gossh.ServerConn]int
}

// New wraps next, the handler of session channels.
func New(next ssh.ChannelHandler, l Limits) *Sessions {
	return &Sessions{limits: l, next: next, open: map[*gossh.ServerConn]int{}}
}

// Handle is an ssh.ChannelHandler.
func (s *Sessions) Handle(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	if !s.take(conn) {
		_ = newChan.Reject(gossh.ResourceShortage, "too many sessions open on this connection")
		return
	}
	defer s.give(conn)
	s.next(srv, conn, filtered{NewChannel: newChan, limits: s.limits}, ctx)
}

func (s *Sessions) take(conn *gossh.ServerConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limits.Sessions > 0 && s.open[conn] >= s.limits.Sessions {
		return false
	}
	s.open[conn]++
	return true
}

func (s *Sessions) give(conn *gossh.ServerConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open[conn]--; s.open[conn] <= 0 {
		delete(s.open, conn)
	}
}

// filtered answers the requests the limits refuse before the session
// handler sees them.
type filtered struct {
	gossh.NewChannel
	limits Limits
}

func (f filtered) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := f.NewChannel.Accept()
	if err != nil {
		return ch, in, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		env := 0
		for req := range in {
			switch req.Type {
			case AgentRequest:
				_ = req.Reply(false, nil)
				continue
			case "env":
				env++
				if (f.limits.Env > 0 && env > f.limits.Env) || (f.limits.EnvBytes > 0 && len(req.Payload) > f.limits.EnvBytes) {
					_ = req.Reply(false, nil)
					continue
				}
			}
			out <- req
		}
	}()
	return ch, out, nil
}
