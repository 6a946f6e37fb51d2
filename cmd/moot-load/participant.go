package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// participant is one simulated person: an SSH connection with its own key
// and a PTY whose output goes through a headless terminal, so that "their
// screen shows it" means what it means for a person; or, in line mode, a
// session without a PTY whose sentences are kept as they come.
type participant struct {
	name string
	key  gossh.Signer
	line bool
	// node is the server the participant is on (an index of the nodes);
	// moveMu keeps two moves from crossing.
	node   int
	moveMu sync.Mutex
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.Writer
	bytes  atomic.Int64 // received from the server

	mu  sync.Mutex // guards emu, rows, rowsRead, text and watches
	emu *vt.Emulator
	// rows are the screen's lines of text as last read, from the top; the
	// first rowsRead of them are read since the screen last changed.
	// Reading the screen is most of what watching it costs, and what is
	// watched for (a step's title) is mostly near the top.
	rows     [][]byte
	rowsRead int
	watches  []watch
	done     chan struct{} // closed when the output ends
	// text is what line mode said, its last keptText bytes.
	text []byte
}

// keptText bounds what is kept of a line-mode transcript: enough for the
// sentences of any one change.
const keptText = 64 << 10

// watch waits for a text to show on the screen, or in line mode to be said
// times times after from (an offset in text).
type watch struct {
	text   string
	needle []byte // text, to look for in a screen's rows
	times  int
	from   int
	seen   chan time.Time // gets the moment the text first showed
}

func newKey() (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return gossh.NewSignerFromKey(priv)
}

// dial connects and returns how long the TCP and SSH handshakes took. kex
// is the one key exchange the client offers; "" offers the SSH library's
// own list, whose first the server also prefers (mlkem768x25519-sha256).
func dial(addr string, key gossh.Signer, timeout time.Duration, kex string) (*gossh.Client, time.Duration, error) {
	start := time.Now()
	cfg := &gossh.ClientConfig{
		User:            "load",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         timeout,
	}
	if kex != "" {
		cfg.KeyExchanges = []string{kex}
	}
	c, err := gossh.Dial("tcp", addr, cfg)
	return c, time.Since(start), err
}

// open starts the forum screen in a PTY of width by height, or line mode
// as ssh -T opens it.
func (p *participant) open(width, height int) error {
	sess, err := p.client.NewSession()
	if err != nil {
		return err
	}
	if !p.line {
		if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
			return err
		}
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return err
	}
	if err := sess.Shell(); err != nil {
		return err
	}
	done := make(chan struct{})
	if p.line {
		p.mu.Lock()
		p.sess, p.stdin, p.emu, p.done, p.text, p.rowsRead = sess, stdin, nil, done, nil, 0
		p.mu.Unlock()
		go p.readLines(stdout, done)
		return nil
	}
	emu := vt.NewEmulator(width, height)
	p.mu.Lock()
	p.sess, p.stdin, p.emu, p.done, p.rows, p.rowsRead = sess, stdin, emu, done, make([][]byte, height), 0
	p.mu.Unlock()
	// The terminal's answers to queries go back to the server, as a real
	// terminal's would; the pipe must be drained or the emulator blocks.
	go func() { _, _ = io.Copy(stdin, emu) }()
	go p.read(stdout, emu, done)
	return nil
}

// read feeds one connection's output to its emulator until it ends. The
// output of a connection the participant has moved from is dropped.
func (p *participant) read(r io.Reader, emu *vt.Emulator, done chan struct{}) {
	defer close(done)
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			p.bytes.Add(int64(n))
			p.mu.Lock()
			if p.emu == emu {
				_, _ = emu.Write(buf[:n])
				p.rowsRead = 0
				p.check()
			}
			p.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// readLines keeps what line mode says until the output ends.
func (p *participant) readLines(r io.Reader, done chan struct{}) {
	defer close(done)
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			p.bytes.Add(int64(n))
			p.mu.Lock()
			if p.done == done {
				p.text = append(p.text, buf[:n]...)
				if over := len(p.text) - keptText; over > 0 {
					p.text = append(p.text[:0], p.text[over:]...)
					for i := range p.watches {
						p.watches[i].from = max(0, p.watches[i].from-over)
					}
				}
				p.check()
			}
			p.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// check reports each watched text the screen now shows; p.mu is held.
func (p *participant) check() {
	if len(p.watches) == 0 {
		return
	}
	now := time.Now()
	kept := p.watches[:0]
	for _, w := range p.watches {
		if p.shows(w) {
			w.seen <- now
			continue
		}
		kept = append(kept, w)
	}
	p.watches = kept
}

func (p *participant) shows(w watch) bool {
	if p.line {
		return strings.Count(string(p.text[min(w.from, len(p.text)):]), w.text) >= w.times
	}
	for y := range p.rows {
		if bytes.Contains(p.row(y), w.needle) {
			return true
		}
	}
	return false
}

// row is the text of the screen's line y, read from the emulator once for
// every change of the screen however many watches look; p.mu is held.
func (p *participant) row(y int) []byte {
	for p.rowsRead <= y {
		p.rows[p.rowsRead] = appendRow(p.rows[p.rowsRead][:0], p.emu, p.rowsRead)
		p.rowsRead++
	}
	return p.rows[y]
}

// appendRow appends what line y of the screen shows to b, each cell's
// text: the emulator's own String compares every cell with an empty one,
// and cost moot-load more than the emulator's parsing, on the cores it
// shares with the server it measures. The second half of a wide character
// has no text.
func appendRow(b []byte, emu *vt.Emulator, y int) []byte {
	for x := range emu.Width() {
		if c := emu.CellAt(x, y); c != nil {
			b = append(b, c.Content...)
		}
	}
	return b
}

// expect starts watching for text on the screen; the channel gets the
// moment it first shows (at once if it already does). In line mode, for
// text said from now on.
func (p *participant) expect(text string) <-chan time.Time { return p.expectN(text, 1) }

// expectN is expect for line mode's text said times times from now on;
// for a screen, times is 1.
func (p *participant) expectN(text string, times int) <-chan time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := watch{text: text, needle: []byte(text), times: times, from: len(p.text), seen: make(chan time.Time, 1)}
	p.watches = append(p.watches, w)
	p.check()
	return w.seen
}

// shown is the screen now, or in line mode what it has said lately.
func (p *participant) shown() string {
	if p.line {
		return string(p.text)
	}
	for y := range p.rows {
		p.row(y)
	}
	return string(bytes.Join(p.rows, []byte("\n")))
}

// enter is the key that ends a line: a terminal's Enter, or a newline from
// a client's own terminal without a PTY.
func (p *participant) enter() string {
	if p.line {
		return "\n"
	}
	return "\r"
}

// joined is what shows once the person has joined.
func (p *participant) joined() string {
	if p.line {
		return "You are " + p.name + ", taking part."
	}
	return "you are " + p.name
}

// waitFor waits, at most timeout, for text on the screen.
func (p *participant) waitFor(text string, timeout time.Duration) (time.Time, error) {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	p.mu.Lock()
	// What a person waits for here is a state (a question asked, being in
	// the forum): in line mode, said since the session opened.
	w := watch{text: text, needle: []byte(text), times: 1, seen: make(chan time.Time, 1)}
	p.watches = append(p.watches, w)
	p.check()
	p.mu.Unlock()
	select {
	case t := <-w.seen:
		return t, nil
	case <-done:
		return time.Time{}, fmt.Errorf("%s: session ended while waiting for %q", p.name, text)
	case <-time.After(timeout):
		p.mu.Lock()
		screen := p.shown()
		p.mu.Unlock()
		return time.Time{}, fmt.Errorf("%s: %q not on screen after %v; screen:\n%s", p.name, text, timeout, screen)
	}
}

func (p *participant) typ(s string) error {
	p.mu.Lock()
	stdin := p.stdin
	p.mu.Unlock()
	_, err := io.WriteString(stdin, s)
	return err
}

// moveTo connects the participant to another node, as a person whose
// server died reconnects, and waits until their screen is back.
func (p *participant) moveTo(node int, addr string, width, height int, timeout time.Duration, kex string) error {
	p.close()
	c, _, err := dial(addr, p.key, timeout, kex)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.client, p.sess, p.node, p.watches = c, nil, node, nil
	p.mu.Unlock()
	if err := p.open(width, height); err != nil {
		return err
	}
	_, err = p.waitFor(p.joined(), timeout)
	return err
}

func (p *participant) close() {
	if p.sess != nil {
		p.sess.Close()
	}
	if p.client != nil {
		p.client.Close()
	}
}

// exec runs one command on the participant's connection, as
// `ssh host COMMAND` does, and returns its output.
func exec(c *gossh.Client, cmd string, timeout time.Duration) (string, error) {
	sess, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	var out, errOut strings.Builder
	sess.Stdout, sess.Stderr = &out, &errOut
	done := make(chan error, 1)
	go func() { done <- sess.Run(cmd) }()
	select {
	case err := <-done:
		if err != nil {
			return out.String(), fmt.Errorf("%s: %v: %s", cmd, err, strings.TrimSpace(errOut.String()))
		}
		return out.String(), nil
	case <-time.After(timeout):
		return "", fmt.Errorf("%s: no answer within %v", cmd, timeout)
	}
}
