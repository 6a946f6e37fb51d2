// Package tally logs what the server refuses or drops at its edge without
// letting an attack flood the log: the first event of a kind is logged at
// once, the rest are counted and summed up in one line per kind at the end
// of each period, with how many sources they came from and the busiest.
package tally

import (
	"log/slog"
	"sort"
	"sync"
	"time"
)

// maxSources bounds the sources remembered per kind in one period; the
// rest are counted under "other".
const maxSources = 1000

// Tally counts events by kind and source.
type Tally struct {
	log   *slog.Logger
	every time.Duration

	mu    sync.Mutex
	kinds map[string]*kind
	timer *time.Timer
}

type kind struct {
	count   int
	sources map[string]int
	other   int
}

// New logs to log, summing up every period.
func New(log *slog.Logger, every time.Duration) *Tally {
	return &Tally{log: log, every: every, kinds: map[string]*kind{}}
}

// Add records one event of a kind (a short sentence: "connection refused:
// too many from one address") from a source (an address). The first of a
// period is logged at once with attrs; the others wait for the summary.
func (t *Tally) Add(what, source string, attrs ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.kinds[what]
	if k == nil {
		// The first of its kind this period: said now, not counted again.
		t.kinds[what] = &kind{sources: map[string]int{}}
		t.log.Warn(what, append([]any{"from", source}, attrs...)...)
		t.schedule()
		return
	}
	k.count++
	if _, ok := k.sources[source]; ok || len(k.sources) < maxSources {
		k.sources[source]++
	} else {
		k.other++
	}
}

func (t *Tally) schedule() {
	if t.timer == nil {
		t.timer = time.AfterFunc(t.every, t.Flush)
	}
}

// Flush logs the summary of the period now and starts a new one.
func (t *Tally) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	whats := make([]string, 0, len(t.kinds))
	for what, k := range t.kinds {
		if k.count > 0 {
			whats = append(whats, what)
		}
	}
	sort.Strings(whats)
	for _, what := range whats {
		k := t.kinds[what]
		top, most := "", 0
		for src, n := range k.sources {
			if n > most || (n == most && src < top) {
				top, most = src, n
			}
		}
		sources := len(k.sources)
		if k.other > 0 {
			sources++ // at least one more
		}
		t.log.Warn(what+" (more)", "count", k.count, "sources", sources, "most_from", top, "most", most, "in", t.every.String())
	}
	if len(whats) > 0 {
		// Still busy: the next event is summed up too rather than said
		// at once.
		for what := range t.kinds {
			t.kinds[what] = &kind{sources: map[string]int{}}
		}
		t.schedule()
		return
	}
	t.kinds = map[string]*kind{}
}
