package tui

import (
	"sync"

	"github.com/charmbracelet/lipgloss"
)

// memo keeps renderings that are the same for every screen with the same
// colours: a header for one step at one width, a card's text wrapped to one
// width. With a thousand screens showing one forum, each is drawn once
// instead of once per screen.
//
// It holds two generations of entries and drops the older one whole when
// the newer fills, so what is no longer asked for (old steps, edited cards)
// goes without any bookkeeping per entry. Keys must include everything the
// value depends on, and hold values rather than snapshots, so that nothing
// keeps an old snapshot alive.
type memo[K comparable, V any] struct {
	mu       sync.Mutex
	cur, old map[K]V
	// generation is how many entries a generation holds.
	generation int
}

// memoGeneration is how many entries a generation holds, unless a memo
// of large values says fewer (newMemoOf).
const memoGeneration = 4096

func newMemo[K comparable, V any]() *memo[K, V] { return newMemoOf[K, V](memoGeneration) }

// newMemoOf is a memo whose generations hold n entries each.
func newMemoOf[K comparable, V any](n int) *memo[K, V] {
	return &memo[K, V]{cur: map[K]V{}, old: map[K]V{}, generation: n}
}

// get returns what was kept under key, or makes it with render and keeps it.
func (m *memo[K, V]) get(key K, render func() V) V {
	m.mu.Lock()
	if v, ok := m.cur[key]; ok {
		m.mu.Unlock()
		return v
	}
	if v, ok := m.old[key]; ok {
		m.cur[key] = v
		m.mu.Unlock()
		return v
	}
	m.mu.Unlock()
	// Made outside the lock: two screens may make the same thing at once,
	// which costs less than making every screen wait on one.
	v := render()
	m.mu.Lock()
	if len(m.cur) >= m.generation {
		m.old, m.cur = m.cur, make(map[K]V, m.generation)
	}
	m.cur[key] = v
	m.mu.Unlock()
	return v
}

// onceKey names a short text in one of the styles.
type onceKey struct {
	style *lipgloss.Style
	text  string
}

// once renders text in style, remembering it: for the status and key lines
// that many screens show alike. style must be one of the Styles' fields.
func (s *Styles) once(style *lipgloss.Style, text string) string {
	return s.onces.get(onceKey{style, text}, func() string { return style.Render(s.text(text)) })
}

// wrapKey names a text wrapped to a width in one of the styles.
type wrapKey struct {
	style *lipgloss.Style
	width int
	text  string
}

// wrap renders text in style wrapped to width, remembering it.
func (s *Styles) wrap(style *lipgloss.Style, width int, text string) string {
	return s.wraps.get(wrapKey{style, width, text}, func() string { return style.Width(width).Render(s.text(text)) })
}
