package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"moot/session"
)

// BenchmarkCommit is the store's commit with full durability (WAL,
// synchronous=FULL): one event per transaction, and 64 in one transaction
// as the Hub's group commit makes them. ns/op is per event.
func BenchmarkCommit(b *testing.B) {
	for _, batch := range []int{1, 64} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) {
			ctx := context.Background()
			st := open(b, filepath.Join(b.TempDir(), "moot.db"))
			f := forum()
			if _, err := st.OpenForum(ctx, f); err != nil {
				b.Fatal(err)
			}
			seq := int64(0)
			records := make([]session.Record, 0, batch)
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				records = records[:0]
				for j := 0; j < batch; j++ {
					seq++
					id := fmt.Sprintf("SHA256:p%d", seq%1000)
					records = append(records, session.Record{Seq: seq, At: time.Now(), Actor: id,
						Event: session.ParticipantNamed{Participant: session.Participant{ID: id, Name: "Person", JoinedAt: time.Now()}}})
				}
				if err := st.Commit(ctx, f.Slug, records); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenForum is a server's start on a forum of 1,000 people and
// 10,000 events (their names, a ballot and 8,999 votes): the state made
// from the log, event by event.
func BenchmarkOpenForum(b *testing.B) {
	ctx := context.Background()
	st := open(b, filepath.Join(b.TempDir(), "moot.db"))
	f := forum()
	if _, err := st.OpenForum(ctx, f); err != nil {
		b.Fatal(err)
	}
	now := time.UnixMilli(time.Now().UnixMilli())
	var records []session.Record
	add := func(actor string, e session.Event) {
		records = append(records, session.Record{Seq: int64(len(records) + 1), At: now, Actor: actor, Event: e})
	}
	for i := 0; i < 1000; i++ {
		id := fmt.Sprintf("SHA256:p%d", i)
		add(id, session.ParticipantNamed{Participant: session.Participant{ID: id, Name: fmt.Sprintf("Person %d", i), JoinedAt: now}})
	}
	add("f", session.BallotOpened{Ballot: session.Ballot{ID: 1, Step: 2, Title: "T", Dots: 5, TopK: 3, OpenedAt: now,
		Items: []session.BallotItem{{ID: 1, Text: "x", Source: session.FromText}, {ID: 2, Text: "y", Source: session.FromText}, {ID: 3, Text: "z", Source: session.FromText}}}})
	for len(records) < 10000 {
		i := len(records)
		id := fmt.Sprintf("SHA256:p%d", i%1000)
		add(id, session.VoteCast{Ballot: 1, Voter: id, Dots: session.Allocation{{Item: 1 + i%3, Dots: 3}, {Item: 1 + (i+1)%3, Dots: 2}}})
	}
	for i := 0; i < len(records); i += 500 {
		if err := st.Commit(ctx, f.Slug, records[i:min(i+500, len(records))]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		state, err := st.OpenForum(ctx, f)
		if err != nil || state.Seq != 10000 {
			b.Fatalf("opened at %d: %v", state.Seq, err)
		}
	}
}
