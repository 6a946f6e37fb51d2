package linemode

import (
	"fmt"
	"io"
	"testing"

	"moot/session"
)

// What a snapshot costs a room of people in line mode: every one of them
// told what changed (a new card among 200, in a forum of 300 people),
// with the narration shared by each audience (as the server runs it) and,
// for comparison, worked out by each person alone.
//
//	go test -run XXX -bench Narration -benchmem ./tui/linemode/
func BenchmarkNarration(b *testing.B) {
	const people, cards = 300, 200
	h := newHub(b)
	ids := make([]string, people)
	for i := range ids {
		ids[i] = fmt.Sprintf("SHA256:p%d", i)
		do(b, h, ids[i], session.Register{Name: fmt.Sprintf("P%d", i)})
	}
	do(b, h, fran, session.NextStep{})
	for i := 0; i < cards; i++ {
		do(b, h, ids[i%people], session.AddCard{Text: fmt.Sprintf("Card %d: buses stop at six, and the last one is always late", i)})
	}
	// Snapshots before and after one change, many times over, made
	// beforehand so that only telling them is measured.
	pairs := make([][2]*session.Snapshot, 64)
	for i := range pairs {
		was := h.Snapshot()
		do(b, h, ids[(cards+i)%people], session.AddCard{Text: "One more point"})
		pairs[i] = [2]*session.Snapshot{was, h.Snapshot()}
	}
	tell := func(n *Narrator, was, now *session.Snapshot, id string) int {
		wv, nv := was.ViewFor(id), now.ViewFor(id)
		return len(told(n.shared(en, was, now, nv.Audience()), narrateOwn(en, wv, nv), wv, nv))
	}
	b.Run(fmt.Sprintf("shared/%d-people", people), func(b *testing.B) {
		n := NewNarrator()
		for i := 0; b.Loop(); i++ {
			p := pairs[i%len(pairs)]
			for _, id := range ids {
				if tell(n, p[0], p[1], id) != 1 {
					b.Fatal("one change, one sentence")
				}
			}
		}
	})
	b.Run(fmt.Sprintf("each-alone/%d-people", people), func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := pairs[i%len(pairs)]
			for _, id := range ids {
				if tell(NewNarrator(), p[0], p[1], id) != 1 {
					b.Fatal("one change, one sentence")
				}
			}
		}
	})
}

// What one person's line session costs to say a sentence: written, made
// plain, with a half-typed line shown again.
func BenchmarkSay(b *testing.B) {
	t := newTerminal(io.Discard, true, 4096)
	for _, r := range "say half a line" {
		t.add(r)
	}
	for b.Loop() {
		if err := t.say("Card 201 from P12: buses stop at six, and the last one is always late."); err != nil {
			b.Fatal(err)
		}
	}
}
