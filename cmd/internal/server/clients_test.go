package server_test

// Real SSH clients against the server: OpenSSH, PuTTY's plink and
// Dropbear's dbclient still connect with the algorithms offered, and
// ssh-audit finds nothing it calls a failure. Each tool is used where it is
// installed; CI (MOOT_CI=1) installs them all and fails if one is missing.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// tool is the path of a program the test needs, or a skip.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MOOT_CI") != "" {
			t.Fatalf("%s is not installed, and CI needs it (.ci/run installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

// run runs a program with a bounded wait and returns its combined output.
func run(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

// newRawKey makes an ed25519 key, as a private key to write to a file and
// as a signer.
func newRawKey(t *testing.T) (ed25519.PrivateKey, gossh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return priv, s
}

// hostKey is the key the server presents.
func (ts *testServer) hostKey(t *testing.T) gossh.PublicKey {
	t.Helper()
	var key gossh.PublicKey
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User: "demo", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))}, Timeout: wait,
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error { key = k; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	return key
}

func TestRealClientsConnect(t *testing.T) {
	ts, _ := startEdge(t, nil)
	dir := t.TempDir()
	raw, signer := newRawKey(t)
	block, err := gossh.MarshalPrivateKey(raw, "moot test")
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	ts.mustExec(t, signer, "name Ada")
	host, port, _ := strings.Cut(ts.addr, ":")
	hostKey := gossh.FingerprintSHA256(ts.hostKey(t))

	t.Run("OpenSSH", func(t *testing.T) {
		ssh := tool(t, "ssh")
		out, err := run(t, ssh, "-p", port, "-i", keyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
			"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-A",
			"demo@"+host, "whoami")
		if err != nil || !strings.Contains(out, "name:   Ada") {
			t.Fatalf("ssh whoami: %v\n%s", err, out)
		}
	})
	t.Run("PuTTY", func(t *testing.T) {
		puttygen, plink := tool(t, "puttygen"), tool(t, "plink")
		ppk := filepath.Join(dir, "id.ppk")
		if out, err := run(t, puttygen, keyPath, "-O", "private", "-o", ppk); err != nil {
			t.Fatalf("puttygen: %v\n%s", err, out)
		}
		out, err := run(t, plink, "-batch", "-hostkey", hostKey, "-P", port, "-i", ppk, "demo@"+host, "whoami")
		if err != nil || !strings.Contains(out, "name:   Ada") {
			t.Fatalf("plink whoami: %v\n%s", err, out)
		}
	})
	t.Run("Dropbear", func(t *testing.T) {
		convert, dbclient := tool(t, "dropbearconvert"), tool(t, "dbclient")
		dbKey := filepath.Join(dir, "id.dropbear")
		if out, err := run(t, convert, "openssh", "dropbear", keyPath, dbKey); err != nil {
			t.Fatalf("dropbearconvert: %v\n%s", err, out)
		}
		out, err := run(t, dbclient, "-y", "-i", dbKey, "-p", port, "demo@"+host, "whoami")
		if err != nil || !strings.Contains(out, "name:   Ada") {
			t.Fatalf("dbclient whoami: %v\n%s", err, out)
		}
	})
}

// ssh-audit finds no algorithm it fails.
func TestSSHAuditFindsNoFailure(t *testing.T) {
	audit := tool(t, "ssh-audit")
	ts, _ := startEdge(t, nil)
	host, port, _ := strings.Cut(ts.addr, ":")
	out, _ := run(t, audit, "-n", "-p", port, host) // exits non-zero on warnings too
	if !strings.Contains(out, "(kex) curve25519-sha256") {
		t.Fatalf("ssh-audit did not audit the server:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "[fail]") {
			t.Errorf("ssh-audit: %s", strings.TrimSpace(line))
		}
	}
	if t.Failed() {
		t.Logf("ssh-audit's report:\n%s", out)
	}
}
