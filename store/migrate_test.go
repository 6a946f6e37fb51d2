package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
)

// A database an older moot left, with themes under cards and statements,
// takes the longer theme names and keeps every theme where it was.
func TestMigrationToLongThemesKeepsThemes(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "moot.db")
	db, err := sql.Open("sqlite", dsn(file, false))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := migrateThrough(ctx, db, 7); err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{Slug: "old", Title: "Old forum", Sectors: session.DefaultSectors,
		Steps: []session.Step{{Title: "Talk", Phase: session.Dialogue}, {Title: "Agree", Phase: session.Deliberation}}}
	def, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO forums (slug, title, definition, step, created_at) VALUES ('old', 'Old forum', '` + string(def) + `', 1, 0)`,
		`INSERT INTO themes (forum, id, name, position) VALUES ('old', 1, 'Access', 1), ('old', 2, 'Trust', 2)`,
		`INSERT INTO cards (forum, id, step, author, credits, text, theme, status, created_at) VALUES
			('old', 1, 1, 'SHA256:a', '["SHA256:a"]', 'Buses stop at six', 2, 'visible', 0),
			('old', 2, 1, 'SHA256:a', '["SHA256:a"]', 'No theme yet', NULL, 'visible', 0)`,
		`INSERT INTO statements (forum, id, theme, position, proposer, created_at) VALUES ('old', 1, 1, 1, 'SHA256:f', 0)`,
		`INSERT INTO revisions (forum, statement, n, text, author, at) VALUES ('old', 1, 1, 'Meet in the evening', 'SHA256:f', 0)`,
		`INSERT INTO amendments (forum, id, statement, base, author, text, at) VALUES ('old', 1, 1, 1, 'SHA256:a', 'Meet at varied times', 0)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	long := strings.Repeat("x", 61)
	if _, err := db.ExecContext(ctx, `UPDATE themes SET name = ? WHERE id = 1`, long); err == nil {
		t.Fatal("the old schema took a 61-character theme name")
	}
	db.Close()

	st, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The tables are projections of the log (the forum's state is made
	// from its events): the migration keeps each row where it was.
	rows := func(q string) string {
		t.Helper()
		r, err := st.read.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer r.Close()
		var out []string
		for r.Next() {
			var a, b any
			if err := r.Scan(&a, &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(a, "=", b))
		}
		return strings.Join(out, " ")
	}
	if got := rows(`SELECT id, name FROM themes WHERE forum = 'old' ORDER BY id`); got != "1=Access 2=Trust" {
		t.Errorf("themes after the migration: %s", got)
	}
	if got := rows(`SELECT id, theme FROM cards WHERE forum = 'old' ORDER BY id`); got != "1=2 2=<nil>" {
		t.Errorf("cards' themes after the migration: %s", got)
	}
	if got := rows(`SELECT id, theme FROM statements WHERE forum = 'old' ORDER BY id`); got != "1=1" {
		t.Errorf("statements' themes after the migration: %s", got)
	}
	if got := rows(`SELECT id, superseded FROM amendments WHERE forum = 'old' ORDER BY id`); got != "1=0" {
		t.Errorf("amendments after the migration: %s", got)
	}
	for _, q := range []string{
		`UPDATE themes SET name = '` + strings.Repeat("y", 120) + `' WHERE forum = 'old' AND id = 1`,
		`UPDATE amendments SET superseded = 1 WHERE forum = 'old' AND id = 1`,
	} {
		if _, err := st.write.ExecContext(ctx, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	for _, q := range []string{
		`UPDATE themes SET name = '` + strings.Repeat("y", 121) + `' WHERE forum = 'old' AND id = 1`,
		`UPDATE amendments SET accepted = 2 WHERE forum = 'old' AND id = 1`,
		`DELETE FROM themes WHERE forum = 'old' AND id = 2`, // a card is under it
	} {
		if _, err := st.write.ExecContext(ctx, q); err == nil {
			t.Errorf("the schema took %s", q)
		}
	}
}
