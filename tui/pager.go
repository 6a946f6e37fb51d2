package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// scroll is the one pager for whatever is taller than the screen: the
// help, a command's output, a statement's details. It keeps only where
// the reader is; whoever shows it gives the lines at each drawing, made
// for the width of the moment.
type scroll struct {
	offset int
	// page is how many lines were shown last, for a page's step.
	page int
	// end is set while the reader has gone to the end: the page stays
	// there as lines are added (a comment arriving on a statement open).
	end bool
}

// key scrolls for a pager key, telling whether it was one; closing is
// left to the caller (keyBack).
func (p *scroll) key(m *Model, msg tea.KeyMsg) bool {
	page := max(p.page-1, 1)
	end := p.end
	p.end = false
	switch {
	case m.pressed(msg, keyLineUp):
		p.offset--
	case m.pressed(msg, keyLineDown):
		p.offset++
	case m.pressed(msg, keyPageDown):
		p.offset += page
	case m.pressed(msg, keyPageUp):
		p.offset -= page
	case m.pressed(msg, keyTop):
		p.offset = 0
	case m.pressed(msg, keyBottom):
		p.end = true
	default:
		p.end = end
		return false
	}
	p.offset = max(p.offset, 0)
	return true
}

// draw shows height lines of lines from where the reader is; when they do
// not all fit, the last line says where that is.
func (p *scroll) draw(s *Styles, pr *printer, lines []string, width, height int) string {
	height = max(height, 2)
	if len(lines) <= height {
		p.offset, p.page = 0, height
		return fill(lines, height)
	}
	shown := height - 1
	p.page = shown
	p.offset = min(p.offset, len(lines)-shown)
	if p.end {
		p.offset = len(lines) - shown
	}
	out := append(lines[p.offset:p.offset+shown:p.offset+shown], s.once(&s.Muted, truncate(pr.T("tui.pager.where",
		p.offset+1, p.offset+shown, len(lines), p.offset, len(lines)-p.offset-shown), width)))
	return strings.Join(out, "\n")
}

// details is a list whose selected item can be opened in full, in the
// pager.
type details struct {
	showing bool
	scroll
}

// key opens and closes the details and scrolls them while open; move
// steps the list's selection while they are closed.
func (d *details) key(m *Model, msg tea.KeyMsg, move func(by int)) bool {
	if d.showing {
		if m.pressed(msg, keyBack) || m.pressed(msg, keyDetails) {
			d.showing = false
			return true
		}
		return d.scroll.key(m, msg)
	}
	switch {
	case m.pressed(msg, keyDetails):
		d.showing, d.offset = true, 0
	case m.pressed(msg, keyUp):
		move(-1)
	case m.pressed(msg, keyDown):
		move(1)
	case m.pressed(msg, keyPgUp):
		move(-5)
	case m.pressed(msg, keyPgDown):
		move(5)
	case m.pressed(msg, keyListTop):
		move(-1 << 20)
	case m.pressed(msg, keyListEnd):
		move(1 << 20)
	default:
		return false
	}
	return true
}

// keys are the keys of a list with details, as they stand.
func (d *details) keys() []*keyDef {
	if d.showing {
		return pagerKeys
	}
	return append([]*keyDef{keyDown, keyDetails}, keyUp, keyListTop, keyListEnd, keyPgUp, keyPgDown)
}

// alignEnd asks place to show the selection at the foot of the window.
const alignEnd = -1 << 30

// placed is where a list stands in the lines it was given: the first line
// shown, how many are shown, and how many items lie wholly above and
// below them.
type placed struct{ offset, shown, above, below int }

// place fits a list of total lines into height, its items beginning at
// the lines in starts (in order). The lines from selFrom to selTo (the
// selected item; selFrom < 0 for none) are kept in view, otherwise the
// list starts at want as far as it can. Where items lie outside, a line
// of the height is kept for saying how many (more).
func place(total int, starts []int, selFrom, selTo, want, height int) placed {
	if total <= height {
		return placed{shown: total}
	}
	var p placed
	for _, h := range []int{height - 1, height - 2} {
		h = max(h, 1)
		off := want
		if want == alignEnd {
			off = selTo - h
		}
		if selFrom >= 0 {
			if selTo-off > h {
				off = selTo - h
			}
			off = min(off, selFrom)
		}
		off = max(0, min(off, total-h))
		// Start at an item's first line, where the selection still fits,
		// rather than with the tail of one.
		for i, st := range starts {
			if st >= off || i+1 >= len(starts) || starts[i+1] <= off {
				continue
			}
			next := starts[i+1]
			if selFrom < 0 || (next <= selFrom && selTo-next <= h) {
				off = next
			}
			break
		}
		p = placed{offset: off, shown: h}
		for i, st := range starts {
			end := total
			if i+1 < len(starts) {
				end = starts[i+1]
			}
			switch {
			case end <= off:
				p.above++
			case st >= off+h:
				p.below++
			}
		}
		if b2i(p.above > 0)+b2i(p.below > 0) <= height-h {
			return p
		}
	}
	return p
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// more draws a list's window: its lines, with a line above saying how
// many items lie above and one below saying how many lie below, where
// any do, padded to height.
func (s *Styles) more(pr *printer, p placed, lines []string, height int) string {
	out := make([]string, 0, height)
	if p.above > 0 {
		out = append(out, s.once(&s.Muted, s.sym.up+" "+pr.T("tui.pager.more_above", p.above)))
	}
	out = append(out, lines...)
	if p.below > 0 {
		out = append(out, s.once(&s.Muted, s.sym.down+" "+pr.T("tui.pager.more_below", p.below)))
	}
	return fill(out, height)
}

// window shows a list of items in height lines, the selected item in
// view, with how many lie above and below.
func (s *Styles) window(pr *printer, lines []string, starts []int, selFrom, selTo, height int) string {
	p := place(len(lines), starts, selFrom, selTo, 0, height)
	return s.more(pr, p, lines[p.offset:p.offset+p.shown], height)
}

// fill pads lines with blank ones to height.
func fill(lines []string, height int) string {
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// selectedIndex is where the item with ID selected stands in items, the
// first when it is not there (nothing selected yet, or gone), -1 when
// items is empty.
func selectedIndex[T any](items []T, id func(T) int64, selected int64) int {
	if len(items) == 0 {
		return -1
	}
	for i, it := range items {
		if id(it) == selected {
			return i
		}
	}
	return 0
}

// stepFrom is the ID of the item by places from the selected one, kept
// within the list; ok is false for an empty list.
func stepFrom[T any](items []T, id func(T) int64, selected int64, by int) (next int64, ok bool) {
	at := selectedIndex(items, id, selected)
	if at < 0 {
		return 0, false
	}
	return id(items[min(max(at+by, 0), len(items)-1)]), true
}
