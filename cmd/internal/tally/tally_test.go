package tally

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

func TestAFloodIsAFewLines(t *testing.T) {
	var buf logBuffer
	tl := New(slog.New(slog.NewTextHandler(&buf, nil)), time.Hour)
	const what = "connection refused: too many from one address"
	for i := range 10000 {
		src := "198.51.100.7"
		if i%100 == 0 {
			src = "203.0.113.9"
		}
		tl.Add(what, src)
	}
	if got := buf.lines(); len(got) != 1 || !strings.Contains(got[0], what) || !strings.Contains(got[0], "from=203.0.113.9") {
		t.Fatalf("before the summary, the log has %d lines, want the first event only:\n%s", len(got), strings.Join(got, "\n"))
	}
	tl.Flush()
	got := buf.lines()
	if len(got) != 2 {
		t.Fatalf("after the summary, %d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	for _, want := range []string{"count=9999", "sources=2", "most_from=198.51.100.7", "most=9900"} {
		if !strings.Contains(got[1], want) {
			t.Errorf("summary %q lacks %s", got[1], want)
		}
	}
	// A quiet period says nothing, and the next event is said at once.
	tl.Flush()
	tl.Flush()
	tl.Add(what, "192.0.2.1")
	if got := buf.lines(); len(got) != 3 || !strings.Contains(got[2], "from=192.0.2.1") {
		t.Fatalf("after a quiet period:\n%s", strings.Join(got, "\n"))
	}
}

func TestSourcesAreBounded(t *testing.T) {
	var buf logBuffer
	tl := New(slog.New(slog.NewTextHandler(&buf, nil)), time.Hour)
	for i := range 5000 {
		tl.Add("dropped", string(rune(0x4e00+i)))
	}
	if n := len(tl.kinds["dropped"].sources); n > maxSources {
		t.Fatalf("%d sources remembered, want at most %d", n, maxSources)
	}
}
