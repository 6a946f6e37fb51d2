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
