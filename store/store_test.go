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
