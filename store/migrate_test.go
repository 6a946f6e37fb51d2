package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	state, err := st.OpenForum(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Themes) != 2 || state.Themes[0].Name != "Access" || state.Themes[1].Name != "Trust" {
		t.Errorf("themes after the migration: %+v", state.Themes)
	}
	if len(state.Cards) != 2 || state.Cards[0].Theme != 2 || state.Cards[1].Theme != 0 {
		t.Errorf("cards after the migration: %+v %+v", state.Cards[0], state.Cards[1])
	}
	if len(state.Statements) != 1 || state.Statements[0].Theme != 1 {
		t.Errorf("statements after the migration: %+v", state.Statements)
	}
	if len(state.Amendments) != 1 || !state.Amendments[0].Waiting() {
		t.Errorf("amendments after the migration: %+v", state.Amendments)
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
