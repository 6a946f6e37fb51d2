package main_test

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// sshExecIn runs one command as user with stdin, as `ssh user@host COMMAND
// < FILE` does.
func sshExecIn(t *testing.T, port, user string, key gossh.Signer, command, stdin string) result {
	t.Helper()
	c, err := gossh.Dial("tcp", net.JoinHostPort("127.0.0.1", port), &gossh.ClientConfig{
		User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: wait,
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = strings.NewReader(stdin), &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run(command) }()
	var runErr error
	select {
	case runErr = <-done:
	case <-time.After(wait):
		t.Fatalf("%q: no answer within %v", command, wait)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *gossh.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit):
		r.status = exit.ExitStatus()
	default:
		t.Fatalf("%q: %v", command, runErr)
	}
	return r
}

// A forum an admin adds to the running server is served again after a
// restart, with who took part and its step, and with the facilitators of
// --facilitators; an agenda given at start with the same slug wins over
// it; once archived it is no longer served.
func TestAddedForumSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	admin, fac, ada := newKey(t), newKey(t), newKey(t)
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	admins := write("admins", string(gossh.MarshalAuthorizedKey(admin.PublicKey())))
	facs := write("facilitators", string(gossh.MarshalAuthorizedKey(fac.PublicKey())))
	args := []string{"--listen", "127.0.0.1:0", "--data", data, "--admins", admins, "--facilitators", facs}
	const harbour = "slug: harbour\ntitle: Harbour forum\nsteps:\n  - {title: \"What matters at the harbour?\", phase: dialogue}\n  - {title: Priorities, phase: voting}\n"

	p := serve(t, args...)
	r := sshExecIn(t, p.port, "demo", admin, "forum add", harbour)
	if r.status != 0 || !strings.Contains(r.stdout, `added forum "Harbour forum" (harbour)`) || !strings.Contains(r.stdout, "1 facilitator;") {
		t.Fatalf("forum add: %+v", r)
	}
	if r := sshExecAs(t, p.port, "harbour", ada, "name Ada"); r.status != 0 {
		t.Fatalf("name in the added forum: %+v", r)
	}
	if r := sshExecAs(t, p.port, "harbour", fac, "step next"); r.status != 0 {
		t.Fatalf("the --facilitators key steps the added forum: %+v", r)
	}
	p.stop(t)

	p = serve(t, args...)
	if out, _ := p.output(); !strings.Contains(out, "serving 2 forums") || !strings.Contains(out, "harbour@127.0.0.1") {
		t.Errorf("start-up message after a restart:\n%s", out)
	}
	r = sshExecAs(t, p.port, "harbour", ada, "status")
	if r.status != 0 || !strings.Contains(r.stdout, "Harbour forum (harbour)") || !strings.Contains(r.stdout, "1/2 What matters at the harbour?") || !strings.Contains(r.stdout, "1 in all") {
		t.Fatalf("the added forum after a restart: %+v", r)
	}
	if r := sshExecIn(t, p.port, "harbour", admin, "forum add", harbour); r.status != 1 || !strings.Contains(r.stderr, "served here already") {
		t.Fatalf("adding it again after a restart: %+v", r)
	}
	p.stop(t)

	// An agenda file with the slug wins, for as long as it is given.
	file := write("harbour.yaml", strings.Replace(harbour, "title: Harbour forum", "title: Harbour forum, revised", 1))
	p = serve(t, append(args, "--agenda", file)...)
	r = sshExecAs(t, p.port, "harbour", ada, "status")
	if r.status != 0 || !strings.Contains(r.stdout, "Harbour forum, revised") {
		t.Fatalf("the agenda file with the added forum's slug: %+v", r)
	}
	p.stop(t)

	// Archived, it stays in the data but is not served at the next start.
	p = serve(t, args...)
	if r := sshExecAs(t, p.port, "harbour", fac, "archive"); r.status != 0 {
		t.Fatalf("archive: %+v", r)
	}
	p.stop(t)
	p = serve(t, args...)
	if r := sshExecAs(t, p.port, "harbour", ada, "status"); r.status != 0 || strings.Contains(r.stdout, "Harbour") {
		t.Fatalf("an archived added forum is served again: %+v", r)
	}
	if r := sshExecIn(t, p.port, "demo", admin, "forum add", harbour); r.status != 1 || !strings.Contains(r.stderr, "harbour") {
		t.Fatalf("adding over an archived forum: %+v", r)
	}
	p.stop(t)
}
