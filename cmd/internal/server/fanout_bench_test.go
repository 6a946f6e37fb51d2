package server_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// BenchmarkFanOut is a step change reaching every screen of 100 people
// over real SSH: the Hub decides and commits it, publishes the snapshot,
// and every screen draws it and writes it, encrypted, to its client. An op
// ends when every client has received the new step's title.
//
// The clients run in the same process, so ns/op and allocs/op include
// their side (decrypting, looking for the title), which the server's
// changes leave alone. cpu-ns/op is the process's CPU time per change,
// which the pacing of deliveries (a change that follows another within
// the Hub's window waits) does not count; moot-load measures the server
// alone.
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
	at := ts.hub.Snapshot().Step
	next := func() (int, string) {
		at = at%len(steps) + 1
		return at, steps[at-1].Title
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		to, title := next()
		for _, s := range screens {
			s.watch(title)
		}
		if err := ts.hub.Do(ctx, ts.facilitatorID(), session.GoToStep{To: to}); err != nil {
			b.Fatal(err)
		}
		for _, s := range screens {
			s.wait(b)
		}
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

// rawScreen is a PTY session whose output is only searched for a text,
// not put on a terminal: a client as cheap as can be, so that a benchmark
// measures the server.
type rawScreen struct {
	mu   sync.Mutex
	want []byte
	tail []byte // the end of what came before, for a text split across reads
	seen chan struct{}
}

// openRawScreen opens the forum screen on c and watches for first.
func openRawScreen(t testing.TB, c *gossh.Client, first string) *rawScreen {
	t.Helper()
	s := &rawScreen{}
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
	if s.want == nil {
		return
	}
	s.tail = append(s.tail, p...)
	if bytes.Contains(s.tail, s.want) {
		close(s.seen)
		s.want, s.tail = nil, s.tail[:0]
		return
	}
	if keep := len(s.want); len(s.tail) > keep {
		s.tail = append(s.tail[:0], s.tail[len(s.tail)-keep:]...)
	}
}

// watch starts looking for text in what arrives from now on.
func (s *rawScreen) watch(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.want, s.tail, s.seen = []byte(text), s.tail[:0], make(chan struct{})
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
