package tui

import (
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Painter draws a model on a terminal itself, in place of bubbletea's
// renderer, and only when the model has handled a message (keys: once the
// keys that came together are all handled). Run the program with
// tea.WithoutRenderer.
//
// bubbletea's renderer wakes at its frame rate (30 or 60 times a second)
// for as long as the program runs, whether or not anything changed; on a
// server holding a thousand screens that alone keeps a core busy. The
// Painter has no clock: a screen costs nothing while the forum is quiet,
// and a change is drawn the moment it arrives instead of at the next frame.
// It rewrites only the lines that changed since the last frame.
type Painter struct {
	inner  tea.Model
	out    io.Writer
	width  int
	height int
	// last holds the lines on screen as the model drew them, before any
	// cut to the width; nil when the screen must be cleared.
	last []string
	// reach is, for each line, the most cells the text last sent to it
	// can cover: what a new line must cover, or erase.
	reach []int
	// sent is, for each line, what was last sent to it, compacted.
	sent []string
	// buf is what one paint writes, kept from paint to paint so that a
	// screen that draws allocates nothing for it.
	buf []byte
	// onPanic is told of a panic in the model; the screen then ends.
	onPanic func(v any, stack []byte)
	// keysUnpainted: the model has taken keys since the last paint;
	// keysPending: a paintKeysMsg is on its way.
	keysUnpainted, keysPending bool
	// deferred: Init and Update leave the drawing to Paint
	// (DeferPainting); dirty: they have left something to draw.
	deferred, dirty bool
}

// Terminal modes a painted screen sets on start and Restore undoes: the
// alternate screen, a hidden cursor, bracketed paste.
const (
	enterScreen = "\x1b[?1049h\x1b[?25l\x1b[?2004h"
	// Restore puts the client's terminal back as it was; write it when the
	// program has ended.
	Restore = "\x1b[?2004l\x1b[?25h\x1b[?1049l"
)

// NewPainter draws inner on out, a terminal of width by height cells.
func NewPainter(inner tea.Model, out io.Writer, width, height int) *Painter {
	return &Painter{inner: inner, out: out, width: width, height: height}
}

// OnPanic sets what is done with a panic in the model (a bug): f is told of
// it with its stack, and the program quits, ending this one screen while
// the forum and every other screen go on.
func (p *Painter) OnPanic(f func(v any, stack []byte)) { p.onPanic = f }

// DeferPainting has Init and Update leave the drawing to Paint, which the
// goroutine that draws the screen calls, one at a time with them: the
// program's loop then only changes the model, and whichever goroutine
// calls Paint is the one whose stack grows to the depth drawing takes (a
// few tens of KiB, on every screen). Call it before the program runs.
func (p *Painter) DeferPainting() { p.deferred = true }

// Paint draws what Init and Update left to draw, if anything. After a
// panic in the model, cmd is tea.Quit, as from Update.
func (p *Painter) Paint() (cmd tea.Cmd) {
	defer p.recovered(&cmd)
	if p.dirty {
		p.dirty = false
		p.paint()
	}
	return nil
}

// draw paints now, or leaves it to Paint.
func (p *Painter) draw() {
	if p.deferred {
		p.dirty = true
		return
	}
	p.paint()
}

func (p *Painter) Init() (cmd tea.Cmd) {
	defer p.recovered(&cmd)
	_, _ = io.WriteString(p.out, enterScreen)
	cmd = p.inner.Init()
	p.draw()
	return cmd
}

func (p *Painter) recovered(cmd *tea.Cmd) {
	r := recover()
	if r == nil {
		return
	}
	if p.onPanic != nil {
		p.onPanic(r, debug.Stack())
	}
	*cmd = tea.Quit
}

func (p *Painter) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	model = p // also after a panic, when the program quits
	defer p.recovered(&cmd)
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		if size.Width != p.width || size.Height != p.height {
			p.width, p.height, p.last = size.Width, size.Height, nil
		}
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyCtrlL {
		// The terminal shows something else than was sent (a line noise,
		// another program's output): everything is drawn again, from a
		// cleared screen.
		p.last = nil
		p.draw()
		return p, nil
	}
	if _, ok := msg.(paintKeysMsg); ok {
		p.keysPending = false
		if p.keysUnpainted {
			p.draw()
		}
		return p, nil
	}
	p.inner, cmd = p.inner.Update(msg)
	if _, ok := msg.(tea.KeyMsg); ok {
		// Keys come in bursts (a paste without brackets, fast typing on a
		// slow link, a thousand people sending cards at once): bubbletea
		// hands them over one by one as it reads them, and a paint for
		// each would draw the whole screen for every word. This paint goes
		// round the program's loop of commands, behind the keys already
		// read, so the keys of a burst are mostly drawn together; whatever
		// else arrives first (a snapshot) draws them with it.
		p.keysUnpainted = true
		if !p.keysPending {
			p.keysPending = true
			cmd = tea.Batch(cmd, paintKeys)
		}
		return p, cmd
	}
	p.draw()
	return p, cmd
}

// paintKeysMsg asks the Painter to draw the keys it has taken since its
// last paint.
type paintKeysMsg struct{}

func paintKeys() tea.Msg { return paintKeysMsg{} }

// View is empty: the program has no renderer, and the Painter has drawn.
func (p *Painter) View() string { return "" }

func (p *Painter) paint() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	p.keysUnpainted = false
	view := p.inner.View()
	b := p.buf[:0]
	if p.last == nil {
		b = append(b, "\x1b[0m\x1b[2J"...)
		p.last = make([]string, p.height)
		p.reach = make([]int, p.height)
		p.sent = make([]string, p.height)
		for i := range p.last {
			p.last[i] = "\x00" // differs from every line, so all are drawn
		}
	}
	for i := 0; i < p.height; i++ {
		// The view's lines are taken in turn, not split into a new slice:
		// each is a part of view, which the screen keeps as last.
		line := ""
		if view != "" || i == 0 {
			if nl := strings.IndexByte(view, '\n'); nl >= 0 {
				line, view = view[:nl], view[nl+1:]
			} else {
				line, view = view, ""
			}
		}
		if p.last[i] == line {
			continue
		}
		p.last[i] = line
		// Only a changed line is compacted and measured, and cut if it is
		// too wide. Every line ends with plain attributes, so the next one
		// starts from them.
		line = compact(line)
		least, cells := cellBounds(line)
		fills := false
		if cells >= p.width {
			// Perhaps too wide, or filling the row: only now measured.
			w := measured(line)
			if w > p.width {
				line = ansi.Truncate(line, p.width, "") + "\x1b[0m"
				least, _ = cellBounds(line)
				w = measured(line)
			}
			fills = w == p.width
		}
		covers := least >= p.reach[i] || fills
		p.reach[i] = min(cells, p.width)
		old := p.sent[i]
		p.sent[i] = line
		if covers && (line == "" || line == old) {
			continue // a blank line where nothing was; the same bytes again
		}
		// A line that changes only towards its end (a countdown, a count,
		// the step in the bar) is rewritten from where it changes.
		from, col, style := 0, 0, ""
		if covers || cells < p.width {
			from, col, style = sharedStart(old, line)
		}
		b = append(b, "\x1b["...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(col+1), 10)
		b = append(b, 'H')
		if style != "" {
			b = append(b, "\x1b["...)
			b = append(b, style...)
			b = append(b, 'm')
		}
		switch {
		case covers:
			// The new text covers all the old did: nothing to erase.
			b = append(b, line[from:]...)
		case cells < p.width:
			// Plainly short of the last column: draw the line, then erase
			// the rest of it. The terminal clears only what the line does
			// not cover.
			b = append(b, line[from:]...)
			b = append(b, "\x1b[K"...)
		default:
			// A line that may reach the last column: clear the line, then
			// draw it. Clearing after drawing would be wrong for a line
			// that fills the width: the cursor stays on the last column
			// (the wrap is pending), so xterm, like the VT100, erases that
			// last character. Nothing printable follows a line, so a full
			// bottom line never scrolls.
			b = append(b, "\x1b[2K"...)
			b = append(b, line...)
		}
	}
	if len(b) > 0 {
		_, _ = p.out.Write(b)
	}
	// A screen that once drew a whole page keeps a buffer that size; one
	// far larger than a screen's worth goes back to the collector.
	if cap(b) > maxKeptBuffer {
		b = nil
	}
	p.buf = b
}

// maxKeptBuffer is the largest write buffer a Painter keeps between
// paints: a change to an 80x24 screen in colour takes one or two KiB, a whole
// screen a few, redrawn rarely.
const maxKeptBuffer = 4 << 10

// cellBounds is the fewest and the most cells line can take, counted
// outside escape sequences without the costly measure of every grapheme,
// which settles most lines of a laid out screen. A character that surely
// takes one cell (oneCell) counts one to each; any other character below
// U+0300 counts one to the most, and anything else two (the most any
// character takes) and none to the fewest, as it may be a combining mark;
// nor does the character after it, which it may take into its cell (an
// Arabic number sign does). A line with any sequence but CSI may hold
// text that is not shown: its fewest is 0.
func cellBounds(line string) (least, most int) {
	trusted, afterOther := true, false
	for i := 0; i < len(line); {
		c := line[i]
		if c == 0x1b && i+1 < len(line) && line[i+1] == '[' {
			// CSI: parameters, then a final byte from @ to ~.
			i += 2
			for i < len(line) && (line[i] < 0x40 || line[i] > 0x7e) {
				i++
			}
			i++
			continue
		}
		if n := oneCell(line, i); n > 0 {
			if !afterOther {
				least++
			}
			most++
			i += n
			afterOther = false
			continue
		}
		afterOther = true
		switch {
		case c == 0x1b:
			trusted = false
			most++
		case c < 0x80, c >= 0xc2 && c <= 0xcb:
			most++
		case c >= 0xcc: // the first byte of any other multi-byte character
			most += 2
		}
		i++
	}
	if !trusted {
		least = 0
	}
	return least, most
}

// measured is line's width in cells, measured once for every screen that
// shows it.
func measured(line string) int {
	return widths.get(line, func() int { return ansi.StringWidth(line) })
}

// sharedStart is where new may be written from over old, already on the
// screen: how many bytes of new the screen shows already, in how many
// cells, and the style in force there (SGR parameters, "" for plain).
// Only a start of plain ASCII text and styles is taken, whose cells are
// its characters, and it ends before a character that begins a cell of
// its own: never inside a sequence or a character, and never between a
// character and a mark that combines with it. A start too short to save
// anything is not taken.
func sharedStart(old, new string) (from, cells int, style string) {
	at, count, cur := 0, 0, ""
	take := func() { from, cells, style = at, count, cur }
	for at < len(new) && at < len(old) {
		n := oneCell(new, at)
		if n > 0 || new[at] == 0x1b {
			take()
		}
		if new[at] == 0x1b {
			params, end, ok := sgrAt(new, at)
			if !ok || end > len(old) || old[at:end] != new[at:end] {
				break
			}
			cur = afterSGR(cur, params)
			at = end
			continue
		}
		if n == 0 || at+n > len(old) || old[at:at+n] != new[at:at+n] {
			break
		}
		count++
		at += n
	}
	if at == len(new) || oneCell(new, at) > 0 || new[at] == 0x1b {
		take()
	}
	if from < 8 {
		return 0, 0, ""
	}
	if params, _, ok := sgrAt(new, from); ok && (params == "" || params == "0" || strings.HasPrefix(params, "0;")) {
		style = "" // the line goes on with a style of its own, from plain
	}
	return from, cells, style
}

// oneCell is the length in bytes of the character at s[i] if it surely
// takes one cell and begins it (printable ASCII, or a character from
// U+00A0 to U+02FF but the soft hyphen: Latin letters, the middle dot),
// else 0. A combining mark (U+0300 on) is never one: nothing is split
// from the character it marks.
func oneCell(s string, i int) int {
	switch c := s[i]; {
	case c >= 0x20 && c < 0x7f:
		return 1
	case c >= 0xc2 && c <= 0xcb && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0xbf:
		if c == 0xc2 && (s[i+1] < 0xa0 || s[i+1] == 0xad) {
			return 0
		}
		return 2
	}
	return 0
}

// afterSGR is the style in force after an SGR sequence with params, from
// style cur: as compact writes them, a reset, a reset and a style, or
// more of the style in force.
func afterSGR(cur, params string) string {
	switch {
	case params == "" || params == "0":
		return ""
	case strings.HasPrefix(params, "0;"):
		return params[2:]
	case cur == "":
		return params
	}
	return cur + ";" + params
}

// widths remembers the measure of lines that needed one: the same lines
// (a header, a list's line) are painted on every screen.
var widths = newMemo[string, int]()
