package server_test

import (
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
)

func parseAgenda(t *testing.T, yaml string) *session.Forum {
	t.Helper()
	f, err := agenda.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const riverside = `slug: riverside
title: Riverside planning forum
join_code: river-2026
themes: [Access, Trust]
steps:
  - {title: "What gets in the way by the river?", phase: dialogue}
  - {title: Priorities, phase: voting}
`

// execAs runs one command over its own connection as user.
func (ts *testServer) execAs(t *testing.T, user string, auth gossh.AuthMethod, cmd string) execResult {
	t.Helper()
	c := ts.dialAs(t, user, auth)
	defer c.Close()
	r, err := runExec(c, cmd, wait)
	if err != nil {
		t.Fatalf("exec %q as %s: %v", cmd, user, err)
	}
	return r
}

// Two forums on one server: the SSH user name picks one; a command with
// another name is told the slugs; a screen with another name gets a list
// to pick from, then the chosen forum.
func TestSeveralForumsPickedByUserNameOrFromAList(t *testing.T) {
	demo, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	ts := startForums(t, demo, parseAgenda(t, riverside))
	ada := newKey(t)

	r := ts.execAs(t, "riverside", gossh.PublicKeys(ada), "status")
	if r.status != 0 || !strings.Contains(r.stdout, "Riverside planning forum (riverside)") {
		t.Fatalf("status as riverside: %+v", r)
	}
	r = ts.execAs(t, "demo", gossh.PublicKeys(ada), "status")
	if r.status != 0 || !strings.Contains(r.stdout, "(demo)") {
		t.Fatalf("status as demo: %+v", r)
	}
	r = ts.execAs(t, "ada", gossh.PublicKeys(ada), "status")
	port := ts.addr[strings.LastIndex(ts.addr, ":")+1:]
	if r.status != 1 || !strings.Contains(r.stderr, "ssh -p "+port+" demo@127.0.0.1  (Co-production in our town)") ||
		!strings.Contains(r.stderr, "ssh -p "+port+" riverside@127.0.0.1  (Riverside planning forum)") {
		t.Fatalf("status as ada: %+v", r)
	}

	tm := ts.openTerminalOn(t, "Ada", ts.dialAs(t, "ada", gossh.PublicKeys(ada)))
	tm.waitFor(t, wait, "Which forum are you joining?", "Co-production in our town", "Riverside planning forum", "riverside · lobby")
	tm.typ(t, "\x1b[B") // Down
	tm.waitFor(t, wait, "› 2. Riverside planning forum", "go straight to the one chosen: ssh -p "+port+" riverside@127.0.0.1")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "Welcome to Riverside planning forum", "What name should others see?")
	tm.typ(t, "Ada\r")
	tm.waitFor(t, wait, "Which sector")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "Riverside planning forum", "Lobby", "you are Ada")
	if _, ok := ts.hubs["riverside"].Snapshot().Participant(gossh.FingerprintSHA256(ada.PublicKey())); !ok {
		t.Fatal("Ada joined through the list but is not in the riverside forum")
	}
	if _, ok := ts.hubs["demo"].Snapshot().Participant(gossh.FingerprintSHA256(ada.PublicKey())); ok {
		t.Fatal("Ada is in the demo forum too")
	}
	// The agenda's themes were there from the start.
	if th := ts.hubs["riverside"].Snapshot().Themes; len(th) != 2 || th[0].Name != "Access" {
		t.Fatalf("riverside themes: %v", th)
	}
}

// The projector view shows the step and its live cards, large and
// read-only: it is not counted as a person, it takes no commands, and its
// keys do nothing to the forum.
func TestProjectorViewIsReadOnly(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ts.facilitator, "step next")

	screenKey := newKey(t)
	pj := ts.openTerminalOn(t, "projector", ts.dialAs(t, "demo+screen", gossh.PublicKeys(screenKey)))
	pj.waitFor(t, wait, "W H A T", "read-only screen", "No cards yet", "To take part: ssh -p "+ts.addr[strings.LastIndex(ts.addr, ":")+1:]+" demo@127.0.0.1")
	ts.mustExec(t, ada, "say Buses stop at six")
	ts.mustExec(t, ts.facilitator, "theme add Transport")
	ts.mustExec(t, ts.facilitator, "theme assign Transport 1")
	pj.waitFor(t, wait, "TRANSPORT", "▪ Buses stop at six")

	seq := ts.hub.Snapshot().Seq
	pj.typ(t, "n:step next\rw")
	r := ts.execAs(t, "demo+screen", gossh.PublicKeys(screenKey), "step next")
	if r.status != 1 || !strings.Contains(r.stderr, "runs no commands") {
		t.Fatalf("a command through the screen view: %+v", r)
	}
	ts.mustExec(t, ada, "say Trains too") // a later change still reaches it
	pj.waitFor(t, wait, "Trains too")
	snap := ts.hub.Snapshot()
	if snap.Seq != seq+1 || snap.Step != 1 {
		t.Fatalf("the projector changed the forum: seq %d -> %d, step %d", seq, snap.Seq, snap.Step)
	}
	if snap.Connected != 0 {
		t.Fatalf("the projector counts as %d connected", snap.Connected)
	}
	if _, ok := snap.Participant(gossh.FingerprintSHA256(screenKey.PublicKey())); ok {
		t.Fatal("the projector became a participant")
	}
}

// keyboardInteractive answers the join-code prompt with answer.
func keyboardInteractive(answer string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(user, instruction string, questions []string, echos []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range out {
			out[i] = answer
		}
		return out, nil
	})
}

var rejoinCode = regexp.MustCompile(`rejoin code is ([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})`)

// A person without a key joins with the forum's join code, is shown a
// rejoin code, and comes back with it as the same participant; wrong and
// made-up codes are refused, and keys still work.
func TestJoinCodeWithoutAKey(t *testing.T) {
	ts := startForums(t, parseAgenda(t, riverside))
	if _, err := dialErr(ts, "riverside", keyboardInteractive("wrong-code")); err == nil {
		t.Fatal("a wrong join code was let in")
	}
	if _, err := dialErr(ts, "riverside", keyboardInteractive("abcd-efgh-jkmn")); err == nil {
		t.Fatal("a made-up rejoin code was let in without the join code")
	}

	tm := ts.openTerminalOn(t, "Grace", ts.dialAs(t, "riverside", keyboardInteractive("RIVER-2026")))
	tm.waitFor(t, wait, "What name should others see?", "Your rejoin code is")
	m := rejoinCode.FindStringSubmatch(strings.Join(strings.Fields(tm.screen()), " "))
	if m == nil {
		t.Fatalf("no rejoin code on the screen:\n%s", frame(tm.screen()))
	}
	code := m[1]
	tm.typ(t, "Grace\r")
	tm.waitFor(t, wait, "Which sector")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "you are Grace", "Your rejoin code is "+code)
	tm.typ(t, "qq") // q asks first; q again leaves
	tm.waitExit(t, wait)

	// The rejoin code alone, in capitals and without dashes.
	r := ts.execAs(t, "riverside", keyboardInteractive(strings.ToUpper(strings.ReplaceAll(code, "-", ""))), "whoami")
	if r.status != 0 || !strings.Contains(r.stdout, "name:   Grace") {
		t.Fatalf("whoami with the rejoin code: %+v", r)
	}
	// The join code and the rejoin code.
	r = ts.execAs(t, "riverside", keyboardInteractive("river-2026 "+code), "whoami")
	if r.status != 0 || !strings.Contains(r.stdout, "name:   Grace") {
		t.Fatalf("whoami with both codes: %+v", r)
	}
	// Keys are still accepted, and a new code person gets a new code.
	if r := ts.execAs(t, "riverside", gossh.PublicKeys(newKey(t)), "whoami"); r.status != 0 {
		t.Fatalf("whoami with a key: %+v", r)
	}
	r = ts.execAs(t, "riverside", keyboardInteractive("river-2026"), "whoami")
	if m := rejoinCode.FindStringSubmatch(r.stderr); r.status != 0 || m == nil || m[1] == code || strings.Contains(r.stdout, "Grace") {
		t.Fatalf("a second person with the join code: %+v", r)
	}
}

func dialErr(ts *testServer, user string, auth gossh.AuthMethod) (*gossh.Client, error) {
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: wait})
	if err == nil {
		c.Close()
	}
	return c, err
}

// A facilitator archives a forum: every change is refused with a clear
// message, screens say so, and a participant cannot archive.
func TestArchiveMakesTheForumReadOnly(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ts.facilitator, "step next")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, "Step 1/4")

	if r := ts.exec(t, ada, "archive"); r.status != 1 || !strings.Contains(r.stderr, "only a facilitator") {
		t.Fatalf("a participant archived: %+v", r)
	}
	if out := ts.mustExec(t, ts.facilitator, "archive"); !strings.Contains(out, "archived") {
		t.Fatalf("archive: %q", out)
	}
	a.waitFor(t, wait, "Archived (read-only)")
	for _, c := range []struct {
		key gossh.Signer
		cmd string
	}{{ada, "say too late"}, {ada, "name Ada L"}, {ts.facilitator, "step next"}} {
		r := ts.exec(t, c.key, c.cmd)
		if r.status != 1 || !strings.Contains(r.stderr, "archived") {
			t.Errorf("%q on an archived forum: %+v", c.cmd, r)
		}
	}
	if out := ts.mustExec(t, ada, "status"); !strings.Contains(out, "step:         1/4") {
		t.Errorf("status (reading) on an archived forum: %q", out)
	}
	ts.mustExec(t, ts.facilitator, "archive --undo")
	ts.mustExec(t, ada, "say back again")
}

// Where the server is given a public address (moot serve --public-addr),
// every join line people are shown uses it: the projector, the list of
// forums, and the answer to a command that names no forum.
func TestJoinLinesUseThePublicAddress(t *testing.T) {
	demo, err := agenda.Parse(agenda.Demo)
	if err != nil {
		t.Fatal(err)
	}
	ts := startConfigured(t, func(c *server.Config) {
		c.Public = server.Address{Host: "forum.example.org", Port: 2200}
	}, demo, parseAgenda(t, riverside))
	ada := newKey(t)
	r := ts.execAs(t, "ada", gossh.PublicKeys(ada), "status")
	if r.status != 1 || !strings.Contains(r.stderr, "ssh -p 2200 riverside@forum.example.org  (Riverside planning forum)") {
		t.Fatalf("a command naming no forum: %+v", r)
	}
	pick := ts.openTerminalOn(t, "Ada", ts.dialAs(t, "ada", gossh.PublicKeys(ada)))
	pick.waitFor(t, wait, "Which forum are you joining?", "go straight to the one chosen: ssh -p 2200 demo@forum.example.org")
	pj := ts.openTerminalOn(t, "projector", ts.dialAs(t, "riverside+screen", gossh.PublicKeys(newKey(t))))
	pj.waitFor(t, wait, "To take part: ssh -p 2200 riverside@forum.example.org")
}

// A person without a key whose SSH user name names no forum (ssh sends
// their own account's name) is asked which forum, then its join code;
// every text the server sends ends its own line, as Dropbear needs, and
// carries no name line.
func TestJoinCodeWithoutAForumName(t *testing.T) {
	harbour := parseAgenda(t, "slug: harbour\ntitle: Harbour forum\njoin_code: harbour-tides-2026\nsteps:\n  - {title: Ideas, phase: dialogue}\n")
	ts := startForums(t, parseAgenda(t, riverside), harbour, parseAgenda(t, "slug: keysonly\ntitle: Keys only\nsteps:\n  - {title: Ideas, phase: dialogue}\n"))
	var texts []string
	answer := func(forum, code string) gossh.AuthMethod {
		return gossh.KeyboardInteractive(func(name, instruction string, questions []string, _ []bool) ([]string, error) {
			if name != "" || !strings.HasSuffix(instruction, "\n") {
				t.Errorf("a prompt's name %q and instruction %q: the name should be empty and the instruction end its line", name, instruction)
			}
			texts = append(texts, instruction)
			switch {
			case len(questions) == 1 && questions[0] == "Forum: ":
				return []string{forum}, nil
			case len(questions) == 1 && questions[0] == "Join code: ":
				return []string{code}, nil
			}
			return make([]string, len(questions)), nil
		})
	}
	r := ts.execAs(t, "ada", answer("Harbour", "harbour-tides-2026"), "status")
	if r.status != 0 || !strings.Contains(r.stdout, "Harbour forum (harbour)") {
		t.Fatalf("status after naming the forum at the prompt: %+v", r)
	}
	if len(texts) != 2 || !strings.Contains(texts[0], "harbour  (Harbour forum)") || !strings.Contains(texts[0], "riverside  (") ||
		strings.Contains(texts[0], "keysonly") || !strings.Contains(texts[1], "Joining Harbour forum without an SSH key") {
		t.Fatalf("the prompts: %q", texts)
	}
	// A forum that takes no code, or none at all, is refused.
	for _, forum := range []string{"keysonly", "nosuch"} {
		if _, err := dialErr(ts, "ada", answer(forum, "harbour-tides-2026")); err == nil {
			t.Errorf("naming %q at the prompt let a person in", forum)
		}
	}
	// Another forum's code does not open this one.
	if _, err := dialErr(ts, "ada", answer("riverside", "harbour-tides-2026")); err == nil {
		t.Error("harbour's code opened riverside")
	}
}
