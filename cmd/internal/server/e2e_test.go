package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"moot/session"
	"moot/session/command"
)

const (
	step1 = "What gets in the way?"
	step2 = "Which barriers matter most?"
	step3 = "What can we all support?"
	title = "Co-production in our town"
)

// A facilitator steers two participants' screens from the keyboard: one
// participant names themselves through the screen, the other by command;
// the facilitator's n key and : command line move both screens, and the
// facilitator's panel lists who is there.
func TestFacilitatorSteersParticipantScreens(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ts.facilitator, `name Fran --sector "Local government"`)
	if out := ts.mustExec(t, ada, "name Ada --sector Community"); !strings.Contains(out, "Ada (Community)") {
		t.Fatalf("name: got %q", out)
	}

	fac := ts.openTerminal(t, "facilitator", ts.facilitator)
	fac.waitFor(t, wait, title, "Lobby", "you are Fran [facilitator] (Local government)")

	// Ada is known already: straight to the lobby.
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, title, "Lobby", "you are Ada (Community)")

	// Grace is new: the screen asks for a name, then a sector.
	g := ts.openTerminal(t, "Grace", newKey(t))
	g.waitFor(t, wait, "What name should others see?")
	g.typ(t, "Grace")
	g.waitFor(t, wait, "> Grace")
	g.typ(t, "\r")
	g.waitFor(t, wait, "Which sector are you part of?", "› Prefer not to say")
	g.typ(t, "\x1b[B") // Down wraps round to the first sector
	g.waitFor(t, wait, "› Local government")
	g.typ(t, "\x1b[B")
	g.waitFor(t, wait, "› Public body")
	g.typ(t, "\r")
	g.waitFor(t, wait, title, "Lobby", "3 connected · you are Grace (Public body)")

	// The facilitator's panel lists everyone, connected.
	fac.waitFor(t, wait, "People 3/3", "● Ada", "● Fran", "● Grace")

	// n moves everyone to step 1.
	fac.typ(t, "n")
	for _, tm := range []*terminal{fac, a, g} {
		tm.waitFor(t, wait, "Step 1/4 · Dialogue", step1)
	}
	if got := ts.hub.Snapshot().Step; got != 1 {
		t.Fatalf("after n the hub is at step %d, want 1", got)
	}

	// t starts the step's 20-minute timebox on every screen.
	fac.typ(t, "t")
	countdown := regexp.MustCompile(`(20:00|19:[0-5]\d) left`)
	for _, tm := range []*terminal{fac, a, g} {
		tm.waitUntil(t, wait, "show the countdown", countdown.MatchString)
	}

	// The command line: open it, type, run.
	fac.typ(t, ":")
	fac.waitFor(t, wait, ": a command, e.g. help")
	fac.typ(t, "step goto 3")
	fac.waitFor(t, wait, ": step goto 3")
	fac.typ(t, "\r")
	for _, tm := range []*terminal{fac, a, g} {
		tm.waitFor(t, wait, "Step 3/4 · Deliberation", step3)
	}
	// The command's answer shows on the facilitator's screen only.
	fac.waitFor(t, wait, "step 3/4: "+step3)
	if s := a.screen(); strings.Contains(s, "step 3/4: ") {
		t.Errorf("a participant's screen shows the facilitator's command output:\n%s", frame(s))
	}
	if got := ts.hub.Snapshot().Step; got != 3 {
		t.Fatalf("after step goto 3 the hub is at step %d, want 3", got)
	}

	// Every screen keeps its boxes whole at 80 columns, the facilitator's
	// narrower main column included.
	for _, tm := range []*terminal{fac, a, g} {
		assertBoxesWhole(t, tm)
	}
}

// assertBoxesWhole fails if a rounded box on the screen has its top border
// broken across lines (a box wider than the room it was given wraps).
func assertBoxesWhole(t *testing.T, tm *terminal) {
	t.Helper()
	s := tm.screen()
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "╭") != strings.Contains(line, "╮") {
			t.Errorf("%s's screen has a box broken across lines:\n%s", tm.name, frame(s))
			return
		}
	}
}

// A participant can run no facilitator command, by exec or from the screen,
// and a refused command changes nothing.
func TestParticipantCannotSteer(t *testing.T) {
	ts := startServer(t)
	p := newKey(t)
	ts.mustExec(t, p, "name Pat --sector Community")
	ts.mustExec(t, ts.facilitator, "step goto 2")

	for _, cmd := range []string{"step next", "step goto 4", "timer start", "participants"} {
		r := ts.exec(t, p, cmd)
		if r.status != 1 {
			t.Errorf("participant's %q: exit status %d, want 1 (stdout %q, stderr %q)", cmd, r.status, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "facilitator") {
			t.Errorf("participant's %q: stderr %q does not say it takes a facilitator", cmd, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("participant's %q: stdout %q, want nothing", cmd, r.stdout)
		}
	}
	snap := ts.hub.Snapshot()
	if snap.Step != 2 || snap.Timer.Running() {
		t.Fatalf("after refused commands: step %d, timer running %v; want step 2, no timer", snap.Step, snap.Timer.Running())
	}

	// status --json is open to everyone and tells the step.
	var st command.Status
	out := ts.mustExec(t, p, "status --json")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, out)
	}
	if st.Step.Index != 2 || st.Step.Count != 4 || st.Step.Title != step2 || st.Stage != "running" {
		t.Errorf("status --json: step %+v, stage %q; want index 2 of 4, %q, running", st.Step, st.Stage, step2)
	}
	if st.Forum.Title != title || st.Participants.Total != 1 {
		t.Errorf("status --json: forum %+v, participants %+v", st.Forum, st.Participants)
	}

	// On the screen, n is no key for a participant, and the command line
	// refuses the facilitator's commands.
	tm := ts.openTerminal(t, "Pat", p)
	tm.waitFor(t, wait, "Step 2/4 · Voting", step2, "you are Pat (Community)")
	tm.typ(t, "n")
	tm.typ(t, "?") // a key that shows something, typed after n
	tm.waitFor(t, wait, "Keys", "leave (asks first; your place is kept")
	tm.typ(t, "?")
	tm.waitFor(t, wait, step2)
	tm.typ(t, ":")
	tm.waitFor(t, wait, ": a command, e.g. help")
	tm.typ(t, "step next")
	tm.waitFor(t, wait, ": step next")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "only a facilitator can do that")
	tm.waitFor(t, wait, "Step 2/4 · Voting", step2)
	if got := ts.hub.Snapshot().Step; got != 2 {
		t.Fatalf("after a participant's n and :step next the hub is at step %d, want 2", got)
	}
	if s := tm.screen(); strings.Contains(s, "Step 3/4") {
		t.Fatalf("the participant's screen moved on:\n%s", frame(s))
	}
}

// A client that stops reading its screen altogether holds up nobody: the
// facilitator's commands keep being answered and other screens keep
// following. When that client finally goes, its screen is freed.
func TestSlowReaderDelaysNobody(t *testing.T) {
	ts := startServer(t)
	ada, cal := newKey(t), newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, cal, "name Cal")
	// A step full of long cards, so that each repaint of Cal's large
	// screen is large: the Painter sends no blank line and no plain space.
	ts.mustExec(t, ts.facilitator, "step next")
	long := strings.Repeat("The last bus leaves before the evening meetings end. ", 7)
	for i := range 60 {
		id := "SHA256:card" + itoa(int64(i))
		if err := ts.hub.Do(context.Background(), id, session.Register{Name: "Card writer " + itoa(int64(i))}); err != nil {
			t.Fatal(err)
		}
		if err := ts.hub.Do(context.Background(), id, session.AddCard{Text: itoa(int64(i)) + " " + long}); err != nil {
			t.Fatal(err)
		}
	}

	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, step1, "you are Ada")

	// Cal's screen is large and Cal never reads it, so the SSH channel's
	// window (2 MiB in x/crypto/ssh) fills and the server's writes to it
	// block.
	cc := ts.dial(t, cal)
	cs, err := cc.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	const calWidth, calHeight = 400, 150
	if err := cs.RequestPty("xterm-256color", calHeight, calWidth, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	if err := cs.Shell(); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, "both screens open", func() bool { return ts.srv.Screens() == 2 },
		func() string { return "screens: " + itoa(ts.srv.Screens()) })

	// Each resize makes the program repaint the whole large screen (some
	// 25 KB), so a hundred or so fill the window. Wait until the server's
	// writer for that screen is stuck waiting for window space, as seen in
	// this process's goroutines. (The pause only paces the resizes.)
	resizes := 0
	deadline := time.Now().Add(wait)
	for !rendererBlocked() {
		if time.Now().After(deadline) {
			t.Fatalf("the unread screen's writer never blocked after %d resizes; goroutines:\n%s", resizes, allStacks())
		}
		if err := cs.WindowChange(calHeight-resizes%2, calWidth-resizes%2); err != nil {
			t.Fatalf("window change: %v", err)
		}
		resizes++
		time.Sleep(20 * time.Millisecond)
	}
	// Cal goes on resizing the terminal it does not read: more window
	// changes than any buffer on the way holds.
	for i := range 40 {
		if err := cs.WindowChange(calHeight-i%2, calWidth-i%2); err != nil {
			t.Fatalf("window change: %v", err)
		}
	}

	// With Cal's screen stuck, 60 moves are each answered promptly, and
	// Ada's screen follows to the end.
	fc := ts.dial(t, ts.facilitator)
	moves := 0
	move := func(cmd string) {
		t.Helper()
		r, err := runExec(fc, cmd, wait)
		if err != nil {
			t.Fatalf("facilitator's %q (move %d): %v", cmd, moves, err)
		}
		if r.status != 0 {
			t.Fatalf("facilitator's %q (move %d): status %d, stderr %q", cmd, moves, r.status, r.stderr)
		}
		moves++
	}
	for i := range 60 {
		if i%2 == 0 {
			move("step next")
		} else {
			move("step prev")
		}
	}
	move("step goto 2")
	a.waitFor(t, wait, "Step 2/4 · Voting", step2)
	if !rendererBlocked() {
		t.Fatalf("the unread screen's writer is no longer blocked, so the test proved nothing")
	}
	if got := ts.hub.Snapshot().Step; got != 2 {
		t.Fatalf("hub at step %d, want 2", got)
	}
	// Cal still counts as connected, and a new screen opens normally.
	if n := ts.hub.Snapshot().Connected; n != 2 {
		t.Errorf("connected: %d, want 2 (Ada and Cal)", n)
	}
	f := ts.openTerminal(t, "facilitator", ts.facilitator)
	f.waitFor(t, wait, "Step 2/4 · Voting", step2, "3 connected")

	// Cal's connection drops: the stuck screen ends and Cal leaves the
	// room, without a shutdown to force it.
	cc.Close()
	eventually(t, wait, "the unread screen closes once its client has gone",
		func() bool { return ts.srv.Screens() == 2 },
		func() string { return "screens: " + itoa(ts.srv.Screens()) + "\n" + allStacks() })
	f.waitFor(t, wait, "2 connected")
	if n := ts.hub.Snapshot().Connected; n != 2 {
		t.Errorf("connected: %d, want 2 (Ada and Fran)", n)
	}
}

// rendererBlocked tells whether some goroutine of this process is a
// screen's Painter writing to an SSH channel whose window is full.
func rendererBlocked() bool {
	for _, g := range strings.Split(allStacks(), "\n\n") {
		if strings.Contains(g, "golang.org/x/crypto/ssh.(*window).reserve") && strings.Contains(g, "moot/tui.(*Painter).paint") {
			return true
		}
	}
	return false
}

func allStacks() string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// Closing a session while keeping its connection (as OpenSSH's
// ControlMaster does) ends that session's program and frees what it held.
func TestSessionClosedOnOpenConnection(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.mustExec(t, key, "name Ada")
	c := ts.dial(t, key)
	// A first session starts what the connection keeps while it is open
	// (its keepalives), so that the baseline holds it.
	if _, err := runExec(c, "whoami", wait); err != nil {
		t.Fatal(err)
	}

	// Settle, then count goroutines with the connection open but no
	// session on it.
	baseline := settledGoroutines()

	for round := range 3 {
		tm := ts.openTerminalOn(t, "Ada", c)
		tm.waitFor(t, wait, "Lobby", "you are Ada")
		if n := ts.srv.Screens(); n != 1 {
			t.Fatalf("round %d: %d screens open, want 1", round, n)
		}
		if n := ts.hub.Snapshot().Connected; n != 1 {
			t.Fatalf("round %d: %d connected, want 1", round, n)
		}

		if err := tm.sess.Close(); err != nil {
			t.Fatalf("closing the session: %v", err)
		}
		eventually(t, wait, "the screen closes", func() bool { return ts.srv.Screens() == 0 },
			func() string { return "screens: " + itoa(ts.srv.Screens()) })
		eventually(t, wait, "the person is no longer connected", func() bool { return ts.hub.Snapshot().Connected == 0 },
			func() string { return "connected: " + itoa(int64(ts.hub.Snapshot().Connected)) })
		tm.waitExit(t, wait)
	}

	// Nothing is left running for the closed sessions: the goroutine count
	// comes back to what it was (the test's own per-terminal goroutines
	// end too, once the session is gone).
	var now int
	eventually(t, wait, "goroutines back to the baseline", func() bool {
		now = runtime.NumGoroutine()
		return now <= baseline
	}, func() string {
		return "goroutines: " + itoa(int64(now)) + ", baseline " + itoa(int64(baseline)) + "\n" + allStacks()
	})

	// The connection itself still works.
	r, err := runExec(c, "whoami", wait)
	if err != nil || r.status != 0 || !strings.Contains(r.stdout, "Ada") {
		t.Fatalf("whoami on the same connection: %+v, %v", r, err)
	}
}

// settledGoroutines is the goroutine count once it has stopped falling.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(poll)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// A terminal that answers no query at all still gets its screen: the
// server never waits for the client's terminal to reply.
func TestTerminalThatNeverAnswers(t *testing.T) {
	ts := startServer(t)
	c := ts.dial(t, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var out bytes.Buffer
	sess.Stdout = writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return out.Write(p)
	})
	// Stdin stays open and silent for the whole test.
	if _, err := sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	text := func() string {
		mu.Lock()
		defer mu.Unlock()
		return ansi.Strip(out.String())
	}
	eventually(t, wait, "the screen arrives", func() bool {
		s := text()
		return strings.Contains(s, title) && strings.Contains(s, "What name should others see?")
	}, func() string { return "received: " + strings.ToValidUTF8(text(), "?") })
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Shutting the server down tells every open screen why it is closing and
// ends each session.
func TestShutdownTellsEveryScreen(t *testing.T) {
	ts := startServer(t)
	ada, bo := newKey(t), newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, bo, "name Bo")
	a := ts.openTerminal(t, "Ada", ada)
	b := ts.openTerminal(t, "Bo", bo)
	a.waitFor(t, wait, "Lobby", "you are Ada")
	b.waitFor(t, wait, "Lobby", "you are Bo")

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ts.srv.Shutdown(ctx) }()
	for _, tm := range []*terminal{a, b} {
		tm.waitExit(t, wait)
		select { // everything sent before the end is on the screen
		case <-tm.pumped:
		case <-time.After(wait):
			t.Fatalf("%s's output did not end with the session", tm.name)
		}
		tm.waitFor(t, wait, "moot: the server is stopping")
		if !strings.Contains(ansi.Strip(tm.output()), "Everything you saved is kept") {
			t.Errorf("%s was not told their work is kept; output ends:\n%q", tm.name, tail(tm.output(), 400))
		}
		if tm.exitErr != nil {
			t.Errorf("%s's session ended with %v, want exit status 0", tm.name, tm.exitErr)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(wait):
		t.Fatalf("Shutdown did not return")
	}
	if n := ts.srv.Screens(); n != 0 {
		t.Errorf("%d screens still open after Shutdown", n)
	}
	// A stopped server takes no new work.
	if _, err := runExec(a.client, "whoami", wait); err == nil {
		t.Errorf("the connection still runs commands after Shutdown")
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// A line that fills the screen's width keeps its last character: the
// line of keys at 80 columns ends with the whole "? keys", as a real xterm
// shows it (the headless terminal erases a pending-wrap column as xterm
// does, so a screen writer that erased after drawing would fail here).
func TestFullWidthLineKeepsItsLastColumn(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada --sector Community")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, title, "you are Ada (Community)")
	a.waitUntil(t, wait, "end its line of keys with the whole \"? keys\" in the 80th column", func(screen string) bool {
		lines := strings.Split(screen, "\n")
		keys := strings.TrimRight(lines[len(lines)-2], " ")
		return ansi.StringWidth(keys) == 80 && strings.HasSuffix(keys, "? keys")
	})
}

// A client whose window keeps changing while its screen opens: the SSH
// library writes each change into the session's PTY record as it reads
// the request, so the screen must not read that record from its own
// goroutine (the race detector caught it doing so). The screen opens, and
// takes the last size.
func TestWindowChangesWhileTheScreenOpens(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.mustExec(t, key, "name Ada")
	c := ts.dial(t, key)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var mu sync.Mutex
	sess.Stdout = writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(b) })
	sizes := make(chan struct{})
	go func() {
		defer close(sizes)
		for i := 0; i < 50; i++ {
			// "window-change": columns, rows, width and height in pixels.
			payload := gossh.Marshal(struct{ W, H, PW, PH uint32 }{uint32(60 + i%40), 20, 0, 0})
			if _, err := sess.SendRequest("window-change", false, payload); err != nil {
				return
			}
		}
	}()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	<-sizes
	eventually(t, wait, "the screen to draw", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(out.String(), "you are Ada")
	}, func() string { mu.Lock(); defer mu.Unlock(); return out.String() })
}
