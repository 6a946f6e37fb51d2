package postgres_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"moot/session"
	"moot/session/sessiontest"
	"moot/store"
	"moot/store/postgres"
	"moot/store/storetest"
)

// wait bounds every wait in these tests.
const wait = 20 * time.Second

func open(t testing.TB, dsn string) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	s, err := postgres.Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The PostgreSQL store passes the tests every store passes.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		dsn := storetest.Postgres(t)
		return func() session.Store { return open(t, dsn) }
	})
}

// Two nodes committing the next events at the same moment: one appends,
// the other is refused with ErrConflict, every time, and the log has no
// gap.
func TestTwoNodesCannotBothAppend(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	a, b := open(t, dsn), open(t, dsn)
	for _, s := range []*postgres.Store{a, b} {
		if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
			t.Fatal(err)
		}
	}
	const rounds = 30
	for seq := int64(1); seq <= rounds; seq++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, s := range []*postgres.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = s.Commit(ctx, "riverside", []session.Record{{Seq: seq, At: time.Now(), Actor: "x", Event: session.StepMoved{To: i}}})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, session.ErrConflict):
				t.Fatalf("event %d: %v", seq, err)
			}
		}
		if won != 1 {
			t.Fatalf("event %d: %d nodes appended it, want 1", seq, won)
		}
	}
	st, err := b.OpenForum(ctx, sessiontest.Forum())
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != rounds {
		t.Errorf("the log ends at event %d, want %d", st.Seq, rounds)
	}
}

// A node hears of another node's commits, and of what it may have missed
// while its listening connection was down.
func TestFollowHearsOtherNodes(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	a, b := open(t, dsn), open(t, dsn)
	if _, err := a.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	followCtx, stop := context.WithCancel(ctx)
	defer stop()
	moved, err := a.Follow(followCtx, "riverside")
	if err != nil {
		t.Fatal(err)
	}
	log := sessiontest.Log()
	if err := b.Commit(ctx, "riverside", log[:2]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-moved:
	case <-time.After(wait):
		t.Fatal("a commit on one node was not heard on the other")
	}

	// Cut the listening connection, as a network failure would.
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var cut int
	if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(&cut); err != nil || cut == 0 {
		t.Fatalf("cutting the listening connection: %d cut, %v", cut, err)
	}
	if err := b.Commit(ctx, "riverside", log[2:3]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-moved:
	case <-time.After(wait):
		t.Fatal("a commit made while the listening connection was cut was never heard of")
	}
	st, err := session.LoadState(ctx, a, sessiontest.Forum())
	if err != nil || st.Seq != 3 {
		t.Errorf("the node reads the log to event %d (%v), want 3", st.Seq, err)
	}
}

// Every node presents the host key the first one made.
func TestHostKeyIsShared(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	a, b := open(t, dsn), open(t, dsn)
	first, err := a.HostKey(ctx, func() ([]byte, error) { return []byte("first key"), nil })
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.HostKey(ctx, func() ([]byte, error) { return []byte("second key"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != "first key" || string(second) != "first key" {
		t.Errorf("host keys %q and %q, want the first node's on both", first, second)
	}
}

// A forum added at run time keeps its agenda text; a slug kept already is
// never taken over; an archived added forum is not served again.
func TestAddedForums(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	s := open(t, dsn)
	if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	added := sessiontest.Forum()
	added.Slug = "harbour"
	const text = "slug: harbour\n"
	if err := s.AddForum(ctx, added, text, "SHA256:admin"); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"riverside", "harbour"} {
		f := sessiontest.Forum()
		f.Slug = slug
		if err := s.AddForum(ctx, f, text, "SHA256:admin"); !errors.Is(err, store.ErrSlugTaken) {
			t.Errorf("adding %s again: %v, want ErrSlugTaken", slug, err)
		}
	}
	if got, err := s.AddedForums(ctx); err != nil || len(got) != 1 || got[0].Slug != "harbour" || got[0].Text != text {
		t.Fatalf("added forums = %+v, %v", got, err)
	}
	at := time.Now()
	if err := s.Commit(ctx, "harbour", []session.Record{{Seq: 1, At: at, Actor: "f", Event: session.ForumArchived{Archived: true, At: at}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AddedForums(ctx); len(got) != 0 {
		t.Errorf("an archived added forum is listed to serve: %+v", got)
	}
	if err := s.Commit(ctx, "harbour", []session.Record{{Seq: 2, At: at, Actor: "f", Event: session.ForumArchived{Archived: false, At: at}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AddedForums(ctx); len(got) != 1 {
		t.Errorf("a forum taken out of the archive is not listed to serve: %+v", got)
	}
}

// The log is append-only, even for a writer that skips moot.
func TestEventLogIsAppendOnly(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	s := open(t, dsn)
	if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	storetest.Commit(t, s, "riverside", sessiontest.Log()[:3])
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{`UPDATE events SET kind = 'x'`, `DELETE FROM events`, `TRUNCATE events`} {
		if _, err := admin.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want append-only refusal", q, err)
		}
	}
}

// An address that cannot be reached is refused at once, saying where.
func TestOpenSaysWhereItCannotConnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://moot@127.0.0.1:1/moot?connect_timeout=5", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL at 127.0.0.1:1/moot") {
		t.Errorf("unreachable server: %v", err)
	}
	if _, err := postgres.Open(ctx, "postgres://moot@127.0.0.1:99999999/moot", nil); err == nil || !strings.Contains(err.Error(), "PostgreSQL address") {
		t.Errorf("a bad address: %v", err)
	}
}

// A node holding the log commits while another node's commit waits for
// it; the waiting commit is then refused, as its events were decided on a
// log that has moved on.
func TestLockedLogCommitsFirst(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	a, b := open(t, dsn), open(t, dsn)
	if _, err := a.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	log := sessiontest.Log()
	storetest.Commit(t, a, "riverside", log[:2])
	held, err := a.Lock(ctx, "riverside")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if page, err := held.Events(ctx, "riverside", 0, 10); err != nil || len(page) != 2 {
		t.Fatalf("the held log reads %d events (%v), want 2", len(page), err)
	}
	fromB := make(chan error, 1)
	go func() { fromB <- b.Commit(ctx, "riverside", log[2:3]) }()

	// Wait until B's commit is waiting for the lock.
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	deadline := time.Now().Add(wait)
	for {
		var waiting int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-fromB:
			t.Fatalf("a commit went through while another node held the log: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the other node's commit never waited for the held log")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := held.Commit(ctx, log[2:4]); err != nil {
		t.Fatalf("the node holding the log could not commit: %v", err)
	}
	select {
	case err := <-fromB:
		if !errors.Is(err, session.ErrConflict) {
			t.Errorf("the waiting commit: %v, want ErrConflict", err)
		}
	case <-time.After(wait):
		t.Fatal("the waiting commit never ended")
	}
	st, err := session.LoadState(ctx, b, sessiontest.Forum())
	if err != nil || st.Seq != 4 {
		t.Errorf("the log ends at event %d (%v), want 4", st.Seq, err)
	}
}

// Nodes tell each other who is connected; a node that stops telling (it
// died) is forgotten after session.PresenceExpiry, and one that stops
// cleanly says so at once.
func TestSharePresence(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	a, b := open(t, dsn), open(t, dsn)
	if _, err := a.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	share := func(s *postgres.Store, here ...string) []string {
		t.Helper()
		got, err := s.SharePresence(ctx, "riverside", here)
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		return got
	}
	share(a, sessiontest.Ada, sessiontest.Facilitator)
	if got := share(b, sessiontest.Bob, sessiontest.Ada); strings.Join(got, " ") != sessiontest.Ada+" "+sessiontest.Facilitator {
		t.Errorf("B hears of %v on A", got)
	}
	if got := share(a, sessiontest.Ada); strings.Join(got, " ") != sessiontest.Ada+" "+sessiontest.Bob {
		t.Errorf("A hears of %v on B", got)
	}
	share(a)
	if got := share(b, sessiontest.Bob); len(got) != 0 {
		t.Errorf("after A said nobody is there, B hears of %v", got)
	}

	// A node that has not told for longer than the expiry is dead to the
	// others.
	share(a, sessiontest.Ada)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `UPDATE presence SET seen_at = now() - $1 * interval '1 second' WHERE people = ARRAY[$2]`,
		session.PresenceExpiry.Seconds()+1, sessiontest.Ada); err != nil {
		t.Fatal(err)
	}
	if got := share(b, sessiontest.Bob); len(got) != 0 {
		t.Errorf("B still hears of %v on a node silent for longer than %v", got, session.PresenceExpiry)
	}
}
