package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"moot/session"
	"moot/store"
)

// A forum added at run time keeps its agenda text; a slug the data holds
// already (added or served from a file, live or archived) is never taken
// over; an archived added forum is not served again.
func TestAddedForums(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)

	fromFile := forum() // riverside, served from a file
	if _, err := st.OpenForum(ctx, fromFile); err != nil {
		t.Fatal(err)
	}
	added := forum()
	added.Slug, added.Title = "harbour", "Harbour forum"
	const text = "slug: harbour\ntitle: Harbour forum\n"
	if err := st.AddForum(ctx, added, text, "SHA256:admin"); err != nil {
		t.Fatal(err)
	}
	if err := st.AddForum(ctx, fromFile, "slug: riverside\n", "SHA256:admin"); !errors.Is(err, store.ErrSlugTaken) {
		t.Fatalf("adding over a forum served from a file: %v, want ErrSlugTaken", err)
	}
	if err := st.AddForum(ctx, added, text, "SHA256:admin"); !errors.Is(err, store.ErrSlugTaken) {
		t.Fatalf("adding the same forum twice: %v, want ErrSlugTaken", err)
	}
	got, err := st.AddedForums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Slug != "harbour" || got[0].Text != text {
		t.Fatalf("added forums = %+v, want harbour with its text", got)
	}

	// Opening it as the Hub does keeps the text.
	if _, err := st.OpenForum(ctx, added); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AddedForums(ctx); len(got) != 1 || got[0].Text != text {
		t.Fatalf("after OpenForum the added forums = %+v", got)
	}

	// Archived: kept, not served again, its slug still taken.
	at := time.UnixMilli(time.Now().UnixMilli())
	if err := st.Commit(ctx, "harbour", []session.Record{{Seq: 1, At: at, Actor: "SHA256:f", Event: session.ForumArchived{Archived: true, At: at}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AddedForums(ctx); len(got) != 0 {
		t.Fatalf("an archived added forum is listed to serve: %+v", got)
	}
	if err := st.AddForum(ctx, added, text, "SHA256:admin"); !errors.Is(err, store.ErrSlugTaken) {
		t.Fatalf("adding over an archived forum: %v, want ErrSlugTaken", err)
	}
}

// The schema refuses an agenda text without who added it, and an empty one.
func TestAgendaTextConstraints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	if err := st.AddForum(ctx, forum(), "", "SHA256:admin"); err == nil {
		t.Fatal("an empty agenda text was kept")
	}
	db := rawDB(t, path)
	if _, err := db.Exec(`INSERT INTO forums (slug, title, definition, created_at, agenda_text) VALUES ('x', 'X', '{}', 0, 'slug: x')`); err == nil {
		t.Fatal("an agenda text without who added it was kept")
	}
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
