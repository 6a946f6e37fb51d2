package server

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/charmbracelet/ssh"

	"moot/session"
	"moot/session/command"
	"moot/tui/linemode"
)

// Line mode (tui/linemode) is what a session gets that has no terminal and
// names no command (ssh -T HOST), asks for it (ssh HOST live), has a
// terminal that cannot draw a screen (TERM=dumb), or belongs to a person
// who chose it (mode line).

// wantsLine tells whether a session opens line mode rather than the full
// screen: isPty and term are the session's, line its command line.
func wantsLine(line string, isPty bool, term string) bool {
	if isLive(line) {
		return true
	}
	return command.Name(line) == "" && (!isPty || dumb(term))
}

// isLive tells whether the command line asks for line mode: ssh HOST live.
func isLive(line string) bool { return strings.EqualFold(strings.TrimSpace(line), "live") }

// dumb tells whether a terminal cannot draw a screen: it prints lines and
// nothing more (TERM=dumb, as Emacs's shell and many braille and speech
// setups give, or no TERM at all).
func dumb(term string) bool {
	term = strings.TrimSpace(term)
	return term == "" || strings.EqualFold(term, "dumb")
}

// line runs one person's line mode for as long as the SSH session lasts.
// As the screen does, it feeds the session from the person's subscription
// in a goroutine of its own (line.Run's), never blocking the Hub, and
// releases the subscription when the session ends, not the connection:
// the input ends with the session, and line.Run with it.
func (s *Server) line(sess ssh.Session, o screenOpts, terminal bool, windows <-chan ssh.Window, log *slog.Logger) {
	ctx := sess.Context()
	if windows != nil {
		// Line mode draws nothing to a size, but the SSH library hands each
		// change of window size over from the session's requests and waits
		// until it is taken: taken and dropped, until the session ends.
		go func() {
			for range windows {
			}
		}()
	}
	s.lines.Add(1)
	defer s.lines.Add(-1)
	sub, err := o.hub.Subscribe(ctx, o.id)
	if err != nil {
		fmt.Fprintln(sess.Stderr(), "moot: "+s.cfg.Catalogue.Printer(o.hub.Snapshot().ViewFor(o.id).Langs()...).Error(err))
		_ = sess.Exit(1)
		return
	}
	defer sub.Close()
	log.Info("line mode opened", "terminal", terminal)
	ended := linemode.Run(ctx, linemode.Config{
		Hub:       o.hub,
		ID:        o.id,
		In:        sess,
		Out:       sess,
		Terminal:  terminal,
		Snapshots: sub.C(),
		Narrator:  s.narrator(o.hub),
		Rejoin:    o.rejoin,
		Held:      o.held,
		Log:       log,
		Catalogue: s.cfg.Catalogue,
	})
	log.Info("line mode closed", "ended", ended)
	_ = sess.Exit(0)
}

// chose tells whether the holder of key id chose the mode.
func chose(hub *session.Hub, id, mode string) bool {
	me, ok := hub.Snapshot().ViewFor(id).Me()
	return ok && me.Mode == mode
}

// narrator is the forum's narrator, shared by all its line sessions.
func (s *Server) narrator(hub *session.Hub) *linemode.Narrator {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.narrators[hub]
	if n == nil {
		n = linemode.NewNarrator()
		s.narrators[hub] = n
	}
	return n
}

// Lines counts the line-mode sessions running now.
func (s *Server) Lines() int64 { return s.lines.Load() }
