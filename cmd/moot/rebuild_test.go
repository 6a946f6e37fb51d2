package main_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	_ "modernc.org/sqlite"
)

// moot rebuild makes the tables again from the log: a table changed by
// hand matches its log again, and the forum is served as before.
func TestRebuildFromTheLog(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	fac, ada := newKey(t), newKey(t)
	facFile := filepath.Join(dir, "facilitators")
	if err := os.WriteFile(facFile, gossh.MarshalAuthorizedKey(fac.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--listen", "127.0.0.1:0", "--data", data, "--facilitators", facFile}
	p := serve(t, args...)
	mustExec(t, p.port, ada, "name Ada --sector Community")
	mustExec(t, p.port, fac, "step goto 2")
	mustExec(t, p.port, fac, "ballot open --item Transport --item Cost")
	mustExec(t, p.port, ada, "vote 1 1=3 2=2")
	p.stop(t)

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "moot.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE participants SET name = 'Eve'`); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := moot(t, dir, "rebuild", "--data", data)
	if code != 0 || !strings.Contains(stdout, "demo: ") || !strings.Contains(stdout, "events replayed; tables rebuilt") ||
		!strings.Contains(stdout, "rebuilt 1 forum in "+filepath.Join(data, "moot.db")) {
		t.Fatalf("moot rebuild: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var name string
	if err := db.QueryRow(`SELECT name FROM participants`).Scan(&name); err != nil || name != "Ada" {
		t.Errorf("after rebuild the participants table says %q (%v), the log says Ada", name, err)
	}

	p = serve(t, args...)
	if r := mustExec(t, p.port, ada, "myvote 1"); !strings.Contains(r.stdout, "you have spent 5 of 5 dots") {
		t.Errorf("Ada's vote after a rebuild:\n%s", r.stdout)
	}
	p.stop(t)

	if _, stderr, code := moot(t, dir, "rebuild", "--data", filepath.Join(dir, "nowhere")); code != 1 || !strings.Contains(stderr, "no moot database in") {
		t.Errorf("rebuild of a folder with no database: exit %d, %q", code, stderr)
	}
	if stdout, stderr, code := moot(t, dir, "rebuild", "--help"); code != 0 || !strings.Contains(stdout+stderr, "the truth") {
		t.Errorf("rebuild --help: exit %d\n%s%s", code, stdout, stderr)
	}
}
