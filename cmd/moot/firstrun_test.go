package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// On a machine with no SSH key of its own (an empty HOME), the demo makes
// a facilitator key in its data folder and prints the command that steers
// with it; that command steers the demo, and keeps doing so after a
// restart.
func TestDemoCanBeSteeredByWhoeverStartedIt(t *testing.T) {
	data := filepath.Join(t.TempDir(), "moot-data")
	p := serve(t, "--listen", "127.0.0.1:0", "--data", data)
	out, _ := p.output()
	steer := regexp.MustCompile(`(?m)^    (ssh -i (\S+) -o IdentitiesOnly=yes -p (\d+) 127\.0\.0\.1)$`).FindStringSubmatch(out)
	if steer == nil {
		t.Fatalf("no command to steer the demo with in:\n%s", out)
	}
	line, keyFile, port := steer[1], steer[2], steer[3]
	if port != p.port {
		t.Fatalf("the steering command names port %s, the server listens on %s", port, p.port)
	}
	if info, err := os.Stat(keyFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the key %s: %v (ssh refuses a private key others can read)", keyFile, err)
	}
	key := readKey(t, keyFile)
	if r := sshExec(t, p.port, key, "step next"); r.status != 0 {
		t.Fatalf("step next with the printed key: status %d, %s", r.status, r.stderr)
	}
	if out := mustExec(t, p.port, key, "whoami").stdout; !strings.Contains(out, "facilitator") {
		t.Fatalf("whoami with the printed key: %q", out)
	}
	// Anyone else's key is a participant.
	if r := sshExec(t, p.port, newKey(t), "step next"); r.status == 0 {
		t.Fatal("another key steered the demo")
	}
	// With OpenSSH, the printed line itself, as a newcomer types it.
	if ssh, err := exec.LookPath("ssh"); err == nil {
		args := strings.Fields(line)[1:]
		args = append([]string{"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"}, args...)
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		cmd := exec.CommandContext(ctx, ssh, append(args, "step", "next")...)
		cmd.Env = testEnv(t)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s step next: %v\n%s", line, err, b)
		}
		if out := mustExec(t, p.port, key, "status").stdout; !strings.Contains(out, "step:         2/4") {
			t.Fatalf("after the printed command's step next: %q", out)
		}
	}

	// A restart keeps the same key, and says the same.
	p.stop(t)
	p = serve(t, "--listen", "127.0.0.1:"+p.port, "--data", data)
	if out, _ := p.output(); !strings.Contains(out, line) {
		t.Fatalf("after a restart the steering command changed:\n%s", out)
	}
	mustExec(t, p.port, key, "step prev")
}

func readKey(t *testing.T, file string) gossh.Signer {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Every join line shows the address people type: --public-addr, else the
// address listened on.
func TestJoinLinesShowThePublicAddress(t *testing.T) {
	p := serve(t, "--listen", "127.0.0.1:0", "--data", t.TempDir(), "--public-addr", "forum.example.org:2200")
	out, _ := p.output()
	_ = out
	// The printed line is the public one.
	if !strings.Contains(out, "    ssh -p 2200 forum.example.org\n") {
		t.Fatalf("the start message does not show the public address:\n%s", out)
	}
}

// moot invite prints an invitation with the real join line, the join code,
// how to make a key and the steps; read from the data folder of a server
// that has served the forum, it names the host key the server presents.
func TestInviteIsReadyToSend(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := moot(t, dir, "init", "agenda.yaml"); code != 0 {
		t.Fatalf("moot init: %s", errOut)
	}
	out, errOut, code := moot(t, dir, "invite", "--agenda", "agenda.yaml", "--public-addr", "forum.example.org:2222")
	if code != 0 {
		t.Fatalf("moot invite --agenda: %d %s", code, errOut)
	}
	for _, want := range []string{
		"You are invited to take part in Riverside community planning forum",
		"    ssh -p 2222 riverside@forum.example.org\n",
		"    ssh-keygen -t ed25519\n",
		"type river-k7mq-x3pa-9fhe",
		"1. What gets in the way?",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the invitation lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 80 {
			t.Errorf("a line too long for an e-mail: %q", l)
		}
	}

	data := filepath.Join(dir, "data")
	p := serve(t, "--listen", "127.0.0.1:0", "--data", data)
	r := mustExec(t, p.port, newKey(t), "status")
	hostKey, err := gossh.ParsePublicKey(r.hostKey)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code = moot(t, dir, "invite", "--data", data, "--listen", "127.0.0.1:"+p.port)
	if code != 0 {
		t.Fatalf("moot invite --data: %d %s", code, errOut)
	}
	if !strings.Contains(out, "    ssh -p "+p.port+" demo@127.0.0.1\n") || !strings.Contains(out, gossh.FingerprintSHA256(hostKey)) {
		t.Errorf("the invitation from the data folder lacks the join line or the host key %s:\n%s", gossh.FingerprintSHA256(hostKey), out)
	}
	if strings.Contains(out, "join code") {
		t.Errorf("the demo has no join code, but the invitation speaks of one:\n%s", out)
	}

	_, errOut, code = moot(t, dir, "invite", "--data", data, "nosuch")
	if code == 0 || !strings.Contains(errOut, `no forum "nosuch"`) || !strings.Contains(errOut, "demo") {
		t.Errorf("an unknown forum: %d %q", code, errOut)
	}
	_, errOut, code = moot(t, dir, "invite", "--agenda", "agenda.yaml", "--public-addr", "forum.example.org:99999")
	if code != 2 || !strings.Contains(errOut, "port") {
		t.Errorf("a bad public address: %d %q", code, errOut)
	}
}
