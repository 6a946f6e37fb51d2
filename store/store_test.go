package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/store"

	_ "modernc.org/sqlite"
)

func forum() *session.Forum {
	return &session.Forum{
		Slug:    "riverside",
		Title:   "Riverside forum",
		Sectors: session.DefaultSectors,
		Steps: []session.Step{
			{Title: "One", Phase: session.Dialogue},
			{Title: "Two", Phase: session.Voting},
			{Title: "Three", Phase: session.Deliberation},
		},
	}
}

func open(t testing.TB, path string) *store.SQLite {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestCommitLoadAndLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	f := forum()
	state, err := st.OpenForum(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if state.Step != 0 || state.Seq != 0 || len(state.Participants) != 0 {
		t.Fatalf("new forum state = %+v", state)
	}
	at := time.UnixMilli(time.Now().UnixMilli())
	ends := at.Add(10 * time.Minute)
	records := []session.Record{
		{Seq: 1, At: at, Actor: "SHA256:a", Event: session.ParticipantNamed{Participant: session.Participant{ID: "SHA256:a", Name: "Ada", Sector: "Community", JoinedAt: at}}},
		{Seq: 2, At: at, Actor: "SHA256:f", Event: session.StepMoved{From: 0, To: 2}},
		{Seq: 3, At: at, Actor: "SHA256:f", Event: session.TimerSet{Timer: session.Timer{EndsAt: ends}}},
	}
	if err := st.Commit(ctx, f.Slug, records); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st = open(t, path)
	state, err = st.OpenForum(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if state.Step != 2 || state.Seq != 3 || !state.Timer.EndsAt.Equal(ends) {
		t.Errorf("reloaded step %d seq %d timer %v", state.Step, state.Seq, state.Timer.EndsAt)
	}
	if p := state.Participants["SHA256:a"]; p == nil || p.Name != "Ada" || p.Sector != "Community" || !p.JoinedAt.Equal(at) {
		t.Errorf("reloaded Ada = %+v", p)
	}
	log, err := st.Events(ctx, f.Slug, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 3 {
		t.Fatalf("log has %d records, want 3", len(log))
	}
	if e, ok := log[1].Event.(session.StepMoved); !ok || e.To != 2 || log[1].Actor != "SHA256:f" {
		t.Errorf("log[1] = %+v", log[1])
	}
	if later, _ := st.Events(ctx, f.Slug, 2, 100); len(later) != 1 || later[0].Seq != 3 {
		t.Errorf("events after 2 = %+v", later)
	}
}

// A batch is one transaction: if any event in it cannot be saved, none is.
func TestCommitIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "moot.db"))
	f := forum()
	if _, err := st.OpenForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err := st.Commit(ctx, f.Slug, []session.Record{
		{Seq: 1, At: now, Actor: "x", Event: session.StepMoved{To: 1}},
		{Seq: 1, At: now, Actor: "x", Event: session.StepMoved{To: 2}}, // same seq: refused by the schema
	})
	if err == nil {
		t.Fatal("a batch reusing a sequence number was saved")
	}
	state, _ := st.OpenForum(ctx, f)
	if state.Step != 0 || state.Seq != 0 {
		t.Errorf("half a failed batch was kept: step %d seq %d", state.Step, state.Seq)
	}
}

func TestEventLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	f := forum()
	if _, err := st.OpenForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, f.Slug, []session.Record{{Seq: 1, At: time.Now(), Actor: "x", Event: session.StepMoved{To: 1}}}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`UPDATE events SET kind = 'x'`, `DELETE FROM events`} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want append-only refusal", q, err)
		}
	}
	err = st.Commit(ctx, "nowhere", []session.Record{{Seq: 1, At: time.Now(), Actor: "x",
		Event: session.ParticipantNamed{Participant: session.Participant{ID: "a", Name: "A"}}}})
	if err == nil {
		t.Error("an event of a forum that does not exist was saved: foreign keys are off")
	}
}

func TestAgendaWithFewerStepsClosesTheForum(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "moot.db"))
	f := forum()
	if _, err := st.OpenForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, f.Slug, []session.Record{{Seq: 1, At: time.Now(), Actor: "x", Event: session.StepMoved{To: 3}}}); err != nil {
		t.Fatal(err)
	}
	f.Steps = f.Steps[:1]
	state, err := st.OpenForum(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if state.Step != 2 {
		t.Errorf("step = %d after the agenda shrank to 1 step, want 2 (closed)", state.Step)
	}
}

func TestReadOnlyAndForums(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	if _, err := st.OpenForum(ctx, forum()); err != nil {
		t.Fatal(err)
	}
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	slugs, err := ro.Forums(ctx)
	if err != nil || len(slugs) != 1 || slugs[0] != "riverside" {
		t.Errorf("forums = %v, %v", slugs, err)
	}
	if _, err := ro.Forum(ctx, "nowhere"); !errors.Is(err, session.ErrNoForum) {
		t.Errorf("unknown forum: %v", err)
	}
	if _, err := store.OpenReadOnly(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("opened a database that does not exist")
	}
}
