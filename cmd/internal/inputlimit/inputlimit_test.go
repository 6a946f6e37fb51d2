package inputlimit

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// readAll reads r to its end, checking every read is short enough for
// bubbletea to take whole.
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	var out []byte
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		if n > chunk {
			t.Fatalf("a read of %d bytes; at most %d", n, chunk)
		}
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func paste(s string) string { return pasteStart + s + pasteEnd }

func TestAPasteWithinTheBoundPassesWhole(t *testing.T) {
	text := strings.Repeat("Meetings are always in working hours. Ünïcödé ✓ ", 100) // ~5 KB
	in := "w" + paste(text) + "\r"
	var refused []Refusal
	got := readAll(t, New(strings.NewReader(in), Options{Refused: func(r Refusal) { refused = append(refused, r) }}))
	if string(got) != in {
		t.Fatalf("the input changed on its way: %d bytes in, %d out", len(in), len(got))
	}
	if len(refused) != 0 {
		t.Fatalf("refused: %+v", refused)
	}
}

func TestALongPasteIsDroppedWhole(t *testing.T) {
	in := "w" + paste(strings.Repeat("x", 10<<20)) + "ok"
	var refused []Refusal
	got := readAll(t, New(strings.NewReader(in), Options{Refused: func(r Refusal) { refused = append(refused, r) }}))
	if string(got) != "wok" {
		t.Fatalf("after a 10 MB paste, passed on %q (%d bytes), want what was typed around it", got[:min(len(got), 40)], len(got))
	}
	if len(refused) != 1 || !refused[0].Paste || refused[0].Limit != 8<<10 {
		t.Fatalf("refusals: %+v, want one for the paste", refused)
	}
}

func TestMarkersSplitAcrossReadsAreFound(t *testing.T) {
	// Put each marker across the end of one of the reader's reads.
	typed := strings.Repeat("a", readSize-3)
	in := typed + paste("hello") + strings.Repeat("b", readSize-6-5-6-2) + paste(strings.Repeat("y", 100)) + "c"
	opt := Options{Burst: 1 << 20}
	got := readAll(t, New(strings.NewReader(in), opt))
	if string(got) != in {
		t.Fatalf("markers across reads: got %d bytes, want %d as they were", len(got), len(in))
	}
	long := typed + paste(strings.Repeat("z", 20000)) + "b"
	var refused int
	opt.Refused = func(Refusal) { refused++ }
	got = readAll(t, New(strings.NewReader(long), opt))
	if string(got) != typed+"b" || refused != 1 {
		t.Fatalf("a long paste across reads: got %d bytes, %d refusals", len(got), refused)
	}
}

// steps is a reader that gives each step's bytes in one read, moving the
// clock on before it does.
type steps struct {
	c     *clock
	parts []string
	pause []time.Duration
}

func (s *steps) Read(p []byte) (int, error) {
	if len(s.parts) == 0 {
		return 0, io.EOF
	}
	s.c.t = s.c.t.Add(s.pause[0])
	n := copy(p, s.parts[0])
	s.parts[0] = s.parts[0][n:]
	if s.parts[0] == "" {
		s.parts, s.pause = s.parts[1:], s.pause[1:]
	}
	return n, nil
}

func TestTypingBeyondTheBudgetIsDropped(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	var refused []Refusal
	in := &steps{c: c,
		// A flood without brackets, then more a second later.
		parts: []string{strings.Repeat("a", 1000), "bcdefghijklmnop"},
		pause: []time.Duration{0, time.Second},
	}
	r := New(in, Options{Burst: 100, Rate: 10, Now: c.now, Refused: func(x Refusal) { refused = append(refused, x) }})
	got := readAll(t, r)
	if want := strings.Repeat("a", 100) + "bcdefghijk"; string(got) != want {
		t.Fatalf("got %q, want the burst and then what a second regained", got)
	}
	if len(refused) != 2 || refused[0].Paste {
		t.Fatalf("refusals %+v, want one a second at most", refused)
	}
}

func TestKeysAreNotStarvedByAFloodOfText(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	// A flood of text with Esc at its end, in the same read.
	in := strings.Repeat("y", 100_000) + "\x1b"
	got := readAll(t, New(strings.NewReader(in), Options{Now: c.now}))
	if len(got) != 4<<10+1 || got[len(got)-1] != 0x1b {
		t.Fatalf("passed %d bytes ending %q; want the text budget and the Esc", len(got), got[max(0, len(got)-3):])
	}
	// A flood of keys is bounded too.
	got = readAll(t, New(strings.NewReader(strings.Repeat("\x1b[A", 10_000)), Options{Now: c.now}))
	if len(got) != 256*3 {
		t.Fatalf("10,000 arrow keys at once: %d bytes passed, want 256 keys", len(got))
	}
}

func TestReadsEndBetweenCharactersAndSequences(t *testing.T) {
	// Keys and characters of every length, many times over: no read may
	// end inside one.
	unit := "é✓\x1b[A𝄞x\x1b[1;5C\x1bOP"
	in := strings.Repeat(unit, 200)
	r := New(strings.NewReader(in), Options{Burst: 1 << 20, Keys: 1 << 20})
	buf := make([]byte, 256)
	var all []byte
	for {
		n, err := r.Read(buf)
		part := buf[:n]
		if !utf8.Valid(part) {
			t.Fatalf("a read ends inside a character: %q", part)
		}
		if i := bytes.LastIndexByte(part, 0x1b); i >= 0 && !complete(part[i:]) {
			t.Fatalf("a read ends inside an escape sequence: %q", part[i:])
		}
		all = append(all, part...)
		if err != nil {
			break
		}
	}
	if string(all) != in {
		t.Fatal("the input changed on its way")
	}
}
