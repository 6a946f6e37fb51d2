package session_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"moot/session"
)

// BenchmarkHubStepChange is the path of a facilitator's step change:
// decide, commit to SQLite (with an fsync), publish to 100 subscribers.
func BenchmarkHubStepChange(b *testing.B) {
	h, _ := openHub(b)
	for i := 0; i < 100; i++ {
		sub, err := h.Subscribe(context.Background(), fmt.Sprintf("SHA256:watcher%d", i))
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Close()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := h.Do(context.Background(), facilitator, session.GoToStep{To: i%3 + 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHubVotesInParallel is many people voting at once: the Hub
// commits whatever has queued up in one transaction, so the fsync is
// shared. ns/op is per vote.
func BenchmarkHubVotesInParallel(b *testing.B) {
	h, _ := openHub(b)
	const voters = 500
	for i := 0; i < voters; i++ {
		do(b, h, voterID(i), session.Register{Name: fmt.Sprintf("Voter %d", i)})
	}
	do(b, h, facilitator, session.GoToStep{To: 2})
	secret := true
	do(b, h, facilitator, session.OpenBallot{Texts: []string{"A", "B", "C", "D", "E"}, Secret: &secret})
	var next atomic.Int64
	b.SetParallelism(voters / 2) // many waiting at once, as in a room
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := int(next.Add(1))
			if err := h.Do(context.Background(), voterID(n%voters), session.CastVote{Ballot: 1, Dots: map[int]int{n%5 + 1: 3, (n+2)%5 + 1: 2}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func voterID(i int) string { return fmt.Sprintf("SHA256:voter%d", i) }

// BenchmarkViews is what a screen asks of its view on a forum of 300
// people: the voting step's ballots with their results by sector, the
// statements with their checks, the cards of a step, and the viewer's own
// dots and level. "first" is the first screen of a new snapshot, which
// builds what the audience shares; "another" is every further screen of
// the same snapshot, which looks up only its own.
func BenchmarkViews(b *testing.B) {
	h, _ := openHub(b)
	do(b, h, facilitator, session.Register{Name: "Fran"})
	do(b, h, facilitator, session.NextStep{})
	for i := 0; i < 300; i++ {
		id := voterID(i)
		do(b, h, id, session.Register{Name: fmt.Sprintf("Voter %d", i), Sector: testForum().Sectors[i%2]})
		if i < 100 {
			do(b, h, id, session.AddCard{Text: fmt.Sprintf("Card %d: meetings are held when carers cannot come", i)})
		}
	}
	do(b, h, facilitator, session.NextStep{})
	items := make([]string, 20)
	for i := range items {
		items[i] = fmt.Sprintf("Barrier %d", i+1)
	}
	do(b, h, facilitator, session.OpenBallot{Texts: items})
	for i := 0; i < 300; i++ {
		do(b, h, voterID(i), session.CastVote{Ballot: 1, Dots: map[int]int{i%20 + 1: 3, (i*7)%20 + 1: 2}})
	}
	do(b, h, facilitator, session.CloseBallot{Ballot: 1})
	do(b, h, facilitator, session.NextStep{})
	for s := int64(1); s <= 10; s++ {
		do(b, h, facilitator, session.ProposeStatement{Text: fmt.Sprintf("Statement %d", s)})
		do(b, h, facilitator, session.OpenCheck{Statement: s})
		for i := 0; i < 300; i += 3 {
			do(b, h, voterID(i), session.Agree{Statement: s, Level: 1 + i%4})
		}
	}
	screen := func(snap *session.Snapshot, id string) {
		v := snap.ViewFor(id)
		for _, bv := range v.BallotsOf(2) {
			_ = v.MyAllocation(bv.ID)
			_ = bv.Results.Sectors
		}
		for _, st := range v.Statements() {
			_ = v.MyLevel(st.Check)
		}
		_ = v.StepCards(1)
	}
	up := false
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			up = !up
			do(b, h, facilitator, session.RaiseHand{Raise: up}) // a new snapshot
			snap := h.Snapshot()
			b.StartTimer()
			screen(snap, voterID(i%300))
		}
	})
	b.Run("another", func(b *testing.B) {
		snap := h.Snapshot()
		screen(snap, voterID(0))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			screen(snap, voterID(i%300))
		}
	})
}
