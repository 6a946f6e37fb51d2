package linemode

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// terminal is where line mode writes, and the line the person is typing.
// Both the session (what it says) and the input (the echo of what is
// typed) write to it, so it has one lock.
//
// Nothing it writes moves the cursor or draws: lines of text, each ended
// by a newline. On a terminal (a PTY) the client shows nothing of its own
// and sends every key as it is typed, so the terminal does what a plain
// terminal's own line editing would: it echoes what is typed, rubs out a
// character with backspace-space-backspace, and when a sentence comes
// while a line is half typed, it ends that line, says the sentence, and
// shows the half-typed line again below it. Without a PTY the client's own
// terminal does all that and sends whole lines; nothing is echoed.
type terminal struct {
	mu   sync.Mutex
	w    io.Writer
	echo bool
	// max bounds the line being typed, in bytes; over is set when typing
	// went past it, and the rest of the line is dropped.
	max   int
	typed []byte
	over  bool
	// err is the first write that failed: the person has gone, and
	// nothing more is written.
	err error
}

func newTerminal(w io.Writer, echo bool, max int) *terminal {
	return &terminal{w: w, echo: echo, max: max}
}

// say writes lines, each made plain first.
func (t *terminal) say(lines ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b bytes.Buffer
	half := t.echo && len(t.typed) > 0 && !t.over
	if half {
		b.WriteByte('\n')
	}
	for _, l := range lines {
		b.WriteString(plain(l))
		b.WriteByte('\n')
	}
	if half {
		b.Write(t.typed)
	}
	return t.write(b.Bytes())
}

func (t *terminal) write(p []byte) error {
	if t.err != nil {
		return t.err
	}
	_, t.err = t.w.Write(p)
	return t.err
}

// add types r at the end of the line.
func (t *terminal) add(r rune) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.over {
		return
	}
	if len(t.typed)+utf8.RuneLen(r) > t.max {
		t.over = true
		return
	}
	t.typed = utf8.AppendRune(t.typed, r)
	if t.echo {
		_ = t.write(utf8.AppendRune(nil, r))
	}
}

// rubOut takes back the last n characters typed (all of them for n < 0),
// or the last word for word.
func (t *terminal) rubOut(n int, word bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.over {
		return
	}
	end := len(t.typed)
	if word {
		end = len(bytes.TrimRight(t.typed, " "))
		end = bytes.LastIndexByte(t.typed[:end], ' ') + 1
	} else {
		for ; n != 0 && end > 0; n-- {
			_, size := utf8.DecodeLastRune(t.typed[:end])
			end -= size
		}
	}
	erased := utf8.RuneCount(t.typed[end:])
	t.typed = t.typed[:end]
	if t.echo && erased > 0 {
		_ = t.write(bytes.Repeat([]byte("\b \b"), erased))
	}
}

// take ends the line being typed and hands it over; over tells that it
// went past the bound, and then line is empty.
func (t *terminal) take() (line string, over bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	line, over = string(t.typed), t.over
	if over {
		line = ""
	}
	t.typed, t.over = t.typed[:0], false
	if t.echo {
		_ = t.write([]byte("\n"))
	}
	return line, over
}

// cancel drops the line being typed (Ctrl-C on a terminal), showing ^C
// as a terminal does.
func (t *terminal) cancel() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.typed, t.over = t.typed[:0], false
	if t.echo {
		_ = t.write([]byte("^C\n"))
	}
}

// gone tells whether a write has failed: the person has gone.
func (t *terminal) gone() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err != nil
}

// empty tells whether nothing is typed on the line.
func (t *terminal) empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.typed) == 0 && !t.over
}

// plain makes a line safe to write and good to hear: escape sequences and
// every control character are removed (the text people typed was cleaned
// when it was saved; this holds for every line whatever its source), tabs
// and runs of spaces within the line become one space (columns line up
// for the eye, and speech and braille gain nothing from them), and the
// indent that shows a line belongs to the one above is kept.
func plain(s string) string {
	s = ansi.Strip(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	indent, space := true, false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if indent {
				b.WriteByte(' ')
			} else {
				space = true
			}
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// C0, DEL and C1 (the 8-bit CSI among them), and invisible
			// format characters such as bidirectional overrides.
		default:
			if space {
				b.WriteByte(' ')
			}
			indent, space = false, false
			b.WriteRune(r)
		}
	}
	return b.String()
}
