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
