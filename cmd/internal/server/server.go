// Package server assembles moot's SSH server: authentication by public key,
// the choice of forum, and the two front ends (a TUI for a PTY session, the
// command language for an exec request).
package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"moot/session"
	"moot/session/command"
	"moot/tui"
)

// Config is what a Server needs.
type Config struct {
	// HostKey is the server's private key, PEM encoded.
	HostKey []byte
	// Hubs are the live forums, by slug.
	Hubs map[string]*session.Hub
	Log  *slog.Logger
}

// Server is a running moot SSH server.
type Server struct {
	cfg     Config
	ssh     *ssh.Server
	screens atomic.Int64 // TUI programs running now
	wg      sync.WaitGroup
}

// New builds a server; call Serve to accept connections.
func New(cfg Config) (*Server, error) {
	if len(cfg.Hubs) == 0 {
		return nil, errors.New("no forum to serve")
	}
	s := &Server{cfg: cfg}
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(cfg.HostKey),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		// People without a key: the forum's join code (joincode.go).
		// Password authentication stays off.
		wish.WithKeyboardInteractiveAuth(s.keyboardInteractive),
		// Requests a PTY for the session without allocating an OS one: the
		// program reads and writes the SSH channel itself.
		ssh.EmulatePty(),
		wish.WithMiddleware(s.handle),
		wish.WithVersion("moot"),
	)
	if err != nil {
		return nil, err
	}
	s.ssh = srv
	return s, nil
}

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Screens counts the TUI programs running now.
func (s *Server) Screens() int64 { return s.screens.Load() }

// Shutdown tells every forum's screens that the server is stopping, waits
// (until ctx ends) for sessions to finish, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	for _, h := range s.cfg.Hubs {
		h.Stop()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	// Sessions have ended; what remains are idle connections (a client's
	// ControlMaster, say), which Close ends at once.
	return s.ssh.Close()
}

// handle is the one handler every session goes through. wish hands it the
// next handler, which does nothing, so it is used as a plain handler.
func (s *Server) handle(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.wg.Add(1)
		defer s.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				s.cfg.Log.Error("session panicked", "panic", r, "user", sess.User())
				fmt.Fprintln(sess.Stderr(), "moot: internal error; nothing was lost, please reconnect")
				_ = sess.Exit(2)
			}
		}()
		id, rejoin := identity(sess)
		if id == "" {
			fmt.Fprintln(sess.Stderr(), "moot: join with an SSH key (ssh-keygen -t ed25519 makes one), or with the forum's join code")
			_ = sess.Exit(1)
			return
		}
		slug, watch := strings.CutSuffix(sess.User(), screenSuffix)
		pty, windows, isPty := sess.Pty()
		hub, err := s.forumFor(slug)
		if err != nil && !(isPty && len(sess.Command()) == 0 && len(s.cfg.Hubs) > 1) {
			fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
			_ = sess.Exit(1)
			return
		}
		if rejoin != "" && len(sess.Command()) > 0 {
			fmt.Fprintf(sess.Stderr(), "moot: your rejoin code is %s: keep it, and type it at the join-code prompt next time to come back as the same person\n", rejoin)
		}
		forumSlug := ""
		if hub != nil {
			forumSlug = hub.Forum().Slug
		}
		log := s.cfg.Log.With("forum", forumSlug, "id", id, "remote", sess.RemoteAddr().String(), "watch", watch)
		switch {
		case len(sess.Command()) > 0 && watch:
			fmt.Fprintln(sess.Stderr(), "moot: the screen view (SLUG+screen) only shows the forum; it runs no commands")
			_ = sess.Exit(1)
		case len(sess.Command()) > 0:
			s.exec(sess, hub, id, log)
		case isPty:
			s.screen(sess, screenOpts{hub: hub, id: id, rejoin: rejoin, watch: watch}, pty, windows, log)
		default:
			fmt.Fprintln(sess.Stderr(), "moot: the forum screen needs a terminal (ssh -t), or give a command: ssh HOST help")
			_ = sess.Exit(1)
		}
	}
}

// screenSuffix after a forum's slug in the SSH user name asks for the
// read-only view for a screen in the room: ssh SLUG+screen@host.
const screenSuffix = "+screen"

// Forums lists the forums served, by slug, for the picker.
func (s *Server) forums() []tui.ForumItem {
	slugs := make([]string, 0, len(s.cfg.Hubs))
	for slug := range s.cfg.Hubs {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	out := make([]tui.ForumItem, len(slugs))
	for i, slug := range slugs {
		snap := s.cfg.Hubs[slug].Snapshot()
		out[i] = tui.ForumItem{Slug: slug, Title: snap.Forum.Title, Snapshot: snap}
	}
	return out
}

// forumFor picks the forum from the SSH user name (ssh SLUG@host); a server
// with one forum serves it whatever the user name.
func (s *Server) forumFor(user string) (*session.Hub, error) {
	if h, ok := s.cfg.Hubs[user]; ok {
		return h, nil
	}
	if len(s.cfg.Hubs) == 1 {
		for _, h := range s.cfg.Hubs {
			return h, nil
		}
	}
	if user == "" {
		return nil, fmt.Errorf("this server hosts several forums; join one of: %s (as ssh SLUG@host)", strings.Join(s.slugs(), ", "))
	}
	return nil, fmt.Errorf("no forum %q here; join one of: %s (as ssh SLUG@host)", session.CleanLine(user), strings.Join(s.slugs(), ", "))
}

func (s *Server) slugs() []string {
	slugs := make([]string, 0, len(s.cfg.Hubs))
	for slug := range s.cfg.Hubs {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	return slugs
}

func (s *Server) exec(sess ssh.Session, hub *session.Hub, id string, log *slog.Logger) {
	argv := sess.Command()
	start := time.Now()
	err := command.Run(sess.Context(), command.Env{Hub: hub, Actor: id, Out: sess}, argv)
	log.Info("command", "cmd", argv[0], "err", err, "took", time.Since(start))
	if err != nil {
		fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
		_ = sess.Exit(1)
		return
	}
	_ = sess.Exit(0)
}

// LoadHostKey reads the server's host key from path, or makes a new ed25519
// key and saves it there (mode 0600) so that clients see the same host on
// every start.
func LoadHostKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if _, err := gossh.ParsePrivateKey(data); err != nil {
			return nil, fmt.Errorf("host key %s: %w", path, err)
		}
		return data, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "moot host key")
	if err != nil {
		return nil, err
	}
	data = pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// Written aside and renamed, so a crash never leaves half a key.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return data, nil
}
