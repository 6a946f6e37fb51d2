package server_test

// The harness for the end-to-end tests: a real server on 127.0.0.1:0 over a
// real SQLite file, and real SSH clients whose output goes through a
// headless terminal, so that tests assert on what a person would see.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
	"moot/store"
)

const (
	// wait bounds every wait for something to show up; it is generous so
	// that a loaded machine under -race does not fail a correct server.
	wait = 15 * time.Second
	// poll is how often a wait looks again.
	poll = 10 * time.Millisecond
)

// testServer is a running moot server with the demo forum.
type testServer struct {
	srv         *server.Server
	hub         *session.Hub // the first forum's
	hubs        map[string]*session.Hub
	addr        string
	facilitator gossh.Signer
}

// newKey makes a fresh ed25519 client key.
func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServer serves the demo forum, with one facilitator key, on a free
// port of 127.0.0.1. Everything is stopped when the test ends.
func startServer(t testing.TB) *testServer {
	t.Helper()
	forum, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	return startForums(t, forum)
}

// startForums serves the forums, each with the same one facilitator key.
func startForums(t testing.TB, forums ...*session.Forum) *testServer {
	t.Helper()
	return startConfigured(t, nil, forums...)
}

// startConfigured is startForums with a change to the server's Config
// (its admins, say) made before it starts. Config.Add, when left nil,
// keeps and starts added forums as moot serve does.
func startConfigured(t testing.TB, configure func(*server.Config), forums ...*session.Forum) *testServer {
	t.Helper()
	return startOnStore(t, nil, configure, forums...)
}

// startOnStore is startConfigured with the forums' Hubs on a store wrapped
// by wrap (nil: the SQLite store as it is).
func startOnStore(t testing.TB, wrap func(session.Store) session.Store, configure func(*server.Config), forums ...*session.Forum) *testServer {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	var hubStore session.Store = st
	if wrap != nil {
		hubStore = wrap(st)
	}
	fac := newKey(t)
	hubs := map[string]*session.Hub{}
	var first *session.Hub
	for _, forum := range forums {
		forum.Facilitators = []string{gossh.FingerprintSHA256(fac.PublicKey())}
		hub, err := session.NewHub(ctx, hubStore, forum, log)
		if err != nil {
			st.Close()
			t.Fatal(err)
		}
		hubs[forum.Slug] = hub
		if first == nil {
			first = hub
		}
	}
	hostKey, err := server.LoadHostKey(filepath.Join(t.TempDir(), "host_ed25519"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{
		HostKey: hostKey,
		Hubs:    hubs,
		Log:     log,
		// The bounds moot serve starts with; a test of one bound
		// changes it in configure.
		Limits: server.DefaultLimits(),
		Add: func(ctx context.Context, f *session.Forum, agendaText, addedBy string) (*session.Hub, error) {
			if err := st.AddForum(ctx, f, agendaText, addedBy); err != nil {
				return nil, err
			}
			return session.NewHub(ctx, st, f, log)
		},
	}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// Registered first, so it runs after every client's cleanup.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = srv.Shutdown(ctx) // may already have been called by the test
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(wait):
			t.Errorf("Serve did not return after Shutdown")
		}
		for _, hub := range hubs {
			hub.Stop()
		}
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	return &testServer{srv: srv, hub: first, hubs: hubs, addr: ln.Addr().String(), facilitator: fac}
}

// dial opens an SSH connection with key; it is closed when the test ends.
func (ts *testServer) dial(t testing.TB, key gossh.Signer) *gossh.Client {
	t.Helper()
	return ts.dialAs(t, "demo", gossh.PublicKeys(key))
}

// dialAs opens an SSH connection as user (the forum's slug, say) with the
// given way of authenticating; it is closed when the test ends.
func (ts *testServer) dialAs(t testing.TB, user string, auth gossh.AuthMethod) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         wait,
	})
	if err != nil {
		t.Fatalf("dial %s: %v", ts.addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// execResult is what an exec request gave back.
type execResult struct {
	stdout, stderr string
	status         int
}

// exec runs one command over its own connection, as `ssh host COMMAND`
// does, and fails the test if it does not finish within the bounded wait.
func (ts *testServer) exec(t *testing.T, key gossh.Signer, cmd string) execResult {
	t.Helper()
	c := ts.dial(t, key)
	defer c.Close()
	r, err := runExec(c, cmd, wait)
	if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return r
}

// runExec runs cmd in a new session of c; it does not touch t, so it may be
// called from any goroutine.
func runExec(c *gossh.Client, cmd string, timeout time.Duration) (execResult, error) {
	return runExecIn(c, cmd, "", timeout)
}

// runExecIn is runExec with stdin, as `ssh host COMMAND < FILE` does.
func runExecIn(c *gossh.Client, cmd, stdin string, timeout time.Duration) (execResult, error) {
	sess, err := c.NewSession()
	if err != nil {
		return execResult{}, err
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = strings.NewReader(stdin), &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run(cmd) }()
	var runErr error
	select {
	case runErr = <-done:
	case <-time.After(timeout):
		c.Close()
		return execResult{}, errors.New("no answer within " + timeout.String())
	}
	r := execResult{stdout: stdout.String(), stderr: stderr.String()}
	var exit *gossh.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit):
		r.status = exit.ExitStatus()
	default:
		return r, runErr
	}
	return r, nil
}

// mustExec runs cmd and fails the test unless it succeeds.
func (ts *testServer) mustExec(t *testing.T, key gossh.Signer, cmd string) string {
	t.Helper()
	r := ts.exec(t, key, cmd)
	if r.status != 0 {
		t.Fatalf("exec %q: status %d, stderr %q", cmd, r.status, r.stderr)
	}
	return r.stdout
}

// terminal is a person's screen: an SSH session with a PTY whose output
// feeds a headless terminal emulator, which answers the program's terminal
// queries through the session's stdin as a real terminal would.
type terminal struct {
	name   string
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser

	mu  sync.Mutex // guards emu's screen: its own lock does not cover String
	emu *vt.SafeEmulator
	raw bytes.Buffer // everything received, for messages printed after the screen closes

	exited  chan struct{} // closed when the session has ended
	exitErr error         // set before exited is closed
	pumped  chan struct{} // closed when stdout has been read to its end
}

// openTerminal connects with key and opens the forum screen in an 80x24
// xterm-256color PTY.
func (ts *testServer) openTerminal(t *testing.T, name string, key gossh.Signer) *terminal {
	t.Helper()
	return ts.openTerminalOn(t, name, ts.dial(t, key))
}

// openTerminalOn opens the forum screen in a new session of an existing
// connection.
func (ts *testServer) openTerminalOn(t *testing.T, name string, c *gossh.Client) *terminal {
	t.Helper()
	return ts.openTerminalAs(t, name, c, ptySpec{width: 80, height: 24})
}

// ptySpec is the terminal a client asks for: its size (the emulator's,
// which a client that asks for 0x0 still has), the size it tells the
// server, and the environment it sends (LANG, say).
type ptySpec struct {
	width, height int
	asked         *[2]int
	env           map[string]string
}

// openTerminalAs opens the forum screen in a new session of c, on a
// terminal as spec says.
func (ts *testServer) openTerminalAs(t *testing.T, name string, c *gossh.Client, spec ptySpec) *terminal {
	t.Helper()
	width, height := spec.width, spec.height
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range spec.env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	askW, askH := width, height
	if spec.asked != nil {
		askW, askH = spec.asked[0], spec.asked[1]
	}
	if err := sess.RequestPty("xterm-256color", askH, askW, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	tm := &terminal{
		name:   name,
		client: c,
		sess:   sess,
		stdin:  stdin,
		emu:    vt.NewSafeEmulator(width, height),
		exited: make(chan struct{}),
		pumped: make(chan struct{}),
	}
	// The program's output, onto the screen.
	go func() {
		defer close(tm.pumped)
		// This goroutine is the emulator's only writer, so once it is done
		// nothing more will be answered: end the answering goroutine.
		defer closeAnswers(tm)
		buf := make([]byte, 32*1024)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				_, _ = tm.emu.Write(buf[:n])
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	// The terminal's answers, back to the program. This keeps reading even
	// after the session has gone, so that the emulator never blocks (with
	// tm.mu held) on an answer nobody takes; it ends when the pipe closes.
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := tm.emu.Read(buf)
			if n > 0 {
				_, _ = stdin.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		tm.exitErr = sess.Wait()
		close(tm.exited)
	}()
	t.Cleanup(func() {
		sess.Close()
		closeAnswers(tm)
	})
	return tm
}

// closeAnswers closes the emulator's answer pipe, which ends the goroutine
// that reads it (Emulator.Close would race with a Read in progress).
func closeAnswers(tm *terminal) {
	if pw, ok := tm.emu.InputPipe().(io.Closer); ok {
		_ = pw.Close()
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// screen is the text on the terminal now.
func (tm *terminal) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.String()
}

// output is every byte received so far.
func (tm *terminal) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.String()
}

// waitFor waits until the screen shows every one of texts, and fails the
// test with the screen as it is if that does not happen within timeout.
func (tm *terminal) waitFor(t *testing.T, timeout time.Duration, texts ...string) {
	t.Helper()
	tm.waitUntil(t, timeout, "show "+strings.Join(quoteAll(texts), ", "), func(screen string) bool {
		for _, s := range texts {
			if !strings.Contains(screen, s) {
				return false
			}
		}
		return true
	})
}

// waitUntil waits until ok holds for the screen.
func (tm *terminal) waitUntil(t *testing.T, timeout time.Duration, what string, ok func(screen string) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if ok(s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's screen did not %s within %v; it shows:\n%s", tm.name, what, timeout, frame(s))
		}
		time.Sleep(poll)
	}
}

// typ sends keys as typed: text, or control sequences such as "\r" (Enter)
// and "\x1b[B" (Down).
func (tm *terminal) typ(t *testing.T, keys string) {
	t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		t.Fatalf("typing %q on %s's terminal: %v", keys, tm.name, err)
	}
}

// waitExit waits until the session has ended.
func (tm *terminal) waitExit(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case <-tm.exited:
	case <-time.After(timeout):
		t.Fatalf("%s's session did not end within %v; the screen shows:\n%s", tm.name, timeout, frame(tm.screen()))
	}
}

// eventually waits until cond holds, failing with what (and the value
// described by state) after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool, state func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so within %v (%s)", what, timeout, state())
		}
		time.Sleep(poll)
	}
}

// frame draws a screen dump with a border, so that blank lines show.
func frame(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.WriteString("┌" + strings.Repeat("─", 80) + "\n")
	for _, l := range lines {
		b.WriteString("│" + l + "\n")
	}
	b.WriteString("└" + strings.Repeat("─", 80))
	return b.String()
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}
