package server_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/tui/linemode"
)

// lineClient is a person in line mode: an SSH session whose output is
// kept whole, as a transcript, and whose input is typed a line at a time.
type lineClient struct {
	name  string
	sess  *gossh.Session
	stdin io.WriteCloser

	mu  sync.Mutex
	out bytes.Buffer

	exited chan struct{}
}

// openLine opens line mode for key the way `ssh -T HOST` does: a session
// with no PTY and no command. command, if not empty, is sent instead (ssh
// HOST live); term, if not empty, asks for a PTY of that TERM.
func (ts *testServer) openLine(t *testing.T, name string, key gossh.Signer, command, term string) *lineClient {
	t.Helper()
	c := ts.dial(t, key)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if term != "" {
		if err := sess.RequestPty(term, 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	lc := &lineClient{name: name, sess: sess, stdin: stdin, exited: make(chan struct{})}
	sess.Stdout = lockedWriter{lc}
	sess.Stderr = lockedWriter{lc}
	if command == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(command)
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = sess.Wait(); close(lc.exited) }()
	t.Cleanup(func() { sess.Close() })
	return lc
}

type lockedWriter struct{ lc *lineClient }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.lc.mu.Lock()
	defer w.lc.mu.Unlock()
	return w.lc.out.Write(p)
}

// transcript is everything received so far.
func (lc *lineClient) transcript() string {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.out.String()
}

// typeLine types a line and Enter: a newline, as a client's own terminal
// sends a finished line, or what a terminal's Enter key sends (CR) when
// enter is given.
func (lc *lineClient) typeLine(t *testing.T, line string, enter ...string) {
	t.Helper()
	end := "\n"
	if len(enter) > 0 {
		end = enter[0]
	}
	if _, err := io.WriteString(lc.stdin, line+end); err != nil {
		t.Fatalf("%s typing %q: %v", lc.name, line, err)
	}
}

// waitLines waits until the transcript holds every one of lines, each as
// a whole line of its own, and fails showing the transcript otherwise.
func (lc *lineClient) waitLines(t *testing.T, lines ...string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		got := lc.transcript()
		missing := ""
		for _, l := range lines {
			if !hasLine(got, l) {
				missing = l
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not hear %q within %v; the transcript:\n%s", lc.name, missing, wait, got)
		}
		time.Sleep(poll)
	}
}

// hasLine tells whether text holds line as a whole line (CR LF or LF).
func hasLine(text, line string) bool {
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l == line {
			return true
		}
	}
	return false
}

// inOrder checks that the transcript holds each of lines once, as a line
// of its own, and in this order.
func inOrder(t *testing.T, transcript string, lines []string) {
	t.Helper()
	all := strings.Split(strings.ReplaceAll(transcript, "\r\n", "\n"), "\n")
	at := -1
	for _, want := range lines {
		found := -1
		for i, l := range all {
			if l == want {
				if found >= 0 {
					t.Errorf("%q is said twice (lines %d and %d)", want, found+1, i+1)
				}
				found = i
			}
		}
		switch {
		case found < 0:
			t.Errorf("%q is not said", want)
		case found < at:
			t.Errorf("%q (line %d) is said before %q (line %d)", want, found+1, all[at], at+1)
		default:
			at = found
		}
	}
	if t.Failed() {
		t.Logf("the transcript:\n%s", transcript)
	}
}

// plainText checks that a transcript has nothing but lines of text: no
// byte below 0x20 other than the newline (and, where a PTY asks for it,
// a CR just before a newline and the backspaces that rub out a typed
// character), no DEL, no escape sequence.
func plainText(t *testing.T, transcript string, pty bool) {
	t.Helper()
	text := transcript
	if pty {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\b \b", "")
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("byte %#x at %d of the transcript: %q", c, i, text[max(0, i-40):min(len(text), i+40)])
		}
	}
	if strings.ContainsRune(text, 0x9b) {
		t.Fatalf("the 8-bit CSI is in the transcript")
	}
}

func (ts *testServer) idOf(key gossh.Signer) string { return gossh.FingerprintSHA256(key.PublicKey()) }

// A person in line mode follows a whole forum without a terminal, as
// `ssh -T HOST` joins: asked their name and sector in lines; told every
// change as one sentence, in the order it happens (a step and its prompt,
// the timebox, cards with their authors, themes, hands and the floor, a
// ballot with its items and results, a statement proposed, amended,
// checked and recorded with its action, feedback, the room split into
// tables and where they sit, a quick poll and its results); posting,
// voting, agreeing and answering a poll by typing lines; choosing quiet, after which only the
// facilitator's moves and what answers their own are told. The transcript
// is lines of text, and nothing else.
func TestLineModeFollowsAWholeForum(t *testing.T) {
	ts := startServer(t)
	fac := ts.facilitator
	ts.mustExec(t, fac, "name Fran")
	bob, cy := newKey(t), newKey(t)
	ts.mustExec(t, bob, "name Bob --sector Community")
	ts.mustExec(t, cy, "name Cy --sector Public body")
	adaKey := newKey(t)

	ada := ts.openLine(t, "Ada", adaKey, "", "")
	ada.waitLines(t, "Welcome to Co-production in our town. What name should others see? Type it and press Enter, up to 40 characters.")
	ada.typeLine(t, "Ada")
	ada.waitLines(t, "Which sector are you part of? It is optional: reports count people by sector, never by name. Type its number, or press Enter to skip. 1, Local government. 2, Public body. 3, Third sector. 4, Community. 5, Other.")
	ada.typeLine(t, "9")
	ada.waitLines(t, "There is no sector 9: type a number from 1 to 5, or press Enter to skip.")
	ada.typeLine(t, "4")
	ada.waitLines(t, "Welcome to Co-production in our town, Ada. This is line mode: what happens comes as sentences, one a line.",
		"You are Ada, Community, taking part.", "The forum is in the lobby: it has not begun. It has 4 steps.")
	if p, ok := ts.hub.Snapshot().Participant(ts.idOf(adaKey)); !ok || p.Name != "Ada" || p.Sector != "Community" {
		t.Fatalf("Ada joined as %+v", p)
	}

	// Dialogue.
	ts.mustExec(t, fac, "step next")
	ada.waitLines(t, "Step 1 of 4, dialogue: What gets in the way?")
	ts.mustExec(t, fac, "timer start 20")
	ada.waitLines(t, "The timebox has started: 20 minutes for this step.")
	ada.typeLine(t, "say Buses stop at six")
	ada.waitLines(t, "saved: card 1", "Card 1 from Ada: Buses stop at six.")
	ts.mustExec(t, bob, "say Meetings are in working hours")
	ts.mustExec(t, cy, "say The website is hard to use")
	ada.waitLines(t, "Card 3 from Cy: The website is hard to use.")
	ts.mustExec(t, fac, "theme add Access")
	ts.mustExec(t, fac, "theme assign Access 1 2")
	ada.waitLines(t, "Cards 1 and 2 are under the theme Access now.")
	ts.mustExec(t, bob, "hand up")
	ada.waitLines(t, "Bob raised a hand; 1 person waiting to speak.")
	ada.typeLine(t, "hand up")
	ada.waitLines(t, "Ada raised a hand; 2 people waiting to speak.")
	ts.mustExec(t, fac, "next-speaker")
	ada.waitLines(t, "Bob has the floor.", "You are next in the queue to speak.")
	ts.mustExec(t, fac, "next-speaker")
	ada.waitLines(t, "It is your turn to speak: you have the floor.")

	// A ballot.
	ts.mustExec(t, fac, "step next")
	ts.mustExec(t, fac, "ballot open --cards 1")
	ada.waitLines(t, "To vote, type vote 1 then each item and its dots, for example vote 1 2=3 5=2.")
	ada.typeLine(t, "vote 1 1=3 2=2")
	ada.waitLines(t, "saved: ballot 1 1=3 2=2 (5 of 5 dots, 0 left)")
	ts.mustExec(t, bob, "vote 1 2=4 3=1")
	ts.mustExec(t, cy, "vote 1 3=4")
	ts.mustExec(t, fac, "ballot close 1")
	ada.waitLines(t, "3 people voted, 14 dots in all. The results, most dots first:")

	// Deliberation.
	ts.mustExec(t, fac, "step next")
	ts.mustExec(t, fac, "propose Meet at varied times --theme Access")
	ada.waitLines(t, "Statement 1 proposed by Fran, under Access: Meet at varied times.")
	ada.typeLine(t, "amend 1 Meet at varied times, some in the evening")
	ada.waitLines(t, "Amendment 1 to statement 1, from Ada: Meet at varied times, some in the evening.")
	ts.mustExec(t, bob, "comment 1 Carers need notice")
	ts.mustExec(t, fac, "accept 1")
	ts.mustExec(t, fac, "check open 1")
	ada.waitLines(t, "A check of agreement is open on statement 1: Meet at varied times, some in the evening.")
	ada.typeLine(t, "agree 1 2")
	ada.waitLines(t, "your level on statement 1: 2 agree with minor reservations (you may change it until the check closes)")
	ts.mustExec(t, bob, "agree 1 1")
	ts.mustExec(t, cy, "agree 1 1")
	ts.mustExec(t, fac, "check close 1")
	ts.mustExec(t, fac, "record 1 agreed")
	ts.mustExec(t, fac, "action add 1 Publish a timetable --who Council, Library")
	ada.waitLines(t, "Action on statement 1: Publish a timetable. Who can take it: Council, Library.")

	// Feedback, then quiet.
	ts.mustExec(t, fac, "step next")
	ada.typeLine(t, "feedback 1 Say which evenings")
	ada.waitLines(t, "Feedback on statement 1 from Ada: Say which evenings.")

	// Tables, and a quick poll answered by typing a line.
	ts.mustExec(t, fac, "tables make 2")
	ada.waitLines(t, "The room is split into 2 tables.", "You sit at Table 1, with Bob.")
	ts.mustExec(t, fac, "poll open scale How useful was today? --points 5 --label not at all --label very")
	ada.waitLines(t, "To answer, type answer 1 and a point, for example answer 1 3.")
	ada.typeLine(t, "answer 1 4")
	ada.waitLines(t, "Your answer to poll 1 is saved: 4.")
	ts.mustExec(t, bob, "answer 1 5")
	ts.mustExec(t, cy, "answer 1 3")
	ts.mustExec(t, fac, "poll close 1")
	ada.waitLines(t, "The mean is 4.0, the spread 0.8.")

	ada.typeLine(t, "quiet on")
	ada.waitLines(t, "saved: quiet is on; line mode tells you only the facilitator's moves and what concerns you (quiet off to hear everything)")
	ts.mustExec(t, bob, "feedback 1 Good, and weekends too")
	ts.mustExec(t, fac, "revise 1 Meet at varied times, some on Tuesday evenings --reason feedback asked which evenings")
	ada.waitLines(t, "Statement 1 was revised after feedback, the reason: feedback asked which evenings. It now reads: Meet at varied times, some on Tuesday evenings.")
	followed := ada.transcript()

	// Asked, line mode says where the forum stands, in sentences.
	ada.typeLine(t, "status")
	ada.waitLines(t, "The draft report has 1 agreed statement; type feedback to hear it.")
	ada.typeLine(t, "quit")
	ada.waitLines(t, "Goodbye. Your place is kept; join again at any time.")
	select {
	case <-ada.exited:
	case <-time.After(wait):
		t.Fatal("the session did not end after quit")
	}
	transcript := ada.transcript()
	plainText(t, transcript, false)
	inOrder(t, transcript[len(followed):], []string{
		"You are Ada, Community, taking part.",
		"Step 4 of 4, feedback: Comments on the draft report.",
		"No timebox is running.",
		"1 person here now, 4 people in all.",
		"The draft report has 1 agreed statement; type feedback to hear it.",
		"Goodbye. Your place is kept; join again at any time.",
	})

	// Every change was said once, as one sentence (or a sentence and the
	// lines that belong to it), in the order it happened.
	inOrder(t, followed, []string{
		"Step 1 of 4, dialogue: What gets in the way?",
		"What gets in the way of co-production in our town, and how can we overcome it? Share an experience or a piece of evidence.",
		"To post a card, type say and your point.",
		"The timebox has started: 20 minutes for this step.",
		"saved: card 1",
		"Card 1 from Ada: Buses stop at six.",
		"Card 2 from Bob: Meetings are in working hours.",
		"Card 3 from Cy: The website is hard to use.",
		"New theme: Access.",
		"Cards 1 and 2 are under the theme Access now.",
		"Bob raised a hand; 1 person waiting to speak.",
		"your hand is up: number 2 in the queue",
		"Ada raised a hand; 2 people waiting to speak.",
		"Bob has the floor.",
		"You are next in the queue to speak.",
		"Ada has the floor.",
		"It is your turn to speak: you have the floor.",
		"Step 2 of 4, voting: Which barriers matter most?",
		"Ballot 1 is open: Which barriers matter most? 3 items. You have 5 dots to spend. It is secret until it closes.",
		"Item 1: Buses stop at six.",
		"Item 2: Meetings are in working hours.",
		"Item 3: The website is hard to use.",
		"To vote, type vote 1 then each item and its dots, for example vote 1 2=3 5=2.",
		"saved: ballot 1 1=3 2=2 (5 of 5 dots, 0 left)",
		"Ballot 1 has closed: Which barriers matter most?",
		"3 people voted, 14 dots in all. The results, most dots first:",
		"1st, 6 dots, leads the report: Meetings are in working hours.",
		"2nd, 5 dots, leads the report: The website is hard to use.",
		"3rd, 3 dots, leads the report: Buses stop at six.",
		"Step 3 of 4, deliberation: What can we all support?",
		"Statement 1 proposed by Fran, under Access: Meet at varied times.",
		"Amendment 1 to statement 1, from Ada: Meet at varied times, some in the evening.",
		"Comment on statement 1 from Bob: Carers need notice.",
		"Statement 1 now reads: Meet at varied times, some in the evening.",
		"A check of agreement is open on statement 1: Meet at varied times, some in the evening.",
		"To respond, type agree 1 and your level: 1 wholehearted endorsement, 2 agree with minor reservations, 3 support with reservations, 4 stand aside (do not agree, will not block), 5 block.",
		"The check on statement 1 has closed: 3 people responded, no block.",
		"2 chose 1, wholehearted endorsement; 1 chose 2, agree with minor reservations.",
		"Statement 1 was recorded as agreed.",
		"Action on statement 1: Publish a timetable. Who can take it: Council, Library.",
		"Step 4 of 4, feedback: Comments on the draft report.",
		"Feedback on statement 1 from Ada: Say which evenings.",
		"The room is split into 2 tables.",
		"You sit at Table 1, with Bob.",
		"Your table has no reporter yet; to report for it, type table reporter.",
		"Poll 1 is open: How useful was today?",
		"Answer on a scale of 1 to 5: 1, not at all; 5, very. It is secret until it closes.",
		"To answer, type answer 1 and a point, for example answer 1 3.",
		"Your answer to poll 1 is saved: 4.",
		"Poll 1 has closed: How useful was today?",
		"3 people answered.",
		"1 chose 3; 1 chose 4; 1 chose 5, very.",
		"The mean is 4.0, the spread 0.8.",
		"Statement 1 was revised after feedback, the reason: feedback asked which evenings. It now reads: Meet at varied times, some on Tuesday evenings.",
	})
	if strings.Contains(transcript, "Good, and weekends too") {
		t.Errorf("quiet, Ada heard Bob's feedback on a statement that is not hers:\n%s", transcript)
	}
	// What Ada typed is what was saved.
	v := ts.hub.Snapshot().ViewFor(ts.idOf(adaKey))
	if c, ok := v.FindCard(1); !ok || c.Text != "Buses stop at six" || !v.Mine(c) {
		t.Errorf("card 1: %+v", c)
	}
	if b, ok := v.FindBallot(1); !ok || v.MyVote(b).Spent != 5 {
		t.Errorf("Ada's vote: %+v", v.MyVote(b))
	}
	if a := v.MyAnswer(1); a == nil || a.Point != 4 {
		t.Errorf("Ada's answer to poll 1: %+v", a)
	}
	if me, _ := v.Me(); !me.Quiet {
		t.Errorf("quiet on was not kept")
	}
}

// On a terminal that cannot draw a screen (TERM=dumb, with a PTY) the
// forum opens in line mode, and line mode does the terminal's line
// editing: it echoes what is typed, rubs out with Backspace, drops the
// escape sequences that arrow keys send, ends a line at CR, drops it at
// Ctrl-C, and leaves at Ctrl-D on an empty line. A sentence that comes
// while a line is half typed goes on a line of its own, and the half line
// is shown again below it. Nothing but lines of text is sent: every CR
// comes just before a newline.
func TestLineModeOnADumbTerminal(t *testing.T) {
	ts := startServer(t)
	bob, adaKey := newKey(t), newKey(t)
	ts.mustExec(t, bob, "name Bob")
	ts.mustExec(t, ts.facilitator, "step next")

	ada := ts.openLine(t, "Ada", adaKey, "", "dumb")
	ada.waitLines(t, "Welcome to Co-production in our town. What name should others see? Type it and press Enter, up to 40 characters.")
	ada.typeLine(t, "Ada", "\r")
	ada.waitLines(t, "Ada")   // echoed as typed
	ada.typeLine(t, "", "\r") // no sector
	ada.waitLines(t, "Step 1 of 4, dialogue: What gets in the way?")

	// The window changes size (as a terminal's does), time and again:
	// line mode draws nothing to a size, and goes on.
	resized := make(chan error, 1)
	go func() {
		for i := range 5 {
			payload := gossh.Marshal(struct{ W, H, PW, PH uint32 }{uint32(80 + i), 24, 0, 0})
			if _, err := ada.sess.SendRequest("window-change", true, payload); err != nil {
				resized <- err
				return
			}
		}
		resized <- nil
	}()
	select {
	case err := <-resized:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("changes of window size are not taken")
	}
	ada.typeLine(t, "say he\x1b[Dllo\x7f\x7fxy", "\r")
	ada.waitLines(t, "Card 1 from Ada: helxy.")

	ada.typeLine(t, "say hal", "")
	eventually(t, wait, "the half line is echoed", func() bool { return strings.HasSuffix(ada.transcript(), "say hal") }, ada.transcript)
	ts.mustExec(t, bob, "say Buses stop at six")
	eventually(t, wait, "the half line is shown again after the sentence", func() bool {
		return strings.HasSuffix(ada.transcript(), "say hal\r\nCard 2 from Bob: Buses stop at six.\r\nsay hal")
	}, ada.transcript)
	ada.typeLine(t, "f", "\r")
	ada.waitLines(t, "Card 3 from Ada: half.")

	ada.typeLine(t, "say never mind\x03", "")
	ada.waitLines(t, "say never mind^C")
	ada.typeLine(t, "\x04", "")
	ada.waitLines(t, "Goodbye. Your place is kept; join again at any time.")
	select {
	case <-ada.exited:
	case <-time.After(wait):
		t.Fatal("Ctrl-D on an empty line did not leave")
	}
	transcript := ada.transcript()
	plainText(t, transcript, true)
	if n := len(ts.hub.Snapshot().ViewFor(ts.idOf(adaKey)).StepCards(1)); n != 3 {
		t.Errorf("%d cards, want 3 (the line dropped with Ctrl-C posts none)", n)
	}
	if strings.Contains(transcript, "[D") {
		t.Errorf("an arrow key's escape sequence was echoed:\n%q", transcript)
	}
}

// ssh HOST live opens line mode whatever the terminal; a person who chose
// line mode (mode line) gets it on a terminal that can draw a screen, and
// the screen again once they choose it back (mode screen).
func TestLiveAndModeLineOpenLineMode(t *testing.T) {
	ts := startServer(t)
	cyKey, bobKey := newKey(t), newKey(t)
	ts.mustExec(t, cyKey, "name Cy")
	cy := ts.openLine(t, "Cy", cyKey, "live", "")
	cy.waitLines(t, "Welcome to Co-production in our town, Cy. This is line mode: what happens comes as sentences, one a line.")
	cy.typeLine(t, "live")
	cy.waitLines(t, "Not done: live: you are following the forum live already (mode line has your terminal sessions open in line mode)")
	plainText(t, cy.transcript(), false)

	ts.mustExec(t, bobKey, "name Bob")
	if out := ts.mustExec(t, bobKey, "mode line"); !strings.Contains(out, "saved") {
		t.Fatalf("mode line: %q", out)
	}
	bob := ts.openLine(t, "Bob", bobKey, "", "xterm-256color")
	bob.waitLines(t, "Welcome to Co-production in our town, Bob. This is line mode: what happens comes as sentences, one a line.")
	bob.typeLine(t, "mode screen", "\r")
	bob.waitLines(t, "saved: from your next session on, your terminal sessions open the full screen where the terminal can draw one (mode line to undo)")
	bob.typeLine(t, "quit", "\r")
	bob.waitLines(t, "Goodbye. Your place is kept; join again at any time.")
	plainText(t, bob.transcript(), true)
	screen := ts.openTerminal(t, "Bob", bobKey)
	screen.waitFor(t, wait, "you are Bob")

	// The room's screen view draws a screen: without a terminal it says
	// so.
	sess, err := ts.dialAs(t, "demo+screen", gossh.PublicKeys(newKey(t))).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	sess.Stderr = &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Wait(); err == nil || !strings.Contains(stderr.String(), "needs a terminal that can: ssh -t") {
		t.Errorf("the screen view without a terminal: %v %q", err, stderr.String())
	}
}

// A line of 100 KB is refused unread, and lines that come faster than
// anyone types are dropped, and said so, at most once a second: a flood
// of three thousand commands runs no more of them than the bounds allow
// in the time it took, and the session answers again once the flood is
// past. Everyone else's commands answer as ever.
func TestLineModeBoundsLinesAndTheirRate(t *testing.T) {
	ts := startServer(t)
	adaKey, bob := newKey(t), newKey(t)
	ts.mustExec(t, adaKey, "name Ada")
	ts.mustExec(t, bob, "name Bob")
	ts.mustExec(t, ts.facilitator, "step next")
	ada := ts.openLine(t, "Ada", adaKey, "", "")
	ada.waitLines(t, "Step 1 of 4, dialogue: What gets in the way?")
	seq := ts.hub.Snapshot().Seq

	ada.typeLine(t, "say "+strings.Repeat("B", 100_000))
	ada.waitLines(t, "That line was longer than 4096 bytes, so it was not read. Nothing was done.")
	ada.typeLine(t, "say "+strings.Repeat("B", 4000))
	ada.waitLines(t, "Not done: a card can be at most 500 characters (this one has 4000)")
	if ts.hub.Snapshot().Seq != seq {
		t.Fatalf("refused lines changed the forum")
	}

	answers := func() int { return strings.Count(ada.transcript(), "key: SHA256:") }
	before := answers()
	start := time.Now()
	ada.typeLine(t, strings.TrimSuffix(strings.Repeat("whoami\n", 3000), "\n"))
	ada.waitLines(t, "Lines came faster than anyone types, so some were not read. Nothing was done with those.")
	// Once the budget is back, a line is read again.
	deadline := time.Now().Add(wait)
	for !hasLine(ada.transcript(), "your terminal sessions open the full screen (mode line for line mode)") {
		if time.Now().After(deadline) {
			t.Fatalf("after the flood, the session did not answer again:\n%s", ada.transcript())
		}
		ada.typeLine(t, "mode")
		time.Sleep(100 * time.Millisecond)
	}
	elapsed := time.Since(start)
	ran := answers() - before
	most := linemodeBurst + int(elapsed.Seconds()*linemodeRate) + 1
	if ran > most {
		t.Errorf("%d of 3000 flooded commands ran in %v; the bounds allow at most %d", ran, elapsed, most)
	}
	if ran < linemodeBurst/2 {
		t.Errorf("only %d flooded commands ran: a burst of %d is taken at once", ran, linemodeBurst)
	}
	told := strings.Count(ada.transcript(), "Lines came faster than anyone types")
	if told > int(elapsed.Seconds())+1 {
		t.Errorf("dropped lines were told %d times in %v: at most once a second", told, elapsed)
	}
	t.Logf("a flood of 3000 lines: %d ran in %v, dropped lines told %d times", ran, elapsed.Round(time.Millisecond), told)
	if out := ts.mustExec(t, bob, "say Meetings are always in working hours"); !strings.Contains(out, "card #1") {
		t.Fatalf("Bob's card: %q", out)
	}
	plainText(t, ada.transcript(), false)
}

// A person in line mode whose client stops taking what is said (it reads
// nothing, so its SSH window runs out) is dropped after the write timeout,
// and their subscription is let go; the others go on.
func TestLineModeClientThatStopsReadingIsDropped(t *testing.T) {
	ts, logs := startEdge(t, func(l *server.Limits) {
		l.WriteTimeout = 500 * time.Millisecond
		l.KeepAlive = 0 // so that only the write timeout can drop it
	})
	ctx := context.Background()
	ts.mustExec(t, ts.facilitator, "step next")
	// Enough cards that a few answers to cards fill any SSH window.
	text := strings.Repeat("x", session.MaxCardLength-10)
	for i := range 90 {
		id := fmt.Sprintf("SHA256:person%d", i)
		if err := ts.hub.Do(ctx, id, session.Register{Name: fmt.Sprintf("P%d", i)}); err != nil {
			t.Fatal(err)
		}
		for j := range session.CardBurst {
			if err := ts.hub.Do(ctx, id, session.AddCard{Text: fmt.Sprintf("%d %d %s", i, j, text)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	stuckKey, adaKey := newKey(t), newKey(t)
	ts.mustExec(t, stuckKey, "name Stu")
	ts.mustExec(t, adaKey, "name Ada")
	ada := ts.openLine(t, "Ada", adaKey, "", "")
	ada.waitLines(t, "Welcome to Co-production in our town, Ada. This is line mode: what happens comes as sentences, one a line.")

	c := ts.dial(t, stuckKey)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// A pipe nobody reads: the SSH library grants window as it is read.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, "Stu is connected", func() bool { return ts.hub.Snapshot().Connected == 2 },
		func() string { return itoa(int64(ts.hub.Snapshot().Connected)) })
	if _, err := io.WriteString(stdin, strings.Repeat("cards\n", linemodeBurst)); err != nil {
		t.Fatal(err)
	}
	dropped := make(chan struct{})
	go func() { _ = c.Wait(); close(dropped) }()
	select {
	case <-dropped:
	case <-time.After(wait):
		t.Fatalf("a line-mode client that read nothing was not dropped (log: %s)", logs.String())
	}
	waitLog(t, logs, "connection dropped: the client stopped reading (--write-timeout)")
	eventually(t, wait, "Stu's subscription is let go", func() bool { return ts.hub.Snapshot().Connected == 1 },
		func() string { return itoa(int64(ts.hub.Snapshot().Connected)) })
	eventually(t, wait, "no line session is left but Ada's", func() bool { return ts.srv.Lines() == 1 },
		func() string { return itoa(ts.srv.Lines()) })
	ts.mustExec(t, ts.facilitator, "step next")
	ada.waitLines(t, "Step 2 of 4, voting: Which barriers matter most?")
}

// The line-mode bounds the tests above attack.
const (
	linemodeBurst = linemode.DefaultBurst
	linemodeRate  = linemode.DefaultRate
)

// OpenSSH's own client: ssh -T joins in line mode, and so does ssh -tt
// from a terminal whose TERM is dumb; what comes back is lines of text.
func TestLineModeWithOpenSSH(t *testing.T) {
	ssh := tool(t, "ssh")
	ts := startServer(t)
	host, port, _ := strings.Cut(ts.addr, ":")
	for _, c := range []struct {
		name, flag, term, person string
		pty                      bool
	}{
		{"ssh -T", "-T", "xterm-256color", "Ada", false},
		{"TERM=dumb ssh -tt", "-tt", "dumb", "Bea", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw, _ := newRawKey(t) // a newcomer each time
			block, err := gossh.MarshalPrivateKey(raw, "moot test")
			if err != nil {
				t.Fatal(err)
			}
			keyPath := filepath.Join(t.TempDir(), "id_ed25519")
			if err := os.WriteFile(keyPath, pem.EncodeToMemory(block), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			cmd := exec.CommandContext(ctx, ssh, c.flag, "-p", port, "-i", keyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
				"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "demo@"+host)
			cmd.Env = append(os.Environ(), "TERM="+c.term)
			cmd.Stdin = strings.NewReader(c.person + "\n\nstatus\nquit\n")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", c.name, err, out)
			}
			transcript := string(out)
			for _, want := range []string{
				"Welcome to Co-production in our town. What name should others see? Type it and press Enter, up to 40 characters.",
				"You are " + c.person + ", taking part.",
				"The forum is in the lobby: it has not begun. It has 4 steps.",
				"Goodbye. Your place is kept; join again at any time.",
			} {
				if !hasLine(transcript, want) {
					t.Errorf("%s did not say %q:\n%s", c.name, want, transcript)
				}
			}
			plainText(t, transcript, c.pty)
			if !c.pty && strings.Contains(transcript, "\r") {
				t.Errorf("without a PTY, a CR was sent:\n%q", transcript)
			}
		})
	}
}
