package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A second server on the same data folder refuses to start and says which
// process holds it; the first goes on serving.
func TestOneServerPerDataFolder(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	first := serve(t, "--listen", "127.0.0.1:0", "--data", data)
	_, errOut, code := moot(t, dir, "serve", "--listen", "127.0.0.1:0", "--data", data)
	if code != 1 || !strings.Contains(errOut, "another moot server (pid ") || !strings.Contains(errOut, "is using the data folder "+data) {
		t.Fatalf("a second server on the folder: exit %d, stderr %q", code, errOut)
	}
	ada := newKey(t)
	mustExec(t, first.port, ada, "name Ada")
	first.stop(t)
	// Once the first has stopped, the folder is free again.
	second := serve(t, "--listen", "127.0.0.1:0", "--data", data)
	if out := mustExec(t, second.port, ada, "whoami").stdout; !strings.Contains(out, "Ada") {
		t.Fatalf("whoami after the restart: %q", out)
	}
	second.stop(t)
}

// A data folder moot cannot use is refused with what is wrong with it.
func TestAnUnusableDataFolderIsRefusedClearly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes")
	if err := os.WriteFile(file, []byte("not a folder\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "moot.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ data, want string }{
		{file, "the data folder " + file + " is a file, not a folder"},
		{empty, "moot.db is empty (0 bytes), so it holds no forum"},
	}
	if os.Geteuid() != 0 { // root may write where the mode says no
		ro := filepath.Join(dir, "ro")
		if err := os.MkdirAll(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ data, want string }{ro, "cannot be written to (permission denied)"})
	}
	for _, c := range cases {
		_, errOut, code := moot(t, dir, "serve", "--listen", "127.0.0.1:0", "--data", c.data)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("--data %s: exit %d, stderr %q; want it to say %q", filepath.Base(c.data), code, errOut, c.want)
		}
	}
	if fi, err := os.Stat(filepath.Join(empty, "moot.db")); err != nil || fi.Size() != 0 {
		t.Errorf("the empty moot.db was changed: %v %v", fi, err)
	}
	for _, flag := range []string{"--max-conns=-1", "--keepalive=-1s"} {
		if _, errOut, code := moot(t, dir, "serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "d"), flag); code != 2 || errOut == "" {
			t.Errorf("%s: exit %d, stderr %q; want a usage error", flag, code, errOut)
		}
	}
}

// moot backup copies the database while the server runs; the copy serves
// the same forum. After a clean stop, moot.db alone holds everything too.
func TestBackupWhileServingAndCopyAfterStopping(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "moot-data")
	p := serve(t, "--listen", "127.0.0.1:0", "--data", data)
	ada, bob := newKey(t), newKey(t)
	mustExec(t, p.port, ada, "name Ada")
	mustExec(t, p.port, bob, "name Bob --sector Community")

	// The README's command, as written, in the folder above the data.
	out, errOut, code := moot(t, dir, "backup", "--data", "moot-data", "moot-backup.db")
	if code != 0 || !strings.Contains(out, "copied to moot-backup.db") {
		t.Fatalf("moot backup: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code := moot(t, dir, "backup", "--data", "moot-data", "moot-backup.db"); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Fatalf("a backup over an existing file: exit %d, stderr %q", code, errOut)
	}
	mustExec(t, p.port, ada, "name Ada Lovelace") // after the backup
	p.stop(t)

	// Restore the backup into a folder of its own: the forum as it was
	// when the backup was taken.
	restored := filepath.Join(dir, "restored")
	mustCopy(t, filepath.Join(dir, "moot-backup.db"), filepath.Join(restored, "moot.db"))
	r := serve(t, "--listen", "127.0.0.1:0", "--data", restored)
	if got := mustExec(t, r.port, bob, "whoami").stdout; !strings.Contains(got, "Bob") || !strings.Contains(got, "Community") {
		t.Fatalf("Bob from the backup: %q", got)
	}
	if got := mustExec(t, r.port, ada, "whoami").stdout; !strings.Contains(got, "name:   Ada\n") {
		t.Fatalf("Ada from the backup (taken before her rename): %q", got)
	}
	r.stop(t)

	// moot.db copied alone after the clean stop has the rename too.
	if _, err := os.Stat(filepath.Join(data, "moot.db-wal")); err == nil {
		if fi, _ := os.Stat(filepath.Join(data, "moot.db-wal")); fi.Size() > 0 {
			t.Errorf("after a clean stop the write-ahead log still holds %d bytes", fi.Size())
		}
	}
	alone := filepath.Join(dir, "alone")
	mustCopy(t, filepath.Join(data, "moot.db"), filepath.Join(alone, "moot.db"))
	a := serve(t, "--listen", "127.0.0.1:0", "--data", alone)
	if got := mustExec(t, a.port, ada, "whoami").stdout; !strings.Contains(got, "Ada Lovelace") {
		t.Fatalf("Ada from moot.db copied alone: %q", got)
	}
	a.stop(t)
}

func mustCopy(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
