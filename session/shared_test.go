package session_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"moot/session"
	"moot/store/postgres"
	"moot/store/storetest"
)

// sharedHubs starts n Hubs of one forum, each on its own connection to one
// PostgreSQL database, as n moot nodes would.
func sharedHubs(t *testing.T, n int) ([]*session.Hub, string) {
	t.Helper()
	dsn := storetest.Postgres(t)
	var hubs []*session.Hub
	for i := 0; i < n; i++ {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		st, err := postgres.Open(context.Background(), dsn, log)
		if err != nil {
			t.Fatal(err)
		}
		h, err := session.NewHub(context.Background(), st, testForum(), log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Stop(); st.Close() })
		hubs = append(hubs, h)
	}
	return hubs, dsn
}

// What is done on one node reaches the screens of the other.
func TestTwoNodesServeOneForum(t *testing.T) {
	hubs, _ := sharedHubs(t, 2)
	a, b := hubs[0], hubs[1]
	onB, err := b.Subscribe(context.Background(), bob)
	if err != nil {
		t.Fatal(err)
	}
	defer onB.Close()
	onA, err := a.Subscribe(context.Background(), ada)
	if err != nil {
		t.Fatal(err)
	}
	defer onA.Close()

	do(t, a, facilitator, session.NextStep{})
	waitFor(t, onB, "step 1 on the other node", func(s *session.Snapshot) bool { return s.Step == 1 }, nil)
	do(t, b, ada, session.Register{Name: "Ada", Sector: "Community"})
	snap := waitFor(t, onA, "Ada on the other node", func(s *session.Snapshot) bool {
		_, ok := s.Participant(ada)
		return ok
	}, nil)
	if p, _ := snap.Participant(ada); p.Name != "Ada" || p.Sector != "Community" {
		t.Errorf("Ada on the other node: %+v", p)
	}
	// A card posted on B gets the next number on A too: A decides on the
	// state with B's card in it.
	do(t, b, ada, session.AddCard{Text: "Meetings in working hours"})
	if err := a.Do(context.Background(), ada, session.AddCard{Text: "Too much jargon"}); err != nil {
		t.Fatal(err)
	}
	snap = waitFor(t, onB, "both cards on B", func(s *session.Snapshot) bool { return len(s.Cards) == 2 }, nil)
	if snap.Cards[0].Text != "Meetings in working hours" || snap.Cards[1].Text != "Too much jargon" {
		t.Errorf("cards on B: %q, %q", snap.Cards[0].Text, snap.Cards[1].Text)
	}

	// Who is connected is shared: Bob, on B, counts as connected on A,
	// and stops counting when he leaves.
	do(t, b, bob, session.Register{Name: "Bob"})
	waitFor(t, onA, "Bob connected on the other node", func(s *session.Snapshot) bool {
		p, ok := s.Participant(bob)
		return ok && p.Connected && s.Connected == 2
	}, nil)
	onB.Close()
	waitFor(t, onA, "Bob gone on the other node", func(s *session.Snapshot) bool {
		p, ok := s.Participant(bob)
		return ok && !p.Connected && s.Connected == 1
	}, nil)
}

// A vote storm on two nodes at once: every vote is acknowledged (a node
// that loses the race to commit decides again), and both nodes, and the
// log, end with the tally of the acknowledged votes.
func TestVoteStormOnTwoNodes(t *testing.T) {
	hubs, dsn := sharedHubs(t, 2)
	a, b := hubs[0], hubs[1]
	const voters = 60
	ctx := context.Background()
	for i := 0; i < voters; i++ {
		do(t, hubs[i%2], fmt.Sprintf("SHA256:v%d", i), session.Register{Name: fmt.Sprintf("Voter %d", i)})
	}
	do(t, a, facilitator, session.GoToStep{To: 2})
	live := false
	do(t, a, facilitator, session.OpenBallot{Texts: []string{"One", "Two", "Three"}, Dots: 5, Secret: &live})
	onB, err := b.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer onB.Close()
	waitFor(t, onB, "the ballot on B", func(s *session.Snapshot) bool { return len(s.Ballots) == 1 }, nil)

	var wg sync.WaitGroup
	errs := make(chan error, 2*voters)
	for round := 0; round < 2; round++ {
		for i := 0; i < voters; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The second round changes every vote: the last one stands.
				dots := map[int]int{1 + (i+round)%3: 3, 1 + (i+round+1)%3: 2}
				errs <- hubs[(i+round)%2].Do(ctx, fmt.Sprintf("SHA256:v%d", i), session.CastVote{Ballot: 1, Dots: dots})
			}()
		}
		wg.Wait()
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a vote was not acknowledged: %v", err)
		}
	}
	want := make([]int, 3)
	for i := 0; i < voters; i++ {
		want[(i+1)%3] += 3
		want[(i+2)%3] += 2
	}
	last := max(a.Snapshot().Seq, b.Snapshot().Seq)
	for name, h := range map[string]*session.Hub{"A": a, "B": b} {
		sub, err := h.Watch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		snap := waitFor(t, sub, "every vote on "+name, func(s *session.Snapshot) bool { return s.Seq >= last }, nil)
		sub.Close()
		if got := counts(snap.ViewAs(session.ForReport), 1); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("node %s counts %v, want %v", name, got, want)
		}
	}
	st, err := postgres.Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored, err := st.OpenForum(ctx, testForum())
	if err != nil {
		t.Fatal(err)
	}
	if got := counts(session.SnapshotOf(stored).ViewAs(session.ForReport), 1); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the log holds the counts %v, want %v", got, want)
	}
}
