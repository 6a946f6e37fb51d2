package linemode

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode"
)

// clock is a clock a test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// reads hands out its chunks one read at a time, as a connection does.
type reads struct{ chunks []string }

func (r *reads) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunks[0])
	if n < len(r.chunks[0]) {
		r.chunks[0] = r.chunks[0][n:]
	} else {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

// typedAll is everything an input hands on from chunks, and what it
// echoed.
func typedAll(t *testing.T, echo bool, b Bounds, chunks ...string) ([]typed, string) {
	t.Helper()
	var out bytes.Buffer
	term := newTerminal(&out, echo, b.MaxLine)
	in := newInput(&reads{chunks: chunks}, term, b)
	var got []typed
	for {
		x := in.next()
		got = append(got, x)
		if x.end {
			return got, out.String()
		}
		if len(got) > 10_000 {
			t.Fatal("the input never ended")
		}
	}
}

func lines(got []typed) []string {
	var out []string
	for _, x := range got {
		switch {
		case x.refused == tooLong:
			out = append(out, "<too long>")
		case x.refused == tooFast:
			out = append(out, "<too fast>")
		case x.end:
		default:
			out = append(out, x.line)
		}
	}
	return out
}

func bounds(c *clock) Bounds {
	return Bounds{Now: c.now}.withDefaults(100)
}

// Lines end at LF, CR or CR LF, across reads; a character split between
// two reads is whole; escape sequences and control bytes are dropped; a
// last line without its newline is a line.
func TestInputReadsLines(t *testing.T) {
	c := &clock{time.Unix(0, 0)}
	got, echoed := typedAll(t, false, bounds(c), "say a\r\nsay b\rsay c\nsay d", "\xc3", "\xa9\x1b[31m\x07\x7f\tx\n\n", "last")
	want := []string{"say a", "say b", "say c", "say dé x", "", "last"}
	if strings.Join(lines(got), "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", lines(got), want)
	}
	if echoed != "" {
		t.Errorf("without a terminal nothing is echoed: %q", echoed)
	}
}

// A line over the bound is refused whole, however it arrives, and the
// line after it is read as ever.
func TestInputRefusesALongLine(t *testing.T) {
	c := &clock{time.Unix(0, 0)}
	b := bounds(c)
	long := strings.Repeat("x", b.MaxLine)
	got, _ := typedAll(t, false, b, "say "+long[:50], long[50:], "\nwhoami\n", strings.Repeat("y", b.MaxLine)+"\n")
	want := []string{"<too long>", "whoami", strings.Repeat("y", b.MaxLine)}
	if strings.Join(lines(got), "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", lines(got), want)
	}
}

// Lines that come faster than the bounds take are dropped and said so
// once a second, however many there are; the budget comes back with
// time.
func TestInputBoundsTheRateOfLines(t *testing.T) {
	c := &clock{time.Unix(0, 0)}
	b := bounds(c)
	var out bytes.Buffer
	term := newTerminal(&out, false, b.MaxLine)
	flood := strings.Repeat("whoami\n", 10_000)
	in := newInput(&reads{chunks: []string{flood}}, term, b)
	var taken, told int
	for i := 0; i < b.Burst+1; i++ {
		switch x := in.next(); {
		case x.refused == tooFast:
			told++
		case x.line == "whoami":
			taken++
		default:
			t.Fatalf("%+v", x)
		}
	}
	if taken != b.Burst || told != 1 {
		t.Errorf("a flood of 10000 lines at once: %d taken, told %d times; want %d and 1", taken, told, b.Burst)
	}
	// Every other line of the flood was dropped without a word.
	if x := in.next(); !x.end {
		t.Errorf("after the flood: %+v, want the end", x)
	}

	// Two seconds on, the budget holds 2×Rate lines again.
	c.t = c.t.Add(2 * time.Second)
	in = newInput(&reads{chunks: []string{flood}}, term, b)
	in.budget = 0
	in.last = c.t.Add(-2 * time.Second)
	taken = 0
	for x := in.next(); !x.end; x = in.next() {
		if x.line == "whoami" {
			taken++
		}
	}
	if want := int(2 * b.Rate); taken != want {
		t.Errorf("after two quiet seconds, %d lines taken, want %d", taken, want)
	}
}

// On a terminal, line mode edits the line as a plain terminal does:
// Backspace rubs out a character (backspace-space-backspace), Ctrl-U the
// line, Ctrl-W a word, Ctrl-C drops it (^C), Ctrl-D on an empty line
// leaves; what is typed is echoed, escape sequences are not.
func TestInputEditsOnATerminal(t *testing.T) {
	c := &clock{time.Unix(0, 0)}
	got, echoed := typedAll(t, true, bounds(c),
		"say hex\x7fllo\r",
		"say one two\x17three\r",
		"oops\x15say \x1b[Dok\r",
		"say dropped\x03",
		"say é\x08e\r",
		"\x04after")
	want := []string{"say hello", "say one three", "say ok", "say e"}
	if strings.Join(lines(got), "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", lines(got), want)
	}
	wantEcho := "say hex\b \bllo\n" +
		"say one two\b \b\b \b\b \bthree\n" +
		"oops\b \b\b \b\b \b\b \bsay ok\n" +
		"say dropped^C\n" +
		"say é\b \be\n"
	if echoed != wantEcho {
		t.Errorf("echoed %q,\nwant    %q", echoed, wantEcho)
	}
}

// Whatever bytes come in, what is handed on is lines of text within the
// bound, and what is echoed has no control byte but the newline and the
// backspaces that rub out.
func FuzzInput(f *testing.F) {
	f.Add([]byte("say hello\r\nvote 1 1=2\n"), true)
	f.Add([]byte("\x1b[200~paste\x1b[201~\x7f\x15\x17\x03\x04"), true)
	f.Add([]byte("\xff\xfe\xc3\n\x9b31m\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, echo bool) {
		c := &clock{time.Unix(0, 0)}
		b := Bounds{Now: c.now, MaxLine: 64}.withDefaults(64)
		got, echoed := typedAll(t, echo, b, string(data))
		for _, x := range got {
			if len(x.line) > b.MaxLine {
				t.Fatalf("a line of %d bytes passed a bound of %d", len(x.line), b.MaxLine)
			}
			for _, r := range x.line {
				if unicode.IsControl(r) || r == 0xfffd {
					t.Fatalf("line %q holds %U", x.line, r)
				}
			}
		}
		for _, r := range strings.ReplaceAll(echoed, "\b \b", "") {
			if r != '\n' && unicode.IsControl(r) {
				t.Fatalf("echoed %q holds %U", echoed, r)
			}
		}
	})
}
