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
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/connlimit"
	"moot/cmd/internal/tally"
	"moot/session"
	"moot/session/catalogue"
	"moot/session/command"
	"moot/tui"
	"moot/tui/linemode"
)

// Config is what a Server needs.
type Config struct {
	// HostKey is the server's private key, PEM encoded.
	HostKey []byte
	// Hubs are the forums served at start, by slug; New copies the map.
	Hubs map[string]*session.Hub
	Log  *slog.Logger

	// Admins holds the SHA256 fingerprints of the keys that may add
	// forums while the server runs (forum add).
	Admins []string
	// Facilitators are added to every forum added while the server runs,
	// as moot serve --facilitators adds them to the forums it starts with.
	Facilitators []string
	// Public is where people reach the server, for every join line the
	// server shows (the projector, the forum list, messages). Zero: the
	// address it listens on.
	Public Address
	// Add keeps a forum added while the server runs, with the agenda text
	// it came from and who added it, and starts its Hub. It refuses a
	// slug the data keeps already. Nil: forums cannot be added.
	Add func(ctx context.Context, f *session.Forum, agendaText, addedBy string) (*session.Hub, error)

	// Limits bound what any one peer can take (edge.go).
	Limits Limits
	// Catalogue has the languages the server speaks; nil: the ones moot
	// ships.
	Catalogue *catalogue.Catalogue
}

// Server is a running moot SSH server.
type Server struct {
	cfg     Config
	ssh     *ssh.Server
	screens atomic.Int64 // TUI programs running now
	lines   atomic.Int64 // line-mode sessions running now
	wg      sync.WaitGroup
	ptys    ptys // each session's PTY, read where it is safe to (pty.go)

	// mu guards the forums served: connections read them (the user name,
	// the picker, join codes, the screen view) while forum add writes.
	mu   sync.RWMutex
	hubs map[string]*session.Hub
	// adding holds the slugs being added now, so that two adds of one
	// slug cannot both start.
	adding map[string]bool
	// stopping is set by Shutdown: no forum is added after it.
	stopping bool
	// narrators tell each forum's changes to its line sessions (line.go).
	narrators map[*session.Hub]*linemode.Narrator

	// The bounds at the edge (edge.go): connections counted under the
	// caps, join-code guesses, and the log of what they refused.
	conns   *connlimit.Limiter
	guesses *guesses
	tally   *tally.Tally
}

var _ command.Forums = (*Server)(nil)

// New builds a server; call Serve to accept connections.
func New(cfg Config) (*Server, error) {
	if len(cfg.Hubs) == 0 {
		return nil, errors.New("no forum to serve")
	}
	s := &Server{cfg: cfg, hubs: make(map[string]*session.Hub, len(cfg.Hubs)), adding: map[string]bool{}, narrators: map[*session.Hub]*linemode.Narrator{}}
	for slug, h := range cfg.Hubs {
		s.hubs[slug] = h
	}
	s.cfg.Hubs = nil // s.hubs, under s.mu, from now on
	every := cfg.Limits.LogEvery
	if every <= 0 {
		every = time.Minute
	}
	s.tally = tally.New(cfg.Log, every)
	s.conns = connlimit.New(cfg.Limits.MaxConnsPerAddr, cfg.Limits.MaxConns)
	s.guesses = newGuesses(cfg.Limits, s.tally)
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(cfg.HostKey),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		// People without a key: the forum's join code (joincode.go).
		// Password authentication stays off.
		wish.WithKeyboardInteractiveAuth(s.keyboardInteractive),
		// Grants a PTY without allocating an OS one: the program reads and
		// writes the SSH channel itself (pty.go).
		s.ptys.grant(),
		wish.WithMiddleware(s.handle),
		wish.WithVersion("moot"),
	)
	if err != nil {
		return nil, err
	}
	srv.ServerConfigCallback = serverConfig
	srv.ConnCallback = s.accept
	srv.SessionRequestCallback = s.sessionStarting
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": sessions()}
	s.ssh = srv
	return s, nil
}

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	if s.cfg.Public == (Address{}) {
		s.cfg.Public = ListenAddress(l.Addr().String())
	}
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
	s.mu.Lock()
	s.stopping = true
	hubs := make([]*session.Hub, 0, len(s.hubs))
	for _, h := range s.hubs {
		hubs = append(hubs, h)
	}
	s.mu.Unlock()
	for _, h := range hubs {
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
	err := s.ssh.Close()
	s.tally.Flush()
	return err
}

// handle is the one handler every session goes through. wish hands it the
// next handler, which does nothing, so it is used as a plain handler.
func (s *Server) handle(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.wg.Add(1)
		defer s.wg.Done()
		pty, windows, isPty := s.ptys.of(sess) // before sess is wrapped: it is the key
		sess, screenOut := s.bounded(sess, isPty)
		defer func() {
			if r := recover(); r != nil {
				s.cfg.Log.Error("session panicked", "panic", r, "user", sess.User(), "stack", string(debug.Stack()))
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
		// The command line as the client sent it: it is measured before
		// anything reads it, and then the command language reads it as
		// typed (session/command/line.go).
		line := sess.RawCommand()
		if err := command.CheckLine(line); err != nil {
			fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
			_ = sess.Exit(1)
			return
		}
		slug, watch := strings.CutSuffix(sess.User(), screenSuffix)
		if named, ok := sess.Context().Value(ctxForum).(string); ok {
			slug = named // named at the join-code prompt
		}
		hub, err := s.forumFor(slug)
		lineMode := wantsLine(line, isPty, pty.Term)
		hasCommand := command.Name(line) != "" && !lineMode
		picker := isPty && !hasCommand && !lineMode && s.count() > 1
		serverCmd := hasCommand && !watch && command.ServerCommand(command.Name(line))
		if err != nil && !picker && !serverCmd {
			fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
			_ = sess.Exit(1)
			return
		}
		if rejoin != "" && hasCommand {
			fmt.Fprintf(sess.Stderr(), "moot: your rejoin code is %s: keep it, and type it at the join-code prompt next time to come back as the same person\n", rejoin)
		}
		forumSlug := ""
		if hub != nil {
			forumSlug = hub.Forum().Slug
		}
		log := s.cfg.Log.With("forum", forumSlug, "id", id, "remote", sess.RemoteAddr().String(), "watch", watch)
		opts := screenOpts{hub: hub, id: id, rejoin: rejoin, held: heldCode(sess), watch: watch}
		switch {
		case (hasCommand || isLive(line)) && watch:
			fmt.Fprintln(sess.Stderr(), "moot: the screen view (SLUG+screen) only shows the forum; it runs no commands")
			_ = sess.Exit(1)
		case hasCommand:
			s.exec(sess, hub, id, line, log)
		case watch && lineMode:
			fmt.Fprintln(sess.Stderr(), "moot: the screen view (SLUG+screen) draws a screen, and needs a terminal that can: ssh -t")
			_ = sess.Exit(1)
		case lineMode:
			s.line(sess, opts, isPty, windows, log)
		case !watch && hub != nil && chose(hub, id, session.ModeLine):
			// The person chose line mode (mode line).
			s.line(sess, opts, true, windows, log)
		default:
			s.screen(sess, screenOut, opts, pty, windows, log)
		}
	}
}

// screenSuffix after a forum's slug in the SSH user name asks for the
// read-only view for a screen in the room: ssh SLUG+screen@host.
const screenSuffix = "+screen"

// forums lists the forums served, by slug, for the picker.
func (s *Server) forums() []tui.ForumItem {
	served := s.served()
	out := make([]tui.ForumItem, len(served))
	for i, h := range served {
		snap := h.Snapshot()
		out[i] = tui.ForumItem{Slug: snap.Forum.Slug, Title: snap.Forum.Title, Snapshot: snap}
	}
	return out
}

// served is every forum's Hub, by slug.
func (s *Server) served() []*session.Hub {
	s.mu.RLock()
	defer s.mu.RUnlock()
	slugs := make([]string, 0, len(s.hubs))
	for slug := range s.hubs {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	out := make([]*session.Hub, len(slugs))
	for i, slug := range slugs {
		out[i] = s.hubs[slug]
	}
	return out
}

// hub is the forum served with this slug.
func (s *Server) hub(slug string) (*session.Hub, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.hubs[slug]
	return h, ok
}

// count is how many forums are served.
func (s *Server) count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.hubs)
}

// forumFor picks the forum from the SSH user name (ssh SLUG@host); a server
// with one forum serves it whatever the user name.
func (s *Server) forumFor(user string) (*session.Hub, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if h, ok := s.hubs[user]; ok {
		return h, nil
	}
	if len(s.hubs) == 1 {
		for _, h := range s.hubs {
			return h, nil
		}
	}
	return nil, s.noSuchForum()
}

// noSuchForum says how to join each forum there is, for someone whose
// SSH user name names none of them (ssh sends the local account's name
// when none is typed). Call with s.mu held.
func (s *Server) noSuchForum() error {
	slugs := make([]string, 0, len(s.hubs))
	for slug := range s.hubs {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	var b strings.Builder
	fmt.Fprintf(&b, "this server hosts %d forums; say which one in front of the host:", len(slugs))
	for _, slug := range slugs {
		fmt.Fprintf(&b, "\n  %s  (%s)", s.cfg.Public.SSH(slug), s.hubs[slug].Forum().Title)
	}
	return errors.New(b.String())
}

// IsAdmin tells whether the holder of key id may add forums. Identities
// from join codes never match: admins have keys.
func (s *Server) IsAdmin(id string) bool {
	for _, a := range s.cfg.Admins {
		if a == id {
			return true
		}
	}
	return false
}

// Served is the latest snapshot of every forum served, by slug.
func (s *Server) Served() []*session.Snapshot {
	served := s.served()
	out := make([]*session.Snapshot, len(served))
	for i, h := range served {
		out[i] = h.Snapshot()
	}
	return out
}

// AddForum starts serving a forum while the server runs: ssh SLUG@host
// reaches it and the picker lists it as soon as this returns. Only an
// admin may; a slug served (or being added) is refused here, one the data
// keeps already by Config.Add.
func (s *Server) AddForum(ctx context.Context, actor string, f *session.Forum, agendaText string) (*session.Hub, error) {
	if !s.IsAdmin(actor) {
		return nil, session.Forbidden("command.only_admin", "forum add")
	}
	if s.cfg.Add == nil {
		return nil, errors.New("forum add: this server cannot add forums")
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("forum add: %w; nothing was added", err)
	}
	added := *f
	added.Facilitators = appendNew(append([]string(nil), f.Facilitators...), s.cfg.Facilitators...)

	s.mu.Lock()
	switch {
	case s.stopping:
		s.mu.Unlock()
		return nil, errors.New("forum add: the server is stopping; nothing was added")
	case s.hubs[added.Slug] != nil || s.adding[added.Slug]:
		s.mu.Unlock()
		return nil, fmt.Errorf("forum add: a forum with slug %q is served here already; nothing was added (choose another slug: in the agenda)", added.Slug)
	}
	s.adding[added.Slug] = true
	s.mu.Unlock()

	// Kept and started outside the lock: connections go on finding the
	// other forums meanwhile. A client that leaves half way does not stop
	// the add half done.
	addCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	hub, err := s.cfg.Add(addCtx, &added, agendaText, actor)
	cancel()

	s.mu.Lock()
	delete(s.adding, added.Slug)
	stopping := s.stopping
	if err == nil && !stopping {
		s.hubs[added.Slug] = hub
	}
	s.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("forum add: %w; nothing was added", err)
	}
	if stopping {
		hub.Stop()
		return nil, errors.New("forum add: the server is stopping; the forum is kept and is served again at the next start")
	}
	s.cfg.Log.Info("forum added", "forum", added.Slug, "by", actor)
	return hub, nil
}

// Serves tells whether the server serves a forum with this slug, or is
// adding one.
func (s *Server) Serves(slug string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.hubs[slug] != nil || s.adding[slug]
}

// ServeForum serves a forum whose Hub was started elsewhere: one another
// server on the same store added while both run. It refuses a slug served
// already, and any forum once the server is stopping.
func (s *Server) ServeForum(hub *session.Hub) error {
	slug := hub.Forum().Slug
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopping:
		return errors.New("the server is stopping")
	case s.hubs[slug] != nil || s.adding[slug]:
		return fmt.Errorf("a forum with slug %q is served here already", slug)
	}
	s.hubs[slug] = hub
	return nil
}

// appendNew appends the values of more that list does not hold yet.
func appendNew(list []string, more ...string) []string {
	for _, v := range more {
		dup := false
		for _, w := range list {
			dup = dup || w == v
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}

func (s *Server) exec(sess ssh.Session, hub *session.Hub, id, line string, log *slog.Logger) {
	start := time.Now()
	// With several servers on one store, the command reads a forum that
	// holds everything acknowledged on any of them.
	if hub != nil {
		if err := hub.Sync(sess.Context()); err != nil {
			fmt.Fprintln(sess.Stderr(), "moot: "+err.Error())
			_ = sess.Exit(1)
			return
		}
	}
	// The answer, and why a command was refused, in the person's
	// language; English where no forum is named.
	p := s.cfg.Catalogue.Printer()
	if hub != nil {
		p = s.cfg.Catalogue.Printer(hub.Snapshot().ViewFor(id).Langs()...)
	}
	err := command.Run(sess.Context(), command.Env{Hub: hub, Actor: id, Out: sess, In: sess, Forums: s, Log: log, Rejoin: heldCode(sess), Catalogue: s.cfg.Catalogue, Printer: p}, line)
	log.Info("command", "cmd", session.CleanLine(command.Name(line)), "err", err, "took", time.Since(start))
	if err != nil {
		fmt.Fprintln(sess.Stderr(), "moot: "+p.Error(err))
		_ = sess.Exit(1)
		return
	}
	_ = sess.Exit(0)
}

// LoadHostKey reads the server's host key from path, or makes a new ed25519
// key and saves it there (mode 0600) so that clients see the same host on
// every start.
func LoadHostKey(path string) ([]byte, error) { return LoadKey(path, "moot host key") }

// LoadKey reads an SSH private key (OpenSSH's PEM format) from path, or
// makes a new ed25519 key with the comment and saves it there, readable
// only by its owner, as ssh -i requires.
func LoadKey(path, comment string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if _, err := gossh.ParsePrivateKey(data); err != nil {
			return nil, fmt.Errorf("key %s: %w", path, err)
		}
		return data, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if data, err = NewKey(comment); err != nil {
		return nil, err
	}
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

// NewHostKey makes a new ed25519 host key, PEM encoded.
func NewHostKey() ([]byte, error) { return NewKey("moot host key") }

// NewKey makes a new ed25519 private key with the comment, PEM encoded.
func NewKey(comment string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(block), nil
}
