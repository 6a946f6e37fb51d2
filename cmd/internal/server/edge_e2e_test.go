package server_test

// The SSH edge under attack: each test attacks one bound over real SSH on
// 127.0.0.1 and shows a participant who is doing nothing wrong unaffected.
// Other loopback addresses (127.0.0.2, ...) stand for other hosts.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
)

// logBuffer holds what a server logs, for a test to read.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startEdge serves forums (the demo when none) with the default limits as
// change leaves them, logging into the buffer returned.
func startEdge(t *testing.T, change func(*server.Limits), forums ...*session.Forum) (*testServer, *logBuffer) {
	t.Helper()
	if len(forums) == 0 {
		demo, err := agenda.Parse(agenda.Demo)
		if err != nil {
			t.Fatal(err)
		}
		forums = []*session.Forum{demo}
	}
	logs := &logBuffer{}
	ts := startConfigured(t, func(c *server.Config) {
		c.Log = slog.New(slog.NewTextHandler(logs, nil))
		if change != nil {
			change(&c.Limits)
		}
	}, forums...)
	return ts, logs
}

// waitLog waits until the server has logged every one of texts.
func waitLog(t *testing.T, logs *logBuffer, texts ...string) {
	t.Helper()
	eventually(t, wait, "the log says "+strings.Join(quoteAll(texts), ", "), func() bool {
		s := logs.String()
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	}, logs.String)
}

// dialer connects from a local address: another loopback address is
// another host to the server.
func dialer(local string) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: wait}
}

// dialFrom opens an SSH connection from local.
func (ts *testServer) dialFrom(local, user string, auth gossh.AuthMethod) (*gossh.Client, error) {
	conn, err := dialer(local).Dial("tcp", ts.addr)
	if err != nil {
		return nil, err
	}
	return clientOn(conn, ts.addr, user, auth)
}

func clientOn(conn net.Conn, addr, user string, auth gossh.AuthMethod) (*gossh.Client, error) {
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         wait,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return gossh.NewClient(c, chans, reqs), nil
}

// silentSockets opens n TCP connections from local that never say a word,
// and sorts them: those the server took (it sent its version line) and how
// many it refused (closed at once).
func silentSockets(t *testing.T, ts *testServer, local string, n int) (taken []net.Conn, refused int) {
	t.Helper()
	for range n {
		c, err := dialer(local).Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(wait))
		line := make([]byte, len("SSH-2.0-moot"))
		_, err = io.ReadFull(c, line)
		_ = c.SetReadDeadline(time.Time{})
		switch {
		case err == nil && string(line) == "SSH-2.0-moot":
			taken = append(taken, c)
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err):
			refused++
		default:
			t.Fatalf("socket %d from %s: read %q, %v", len(taken)+refused+1, local, line, err)
		}
	}
	return taken, refused
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && strings.Contains(op.Err.Error(), "reset")
}

// waitClosed waits until the server has closed every one of conns.
func waitClosed(t *testing.T, conns []net.Conn) {
	t.Helper()
	for i, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(wait))
		_, err := io.Copy(io.Discard, c)
		if err != nil && !isReset(err) {
			t.Fatalf("socket %d was not closed by the server within %v: %v", i+1, wait, err)
		}
	}
}

// More silent sockets than the caps allow: the ones over the cap are
// refused at once, the rest are closed at the handshake deadline, and all
// the while a participant from another address joins and takes part.
func TestSilentSocketsAreCappedAndClosedAtTheDeadline(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.MaxConnsPerAddr = 4
		l.MaxConns = 10
		// Short, for the test; a real participant logs in well within it.
		l.HandshakeTimeout = 3 * time.Second
	})
	taken, refused := silentSockets(t, ts, "127.0.0.2", 7)
	if len(taken) != 4 || refused != 3 {
		t.Fatalf("7 silent sockets from one address: %d taken, %d refused; want 4 and 3", len(taken), refused)
	}
	// From other addresses, up to the cap in all.
	more, refusedInAll := silentSockets(t, ts, "127.0.0.3", 4)
	taken = append(taken, more...)
	if len(more) != 4 || refusedInAll != 0 {
		t.Fatalf("4 more from another address: %d taken, %d refused", len(more), refusedInAll)
	}
	waitLog(t, logs, "connection refused: as many open from one address as it may have (--max-conns-per-addr)", "from=127.0.0.2")

	// Meanwhile Ada, from her own address, joins and takes part.
	ada := newKey(t)
	c, err := ts.dialFrom("127.0.0.1", "demo", gossh.PublicKeys(ada))
	if err != nil {
		t.Fatalf("Ada could not connect during the attack: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if r, err := runExec(c, "name Ada", wait); err != nil || r.status != 0 {
		t.Fatalf("name Ada: %+v, %v", r, err)
	}
	screen := ts.openTerminalOn(t, "Ada", c)
	screen.waitFor(t, wait, "Lobby", "you are Ada")

	// The silent sockets are closed at the deadline, and say so in the log.
	waitClosed(t, taken)
	waitLog(t, logs, "connection dropped: no session started within the handshake deadline (--handshake-timeout)")

	// Ada's connection, which started its session in time, is still up.
	ts.mustExec(t, ts.facilitator, "step next")
	screen.waitFor(t, wait, step1)
}

// With the server full, the next connection is refused at once; once the
// silent sockets are closed at the deadline, a participant gets in.
func TestTheCapInAllFreesAtTheDeadline(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.MaxConnsPerAddr = 0
		l.MaxConns = 3
		l.HandshakeTimeout = 3 * time.Second
	})
	taken, refused := silentSockets(t, ts, "127.0.0.2", 3)
	if len(taken) != 3 || refused != 0 {
		t.Fatalf("3 silent sockets: %d taken, %d refused", len(taken), refused)
	}
	if _, refused := silentSockets(t, ts, "127.0.0.3", 1); refused != 1 {
		t.Fatal("a fourth connection was taken over the cap in all")
	}
	waitLog(t, logs, "connection refused: the server holds as many as it takes (--max-conns)")
	waitClosed(t, taken)
	// Room again: a participant joins.
	ada := newKey(t)
	eventually(t, wait, "Ada gets in once the silent sockets are gone", func() bool {
		c, err := ts.dialFrom("127.0.0.1", "demo", gossh.PublicKeys(ada))
		if err != nil {
			return false
		}
		defer c.Close()
		r, err := runExec(c, "status", wait)
		return err == nil && r.status == 0
	}, func() string { return logs.String() })
}

// freezable is a client's connection that can stop reading, as a laptop
// closed mid-session does: nothing it is sent is taken or answered.
type freezable struct {
	net.Conn
	once   sync.Once
	frozen chan struct{}
	thawed chan struct{}
}

func newFreezable(c net.Conn) *freezable {
	return &freezable{Conn: c, frozen: make(chan struct{}), thawed: make(chan struct{})}
}

func (f *freezable) freeze() { f.once.Do(func() { close(f.frozen) }) }

func (f *freezable) Read(p []byte) (int, error) {
	select {
	case <-f.frozen:
		<-f.thawed
		return 0, io.EOF
	default:
	}
	return f.Conn.Read(p)
}

// A client that vanishes (stops answering) is found by the keepalives and
// dropped; a participant who only watches answers them and stays.
func TestKeepalivesFindAVanishedClientAndKeepAQuietOne(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.KeepAlive = 100 * time.Millisecond
		l.KeepAliveMissed = 3
	})
	quietKey, goneKey := newKey(t), newKey(t)
	ts.mustExec(t, quietKey, "name Quinn")
	ts.mustExec(t, goneKey, "name Gus")
	quiet := ts.openTerminal(t, "Quinn", quietKey)
	quiet.waitFor(t, wait, "Lobby", "you are Quinn")

	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	gone := newFreezable(conn)
	t.Cleanup(func() { close(gone.thawed) })
	c, err := clientOn(gone, ts.addr, "demo", gossh.PublicKeys(goneKey))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	gus := ts.openTerminalOn(t, "Gus", c)
	gus.waitFor(t, wait, "you are Gus")
	eventually(t, wait, "two connected", func() bool { return ts.hub.Snapshot().Connected == 2 },
		func() string { return itoa(int64(ts.hub.Snapshot().Connected)) })

	gone.freeze()
	eventually(t, wait, "Gus is dropped", func() bool { return ts.hub.Snapshot().Connected == 1 },
		func() string { return itoa(int64(ts.hub.Snapshot().Connected)) })
	waitLog(t, logs, "connection dropped: no answer to keepalives (--keepalive)")

	// Quinn, who has typed nothing all along, is still here and still sees
	// the forum move.
	if p, _ := ts.hub.Snapshot().Participant(gossh.FingerprintSHA256(quietKey.PublicKey())); !p.Connected {
		t.Fatal("Quinn was dropped")
	}
	ts.mustExec(t, ts.facilitator, "step next")
	quiet.waitFor(t, wait, step1)
}

// A client that stops taking what its screen sends (it reads nothing, so
// its SSH window runs out) is dropped after the write timeout; the others
// go on seeing the forum.
func TestAClientThatStopsReadingIsDropped(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.WriteTimeout = 500 * time.Millisecond
		l.KeepAlive = 0 // so that only the write timeout can drop it
	})
	adaKey, stuckKey := newKey(t), newKey(t)
	ts.mustExec(t, adaKey, "name Ada")
	ts.mustExec(t, stuckKey, "name Stu")
	ada := ts.openTerminal(t, "Ada", adaKey)
	ada.waitFor(t, wait, "Lobby", "you are Ada")

	c := ts.dial(t, stuckKey)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 500, 1000, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	// A pipe nobody reads: the SSH library grants window as it is read.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	dropped := make(chan struct{})
	go func() { _ = c.Wait(); close(dropped) }()
	// Its stdout is never read. Each change of window size redraws the
	// whole screen, until the window the client grants is spent and the
	// server's writes wait.
	deadline := time.Now().Add(wait)
	for i := 0; ; i++ {
		select {
		case <-dropped:
			waitLog(t, logs, "connection dropped: the client stopped reading (--write-timeout)")
			// Ada, who reads, sees the forum move.
			ts.mustExec(t, ts.facilitator, "step next")
			ada.waitFor(t, wait, step1)
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("a client that read nothing was not dropped after %d redraws (log: %s)", i, logs.String())
		}
		w, h := 1000-i%2, 500-i%2
		payload := gossh.Marshal(struct{ W, H, PW, PH uint32 }{uint32(w), uint32(h), 0, 0})
		if _, err := sess.SendRequest("window-change", false, payload); err != nil {
			<-dropped
		}
		if i%50 == 49 {
			time.Sleep(poll) // let the screen draw
		}
	}
}

// A command of 100 KB is refused before anything reads it; everyone else's
// commands answer as ever.
func TestALongCommandIsRefusedUnread(t *testing.T) {
	ts, _ := startEdge(t, nil)
	ada, mallory := newKey(t), newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, mallory, "name Mallory")
	ts.mustExec(t, ts.facilitator, "step next")

	r := ts.exec(t, mallory, "say "+strings.Repeat("B", 100_000))
	if r.status != 1 || !strings.Contains(r.stderr, "a command can be at most 4096 (4 KiB); nothing was done") {
		t.Fatalf("a 100 KB command: status %d, stderr %q", r.status, r.stderr[:min(len(r.stderr), 200)])
	}
	// Just under the bound, the command is read, and refused for what it
	// says.
	r = ts.exec(t, mallory, "say "+strings.Repeat("B", 4000))
	if r.status != 1 || !strings.Contains(r.stderr, "500") {
		t.Fatalf("a 4000-byte card: status %d, stderr %q", r.status, r.stderr)
	}
	if out := ts.mustExec(t, ada, "say Meetings are always in working hours"); !strings.Contains(out, "card #1") {
		t.Fatalf("Ada's card: %q", out)
	}
	if out := ts.mustExec(t, ada, "status"); !strings.Contains(out, step1) {
		t.Fatalf("status: %q", out)
	}
}

// joinAttempt answers the join-code prompt with answer from local, and
// tells whether it got in and what the server said besides the prompt.
func (ts *testServer) joinAttempt(local, user, answer string) (in bool, said string) {
	var mu sync.Mutex
	auth := gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		if len(questions) == 0 {
			mu.Lock()
			said += instruction
			mu.Unlock()
		}
		out := make([]string, len(questions))
		for i := range out {
			out[i] = answer
		}
		return out, nil
	})
	c, err := ts.dialFrom(local, user, auth)
	if err == nil {
		c.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	return err == nil, said
}

// Guessing the join code from one address: the first few wrong guesses are
// answered at once, then each waits longer, and then the address is locked
// out, even with the right code; a person elsewhere gets in with the code
// all the while.
func TestJoinCodeGuessesAreThrottled(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.GuessesPerAddr.Free = 2
		l.GuessesPerAddr.Wait = 10 * time.Millisecond
		l.GuessesPerAddr.MaxWait = 40 * time.Millisecond
		l.GuessesPerAddr.LockAfter = 6
	}, parseAgenda(t, riverside))

	const guesses = 20
	var locked int
	for i := range guesses {
		in, said := ts.joinAttempt("127.0.0.2", "riverside", "river-"+itoa(int64(1000+i)))
		if in {
			t.Fatalf("guess %d got in", i+1)
		}
		if strings.Contains(said, "Too many wrong codes from your address") {
			locked++
		}
	}
	// Each connection may try again (the client retries within it), so
	// the address is locked within its first few connections, and every
	// connection after is turned away unasked.
	if locked < guesses-6 {
		t.Fatalf("%d of %d attempts were turned away; want all but the first few", locked, guesses)
	}
	waitLog(t, logs, "join codes: an address is locked out after too many wrong guesses", "from=127.0.0.2")
	// Locked out, the right code is not even checked.
	if in, said := ts.joinAttempt("127.0.0.2", "riverside", "river-2026"); in || !strings.Contains(said, "try again in 15 minutes") {
		t.Fatalf("the right code from the locked-out address: in %v, told %q", in, said)
	}
	// Ada, at another address, gets in with the code at once.
	if in, said := ts.joinAttempt("127.0.0.1", "riverside", "river-2026"); !in {
		t.Fatalf("Ada, with the right code, was turned away: %q", said)
	}
}

// Guesses spread over many addresses are held to a rate for the forum.
func TestJoinCodeGuessesForAForumAreBoundedInAll(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.GuessesPerForum.Free = 3
		l.GuessesPerForum.Wait = time.Hour // past the longest a guess may wait
		l.GuessesPerForum.MaxWait = time.Hour
	}, parseAgenda(t, riverside))
	for i := range 3 {
		if in, _ := ts.joinAttempt("127.0.0."+itoa(int64(10+i)), "riverside", "wrong-code"); in {
			t.Fatal("a wrong code got in")
		}
	}
	in, said := ts.joinAttempt("127.0.0.20", "riverside", "wrong-code")
	if in || !strings.Contains(said, "Many people are trying codes for this forum right now") {
		t.Fatalf("a guess past the forum's budget: in %v, told %q", in, said)
	}
	waitLog(t, logs, "join codes: guesses for a forum held back")
	// People with keys are not held back at all.
	ts.execAs(t, "riverside", gossh.PublicKeys(newKey(t)), "status")
}

// A paste of a megabyte into the card box is dropped whole, with a
// message; so is a flood typed without paste brackets, past what anyone
// types. The screen goes on working, and others see only the card written
// after.
func TestALongPasteIsRefused(t *testing.T) {
	ts, logs := startEdge(t, nil)
	adaKey, bobKey := newKey(t), newKey(t)
	ts.mustExec(t, adaKey, "name Ada")
	ts.mustExec(t, bobKey, "name Bob")
	ts.mustExec(t, ts.facilitator, "step next")
	ada := ts.openTerminal(t, "Ada", adaKey)
	bob := ts.openTerminal(t, "Bob", bobKey)
	ada.waitFor(t, wait, step1, "No cards yet")

	ada.typ(t, "w")
	ada.waitFor(t, wait, "New card")
	ada.typ(t, "\x1b[200~"+strings.Repeat("x", 1<<20)+"\x1b[201~")
	ada.waitFor(t, wait, "that paste is over 8 KiB: none of it was taken")
	if strings.Contains(ada.screen(), "xxxxxxxx") {
		t.Fatal("some of the long paste reached the card box")
	}
	waitLog(t, logs, "input dropped: a paste over the bound")

	// A short paste goes in as ever.
	ada.typ(t, "\x1b[200~Meetings are always in working hours\x1b[201~")
	ada.waitFor(t, wait, "Meetings are always in working hours")
	ada.typ(t, "\r")
	ada.waitFor(t, wait, "#1 Ada (you)")
	bob.waitFor(t, wait, "Meetings are always in working hours", "1 card")

	// A flood without brackets: what anyone could type goes in, up to the
	// box's own bound; the rest is dropped, with a message.
	ada.typ(t, "w")
	ada.waitFor(t, wait, "New card")
	ada.typ(t, strings.Repeat("y", 200_000))
	ada.waitFor(t, wait, "too much typed at once: the rest was not taken")
	ada.typ(t, "\x1b") // Esc: the card is not sent
	ada.waitUntil(t, wait, "close the card box", func(s string) bool { return !strings.Contains(s, "New card") })
	if out := ts.mustExec(t, bobKey, "cards"); strings.Contains(out, "yyy") || strings.Contains(out, "xxx") {
		t.Fatalf("cards after the floods: %q", out)
	}
}

// dialWith connects with a client offering only the algorithms in cfg.
func (ts *testServer) dialWith(key gossh.Signer, cfg gossh.Config) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		Config:          cfg,
		User:            "demo",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         wait,
	})
}

// Only modern algorithms are offered: a client that has only an old one
// cannot connect; each modern one works on its own.
func TestOnlyModernAlgorithmsAreOffered(t *testing.T) {
	ts, _ := startEdge(t, nil)
	key := newKey(t)
	works := []gossh.Config{
		{KeyExchanges: []string{gossh.KeyExchangeMLKEM768X25519}},
		{KeyExchanges: []string{gossh.KeyExchangeCurve25519}},
		{Ciphers: []string{gossh.CipherChaCha20Poly1305}},
		{Ciphers: []string{gossh.CipherAES256GCM}},
		{Ciphers: []string{gossh.CipherAES128GCM}},
	}
	for _, cfg := range works {
		c, err := ts.dialWith(key, cfg)
		if err != nil {
			t.Errorf("a client offering only %v %v: %v", cfg.KeyExchanges, cfg.Ciphers, err)
			continue
		}
		if r, err := runExec(c, "status", wait); err != nil || r.status != 0 {
			t.Errorf("status with %v %v: %+v %v", cfg.KeyExchanges, cfg.Ciphers, r, err)
		}
		c.Close()
	}
	refused := []gossh.Config{
		{KeyExchanges: []string{gossh.KeyExchangeECDHP256}},
		{KeyExchanges: []string{gossh.KeyExchangeECDHP384}},
		{KeyExchanges: []string{gossh.KeyExchangeDH14SHA256}},
		{KeyExchanges: []string{gossh.InsecureKeyExchangeDH14SHA1}},
		{Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA256ETM}},
		{Ciphers: []string{gossh.InsecureCipherAES128CBC}},
	}
	for _, cfg := range refused {
		if c, err := ts.dialWith(key, cfg); err == nil {
			c.Close()
			t.Errorf("a client offering only %v %v %v connected", cfg.KeyExchanges, cfg.Ciphers, cfg.MACs)
		}
	}
}

// A session asking for agent forwarding is told no (the server never needs
// a person's keys), and goes on working.
func TestAgentForwardingIsRefused(t *testing.T) {
	ts, _ := startEdge(t, nil)
	c := ts.dial(t, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ok, err := sess.SendRequest("auth-agent-req@openssh.com", true, nil)
	if err != nil || ok {
		t.Fatalf("agent forwarding request: accepted %v, %v; want refused", ok, err)
	}
	out, err := sess.Output("whoami")
	if err != nil || !strings.Contains(string(out), "key:") {
		t.Fatalf("whoami after the refusal: %q, %v", out, err)
	}
}

// One connection holds at most ten sessions at once, and each session
// sets at most 32 environment variables; the eleventh session is refused
// while the ten are open, and taken once one closes.
func TestSessionsOfOneConnectionAreBounded(t *testing.T) {
	ts, _ := startEdge(t, nil)
	c := ts.dial(t, newKey(t))
	var open []*gossh.Session
	for i := range 10 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		open = append(open, s)
	}
	if s, err := c.NewSession(); err == nil {
		s.Close()
		t.Fatal("an eleventh session was opened")
	}
	open[0].Close()
	var s *gossh.Session
	eventually(t, wait, "a session opens once one has closed", func() bool {
		var err error
		s, err = c.NewSession()
		return err == nil
	}, func() string { return "" })
	accepted := 0
	for i := range 40 {
		if err := s.Setenv("MOOT_TEST_"+itoa(int64(i)), "x"); err == nil {
			accepted++
		}
	}
	if accepted != 32 {
		t.Fatalf("%d of 40 environment variables accepted, want 32", accepted)
	}
	if out, err := s.Output("whoami"); err != nil || !strings.Contains(string(out), "key:") {
		t.Fatalf("whoami: %q, %v", out, err)
	}
	for _, s := range open[1:] {
		s.Close()
	}
}

// An admin's forum add with an alias bomb (60 KB that would expand to
// hundreds of megabytes) is refused unexpanded; the server goes on serving.
func TestAnAliasBombSentWithForumAddIsRefused(t *testing.T) {
	admin := newKey(t)
	ts := startConfigured(t, func(c *server.Config) {
		c.Admins = []string{gossh.FingerprintSHA256(admin.PublicKey())}
	}, parseAgenda(t, riverside))
	bomb := "slug: bomb\ntitle: Bomb\npurpose: &a \"" + strings.Repeat("x", 30000) + "\"\nthemes: [" +
		strings.TrimSuffix(strings.Repeat("*a, ", 7500), ", ") + "]\nsteps: [{title: S, phase: dialogue}]\n"
	r := ts.execIn(t, "riverside", admin, "forum add", bomb)
	if r.status != 1 || !strings.Contains(r.stderr, "aliases (*name) expand it to more than") || len(r.stderr) > 1000 {
		t.Fatalf("forum add with an alias bomb: status %d, stderr %.300q", r.status, r.stderr)
	}
	if out := ts.execAs(t, "riverside", gossh.PublicKeys(newKey(t)), "status"); out.status != 0 {
		t.Fatalf("status after the bomb: %+v", out)
	}
}

// buggyStore panics committing a card that says "boom": a bug deep under a
// command, for the test of recovery over SSH.
type buggyStore struct{ session.Store }

func (b buggyStore) Commit(ctx context.Context, slug string, records []session.Record) error {
	for _, r := range records {
		if c, ok := r.Event.(session.CardChanged); ok && c.Card.Text == "boom" {
			var cards map[string]int
			cards["boom"]++ // a nil map: the kind of bug a panic is
		}
	}
	return b.Store.Commit(ctx, slug, records)
}

// A command that hits a bug answers its sender with an error and keeps
// nothing; the sender and everyone else go on, screens and all.
func TestACommandThatPanicsIsAnErrorAndTheForumGoesOn(t *testing.T) {
	demo, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	ts := startOnStore(t, func(s session.Store) session.Store { return buggyStore{s} }, nil, demo)
	adaKey, bobKey := newKey(t), newKey(t)
	ts.mustExec(t, adaKey, "name Ada")
	ts.mustExec(t, bobKey, "name Bob")
	ts.mustExec(t, ts.facilitator, "step next")
	bob := ts.openTerminal(t, "Bob", bobKey)
	bob.waitFor(t, wait, step1, "No cards yet")

	r := ts.exec(t, adaKey, "say boom")
	if r.status != 1 || !strings.Contains(r.stderr, "something went wrong on the server and your command was not done; nothing was changed") {
		t.Fatalf("say boom: status %d, stderr %q", r.status, r.stderr)
	}
	// Nothing of it was kept, and the forum goes on.
	if out := ts.mustExec(t, adaKey, "say Meetings are always in working hours"); !strings.Contains(out, "card #1") {
		t.Fatalf("the next card: %q", out)
	}
	bob.waitFor(t, wait, "Meetings are always in working hours", "1 card")
	if strings.Contains(bob.screen(), "boom") {
		t.Fatal("the card that hit the bug reached a screen")
	}
	// The same bug met from a screen: the error is shown there.
	bob.typ(t, "w")
	bob.waitFor(t, wait, "New card")
	bob.typ(t, "boom\r")
	bob.waitFor(t, wait, "something went wrong on the server")
	bob.typ(t, "\x1b")
	ts.mustExec(t, ts.facilitator, "step next")
	bob.waitFor(t, wait, "Which barriers matter most?")
}
