package server_test

// One test for each thing a real room tripped over on the screens (the
// numbered list of issue 13), over real SSH with a PTY.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// named makes n participants, each with a key of their own, named
// Person 1 to Person n; it returns their keys.
func (ts *testServer) named(t *testing.T, n int) []gossh.Signer {
	t.Helper()
	keys := make([]gossh.Signer, n)
	for i := range keys {
		keys[i] = newKey(t)
		ts.mustExec(t, keys[i], fmt.Sprintf("name Person %d --sector Community", i+1))
	}
	return keys
}

// 1. Text being written survives a step change: kept as a draft with a
// note, nothing sent, and back, unsent, when the step returns.
func TestScreensDraftSurvivesAStepChange(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada --sector Community")
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step next")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, step1)
	a.typ(t, "w")
	a.waitFor(t, wait, "New card")
	a.typ(t, "Buses stop at six, so evening meetings")
	a.waitFor(t, wait, "Buses stop at six")

	ts.mustExec(t, ts.facilitator, "step next")
	a.waitFor(t, wait, step2, "The forum moved on: nothing was sent. Your draft is kept", "step 1.")
	if n := len(ts.hub.Snapshot().Cards); n != 0 {
		t.Fatalf("a step change sent the half-written card: %d cards", n)
	}
	ts.mustExec(t, ts.facilitator, "step prev")
	a.waitFor(t, wait, step1, "Your draft from this step is back, unsent", "Buses stop at six, so evening meetings")
	if n := len(ts.hub.Snapshot().Cards); n != 0 {
		t.Fatalf("the returning draft was sent without Enter: %d cards", n)
	}
	a.typ(t, " are out\r")
	a.waitFor(t, wait, "#1 Ada (you)")
	if cards := ts.hub.Snapshot().Cards; len(cards) != 1 || cards[0].Text != "Buses stop at six, so evening meetings are out" {
		t.Fatalf("cards: %+v", cards)
	}
}

// 2. Output taller than the screen opens in a pager that says where it
// is and scrolls to the end, without arrow keys.
func TestScreensLongOutputInThePager(t *testing.T) {
	ts := startServer(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.named(t, 25)
	f := ts.openTerminal(t, "Fran", ts.facilitator)
	f.waitFor(t, wait, "Lobby")
	f.typ(t, ":participants\r")
	f.waitFor(t, wait, ": participants", "lines 1-", "below")
	if strings.Contains(f.screen(), "Person 9 ") {
		t.Fatalf("the whole list fits on one screen; the test needs more people:\n%s", frame(f.screen()))
	}
	f.typ(t, ">") // the end, as End does
	f.waitFor(t, wait, "Person 9", "0 below")
	f.typ(t, "b") // a page up
	f.waitUntil(t, wait, "scroll a page up", func(s string) bool { return !strings.Contains(s, "0 below") })
	f.typ(t, "q") // q closes the pager, and leaves nothing
	f.waitFor(t, wait, "Waiting to begin")
}

// 3. Long lists say how many items lie above and below; on a wide screen
// an item's text takes what the bar does not need.
func TestScreensListsSayWhatLiesBeyondAndUseTheWidth(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ts.facilitator, "step goto 2")
	long := "Meetings are held in working hours, when carers and shift workers cannot come, and nobody says why"
	items := ""
	for i := 1; i <= 35; i++ {
		items += fmt.Sprintf(` --item "%d %s"`, i, long)
	}
	ts.mustExec(t, ts.facilitator, "ballot open"+items)
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, "Ballot #1", "more below")
	a.typ(t, ">")
	a.waitFor(t, wait, "› 35.", "more above")

	wide := ts.openTerminalAs(t, "Ada on a projector", ts.dial(t, ada), ptySpec{width: 200, height: 60})
	wide.waitFor(t, wait, "Ballot #1", long)
}

// 4. ? lists the screen's own keys in full; the line of keys never cuts
// a word and always ends with the key for help, at 80 and 40 columns.
func TestScreensKeysHelpAndFooter(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step next")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, step1)
	a.typ(t, "?")
	a.waitFor(t, wait, "On this step", "withdraw your card", "raise or lower your hand")
	for _, size := range []int{80, 40} {
		f := ts.openTerminalAs(t, fmt.Sprintf("Fran at %d", size), ts.dial(t, ts.facilitator), ptySpec{width: size, height: 24})
		f.waitFor(t, wait, step1)
		f.waitUntil(t, wait, "end its line of keys with ? keys, no word cut", func(s string) bool {
			lines := strings.Split(s, "\n")
			keys := strings.TrimSpace(lines[len(lines)-2])
			if !strings.HasSuffix(keys, "? keys") || strings.Contains(keys, "…") {
				return false
			}
			// Every piece is a whole key and what it does.
			for _, part := range strings.Split(strings.TrimSuffix(keys, "? keys"), " · ") {
				if part = strings.TrimSpace(part); part != "" && len(strings.Fields(part)) < 2 {
					return false
				}
			}
			return size < 80 || strings.Contains(keys, ": command")
		})
	}
	f := ts.openTerminal(t, "Fran", ts.facilitator)
	f.typ(t, "?")
	f.waitFor(t, wait, "give the floor to the first hand up")
	f.typ(t, ">")
	f.waitFor(t, wait, "stop the timebox", "0 below")
}

// 5. At 40x15 the sector chooser keeps the choice in view.
func TestScreensSectorChooserAt40x15(t *testing.T) {
	ts := startServer(t)
	g := ts.openTerminalAs(t, "Grace", ts.dial(t, newKey(t)), ptySpec{width: 40, height: 15})
	g.waitFor(t, wait, "What name should others see?")
	g.typ(t, "Grace\r")
	g.waitFor(t, wait, "Which sector are you part of?", "› Prefer not to say")
	g.typ(t, "k") // up, from "Prefer not to say", to the last sector
	g.waitFor(t, wait, "› Other")
	for range 4 {
		g.typ(t, "k")
	}
	g.waitFor(t, wait, "› Local government")
	g.typ(t, "\r")
	g.waitFor(t, wait, "you are Grace")
	if p := ts.hub.Snapshot().Participants; len(p) != 1 || p[0].Sector != "Local government" {
		t.Errorf("Grace joined as %+v", p)
	}
}

// 6. Nothing said about one step stays on the next: a level of agreement
// on the feedback step, a speaker after the dialogue; counts read right.
func TestScreensNoStaleText(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step next")
	ts.mustExec(t, ada, "hand up")
	f := ts.openTerminal(t, "Fran", ts.facilitator)
	f.waitFor(t, wait, "1 hand up")
	ts.mustExec(t, ts.facilitator, "next-speaker")
	f.waitFor(t, wait, "speaking: Ada")
	ts.mustExec(t, ts.facilitator, "step goto 3")
	f.waitFor(t, wait, step3)
	if strings.Contains(f.screen(), "speaking:") {
		t.Errorf("the speaker of step 1 is still shown on step 3:\n%s", frame(f.screen()))
	}
	ts.mustExec(t, ts.facilitator, "propose Meet in the evening")
	ts.mustExec(t, ts.facilitator, "check open 1")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, "Check open")
	a.typ(t, "2")
	a.waitFor(t, wait, "your level on statement #1")
	ts.mustExec(t, ts.facilitator, "check close 1")
	ts.mustExec(t, ts.facilitator, "step next")
	a.waitFor(t, wait, "Comments on the draft report")
	if s := a.screen(); strings.Contains(s, "your level on statement") {
		t.Errorf("the feedback step still says the level may change:\n%s", frame(s))
	}
}

// 7. Leaving and closing the forum ask first; a keyless person's rejoin
// code stays until they say they have it, and whoami shows it again.
func TestScreensConfirmationsAndTheRejoinCode(t *testing.T) {
	ts := startForums(t, parseAgenda(t, riverside))
	tm := ts.openTerminalOn(t, "Grace", ts.dialAs(t, "riverside", keyboardInteractive("RIVER-2026")))
	tm.waitFor(t, wait, "Your rejoin code is")
	code := rejoinCode.FindStringSubmatch(strings.Join(strings.Fields(tm.screen()), " "))[1]
	tm.typ(t, "Grace\r")
	tm.waitFor(t, wait, "Which sector")
	tm.typ(t, "\r")
	tm.waitFor(t, wait, "you are Grace", "Your rejoin code is "+code, "Press y once you have it")
	tm.typ(t, "q")
	tm.waitFor(t, wait, "Leave the forum? Press q again to leave")
	tm.typ(t, "\x1b") // any other key stays; Esc clears messages, not the code
	tm.waitUntil(t, wait, "drop the question", func(s string) bool { return !strings.Contains(s, "Leave the forum?") })
	if !strings.Contains(tm.screen(), code) {
		t.Fatalf("Esc took the rejoin code away:\n%s", frame(tm.screen()))
	}
	tm.typ(t, "y")
	tm.waitUntil(t, wait, "put the code away once told", func(s string) bool { return !strings.Contains(s, code) })
	tm.typ(t, ":whoami\r")
	tm.waitFor(t, wait, "rejoin: "+code)
	if r := ts.execAs(t, "riverside", keyboardInteractive(code), "whoami"); !strings.Contains(r.stdout, "rejoin: "+code) {
		t.Errorf("whoami over SSH with the rejoin code: %q %q", r.stdout, r.stderr)
	}
	tm.typ(t, "q") // closes whoami's page
	tm.waitUntil(t, wait, "close the page", func(s string) bool { return !strings.Contains(s, "rejoin: ") })
	tm.typ(t, "qq")
	tm.waitExit(t, wait)

	hub := ts.hubs["riverside"]
	ts.execAs(t, "riverside", gossh.PublicKeys(ts.facilitator), "name Fran")
	f := ts.openTerminalOn(t, "Fran", ts.dialAs(t, "riverside", gossh.PublicKeys(ts.facilitator)))
	ts.execAs(t, "riverside", gossh.PublicKeys(ts.facilitator), "step goto 2")
	f.waitFor(t, wait, "Step 2/2")
	f.typ(t, "n")
	f.waitFor(t, wait, "This is the last step: press n again to close the forum for everyone")
	f.typ(t, "t") // not n: the forum stays open, and t does nothing else
	f.waitUntil(t, wait, "drop the question", func(s string) bool { return !strings.Contains(s, "This is the last step") })
	if got := hub.Snapshot().Step; got != 2 || hub.Snapshot().Timer.Running() {
		t.Fatalf("another key than n moved the forum (step %d) or started the timer", got)
	}
	f.typ(t, "nn")
	f.waitFor(t, wait, "The forum has closed")
}

// 8. Names are unique in a forum, whatever their letter case and spacing,
// and none can draw the facilitator's mark, which the screen draws beside
// a facilitator's name.
func TestScreensNoOneImpersonated(t *testing.T) {
	ts := startServer(t)
	ada, bob := newKey(t), newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ada, "name Ada")
	for _, name := range []string{"fran", "F ran", "Fran [facilitator]", "Ada [facilitator]", "Ada ［facilitator］"} {
		if r := ts.exec(t, bob, "name "+name); r.status == 0 {
			t.Errorf("Bob took the name %q: %q", name, r.stdout)
		}
	}
	ts.mustExec(t, bob, "name Fran (facilitator)")
	ts.mustExec(t, ts.facilitator, "step next")
	ts.mustExec(t, ts.facilitator, "say Say what gets in the way")
	ts.mustExec(t, bob, "say I am in charge here")
	a := ts.openTerminal(t, "Ada", ada)
	a.waitFor(t, wait, "#1 Fran [facilitator]", "#2 Fran (facilitator)")
	if strings.Contains(a.screen(), "(facilitator) [facilitator]") {
		t.Errorf("Bob's card is marked as a facilitator's:\n%s", frame(a.screen()))
	}
}

// 9. A client that asks for a 0x0 terminal (ssh -tt from a script) gets a
// screen drawn at 80x24.
func TestScreensZeroSizedTerminal(t *testing.T) {
	ts := startServer(t)
	ada := newKey(t)
	ts.mustExec(t, ada, "name Ada")
	a := ts.openTerminalAs(t, "Ada", ts.dial(t, ada), ptySpec{width: 80, height: 24, asked: &[2]int{0, 0}})
	a.waitFor(t, wait, title, "Lobby", "you are Ada", "? keys")
}

// 10. A client whose locale is not UTF-8 gets ASCII symbols, and anyone
// can choose them; details scroll with letters, and every list has a
// letter for its end.
func TestScreensASCIIAndLetterKeys(t *testing.T) {
	ts := startServer(t)
	ada, bob := newKey(t), newKey(t)
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, bob, "name Bob")
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step next")
	for i := 1; i <= 3; i++ {
		ts.mustExec(t, bob, fmt.Sprintf("say Card %d", i))
	}
	c := ts.openTerminalAs(t, "Ada with LANG=C", ts.dial(t, ada), ptySpec{width: 80, height: 24, env: map[string]string{"LANG": "C"}})
	c.waitFor(t, wait, "Step 1/4 | Dialogue", "w write | h hand")
	if s := c.screen(); strings.ContainsAny(s, "·›●▇⏱✔→…") || !isASCII(s) {
		t.Errorf("a LANG=C screen has symbols beyond ASCII:\n%s", frame(s))
	}
	c.typ(t, "kk") // up to card 2, then > back to the newest
	c.waitFor(t, wait, "> #2 Bob")
	c.typ(t, ">")
	c.waitUntil(t, wait, "follow the newest again", func(s string) bool { return !strings.Contains(s, "> #2 Bob") })

	u := ts.openTerminal(t, "Ada in UTF-8", ada)
	u.waitFor(t, wait, "Step 1/4 · Dialogue")
	u.typ(t, ":symbols ascii\r")
	u.waitFor(t, wait, "Step 1/4 | Dialogue")

	ts.mustExec(t, ts.facilitator, "step goto 3")
	long := strings.Repeat("Meet at varied times so that carers can come. ", 8)
	ts.mustExec(t, ts.facilitator, "propose "+long)
	for i := 1; i <= 6; i++ {
		ts.mustExec(t, bob, fmt.Sprintf("comment 1 Comment number %d on the timing", i))
	}
	u.waitFor(t, wait, "#1 draft", "6 comments")
	u.typ(t, "v") // the details, without Enter
	u.waitFor(t, wait, "Statement #1", "lines 1-")
	u.typ(t, ">") // to the end, without End
	u.waitFor(t, wait, "Comment number 6", "0 below")
	u.typ(t, "k") // a line up, without an arrow
	u.waitUntil(t, wait, "scroll up", func(s string) bool { return !strings.Contains(s, "0 below") })
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 0x7e && r != '\n' {
			return false
		}
	}
	return ansi.StringWidth(s) >= 0
}

// Words typed fast, or pasted by a terminal that does not mark pastes,
// reach a text field as they were typed: a word that is also a key's name
// (home, end, up, enter, esc) arriving whole is written, not taken for
// that key, in the name field, a card's composer and the : line.
func TestWordsThatNameKeysAreWrittenAsTyped(t *testing.T) {
	ts := startServer(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step next")
	d := ts.openTerminalAs(t, "Dee", ts.dial(t, newKey(t)), ptySpec{width: 80, height: 24})
	d.waitFor(t, wait, "What name should others see?")
	const name = "dee home end"
	d.typ(t, name+"\r")
	d.waitFor(t, wait, "Which sector are you part of?")
	d.typ(t, "\r")
	d.waitFor(t, wait, "you are "+name, step1)

	const card = "we get home up the hill at the end, then press enter or esc"
	d.typ(t, "w")
	d.waitFor(t, wait, "New card")
	d.typ(t, card+"\r")
	d.waitFor(t, wait, "#1 "+name+" (you)")

	const said = "left home at the end"
	d.typ(t, ":")
	d.waitFor(t, wait, ": ")
	d.typ(t, "say "+said+"\r")
	d.waitFor(t, wait, "#2 "+name+" (you)")

	snap := ts.hub.Snapshot()
	if len(snap.Participants) != 2 || !slices.ContainsFunc(snap.Participants, func(p session.ParticipantView) bool { return p.Name == name }) {
		t.Errorf("people: %+v", snap.Participants)
	}
	if len(snap.Cards) != 2 || snap.Cards[0].Text != card || snap.Cards[1].Text != said {
		t.Errorf("cards: %+v", snap.Cards)
	}
}
