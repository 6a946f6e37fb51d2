// Package inputlimit bounds what a terminal's input can bring into a
// screen, before the terminal library reads it.
//
// bubbletea gathers a bracketed paste, and any run of letters that fills its
// 256-byte read buffer, by copying and scanning everything gathered so far
// on every read: the time grows with the square of the length, so a
// pasted megabyte costs seconds of CPU and ten cost minutes. A Reader sits
// between the SSH session and the program: a paste longer than its bound
// is dropped whole, typing beyond a budget is dropped, and what passes is
// handed on in reads too short to make bubbletea gather.
package inputlimit

import (
	"bytes"
	"io"
	"time"
	"unicode/utf8"
)

// Options bound one screen's input; a zero field takes its default.
type Options struct {
	// Paste is the most bytes one bracketed paste may hold; a longer one
	// is dropped whole. Default 8 KiB, twice the longest field in UTF-8.
	Paste int
	// Burst is how many bytes of text typed (outside a paste) may arrive
	// at once, and Rate how many a second the budget regains. Default
	// 4 KiB and 1 KiB/s: more than anyone types.
	Burst, Rate int
	// Keys and KeyRate are the same for keys that are not text (Enter,
	// Esc, arrows, control keys), counted apart so that a flood of text
	// never leaves a person without Esc. Default 256 and 64 a second: more
	// than a held-down arrow key repeats.
	Keys, KeyRate int
	// Refused is told when input is dropped, once per paste and at most
	// once a second for typing. It is called from the goroutine that reads.
	Refused func(Refusal)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Refusal says what was dropped.
type Refusal struct {
	// Paste is true for a paste over the bound, false for typing over
	// the budget.
	Paste bool
	// Limit is the bound that was passed, in bytes.
	Limit int
}

const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
	// chunk is the most handed on in one read: one less than bubbletea's
	// read buffer, so that it takes every read as complete.
	chunk = 255
	// readSize is what is read from the session at once.
	readSize = 1 << 10
)

// Reader is r with the bounds applied.
type Reader struct {
	r   io.Reader
	opt Options

	in      []byte // what each read from r goes into, made on the first
	buf     []byte // read from r, not yet looked at
	out     []byte // ready to hand on
	paste   []byte // the paste being gathered, its start marker included
	pasting bool
	// dropping is true while the rest of an over-long paste is skipped.
	dropping bool
	// text and keys are what the budgets have left, as of last.
	text, keys float64
	last       time.Time
	// refused is when typing was last dropped and said so: at most one
	// message a second.
	refused time.Time
	err     error
}

// New bounds r.
func New(r io.Reader, opt Options) *Reader {
	if opt.Paste <= 0 {
		opt.Paste = 8 << 10
	}
	if opt.Burst <= 0 {
		opt.Burst = 4 << 10
	}
	if opt.Rate <= 0 {
		opt.Rate = 1 << 10
	}
	if opt.Keys <= 0 {
		opt.Keys = 256
	}
	if opt.KeyRate <= 0 {
		opt.KeyRate = 64
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Reader{r: r, opt: opt, text: float64(opt.Burst), keys: float64(opt.Keys), last: opt.Now()}
}

// Read hands on what the bounds let through. Only one goroutine may read.
func (r *Reader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.in == nil {
			r.in = make([]byte, readSize)
		}
		n, err := r.r.Read(r.in)
		r.buf = append(r.buf, r.in[:n]...)
		r.err = err
		r.scan(n == len(r.in))
		if err != nil && len(r.out) == 0 {
			// Whatever is held back (half a marker) goes as typed.
			r.typed(r.buf)
			r.buf = nil
		}
	}
	n := len(r.out)
	if limit := min(len(p), chunk); n > limit {
		n = cut(r.out, limit)
	}
	n = copy(p, r.out[:n])
	r.out = r.out[n:]
	return n, nil
}

// scan moves what can be decided from buf to out, holding back half a
// character. When full (the last read filled its buffer, so more is surely
// on its way) half an escape sequence or half a paste marker is held back
// too; otherwise a lone ESC is the Esc key.
func (r *Reader) scan(full bool) {
	for len(r.buf) > 0 {
		switch {
		case r.dropping || r.pasting:
			i := bytes.Index(r.buf, []byte(pasteEnd))
			if i < 0 {
				keep := partial(r.buf, pasteEnd)
				r.gather(r.buf[:len(r.buf)-keep])
				r.buf = r.buf[len(r.buf)-keep:]
				return
			}
			r.gather(r.buf[:i])
			r.buf = r.buf[i+len(pasteEnd):]
			if r.pasting {
				r.out = append(append(r.out, r.paste...), pasteEnd...)
			}
			r.paste, r.pasting, r.dropping = nil, false, false
		default:
			i := bytes.Index(r.buf, []byte(pasteStart))
			if i < 0 {
				keep := unfinished(r.buf, full)
				if full {
					keep = max(keep, partial(r.buf, pasteStart))
				}
				r.typed(r.buf[:len(r.buf)-keep])
				r.buf = r.buf[len(r.buf)-keep:]
				return
			}
			r.typed(r.buf[:i])
			r.buf = r.buf[i+len(pasteStart):]
			r.pasting = true
			r.paste = append(r.paste[:0], pasteStart...)
		}
	}
}

// gather adds b to the paste being gathered, or drops it.
func (r *Reader) gather(b []byte) {
	if r.dropping {
		return
	}
	if len(r.paste)-len(pasteStart)+len(b) > r.opt.Paste {
		r.paste, r.pasting, r.dropping = nil, false, true
		if r.opt.Refused != nil {
			r.opt.Refused(Refusal{Paste: true, Limit: r.opt.Paste})
		}
		return
	}
	r.paste = append(r.paste, b...)
}

// typed hands on typed bytes as far as the budgets go, and drops the rest.
func (r *Reader) typed(b []byte) {
	if len(b) == 0 {
		return
	}
	now := r.opt.Now()
	gained := now.Sub(r.last).Seconds()
	r.last = now
	r.text = min(float64(r.opt.Burst), r.text+gained*float64(r.opt.Rate))
	r.keys = min(float64(r.opt.Keys), r.keys+gained*float64(r.opt.KeyRate))
	dropped := false
	for len(b) > 0 {
		n, key := unit(b)
		switch {
		case key && r.keys >= 1:
			r.keys--
			r.out = append(r.out, b[:n]...)
		case key:
			dropped = true
		default:
			take := min(n, int(r.text))
			for take < n && take > 0 && !utf8.RuneStart(b[take]) {
				take--
			}
			r.text -= float64(take)
			r.out = append(r.out, b[:take]...)
			dropped = dropped || take < n
		}
		b = b[n:]
	}
	if dropped && now.Sub(r.refused) >= time.Second {
		r.refused = now
		if r.opt.Refused != nil {
			r.opt.Refused(Refusal{Limit: r.opt.Burst})
		}
	}
}

// unit is the length of the first thing typed in b: a key that is not text
// (an escape sequence or a control character), or a run of text.
func unit(b []byte) (n int, key bool) {
	switch c := b[0]; {
	case c == 0x1b:
		switch {
		case len(b) == 1:
			return 1, true
		case b[1] == '[':
			for i := 2; i < len(b); i++ {
				if b[i] >= 0x40 && b[i] <= 0x7e {
					return i + 1, true
				}
			}
			return len(b), true
		case b[1] == 'O' && len(b) >= 3:
			return 3, true
		default:
			return 2, true
		}
	case c < 0x20 || c == 0x7f:
		return 1, true
	}
	n = 1
	for n < len(b) && b[n] != 0x1b && b[n] >= 0x20 && b[n] != 0x7f {
		n++
	}
	return n, false
}

// partial is how many bytes at the end of b are the start of marker.
func partial(b []byte, marker string) int {
	for k := min(len(b), len(marker)-1); k > 0; k-- {
		if bytes.HasSuffix(b, []byte(marker[:k])) {
			return k
		}
	}
	return 0
}

// cut is where to end a read of at most n of the bytes of b, which holds
// more: not inside a UTF-8 character or an escape sequence, both of which
// bubbletea would take apart; unless there is no other place.
func cut(b []byte, n int) int {
	end := n
	for end > 0 && !utf8.RuneStart(b[end]) {
		end--
	}
	if i := lastEscape(b[:end]); i >= 0 && !complete(b[i:end]) {
		end = i
	}
	if end == 0 {
		return n
	}
	return end
}

// unfinished is how many bytes at the end of b are half a character, or,
// when sequences is set, half an escape sequence.
func unfinished(b []byte, sequences bool) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return len(b) - i
			}
			break
		}
	}
	if i := lastEscape(b); sequences && i >= 0 && !complete(b[i:]) {
		return len(b) - i
	}
	return 0
}

// lastEscape is where the last escape sequence of b may start: an ESC among
// its last few bytes (sequences are short); -1 when there is none.
func lastEscape(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-16; i-- {
		if b[i] == 0x1b {
			return i
		}
	}
	return -1
}

// complete tells whether seq, which starts with ESC, is a whole escape
// sequence (a CSI ends with a byte from @ to ~; anything else after ESC
// is one character).
func complete(seq []byte) bool {
	if len(seq) < 2 {
		return false
	}
	if seq[1] != '[' && seq[1] != 'O' {
		return true
	}
	if seq[1] == 'O' {
		return len(seq) >= 3
	}
	for _, c := range seq[2:] {
		if c >= 0x40 && c <= 0x7e {
			return true
		}
	}
	return false
}
