package guard

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// serve starts an SSH server on 127.0.0.1 whose sessions go through the
// guard and answer "ok"; it returns a connected client.
func serve(t *testing.T, l Limits) *gossh.Client {
	t.Helper()
	srv := &ssh.Server{
		Handler:          func(s ssh.Session) { _, _ = io.WriteString(s, "ok") },
		PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true },
		ChannelHandlers:  map[string]ssh.ChannelHandler{"session": New(ssh.DefaultSessionHandler, l).Handle},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	c, err := gossh.Dial("tcp", ln.Addr().String(), &gossh.ClientConfig{
		User: "ada", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestAgentForwardingIsRefused(t *testing.T) {
	c := serve(t, Limits{})
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SendRequest(AgentRequest, true, nil); ok || err != nil {
		t.Fatalf("agent forwarding: accepted %v, %v", ok, err)
	}
	if out, err := s.Output(""); string(out) != "ok" {
		t.Fatalf("the session after the refusal: %q, %v", out, err)
	}
}

func TestSessionsAndEnvironmentAreBounded(t *testing.T) {
	c := serve(t, Limits{Sessions: 2, Env: 3, EnvBytes: 100})
	a, errA := c.NewSession()
	b, errB := c.NewSession()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if s, err := c.NewSession(); err == nil {
		s.Close()
		t.Fatal("a third session was opened with a bound of two")
	}
	a.Close()
	// Room again once the server has seen a close.
	var s *gossh.Session
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		if s, err = c.NewSession(); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no session opens after one closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ok := 0
	for _, v := range []string{"1", "2", "3", "4", "5"} {
		if s.Setenv("V"+v, v) == nil {
			ok++
		}
	}
	long := make([]byte, 200)
	for i := range long {
		long[i] = 'x'
	}
	if s.Setenv("LONG", string(long)) == nil {
		ok++
	}
	if ok != 3 {
		t.Fatalf("%d environment variables taken, want 3", ok)
	}
	b.Close()
}
