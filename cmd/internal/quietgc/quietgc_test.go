package quietgc_test

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"moot/cmd/internal/quietgc"
)

var opts = quietgc.Options{Every: 10 * time.Millisecond, Idle: 100 * time.Millisecond, Quiet: 30 * time.Millisecond, Still: 1000, Share: 0.5}

// looks feeds a Watch one look every opts.Every, each with the heap next
// gives, and returns at which looks it said to collect.
func looks(w *quietgc.Watch, n int, next func(i int) quietgc.Heap) []int {
	var at []int
	t0 := time.Unix(0, 0)
	for i := range n {
		if w.Look(t0.Add(time.Duration(i)*opts.Every), next(i)) {
			at = append(at, i)
		}
	}
	return at
}

// A burst of allocation, then a pause: one collection, once the pause has
// lasted Quiet, and none after it while nothing more is allocated.
func TestCollectsOnceAPauseFollowsABurst(t *testing.T) {
	w := quietgc.NewWatch(opts)
	const kept, goal = 100, 1100
	objects := uint64(kept + 700) // 70 % of the way to the goal
	var at []int
	t0 := time.Unix(0, 0)
	for i := range 20 {
		allocated := uint64(1_000_000 + min(i, 5)*200_000) // a burst over looks 1 to 5
		if w.Look(t0.Add(time.Duration(i)*opts.Every), quietgc.Heap{Allocated: allocated, Kept: kept, Goal: goal, Objects: objects}) {
			at = append(at, i)
			objects = kept // what a collection leaves
		}
	}
	// Quiet from look 6; 30 ms of it at look 9.
	if len(at) != 1 || at[0] != 9 {
		t.Errorf("collected at looks %v, want [9]", at)
	}
}

// While allocation goes on, never; in a pause with a heap that has barely
// grown, never: an idle server does not collect for it.
func TestNeverWhileAllocatingOrWithLittleGarbage(t *testing.T) {
	w := quietgc.NewWatch(opts)
	if at := looks(w, 50, func(i int) quietgc.Heap {
		return quietgc.Heap{Allocated: uint64(1_000_000 + i*5_000), Kept: 100, Goal: 1100, Objects: 1000}
	}); len(at) > 0 {
		t.Errorf("collected at looks %v while 5,000 bytes went each look", at)
	}
	w = quietgc.NewWatch(opts)
	if at := looks(w, 50, func(i int) quietgc.Heap {
		return quietgc.Heap{Allocated: uint64(1_000_000 + i*10), Kept: 100, Goal: 1100, Objects: 400} // 30 % of the way
	}); len(at) > 0 {
		t.Errorf("collected at looks %v with the heap 30 %% of the way to its goal", at)
	}
}

// Against the real runtime: garbage made until the heap is well on its
// way to the goal, then nothing; Run collects, and the heap's objects
// fall back towards what the collection kept.
func TestRunCollectsInAPause(t *testing.T) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	read := func() (kept, goal, objects, cycles uint64) {
		metrics.Read(samples)
		return samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64(), samples[3].Value.Uint64()
	}
	runtime.GC()
	var sink [][]byte
	for {
		kept, goal, objects, _ := read()
		if objects > kept && float64(objects-kept) > 0.7*float64(goal-kept) {
			break
		}
		sink = append(sink, make([]byte, 32<<10))
		if len(sink) > 64 {
			sink = sink[:0] // garbage, not kept
		}
	}
	_, _, before, cycles := read()
	collected := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go quietgc.Run(ctx, opts, func() {
		select {
		case collected <- struct{}{}:
		default:
		}
	})
	select {
	case <-collected:
	case <-time.After(10 * time.Second):
		t.Fatal("no collection within 10 s of a pause with the heap 70 % of the way to its goal")
	}
	if _, _, after, now := read(); now <= cycles || after >= before {
		t.Errorf("after the collection: %d cycles (before %d), heap objects %d bytes (before %d)", now, cycles, after, before)
	}
}

// Looks come soon while allocation goes on and while a pause is timed,
// and seldom once nothing happens: a look costs a quiet server more than
// anything else it does.
func TestLooksSeldomWhenNothingHappens(t *testing.T) {
	w := quietgc.NewWatch(opts)
	t0 := time.Unix(0, 0)
	heap := func(allocated uint64) quietgc.Heap {
		return quietgc.Heap{Allocated: allocated, Kept: 100, Goal: 1100, Objects: 200}
	}
	next := func(i int, allocated uint64) time.Duration {
		w.Look(t0.Add(time.Duration(i)*opts.Every), heap(allocated))
		return w.Next()
	}
	if got := next(0, 1_000_000); got != opts.Every {
		t.Errorf("after the first look: %v, want %v", got, opts.Every)
	}
	if got := next(1, 2_000_000); got != opts.Every {
		t.Errorf("while allocating: %v, want %v", got, opts.Every)
	}
	if got := next(2, 2_000_000); got != opts.Every {
		t.Errorf("as a pause begins: %v, want %v", got, opts.Every)
	}
	if got := next(5, 2_000_000); got != opts.Idle {
		t.Errorf("once the pause has lasted, with little garbage: %v, want %v", got, opts.Idle)
	}
	if got := next(6, 3_000_000); got != opts.Every {
		t.Errorf("when allocation starts again: %v, want %v", got, opts.Every)
	}
}
