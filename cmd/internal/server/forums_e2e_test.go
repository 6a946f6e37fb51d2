package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session/agenda"
	"moot/session/command"
)

// execIn runs one command as user with stdin, as `ssh user@host COMMAND <
// FILE` does.
func (ts *testServer) execIn(t *testing.T, user string, key gossh.Signer, cmd, stdin string) execResult {
	t.Helper()
	c := ts.dialAs(t, user, gossh.PublicKeys(key))
	defer c.Close()
	r, err := runExecIn(c, cmd, stdin, wait)
	if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return r
}

// forumSlugs is what `forums --json` lists, as user.
func (ts *testServer) forumSlugs(t *testing.T, user string, key gossh.Signer) []command.ForumInfo {
	t.Helper()
	r := ts.execAs(t, user, gossh.PublicKeys(key), "forums --json")
	if r.status != 0 {
		t.Fatalf("forums --json as %s: %+v", user, r)
	}
	var infos []command.ForumInfo
	if err := json.Unmarshal([]byte(r.stdout), &infos); err != nil {
		t.Fatalf("forums --json: %v\n%s", err, r.stdout)
	}
	return infos
}

// An admin adds a forum to the running server from an agenda on standard
// input: at once it is reached by its slug, listed by forums and in the
// picker, and its join code works. Someone who is not an admin is refused,
// a broken agenda is reported line by line, and a slug served already is
// refused; none of these change anything.
func TestAdminAddsAForumWhileServing(t *testing.T) {
	demo, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	admin, ada := newKey(t), newKey(t)
	ts := startConfigured(t, func(c *server.Config) {
		c.Admins = []string{gossh.FingerprintSHA256(admin.PublicKey())}
	}, demo)

	// A facilitator of the forum served is not an admin.
	for _, who := range []gossh.Signer{ada, ts.facilitator} {
		r := ts.execIn(t, "demo", who, "forum add", riverside)
		if r.status != 1 || !strings.Contains(r.stderr, "only an admin of this server") {
			t.Fatalf("forum add by someone who is not an admin: %+v", r)
		}
	}
	if got := ts.forumSlugs(t, "demo", ada); len(got) != 1 || got[0].Slug != "demo" {
		t.Fatalf("after refused adds the server serves %+v", got)
	}
	if r := ts.execAs(t, "demo", gossh.PublicKeys(ada), "help"); strings.Contains(r.stdout, "forum add") || !strings.Contains(r.stdout, "forums [--json]") {
		t.Fatalf("a participant's help:\n%s", r.stdout)
	}

	// Every problem with its line, as moot check gives them.
	const broken = "slug: Riverside!\ntitle: Riverside\nsteps:\n  - {title: Talk, phase: chatting}\n"
	r := ts.execIn(t, "demo", admin, "forum add", broken)
	if r.status != 1 || !strings.Contains(r.stderr, "2 problems; nothing was added") ||
		!strings.Contains(r.stderr, "line 1: slug") || !strings.Contains(r.stderr, "line 4:") {
		t.Fatalf("forum add with a broken agenda: %+v", r)
	}
	if r := ts.execIn(t, "demo", admin, "forum add", ""); r.status != 1 || !strings.Contains(r.stderr, "no agenda on standard input") {
		t.Fatalf("forum add with nothing on stdin: %+v", r)
	}
	if got := ts.forumSlugs(t, "demo", ada); len(got) != 1 {
		t.Fatalf("after a broken agenda the server serves %+v", got)
	}

	r = ts.execIn(t, "demo", admin, "forum add", riverside)
	if r.status != 0 || !strings.Contains(r.stdout, `added forum "Riverside planning forum" (riverside)`) || !strings.Contains(r.stdout, "ssh riverside@HOST") {
		t.Fatalf("forum add: %+v", r)
	}
	// Added with no facilitators of its own, it says so.
	if !strings.Contains(r.stdout, "names no facilitators") {
		t.Errorf("forum add of an agenda without facilitators gave no note:\n%s", r.stdout)
	}
	r = ts.execIn(t, "riverside", admin, "forum add", riverside)
	if r.status != 1 || !strings.Contains(r.stderr, `slug "riverside" is served here already`) {
		t.Fatalf("adding a slug served already: %+v", r)
	}

	// Reached by its slug at once, by a command and by a screen.
	r = ts.execAs(t, "riverside", gossh.PublicKeys(ada), "status")
	if r.status != 0 || !strings.Contains(r.stdout, "Riverside planning forum (riverside)") {
		t.Fatalf("status as riverside: %+v", r)
	}
	tm := ts.openTerminalOn(t, "Ada", ts.dialAs(t, "riverside", gossh.PublicKeys(ada)))
	tm.waitFor(t, wait, "Welcome to Riverside planning forum", "What name should others see?")
	tm.typ(t, "Ada\r")
	tm.waitFor(t, wait, "Which sector")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "Riverside planning forum", "you are Ada")

	// Listed for everyone, even without naming a forum; the picker has it.
	got := ts.forumSlugs(t, "whoever", newKey(t))
	if len(got) != 2 || got[1].Slug != "riverside" || got[1].Title != "Riverside planning forum" || got[1].Stage != "lobby" || got[1].Steps != 2 {
		t.Fatalf("forums --json: %+v", got)
	}
	pick := ts.openTerminalOn(t, "Bob", ts.dialAs(t, "bob", gossh.PublicKeys(newKey(t))))
	pick.waitFor(t, wait, "Which forum are you joining?", "Co-production in our town", "Riverside planning forum")

	// Its join code works, as for a forum served from the start.
	if r := ts.execAs(t, "riverside", keyboardInteractive("river-2026"), "whoami"); r.status != 0 || !strings.Contains(r.stdout, "forum:  Riverside planning forum") {
		t.Fatalf("whoami with the added forum's join code: %+v", r)
	}
}

// Adds of one slug at the same time start one forum, whatever the order,
// while people connect and list the forums.
func TestConcurrentAddsOfOneSlug(t *testing.T) {
	demo, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	admin := newKey(t)
	adminID := gossh.FingerprintSHA256(admin.PublicKey())
	ts := startConfigured(t, func(c *server.Config) { c.Admins = []string{adminID} }, demo)

	const n = 6
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		f := parseAgenda(t, riverside)
		go func() {
			_, err := ts.srv.AddForum(context.Background(), adminID, f, riverside)
			errs <- err
		}()
	}
	reader := newKey(t)
	listed := ts.forumSlugs(t, "demo", reader) // meanwhile
	if len(listed) < 1 || len(listed) > 2 {
		t.Fatalf("forums while adding: %+v", listed)
	}
	ok := 0
	for i := 0; i < n; i++ {
		select {
		case err := <-errs:
			if err == nil {
				ok++
			} else if !strings.Contains(err.Error(), "riverside") {
				t.Errorf("a refused add says: %v", err)
			}
		case <-time.After(wait):
			t.Fatal("an add did not return")
		}
	}
	if ok != 1 {
		t.Fatalf("%d adds of one slug succeeded, want 1", ok)
	}
	if got := ts.forumSlugs(t, "demo", reader); len(got) != 2 {
		t.Fatalf("forums after the adds: %+v", got)
	}
}
