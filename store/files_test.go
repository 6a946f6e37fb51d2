package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"moot/session"
	"moot/store"
)

// commitName commits a participant's name, one event.
func commitName(st *store.SQLite, seq int64, who string) error {
	at := time.UnixMilli(time.Now().UnixMilli())
	return st.Commit(context.Background(), "riverside", []session.Record{{Seq: seq, At: at, Actor: who,
		Event: session.ParticipantNamed{Participant: session.Participant{ID: who, Name: who, JoinedAt: at}}}})
}

func name(t *testing.T, st *store.SQLite, seq int64, who string) {
	t.Helper()
	if err := commitName(st, seq, who); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// After a clean close the database file alone holds everything: a copy of
// moot.db without its write-ahead log is the whole forum.
func TestCloseLeavesEverythingInTheFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "moot.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenForum(ctx, forum()); err != nil {
		t.Fatal(err)
	}
	name(t, st, 1, "Ada")
	name(t, st, 2, "Bob")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("after a clean close the write-ahead log holds %d bytes", fi.Size())
	}
	alone := filepath.Join(t.TempDir(), "moot.db")
	copyFile(t, path, alone)
	st = open(t, alone)
	state, err := st.Forum(ctx, "riverside")
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Participants) != 2 || state.Seq != 2 {
		t.Fatalf("the copied file holds %d participants, seq %d; want 2 and 2", len(state.Participants), state.Seq)
	}
}

// Open refuses, with a message that says what is wrong, a file it must not
// take for a moot database, and changes nothing in it.
func TestOpenRefusesWhatIsNotAMootDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, []byte("shopping list: milk, eggs\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", "file:"+foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	readOnly := filepath.Join(dir, "readonly.db")
	open(t, readOnly).Close()
	if err := os.Chmod(readOnly, 0o400); err != nil {
		t.Fatal(err)
	}

	cases := []struct{ file, want string }{
		{empty, "is empty (0 bytes), so it holds no forum"},
		{text, "is not a SQLite database"},
		{foreign, "is the database of another program (it has 1 tables, none of them moot's)"},
	}
	if os.Geteuid() != 0 { // root writes whatever the mode says
		cases = append(cases, struct{ file, want string }{readOnly, "cannot be written to"})
	}
	for _, c := range cases {
		before, _ := os.ReadFile(c.file)
		_, err := store.Open(ctx, c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%s): %v; want an error saying %q", filepath.Base(c.file), err, c.want)
		}
		if after, _ := os.ReadFile(c.file); string(after) != string(before) {
			t.Errorf("Open(%s) changed the file", filepath.Base(c.file))
		}
	}
	var tables int
	db, _ = sql.Open("sqlite", "file:"+foreign+"?mode=ro")
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table'`).Scan(&tables); err != nil || tables != 1 {
		t.Errorf("the other program's database has %d tables now (%v), want its 1", tables, err)
	}
}

// A backup taken while commits go on is the database as of one moment:
// whole, and a moot database of its own.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "moot.db")
	st := open(t, path)
	if _, err := st.OpenForum(ctx, forum()); err != nil {
		t.Fatal(err)
	}
	name(t, st, 1, "Ada")

	// Commits go on while backups are taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := int64(2); seq < 2000; seq++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := commitName(st, seq, "p"+itoa(seq)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var backups []string
	for i := range 3 {
		dest := filepath.Join(dir, "backup-"+itoa(int64(i))+".db")
		if err := store.Backup(ctx, path, dest); err != nil {
			t.Fatal(err)
		}
		backups = append(backups, dest)
	}
	close(stop)
	wg.Wait()

	for _, b := range backups {
		bst := open(t, b)
		state, err := bst.Forum(ctx, "riverside")
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(b), err)
		}
		// Every event committed is there with its participant, and
		// nothing half: one participant per event.
		if int64(len(state.Participants)) != state.Seq || state.Seq < 1 {
			t.Fatalf("%s: %d participants for %d events", filepath.Base(b), len(state.Participants), state.Seq)
		}
	}
	if err := store.Backup(ctx, path, backups[0]); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("a backup onto an existing file: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
