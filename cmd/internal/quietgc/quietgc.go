// Package quietgc collects garbage while the server is quiet, so that a
// collection seldom falls on a change on its way to a thousand screens.
//
// A forum server allocates in bursts: a change is drawn on every screen at
// once, then nothing happens until the next. The runtime collects when the
// heap reaches its goal, which is most often in the middle of a burst; the
// collection then takes a quarter of the cores and slows every allocation
// on the way to the screens, and the slowest screen of that change is late
// by tens of milliseconds. quietgc watches how much is allocated; once
// allocation has paused for a moment and the heap is well on its way to
// the goal, it collects then. It does nothing while allocation goes on (a
// storm of votes) or while the heap has not grown, so an idle server never
// collects for it.
package quietgc

import (
	"context"
	"runtime"
	"runtime/metrics"
	"time"
)

// Options says when a pause is a pause.
type Options struct {
	// Every is how often allocation is looked at while it goes on or a
	// pause is being timed; Idle, how often otherwise. A look costs some
	// microseconds: fifty a second would cost a quiet server more than
	// everything else it does.
	Every, Idle time.Duration
	// Quiet is how long allocation must have paused.
	Quiet time.Duration
	// Still is the most bytes allocated in one look that still count as a
	// pause: a quiet server still answers keepalives.
	Still uint64
	// Share is how far the heap must be on its way from what the last
	// collection kept to the goal, from 0 to 1.
	Share float64
}

// Default suits a forum server: looked at every 20 ms after allocation, 250
// ms when nothing happens; a pause is 60 ms in which each look saw under 64
// KiB allocated; a collection once the heap is half way to its goal.
var Default = Options{Every: 20 * time.Millisecond, Idle: 250 * time.Millisecond, Quiet: 60 * time.Millisecond, Still: 64 << 10, Share: 0.5}

// Heap is what one look at the runtime sees, in bytes: allocated since the
// start, kept by the last collection, the goal of the next, and the heap's
// objects now (kept and garbage).
type Heap struct {
	Allocated, Kept, Goal, Objects uint64
}

// Watch decides, look after look, when to collect.
type Watch struct {
	o          Options
	last       uint64    // Allocated at the last look
	quietSince time.Time // zero while allocation goes on
	// soon: allocation moved, or a pause is being timed: look again soon.
	soon bool
}

// NewWatch is a Watch with options o.
func NewWatch(o Options) *Watch { return &Watch{o: o} }

// Look takes the heap as seen at now and tells whether to collect now.
func (w *Watch) Look(now time.Time, h Heap) bool {
	moved := h.Allocated - w.last
	first := w.last == 0
	w.last = h.Allocated
	if first || moved > w.o.Still {
		w.quietSince, w.soon = time.Time{}, true
		return false
	}
	if w.quietSince.IsZero() {
		w.quietSince = now
	}
	w.soon = now.Sub(w.quietSince) < w.o.Quiet
	if w.soon || h.Goal <= h.Kept || h.Objects <= h.Kept {
		return false
	}
	if float64(h.Objects-h.Kept) < w.o.Share*float64(h.Goal-h.Kept) {
		return false
	}
	w.quietSince = time.Time{} // the collection allocates nothing, but starts a new wait
	return true
}

// Next is how long to wait before the next look.
func (w *Watch) Next() time.Duration {
	if w.soon {
		return w.o.Every
	}
	return w.o.Idle
}

// Run collects in the pauses until ctx ends, and calls collected after
// each collection it makes (nil: nobody is told).
func Run(ctx context.Context, o Options, collected func()) {
	samples := []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
	w := NewWatch(o)
	wait := time.NewTimer(o.Every)
	defer wait.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-wait.C:
			metrics.Read(samples)
			h := Heap{Allocated: samples[0].Value.Uint64(), Kept: samples[1].Value.Uint64(), Goal: samples[2].Value.Uint64(), Objects: samples[3].Value.Uint64()}
			if w.Look(now, h) {
				runtime.GC()
				if collected != nil {
					collected()
				}
			}
			wait.Reset(w.Next())
		}
	}
}
