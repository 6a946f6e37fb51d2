package main_test

// These tests run the moot binary as a person would: built once, started
// with flags, reached over real SSH, stopped with a signal.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// wait bounds every wait in these tests.
const wait = 20 * time.Second

// binary is the moot command built for these tests.
var binary string

func TestMain(m *testing.M) {
	// The README's examples run through a shell that finds this test
	// binary as ssh and ssh-keygen (readme_test.go).
	switch filepath.Base(os.Args[0]) {
	case "ssh":
		os.Exit(sshStandIn(os.Args[1:]))
	case "ssh-keygen":
		os.Exit(sshKeygenStandIn(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "moot-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "moot")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building moot: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// process is a running `moot serve`.
type process struct {
	cmd    *exec.Cmd
	port   string
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	exited chan struct{}
	err    error // from Wait, set before exited closes
}

func (p *process) output() (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String(), p.stderr.String()
}

// lockedWriter lets the process's output be read while it is written.
type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(b)
}

// joined matches the start message's last lines, and listening the log
// line with the port listened on (the join line may show another address:
// --public-addr).
var (
	joined    = regexp.MustCompile(`(?m)^Join with:\n\n    ssh .*\n`)
	listening = regexp.MustCompile(`msg=listening addr=\S+:(\d+) `)
)

// serve starts moot with args and waits until it prints the line to join
// with. The process is killed, if still running, when the test ends.
func serve(t *testing.T, args ...string) *process {
	t.Helper()
	return serveIn(t, "", nil, args...)
}

// serveIn is serve run in the folder dir, with more environment.
func serveIn(t *testing.T, dir string, env []string, args ...string) *process {
	t.Helper()
	p := &process{exited: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{"serve"}, args...)...)
	p.cmd.Dir = dir
	p.cmd.Env = append(testEnv(t), env...)
	p.cmd.Stderr = lockedWriter{&p.mu, &p.stderr}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read stdout to its end, keeping all of it.
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			p.mu.Lock()
			p.stdout.WriteString(line)
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		<-copied // Wait closes the pipe: read everything first
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})

	deadline := time.Now().Add(wait)
	for {
		out, errOut := p.output()
		if m := listening.FindStringSubmatch(errOut); m != nil && joined.MatchString(out) {
			p.port = m[1]
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("moot serve exited (%v) before printing the join line\nstdout:\n%s\nstderr:\n%s", p.err, out, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("moot serve printed no join line within %v\nstdout:\n%s\nstderr:\n%s", wait, out, errOut)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for the process to end; it fails the test
// unless moot exits 0 after saying everything is saved.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(wait):
		t.Fatalf("moot did not stop within %v of SIGTERM", wait)
	}
	out, errOut := p.output()
	if p.err != nil {
		t.Fatalf("moot exited with %v after SIGTERM\nstdout:\n%s\nstderr:\n%s", p.err, out, errOut)
	}
	if !strings.Contains(out, "moot stopped; everything is saved.") {
		t.Fatalf("moot did not say it stopped cleanly\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
}

// testEnv is the environment for moot: no MOOT_ settings from outside, and
// a home of its own, so that the user's ~/.ssh keys play no part.
func testEnv(t *testing.T) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOOT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+t.TempDir())
}

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type result struct {
	stdout, stderr string
	status         int
	hostKey        []byte
}

// sshExec runs one command on the server at port, as `ssh host COMMAND`
// does, and returns the host key the server presented.
func sshExec(t *testing.T, port string, key gossh.Signer, command string) result {
	t.Helper()
	return sshExecAs(t, port, "demo", key, command)
}

// sshExecAs is sshExec with an SSH user name (ssh USER@host COMMAND).
func sshExecAs(t *testing.T, port, user string, key gossh.Signer, command string) result {
	t.Helper()
	var r result
	cfg := &gossh.ClientConfig{
		User: user,
		Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			r.hostKey = k.Marshal()
			return nil
		},
		Timeout: wait,
	}
	c, err := gossh.Dial("tcp", net.JoinHostPort("127.0.0.1", port), cfg)
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
	sess.Stdout, sess.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run(command) }()
	var runErr error
	select {
	case runErr = <-done:
	case <-time.After(wait):
		t.Fatalf("%q: no answer within %v", command, wait)
	}
	var exit *gossh.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit):
		r.status = exit.ExitStatus()
	default:
		t.Fatalf("%q: %v", command, runErr)
	}
	r.stdout, r.stderr = stdout.String(), stderr.String()
	return r
}

func mustExec(t *testing.T, port string, key gossh.Signer, command string) result {
	t.Helper()
	r := sshExec(t, port, key, command)
	if r.status != 0 {
		t.Fatalf("%q: exit status %d, stderr %q", command, r.status, r.stderr)
	}
	return r
}

// What the forum holds survives a stop and a start: the host key, the step
// and who registered.
func TestServeStopRestart(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	fac, ada := newKey(t), newKey(t)
	facFile := filepath.Join(t.TempDir(), "facilitators")
	keys := "# the facilitators\n" + string(gossh.MarshalAuthorizedKey(fac.PublicKey()))
	if err := os.WriteFile(facFile, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--listen", "127.0.0.1:0", "--data", data, "--facilitators", facFile}

	p := serve(t, args...)
	if out, _ := p.output(); !strings.Contains(out, "Join with:") || !strings.Contains(out, "Co-production in our town") {
		t.Errorf("start-up message:\n%s", out)
	}
	r := mustExec(t, p.port, ada, "name Ada --sector Community")
	if !strings.Contains(r.stdout, "Ada (Community)") {
		t.Errorf("name: %q", r.stdout)
	}
	firstHostKey := r.hostKey
	mustExec(t, p.port, fac, "step goto 2")
	if r := sshExec(t, p.port, ada, "step goto 3"); r.status != 1 {
		t.Errorf("a participant's step goto: status %d, want 1", r.status)
	}
	p.stop(t)
	for _, f := range []string{"moot.db", "host_ed25519"} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Errorf("data directory: %v", err)
		}
	}

	p = serve(t, args...)
	r = mustExec(t, p.port, ada, "status --json")
	if !bytes.Equal(r.hostKey, firstHostKey) {
		t.Errorf("the host key changed across a restart")
	}
	var st struct {
		Step struct {
			Index int    `json:"index"`
			Title string `json:"title"`
		} `json:"step"`
		Participants struct {
			Total int `json:"total"`
		} `json:"participants"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	if st.Step.Index != 2 || st.Step.Title != "Which barriers matter most?" {
		t.Errorf("after a restart the forum is at step %d %q, want 2 %q", st.Step.Index, st.Step.Title, "Which barriers matter most?")
	}
	if st.Participants.Total != 1 {
		t.Errorf("after a restart the forum has %d participants, want 1", st.Participants.Total)
	}
	r = mustExec(t, p.port, ada, "whoami")
	if !regexp.MustCompile(`(?m)^name:\s+Ada$`).MatchString(r.stdout) || !strings.Contains(r.stdout, "Community") {
		t.Errorf("whoami after a restart:\n%s", r.stdout)
	}
	// The facilitator is still the facilitator.
	mustExec(t, p.port, fac, "step next")
	p.stop(t)
}

// An agenda with a mistake stops moot before it serves, saying on which
// line the mistake is.
func TestServeRejectsBadAgenda(t *testing.T) {
	dir := t.TempDir()
	agendaFile := filepath.Join(dir, "agenda.yaml")
	const bad = `title: Our forum
steps:
  - title: Talk
    phase: dialogue
  - title: Decide
    phase: brainstorm
`
	if err := os.WriteFile(agendaFile, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--agenda", agendaFile)
	cmd.Env = testEnv(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("moot serve with a bad agenda: %v, want a non-zero exit\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "line 6") || !strings.Contains(stderr.String(), "brainstorm") {
		t.Errorf("stderr does not point at line 6 and the bad phase:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "Join with") {
		t.Errorf("moot offered to serve a bad agenda:\n%s", stdout.String())
	}
}

// serve --help lists its flags and exits 0.
func TestServeHelp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--help")
	cmd.Env = testEnv(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("moot serve --help: %v\n%s", err, out)
	}
	for _, flag := range []string{"-listen", "-data", "-agenda", "-facilitators"} {
		if !strings.Contains(string(out), flag) {
			t.Errorf("moot serve --help does not mention %s:\n%s", flag, out)
		}
	}
}
