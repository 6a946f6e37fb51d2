package main_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The HAProxy example in the README, in front of two servers on one
// PostgreSQL database: people reach the forum through it under one host
// key, and when a node is killed the load balancer sends them to the
// other, where everything acknowledged is.
func TestHAProxyExampleInTheREADME(t *testing.T) {
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		t.Skip("haproxy not installed (apt-get install haproxy); .ci/run installs it")
	}
	fac, ada := newKey(t), newKey(t)
	a, b, _ := twoNodes(t, fac)

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```haproxy\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("no haproxy example in the README")
	}
	front := freePort(t)
	cfg := string(m[1])
	for old, new := range map[string]string{
		"bind :2222":     "bind 127.0.0.1:" + front,
		"127.0.0.1:2201": "127.0.0.1:" + a.port,
		"127.0.0.1:2202": "127.0.0.1:" + b.port,
	} {
		if !strings.Contains(cfg, old) {
			t.Fatalf("the README's haproxy example has no %q:\n%s", old, cfg)
		}
		cfg = strings.ReplaceAll(cfg, old, new)
	}
	file := filepath.Join(t.TempDir(), "moot.cfg")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lb := exec.CommandContext(ctx, haproxy, "-f", file, "-db")
	var lbOut bytes.Buffer
	lb.Stdout, lb.Stderr = &lbOut, &lbOut
	if err := lb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = lb.Wait() }()

	// Through the load balancer, as people would.
	first := retryExec(t, front, ada, "name Ada")
	retryExec(t, front, fac, "step goto 2")
	r := retryExec(t, front, fac, "ballot open --item Transport --item Cost")
	if !strings.Contains(r.stdout, "ballot #1 open") {
		t.Fatalf("ballot open: %q", r.stdout)
	}
	r = retryExec(t, front, ada, "vote 1 1=3 2=2")
	if !bytes.Equal(r.hostKey, first.hostKey) {
		t.Error("two connections through the load balancer met two host keys")
	}

	// One node dies; the load balancer finds out and sends everyone to the
	// other.
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		r = retryExec(t, front, ada, "myvote 1")
		if !strings.Contains(r.stdout, "you have spent 5 of 5 dots") {
			t.Errorf("Ada's vote through the load balancer after a node died:\n%s", r.stdout)
		}
	}
	if !bytes.Equal(r.hostKey, first.hostKey) {
		t.Error("the node left presents another host key")
	}
	b.stop(t)
}

// retryExec runs a command through the load balancer, trying again while
// it sends the connection to a node that is gone or not up yet, within
// wait.
func retryExec(t *testing.T, port string, key gossh.Signer, command string) result {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		r, err := tryExecResult(port, key, command)
		if err == nil && r.status == 0 {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q through the load balancer: %v %q", command, err, r.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
