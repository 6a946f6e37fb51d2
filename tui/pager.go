package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// pager is a list of items that can open one item's details: the arrows
// move through the list, or scroll the details while they are open; Enter
// opens and closes them, Esc closes them.
type pager struct {
	detail bool
	scroll int
}

// key handles the pager's keys; move steps the list's selection.
func (p *pager) key(msg tea.KeyMsg, move func(by int)) bool {
	switch msg.Type {
	case tea.KeyUp:
		if p.detail {
			p.scroll = max(0, p.scroll-1)
		} else {
			move(-1)
		}
	case tea.KeyDown:
		if p.detail {
			p.scroll++
		} else {
			move(1)
		}
	case tea.KeyEnter:
		p.detail, p.scroll = !p.detail, 0
	case tea.KeyEsc:
		if !p.detail {
			return false
		}
		p.detail = false
	default:
		return false
	}
	return true
}

// window is the height lines of a list to show, scrolled so that the
// selected item (lines start to end) is in view.
func window(lines []string, start, end, height int) []string {
	offset := 0
	if end > height {
		offset = end - height
	}
	offset = max(0, min(offset, start, len(lines)-height))
	return lines[offset:min(len(lines), offset+height)]
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
