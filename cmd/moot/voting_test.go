package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// A vote that was acknowledged survives the server being killed outright.
func TestVoteSurvivesSIGKILL(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	fac, ada := newKey(t), newKey(t)
	facFile := filepath.Join(t.TempDir(), "facilitators")
	if err := os.WriteFile(facFile, gossh.MarshalAuthorizedKey(fac.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--listen", "127.0.0.1:0", "--data", data, "--facilitators", facFile}
	p := serve(t, args...)
	mustExec(t, p.port, ada, "name Ada")
	mustExec(t, p.port, fac, "step goto 2")
	mustExec(t, p.port, fac, `ballot open --item Transport --item Cost --item Jargon`)
	if r := mustExec(t, p.port, ada, "vote 1 3=4 1=1"); !strings.Contains(r.stdout, "saved") {
		t.Fatalf("vote: %q", r.stdout)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(wait):
		t.Fatal("moot did not die of SIGKILL")
	}
	p = serve(t, args...)
	r := mustExec(t, p.port, ada, "myvote 1")
	if !strings.Contains(r.stdout, "you have spent 5 of 5 dots") || !strings.Contains(r.stdout, "Jargon  ●●●●") {
		t.Errorf("Ada's vote after SIGKILL and restart:\n%s", r.stdout)
	}
	p.stop(t)
}
