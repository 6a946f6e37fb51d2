package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/store/storetest"
)

// tryExec runs one command as sshExec does, but reports a server that is
// gone as an error instead of failing the test: a person whose server died
// sees their command fail, and tries again.
func tryExec(port string, key gossh.Signer, command string) (string, error) {
	r, err := tryExecResult(port, key, command)
	if err == nil && r.status != 0 {
		err = fmt.Errorf("%q: exit status %d: %s", command, r.status, r.stderr)
	}
	return r.stdout, err
}

// tryExecResult is tryExec with the whole result: an error only when the
// command could not be run to its end.
func tryExecResult(port string, key gossh.Signer, command string) (result, error) {
	var r result
	c, err := gossh.Dial("tcp", net.JoinHostPort("127.0.0.1", port), &gossh.ClientConfig{
		User: "demo", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			r.hostKey = k.Marshal()
			return nil
		},
		Timeout: wait,
	})
	if err != nil {
		return r, err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return r, err
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run(command) }()
	select {
	case err = <-done:
	case <-time.After(wait):
		return r, fmt.Errorf("%q: no answer within %v", command, wait)
	}
	r.stdout, r.stderr = stdout.String(), stderr.String()
	var exit *gossh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.status = exit.ExitStatus()
	default:
		return r, fmt.Errorf("%q: %v", command, err)
	}
	return r, nil
}

// twoNodes starts two moot servers on one PostgreSQL database, as two
// nodes behind a load balancer, with fac as facilitator.
func twoNodes(t *testing.T, fac gossh.Signer, more ...string) (a, b *process, dsn string) {
	t.Helper()
	dsn = storetest.Postgres(t)
	facFile := filepath.Join(t.TempDir(), "facilitators")
	if err := os.WriteFile(facFile, gossh.MarshalAuthorizedKey(fac.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--listen", "127.0.0.1:0", "--store", dsn, "--facilitators", facFile}, more...)
	a = serve(t, append(args, "--data", filepath.Join(t.TempDir(), "a"))...)
	b = serve(t, append(args, "--data", filepath.Join(t.TempDir(), "b"))...)
	return a, b, dsn
}

// Two servers on one PostgreSQL database serve one forum under one host
// key: a change made on one is on the other.
func TestTwoServersServeOneForum(t *testing.T) {
	fac, ada := newKey(t), newKey(t)
	a, b, dsn := twoNodes(t, fac)
	if out, _ := a.output(); !strings.Contains(out, "data in postgres://") {
		t.Errorf("the start message does not say where the data is:\n%s", out)
	}
	ra := mustExec(t, a.port, ada, "name Ada --sector Community")
	rb := mustExec(t, b.port, fac, "step goto 2")
	if !bytes.Equal(ra.hostKey, rb.hostKey) {
		t.Error("the two servers present different host keys")
	}
	// B decided the step move on a state that has Ada, registered on A.
	r := mustExec(t, b.port, fac, "participants")
	if !strings.Contains(r.stdout, "Ada") {
		t.Errorf("participants on B does not list Ada, who joined on A:\n%s", r.stdout)
	}
	waitStatus(t, a.port, ada, func(s status) bool { return s.Step.Index == 2 }, "step 2 on A after it moved on B")
	a.stop(t)
	b.stop(t)

	// The report and the check of the log read the database too.
	stdout, stderr, code := moot(t, t.TempDir(), "export", "--store", dsn, "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"current_step": 2`) {
		t.Errorf("moot export --store: exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = moot(t, t.TempDir(), "rebuild", "--store", dsn)
	if code != 0 || !strings.Contains(stdout, "demo: 2 events replayed") || !strings.Contains(stdout, "no tables to rebuild") {
		t.Errorf("moot rebuild --store: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

type status struct {
	Step struct {
		Index int `json:"index"`
	} `json:"step"`
	Participants struct {
		Total int `json:"total"`
	} `json:"participants"`
}

// waitStatus asks for status --json until it satisfies want, within wait.
func waitStatus(t *testing.T, port string, key gossh.Signer, want func(status) bool, what string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		var s status
		r := mustExec(t, port, key, "status --json")
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
			t.Fatalf("status --json: %v\n%s", err, r.stdout)
		}
		if want(s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v: %s", what, wait, r.stdout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A server is killed outright in the middle of a vote storm on two
// servers. Everyone reconnects to the server left (a person whose command
// failed votes again) and finds every vote they were told was saved; the
// forum goes on, and the results count exactly the acknowledged votes.
func TestAServerDiesInAVoteStorm(t *testing.T) {
	fac := newKey(t)
	a, b, _ := twoNodes(t, fac)
	const voters = 24
	keys := make([]gossh.Signer, voters)
	for i := range keys {
		keys[i] = newKey(t)
		node := []*process{a, b}[i%2]
		mustExec(t, node.port, keys[i], fmt.Sprintf("name Voter %d", i))
	}
	mustExec(t, a.port, fac, "step goto 2")
	mustExec(t, a.port, fac, "ballot open --item One --item Two --item Three --dots 5")

	type vote struct{ a, b int }
	var mu sync.Mutex
	acked := map[int]vote{} // voter to the last allocation acknowledged
	var failedOnA []int
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for i := 0; i < voters; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			node := []*process{a, b}[i%2]
			v := vote{1 + i%3, 1 + (i+1)%3}
			_, err := tryExec(node.port, keys[i], fmt.Sprintf("vote 1 %d=3 %d=2", v.a, v.b))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				acked[i] = v
				if len(acked) == voters/2 {
					// Half the votes are in: kill A outright.
					once.Do(func() {
						_ = a.cmd.Process.Kill()
						close(killed)
					})
				}
			case node == a:
				failedOnA = append(failedOnA, i)
			default:
				t.Errorf("voter %d on B: %v", i, err)
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the storm ended before half the votes were in")
	}
	select {
	case <-a.exited:
	case <-time.After(wait):
		t.Fatal("A did not die of SIGKILL")
	}

	// Those who voted on A before it died find their vote on B; those
	// whose vote failed vote again there.
	for i, v := range acked {
		out := mustExec(t, b.port, keys[i], "myvote 1 --json").stdout
		var mine struct {
			Spent int `json:"spent"`
			Items []struct {
				ID   int `json:"id"`
				Dots int `json:"dots"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(out), &mine); err != nil {
			t.Fatalf("myvote --json: %v\n%s", err, out)
		}
		got := map[int]int{}
		for _, it := range mine.Items {
			got[it.ID] = it.Dots
		}
		if mine.Spent != 5 || got[v.a] != 3 || got[v.b] != 2 {
			t.Errorf("voter %d was told %d=3 %d=2 was saved; B has %s", i, v.a, v.b, out)
		}
	}
	t.Logf("%d votes acknowledged before and while A died; %d failed on A and are cast again on B", len(acked), len(failedOnA))
	for _, i := range failedOnA {
		v := vote{1 + i%3, 1 + (i+1)%3}
		mustExec(t, b.port, keys[i], fmt.Sprintf("vote 1 %d=3 %d=2", v.a, v.b))
		acked[i] = v
	}
	if len(acked) != voters {
		t.Fatalf("%d of %d votes acknowledged in the end", len(acked), voters)
	}
	want := map[int]int{}
	for _, v := range acked {
		want[v.a] += 3
		want[v.b] += 2
	}
	mustExec(t, b.port, fac, "ballot close 1")
	out := mustExec(t, b.port, fac, "results 1 --json").stdout
	var res struct {
		Voters int `json:"voters"`
		Items  []struct {
			ID   int `json:"id"`
			Dots int `json:"dots"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("results --json: %v\n%s", err, out)
	}
	if res.Voters != voters {
		t.Errorf("%d voters in the results, want %d", res.Voters, voters)
	}
	for _, it := range res.Items {
		if it.Dots != want[it.ID] {
			t.Errorf("item %d has %d dots, the acknowledged votes give it %d", it.ID, it.Dots, want[it.ID])
		}
	}
	b.stop(t)
}

// A forum an admin adds on one server is served by the other at once, with
// the facilitators of --facilitators, and holds the same forum on both.
func TestAForumAddedOnOneServerIsServedByTheOther(t *testing.T) {
	admin, fac, ada := newKey(t), newKey(t), newKey(t)
	admins := filepath.Join(t.TempDir(), "admins")
	if err := os.WriteFile(admins, gossh.MarshalAuthorizedKey(admin.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	a, b, _ := twoNodes(t, fac, "--admins", admins)
	const harbour = "slug: harbour\ntitle: Harbour forum\nsteps:\n  - {title: Ideas, phase: dialogue}\n  - {title: Priorities, phase: voting}\n"
	if r := sshExecIn(t, a.port, "demo", admin, "forum add", harbour); r.status != 0 {
		t.Fatalf("forum add on A: %+v", r)
	}
	deadline := time.Now().Add(wait)
	for {
		r := sshExecAs(t, b.port, "demo", ada, "forums")
		if strings.Contains(r.stdout, "harbour") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B does not serve the forum added on A within %v:\n%s", wait, r.stdout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := sshExecAs(t, b.port, "harbour", fac, "step next"); r.status != 0 {
		t.Fatalf("the --facilitators key steps the forum on B: %+v", r)
	}
	if r := sshExecAs(t, a.port, "harbour", ada, "status"); r.status != 0 || !strings.Contains(r.stdout, "1/2 Ideas") {
		t.Errorf("the forum on A after a step on B: %+v", r)
	}
	if r := sshExecIn(t, b.port, "demo", admin, "forum add", harbour); r.status != 1 || !strings.Contains(r.stderr, "harbour") {
		t.Errorf("adding it again on B: %+v", r)
	}
	a.stop(t)
	b.stop(t)
}

// An address that is not a PostgreSQL URL is refused before anything is
// served, and so is a database that cannot be reached, saying where.
func TestServeRefusesABadStore(t *testing.T) {
	for _, c := range []struct{ store, want string }{
		{"mysql://x@localhost/moot", "give a postgres:// URL"},
		{"postgres://moot:secret@127.0.0.1:1/moot?connect_timeout=5", "cannot reach PostgreSQL at 127.0.0.1:1/moot"},
	} {
		stdout, stderr, code := moot(t, t.TempDir(), "serve", "--listen", "127.0.0.1:0", "--store", c.store)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Contains(stdout, "Join with") {
			t.Errorf("--store %s: exit %d, stderr %q", c.store, code, stderr)
		}
		if strings.Contains(stderr, "secret") {
			t.Errorf("--store %s: the password is in the message: %q", c.store, stderr)
		}
	}
}
