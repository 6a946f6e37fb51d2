package main

import (
	"bytes"
	"encoding/json"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/vt"

	"moot/store/storetest"
)

// A short run of every scenario against the real server binary, at small
// N: it checks that every participant joined, every acknowledgement came
// and every screen showed every change. Timings are reported, never
// asserted.
func TestEveryScenarioAtSmallN(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "moot")
	build := osexec.Command("go", "build", "-o", bin, "moot/cmd/moot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building moot: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "report.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"--server", bin, "--n", "6", "--idle", "200ms", "--rounds", "3", "--timeout", "60s", "--json", report}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	if rep.Join == nil || rep.Join.Joined != 6 || rep.Join.Handshake.Count != 6 {
		t.Errorf("join: %+v", rep.Join)
	}
	if rep.Idle == nil || rep.Idle.Seconds <= 0 {
		t.Errorf("idle: %+v", rep.Idle)
	}
	for name, u := range map[string]*UpdateStats{"broadcast": rep.Broadcast, "cards": rep.Cards, "votes": rep.Votes} {
		switch {
		case u == nil:
			t.Errorf("%s: not run", name)
		case u.Reached != u.Expected || u.Expected == 0:
			t.Errorf("%s: %d of %d screens reached", name, u.Reached, u.Expected)
		}
	}
	if rep.Broadcast != nil && (rep.Broadcast.Updates != 3 || rep.Broadcast.Ack.Count != 3) {
		t.Errorf("broadcast: %d updates, %d acknowledgements", rep.Broadcast.Updates, rep.Broadcast.Ack.Count)
	}
	if rep.Cards != nil && rep.Cards.Ack.Count != 6 {
		t.Errorf("cards: %d of 6 acknowledged", rep.Cards.Ack.Count)
	}
	if rep.Votes != nil && (rep.Votes.Ack.Count != 6 || !rep.Votes.TallyMatches) {
		t.Errorf("votes: %d of 6 acknowledged, tally matches: %v", rep.Votes.Ack.Count, rep.Votes.TallyMatches)
	}
	if rep.Server.PID == 0 || rep.Server.ConnectedRSSKiB == 0 {
		t.Errorf("server figures missing: %+v", rep.Server)
	}
	if !strings.Contains(stdout.String(), "broadcast") {
		t.Errorf("no table printed:\n%s", stdout.String())
	}
}

// The same in line mode (--line): every participant joined without a
// PTY, and line mode told each of them every change: the step's title,
// a sentence for each card, the ballot closed.
func TestEveryScenarioInLineModeAtSmallN(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "moot")
	build := osexec.Command("go", "build", "-o", bin, "moot/cmd/moot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building moot: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "report.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"--server", bin, "--line", "--n", "6", "--idle", "200ms", "--rounds", "3", "--timeout", "60s", "--json", report}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 || !rep.Line {
		t.Fatalf("line mode %v, errors: %v", rep.Line, rep.Errors)
	}
	if rep.Join == nil || rep.Join.Joined != 6 {
		t.Errorf("join: %+v", rep.Join)
	}
	for name, u := range map[string]*UpdateStats{"broadcast": rep.Broadcast, "cards": rep.Cards, "votes": rep.Votes} {
		switch {
		case u == nil:
			t.Errorf("%s: not run", name)
		case u.Reached != u.Expected || u.Expected == 0:
			t.Errorf("%s: %d of %d people told", name, u.Reached, u.Expected)
		}
	}
	if rep.Cards != nil && rep.Cards.Ack.Count != 6 {
		t.Errorf("cards: %d of 6 acknowledged", rep.Cards.Ack.Count)
	}
	if rep.Votes != nil && !rep.Votes.TallyMatches {
		t.Errorf("votes: the tally does not match")
	}
	if !strings.Contains(stdout.String(), "in line mode") {
		t.Errorf("the table does not say line mode:\n%s", stdout.String())
	}
}

// Two servers on one PostgreSQL database, the participants split between
// them, the second killed half way through the vote storm: every screen on
// both showed every change, every vote was acknowledged (those on the dead
// server again on the first), and the stored tally equals the
// acknowledged votes. Timings are reported, never asserted.
func TestTwoNodesAtSmallN(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dsn := storetest.Postgres(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "moot")
	build := osexec.Command("go", "build", "-o", bin, "moot/cmd/moot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building moot: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "report.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"--server", bin, "--store", dsn, "--nodes", "2", "--kill-half", "--vote-rounds", "2",
		"--n", "8", "--idle", "100ms", "--rounds", "2", "--timeout", "60s", "--json", report}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	if rep.Broadcast == nil || len(rep.Broadcast.ByNode) != 2 {
		t.Fatalf("broadcast by node: %+v", rep.Broadcast)
	}
	for _, n := range rep.Broadcast.ByNode {
		if n.Expected != 2*4 || n.Reached != n.Expected {
			t.Errorf("broadcast on node %d: %d of %d screens reached, want 8 of 8", n.Node, n.Reached, n.Expected)
		}
	}
	v := rep.Votes
	switch {
	case v == nil:
		t.Fatal("votes: not run")
	case v.Votes != 16 || !v.TallyMatches:
		t.Errorf("votes: %d of 16 acknowledged, tally matches: %v", v.Votes, v.TallyMatches)
	case v.KilledNode != 2 || v.KilledAfterAt != 8:
		t.Errorf("votes: node %d killed after %d votes, want node 2 after 8", v.KilledNode, v.KilledAfterAt)
	case v.ScreensMoved != 4 || v.Reached != v.Expected:
		t.Errorf("votes: %d screens moved, %d of %d reached the results", v.ScreensMoved, v.Reached, v.Expected)
	}
}

func TestRefusesAddressesOffThisMachine(t *testing.T) {
	for _, addr := range []string{"10.0.0.1:2222", "192.168.1.5:22", "8.8.8.8:22"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"--addr", addr, "--facilitator-key", "/nonexistent"}, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "not a loopback address") {
			t.Errorf("%s: exit %d, %q", addr, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"--server", "/nonexistent", "--store", "postgres://moot@10.0.0.1:5432/moot", "--nodes", "2"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--store") || !strings.Contains(stderr.String(), "not a loopback address") {
		t.Errorf("a database off this machine: exit %d, %q", code, stderr.String())
	}
}

// A screen's line is read as it shows: colours and the cursor's moves
// leave no trace in the text, and a wide character is read once.
func TestRowTextIsWhatTheLineShows(t *testing.T) {
	emu := vt.NewEmulator(12, 3)
	if _, err := emu.WriteString("\x1b[2;3H\x1b[1;38;5;98m界 tea\x1b[0m\x1b[K\x1b[1;1Hno"); err != nil {
		t.Fatal(err)
	}
	for y, want := range []string{"no          ", "  界 tea    ", "            "} {
		if got := string(appendRow(nil, emu, y)); got != want {
			t.Errorf("line %d reads %q, want %q", y+1, got, want)
		}
	}
}
