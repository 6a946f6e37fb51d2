package session_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/store"
)

// The agenda's themes are created once, when the forum is first opened,
// and logged like any change; a restart does not add them again, nor
// bring back a renamed one.
func TestAgendaThemesAreCreatedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "moot.db")
	open := func() (*session.Hub, *store.SQLite) {
		st, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		f := testForum()
		f.Themes = []string{"Access", "Trust"}
		h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return h, st
	}
	h, st := open()
	snap := h.Snapshot()
	if len(snap.Themes) != 2 || snap.Themes[0].Name != "Access" || snap.Themes[1].Name != "Trust" || snap.Seq != 2 {
		t.Fatalf("themes after first open: %v (seq %d)", snap.Themes, snap.Seq)
	}
	log, err := h.Log(context.Background(), snap.Seq)
	if err != nil || len(log) != 2 || log[0].Actor != session.AgendaActor {
		t.Fatalf("log = %v, %v", log, err)
	}
	do(t, h, facilitator, session.RenameTheme{Theme: 1, Name: "Getting there"})
	h.Stop()
	st.Close()

	h, st = open()
	defer func() { h.Stop(); st.Close() }()
	snap = h.Snapshot()
	if len(snap.Themes) != 2 || snap.Themes[0].Name != "Getting there" || snap.Seq != 3 {
		t.Fatalf("themes after restart: %v (seq %d)", snap.Themes, snap.Seq)
	}
}

// An archived forum refuses every change, to anyone, with a clear message,
// until a facilitator takes it out of the archive; it stays archived
// across a restart.
func TestArchivedForumIsReadOnly(t *testing.T) {
	h, reopen := openHub(t)
	ctx := context.Background()
	do(t, h, ada, session.Register{Name: "Ada"})
	do(t, h, facilitator, session.NextStep{})
	if err := h.Do(ctx, ada, session.ArchiveForum{Archived: true}); !errors.Is(err, session.ErrForbidden) {
		t.Fatalf("a participant archived the forum: %v", err)
	}
	do(t, h, facilitator, session.ArchiveForum{Archived: true})
	seq := h.Snapshot().Seq
	for _, c := range []struct {
		who string
		cmd session.Command
	}{
		{ada, session.AddCard{Text: "late"}},
		{ada, session.Register{Name: "Ada L"}},
		{bob, session.Register{Name: "Bob"}},
		{facilitator, session.NextStep{}},
		{facilitator, session.AddTheme{Name: "Late"}},
	} {
		err := h.Do(ctx, c.who, c.cmd)
		if !errors.Is(err, session.ErrArchived) || !strings.Contains(err.Error(), "archived") {
			t.Errorf("%T on an archived forum: %v", c.cmd, err)
		}
	}
	if got := h.Snapshot(); got.Seq != seq || !got.Archived {
		t.Fatalf("refused commands changed the forum: seq %d -> %d, archived %v", seq, got.Seq, got.Archived)
	}
	h = reopen()
	if !h.Snapshot().Archived {
		t.Fatal("a restart took the forum out of the archive")
	}
	do(t, h, facilitator, session.ArchiveForum{Archived: false})
	do(t, h, ada, session.AddCard{Text: "back again"})
}

// A watcher (a projector) gets every snapshot but is not a person: it
// does not count as connected.
func TestWatcherDoesNotCount(t *testing.T) {
	h, _ := openHub(t)
	w, err := h.Watch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	nobody := func(s *session.Snapshot) bool { return s.Connected == 0 }
	waitFor(t, w, "the watcher's first snapshot", func(*session.Snapshot) bool { return true }, nobody)
	do(t, h, facilitator, session.NextStep{})
	// Snapshots of step 0 may still be on their way; none may count the
	// watcher.
	waitFor(t, w, "step 1", func(s *session.Snapshot) bool { return s.Step == 1 }, nobody)
}
