package linemode

import (
	"io"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds bound what one person's line session reads: a line longer than
// MaxLine bytes is refused unread, and lines are taken at most Burst at
// once and Rate a second after that (more is dropped, and said so at most
// once a second). A zero field takes its default.
type Bounds struct {
	MaxLine int
	Burst   int
	Rate    float64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Defaults: a paste of a few commands at once passes; a script that types
// faster than anyone does is held to a few commands a second.
const (
	DefaultBurst = 20
	DefaultRate  = 4
)

func (b Bounds) withDefaults(maxLine int) Bounds {
	if b.MaxLine <= 0 {
		b.MaxLine = maxLine
	}
	if b.Burst <= 0 {
		b.Burst = DefaultBurst
	}
	if b.Rate <= 0 {
		b.Rate = DefaultRate
	}
	if b.Now == nil {
		b.Now = time.Now
	}
	return b
}

// refusal says why a line was not read.
type refusal int

const (
	notRefused refusal = iota
	// tooLong: the line was longer than MaxLine.
	tooLong
	// tooFast: lines came faster than the bounds take; told at most once
	// a second however many were dropped.
	tooFast
)

// typed is what the input hands the session: a line, a refusal, or the
// end of the input (the person left: Ctrl-D, or the client closed it).
type typed struct {
	line    string
	refused refusal
	end     bool
}

// input reads what a person types, a line at a time, within the bounds.
// Only one goroutine may call next.
type input struct {
	r      io.Reader
	t      *terminal
	bounds Bounds

	buf  []byte
	held []byte // half a character, from the end of the last read
	esc  escape
	cr   bool // the last byte ended a line with CR: a LF after it is the same end
	out  []typed
	err  error

	budget float64
	last   time.Time
	told   time.Time // when lines dropped for speed were last told
}

// escape is where the input is in an escape sequence (a terminal's arrow
// and function keys send them); they are dropped whole.
type escape int

const (
	noEscape escape = iota
	escStart
	escCSI // ESC [ ... up to a final byte
	escSS3 // ESC O and one byte
)

func newInput(r io.Reader, t *terminal, b Bounds) *input {
	return &input{r: r, t: t, bounds: b, budget: float64(b.Burst), last: b.Now()}
}

// next is what was typed next.
func (in *input) next() typed {
	for len(in.out) == 0 {
		if in.err != nil {
			return typed{end: true}
		}
		if in.buf == nil {
			in.buf = make([]byte, 1<<10)
		}
		n, err := in.r.Read(in.buf)
		in.scan(in.buf[:n])
		if in.err == nil {
			in.err = err
		}
		if err != nil && !in.t.empty() {
			in.enter() // a last line without its newline
		}
	}
	next := in.out[0]
	in.out = in.out[1:]
	return next
}

// scan takes a read's bytes as typed keys.
func (in *input) scan(p []byte) {
	if len(in.held) > 0 {
		p = append(in.held, p...)
		in.held = nil
	}
	for len(p) > 0 && in.err == nil {
		c := p[0]
		switch in.esc {
		case escStart:
			switch c {
			case '[':
				in.esc = escCSI
			case 'O':
				in.esc = escSS3
			default:
				in.esc = noEscape
			}
			p = p[1:]
			continue
		case escCSI:
			if c >= 0x40 && c <= 0x7e {
				in.esc = noEscape
			}
			p = p[1:]
			continue
		case escSS3:
			in.esc = noEscape
			p = p[1:]
			continue
		}
		if c >= utf8.RuneSelf {
			if !utf8.FullRune(p) {
				in.held = append([]byte(nil), p...)
				return
			}
			r, size := utf8.DecodeRune(p)
			p = p[size:]
			in.cr = false
			if r != utf8.RuneError && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
				in.t.add(r)
			}
			continue
		}
		p = p[1:]
		in.key(c)
	}
}

// key takes one ASCII byte as typed.
func (in *input) key(c byte) {
	wasCR := in.cr
	in.cr = false
	echo := in.t.echo
	switch {
	case c == '\r':
		in.cr = true
		in.enter()
	case c == '\n':
		if !wasCR {
			in.enter()
		}
	case c == 0x1b:
		in.esc = escStart
	case c == '\t':
		in.t.add(' ')
	case c >= 0x20 && c < 0x7f:
		in.t.add(rune(c))
	case !echo:
		// Without a PTY the client's terminal edits the line: any other
		// control byte is not a key, and is dropped.
	case c == 0x7f || c == 0x08: // Backspace
		in.t.rubOut(1, false)
	case c == 0x15: // Ctrl-U
		in.t.rubOut(-1, false)
	case c == 0x17: // Ctrl-W
		in.t.rubOut(0, true)
	case c == 0x03: // Ctrl-C
		in.t.cancel()
	case c == 0x04: // Ctrl-D on an empty line leaves, as in a shell
		if in.t.empty() {
			in.out = append(in.out, typed{end: true})
			in.err = io.EOF // whatever comes after is not read
		}
	}
}

// enter ends a line and hands it on, if the bounds take it.
func (in *input) enter() {
	line, over := in.t.take()
	now := in.bounds.Now()
	in.budget = min(float64(in.bounds.Burst), in.budget+now.Sub(in.last).Seconds()*in.bounds.Rate)
	in.last = now
	if in.budget < 1 {
		if now.Sub(in.told) >= time.Second {
			in.told = now
			in.out = append(in.out, typed{refused: tooFast})
		}
		return
	}
	in.budget--
	if over {
		in.out = append(in.out, typed{refused: tooLong})
		return
	}
	in.out = append(in.out, typed{line: line})
}
