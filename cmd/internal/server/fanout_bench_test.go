package server_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// BenchmarkFanOut is a step change reaching every screen of 100 people
// over real SSH: the Hub decides and commits it, publishes the snapshot,
// and every screen draws it and writes it, encrypted, to its client. An op
// ends when every client's terminal shows the new step's title.
//
// The clients run in the same process, so ns/op and allocs/op include
// their side (decrypting, putting what arrives on a headless terminal,
// looking for the title), which the server's changes leave alone.
// cpu-ns/op is the process's CPU time per change, which the pacing of
// deliveries (a change that follows another within the Hub's window
// waits) does not count; moot-load measures the server alone.
func BenchmarkFanOut(b *testing.B) {
	ts := startServer(b)
	ctx := context.Background()
	const people = 100
	screens := make([]*rawScreen, people)
	for i := range screens {
		key := newKey(b)
		name := fmt.Sprintf("Person %03d", i)
		if err := ts.hub.Do(ctx, gossh.FingerprintSHA256(key.PublicKey()), session.Register{Name: name}); err != nil {
			b.Fatal(err)
		}
		screens[i] = openRawScreen(b, ts.dial(b, key), "you are "+name)
		screens[i].wait(b)
	}
	steps := ts.hub.Forum().Steps
	at := 0
	// From step to step, each screen showing one title at a time: the
	// lobby lists them all.
	change := func(b *testing.B) {
		at = at%len(steps) + 1
		title := steps[at-1].Title
		for _, s := range screens {
			if s.watch(title) {
				b.Fatalf("%q is on the screen before the step that has it", title)
			}
		}
		if err := ts.hub.Do(ctx, ts.facilitatorID(), session.GoToStep{To: at}); err != nil {
			b.Fatal(err)
		}
		for _, s := range screens {
			s.wait(b)
		}
	}
	// Out of the lobby, to the first step.
	if err := ts.hub.Do(ctx, ts.facilitatorID(), session.GoToStep{To: 1}); err != nil {
		b.Fatal(err)
	}
	at = 1
	for _, s := range screens {
		s.watch(fmt.Sprintf("Step 1/%d", len(steps))) // the lobby lists every title
		s.wait(b)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		change(b)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

func (ts *testServer) facilitatorID() string {
	return gossh.FingerprintSHA256(ts.facilitator.PublicKey())
}

// cpuTime is the CPU the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rawScreen is a PTY session whose output goes onto a headless terminal,
// read only as far as the text it watches for: the bytes alone would not
// do, as a line that changes is rewritten from where it changes (a title
// after one with the same first letter arrives without that letter).
type rawScreen struct {
	mu   sync.Mutex
	emu  *vt.Emulator
	want []byte
	row  []byte
	seen chan struct{}
}

// openRawScreen opens the forum screen on c and watches for first.
func openRawScreen(t testing.TB, c *gossh.Client, first string) *rawScreen {
	t.Helper()
	s := &rawScreen{emu: vt.NewEmulator(80, 24)}
	s.watch(first)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				s.took(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *rawScreen) took(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.emu.Write(p)
	s.look()
}

// look closes seen once the screen shows the watched text; s.mu is held.
func (s *rawScreen) look() {
	if s.want == nil {
		return
	}
	for y := range s.emu.Height() {
		s.row = s.row[:0]
		for x := range s.emu.Width() {
			if c := s.emu.CellAt(x, y); c != nil {
				s.row = append(s.row, c.Content...)
			}
		}
		if bytes.Contains(s.row, s.want) {
			close(s.seen)
			s.want = nil
			return
		}
	}
}

// watch starts looking for text on the screen, and tells whether the
// screen shows it already.
func (s *rawScreen) watch(text string) (shown bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.want, s.seen = []byte(text), make(chan struct{})
	s.look()
	return s.want == nil
}

// wait waits, bounded, until the watched text has arrived.
func (s *rawScreen) wait(t testing.TB) {
	s.mu.Lock()
	seen, want := s.seen, string(s.want)
	s.mu.Unlock()
	select {
	case <-seen:
	case <-time.After(wait):
		t.Fatalf("%q did not arrive within %v", want, wait)
	}
}
