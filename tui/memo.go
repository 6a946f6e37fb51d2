package tui

import "sync"

// memo keeps renderings that are the same for every screen with the same
// colours: a header for one snapshot at one width, a card's text wrapped to
// one width. With a thousand screens showing one forum, each is drawn once
// instead of once per screen.
//
// It holds two generations of entries and drops the older one whole when
// the newer fills, so what is no longer asked for (old snapshots, edited
// cards) goes without any bookkeeping per entry.
type memo struct {
	mu       sync.Mutex
	cur, old map[any]any
}

// memoGeneration is how many entries a generation holds.
const memoGeneration = 8192

func newMemo() *memo { return &memo{cur: map[any]any{}, old: map[any]any{}} }

// remember returns what was kept under key, or makes it with render and
// keeps it. Keys must be comparable and include everything the result
// depends on.
func remember[V any](m *memo, key any, render func() V) V {
	m.mu.Lock()
	if v, ok := m.cur[key]; ok {
		m.mu.Unlock()
		return v.(V)
	}
	if v, ok := m.old[key]; ok {
		m.cur[key] = v
		m.mu.Unlock()
		return v.(V)
	}
	m.mu.Unlock()
	// Made outside the lock: two screens may make the same thing at once,
	// which costs less than making every screen wait on one.
	v := render()
	m.mu.Lock()
	if len(m.cur) >= memoGeneration {
		m.old, m.cur = m.cur, make(map[any]any, memoGeneration)
	}
	m.cur[key] = v
	m.mu.Unlock()
	return v
}
