package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"moot/session/sessiontest"
	"moot/store/storetest"
)

// The tables are projections of the log: Rebuild makes them again from it,
// row for row, whatever happened to them.
func TestRebuildMakesTheTablesFromTheLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	if _, err := st.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	log := sessiontest.Log()
	storetest.Commit(t, st, "riverside", log)
	db := rawDB(t, path)
	before := dump(t, db)

	for _, q := range []string{
		`DELETE FROM cards WHERE id = 2`,
		`UPDATE participants SET name = 'Eve'`,
		`DELETE FROM agreements`,
		`DELETE FROM actions`,
		`UPDATE forums SET step = 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if dump(t, db) == before {
		t.Fatal("the tables did not change")
	}
	done, err := st.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Slug != "riverside" || done[0].Events != int64(len(log)) {
		t.Errorf("rebuilt %+v, want riverside with %d events", done, len(log))
	}
	if after := dump(t, db); after != before {
		t.Errorf("the rebuilt tables differ from those the commits wrote:\n%s", lineDiff(before, after))
	}
	// The schema still keeps its rules after a rebuild.
	if _, err := db.Exec(`DELETE FROM allocations`); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("deleting a closed ballot's allocations after a rebuild: %v", err)
	}
}

// A log with an event that does not apply stops the rebuild, saying which,
// and nothing changes.
func TestRebuildRefusesALogThatDoesNotApply(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	if _, err := st.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	log := sessiontest.Log()
	storetest.Commit(t, st, "riverside", log)
	db := rawDB(t, path)
	if _, err := db.Exec(`INSERT INTO events (forum, seq, at, actor, kind, payload) VALUES ('riverside', ?, 0, 'x', 'statement.moved', '{"id": 99, "position": 1}')`, len(log)+1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM cards WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	_, err := st.Rebuild(ctx)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("event %d (statement.moved)", len(log)+1)) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("rebuild over a bad event: %v", err)
	}
	if dump(t, db) != before {
		t.Error("a failed rebuild changed the tables")
	}
}

// dump is every row of every table, sorted, one per line.
func dump(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var lines []string
	for _, table := range tables {
		if table == "schema_migrations" {
			continue
		}
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, table+": "+fmt.Sprint(vals...))
		}
		rows.Close()
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}
