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
	// making holds, for each key being made, what closes when it is made;
	// nil unless the memo waits (newWaitingMemo).
	making map[K]chan struct{}
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

// newWaitingMemo is a memo of things that cost much to make (a list of a
// thousand cards), of n entries a generation: one screen makes each while
// the others that ask meanwhile wait for it (get).
func newWaitingMemo[K comparable, V any](n int) *memo[K, V] {
	m := newMemoOf[K, V](n)
	m.making = map[K]chan struct{}{}
	return m
}

// get returns what was kept under key, or makes it with render and keeps it.
//
// Most things are made outside the lock by every screen that misses them
// at once, which costs less than making every screen wait on one. In a
// waiting memo one screen makes it and the others wait for it: a new
// snapshot reaches a thousand screens at once, and on two cores the one
// laying out a thousand cards is soon preempted, so without the wait
// hundreds of screens would each lay out the same list. render may ask
// other memos (and this one, for other keys): as what it asks for never
// asks back for it, nobody waits in a circle.
func (m *memo[K, V]) get(key K, render func() V) V {
	m.mu.Lock()
	for {
		if v, ok := m.cur[key]; ok {
			m.mu.Unlock()
			return v
		}
		if v, ok := m.old[key]; ok {
			m.cur[key] = v
			m.mu.Unlock()
			return v
		}
		made, ok := m.making[key]
		if !ok {
			break
		}
		// Only a waiting memo gets here: making is nil otherwise.
		m.mu.Unlock()
		<-made
		// Kept now, unless its making panicked or its generation went
		// already: then this screen makes it.
		m.mu.Lock()
	}
	if m.making != nil {
		made := make(chan struct{})
		m.making[key] = made
		defer func() {
			// Also after a panic in render, so that nobody waits for ever.
			m.mu.Lock()
			delete(m.making, key)
			m.mu.Unlock()
			close(made)
		}()
	}
	m.mu.Unlock()
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
