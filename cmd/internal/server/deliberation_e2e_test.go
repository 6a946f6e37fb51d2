package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// A statement is proposed, amended twice, checked with five participants
// of several sectors including a block, reworded, checked again with no
// block, and recorded as agreed with two actions and their owners; every
// screen shows the recorded statement and its actions, and the history
// keeps both checks.
func TestDeliberationOverSSH(t *testing.T) {
	ts := startServer(t)
	fac := ts.facilitator
	ts.mustExec(t, fac, `name Fran --sector "Local government"`)
	people := make([]gossh.Signer, 5)
	sectors := []string{"Community", "Community", "Third sector", "Public body", "Local government"}
	for i := range people {
		people[i] = newKey(t)
		ts.mustExec(t, people[i], fmt.Sprintf("name P%d --sector %q", i+1, sectors[i]))
	}
	ts.mustExec(t, fac, "step goto 3")

	screens := []*terminal{ts.openTerminal(t, "Fran", fac), ts.openTerminal(t, "P1", people[0]), ts.openTerminal(t, "P2", people[1])}
	for _, tm := range screens {
		tm.waitFor(t, wait, "Step 3/4 · Deliberation", "No statements yet")
	}

	if out := ts.mustExec(t, fac, `propose The council should meet in the evening`); !strings.Contains(out, "statement #1") {
		t.Fatalf("propose: %q", out)
	}
	for _, tm := range screens {
		tm.waitFor(t, wait, "#1 draft, revision 1", "The council should meet in the evening")
	}
	ts.mustExec(t, people[0], `amend 1 The council should meet at varied times`)
	ts.mustExec(t, fac, "accept 1")
	ts.mustExec(t, people[1], `comment 1 Carers need notice`)
	ts.mustExec(t, people[1], `amend 1 The council should meet at varied times, announced a month ahead`)
	ts.mustExec(t, fac, "accept 2")
	screens[1].waitFor(t, wait, "#1 draft, revision 3 by P2")

	// First check: P5 blocks; the facilitator sees it at once.
	ts.mustExec(t, fac, "check open 1")
	screens[1].waitFor(t, wait, "Check open: 0 responded")
	screens[1].typ(t, "2") // P1 agrees from the screen
	screens[1].waitFor(t, wait, "yours: 2 agree with minor reservations")
	for i, level := range []int{0, 1, 3, 4, 5} {
		if i == 0 {
			continue
		}
		ts.mustExec(t, people[i], fmt.Sprintf("agree 1 %d", level))
	}
	screens[0].waitFor(t, wait, "BLOCK on statement #1 by P5")
	r := ts.exec(t, fac, "record 1 agreed")
	if r.status != 1 || !strings.Contains(r.stderr, "blocked") {
		t.Fatalf("recording a blocked statement: status %d, stderr %q", r.status, r.stderr)
	}
	// Participants cannot record, and a level off the scale is refused.
	if r := ts.exec(t, people[0], "record 1 agreed"); r.status != 1 || !strings.Contains(r.stderr, "facilitator") {
		t.Errorf("participant record: %d %q", r.status, r.stderr)
	}
	if r := ts.exec(t, people[0], "agree 1 7"); r.status != 1 || !strings.Contains(r.stderr, "not on the scale") {
		t.Errorf("agree 7: %d %q", r.status, r.stderr)
	}

	// Reworded: the new revision ends the first check.
	ts.mustExec(t, fac, `amend 1 The council should meet at varied times, some in the evening, announced a month ahead --accept`)
	if r := ts.exec(t, people[0], "agree 1 1"); r.status != 1 || !strings.Contains(r.stderr, "no check of agreement is open") {
		t.Errorf("agree on a closed check: %d %q", r.status, r.stderr)
	}
	ts.mustExec(t, fac, "check open 1")
	for i, level := range []int{1, 1, 2, 3, 4} {
		ts.mustExec(t, people[i], fmt.Sprintf("agree 1 %d", level))
	}
	ts.mustExec(t, fac, "record 1 agreed")
	ts.mustExec(t, fac, `action add 1 Publish a timetable --who Council, Tenants federation`)
	ts.mustExec(t, fac, `action add 1 Hold a trial --who Community centre`)

	for _, tm := range screens {
		tm.waitFor(t, wait, "#1 ✔ AGREED", "meet at varied times",
			"→ Publish a timetable — Council, Tenants", "federation", "→ Hold a trial — Community centre")
	}

	var d session.StatementDetail
	if err := json.Unmarshal([]byte(ts.mustExec(t, people[2], "statement 1 --json")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Status != "agreed" || len(d.Revisions) != 4 || len(d.Checks) != 2 || len(d.Actions) != 2 || len(d.Comments) != 1 {
		t.Fatalf("statement 1: %+v", d)
	}
	if c := d.Checks[0]; c.Open || !c.Blocked || c.Revision != 3 || c.Responded != 5 {
		t.Errorf("first check: %+v", c)
	}
	if c := d.Checks[1]; c.Open || c.Blocked || c.Revision != 4 || c.Responded != 5 || d.Result == nil || d.Result.ID != 2 {
		t.Errorf("second check: %+v, result %+v", c, d.Result)
	}
	if a := d.Actions[0]; len(a.Owners) != 2 || a.Owners[1] != "Tenants federation" {
		t.Errorf("actions: %+v", d.Actions)
	}
	// No sector has three people, so the result is not broken down by
	// sector: two Community people's levels, or P4's alone in Public
	// body, would be there for anyone to read.
	if c := d.Checks[1]; len(c.BySector) != 0 || !strings.Contains(c.BySectorNote, "Not broken down by sector") {
		t.Errorf("check 2 by sector: %+v %q", c.BySector, c.BySectorNote)
	}
	text := ts.mustExec(t, people[2], "statement 1")
	for _, want := range []string{"[AGREED]", "{+at varied times+}", "#1 on revision 3, closed", "BLOCKED", "#2 on revision 4, closed", "Not broken down by sector"} {
		if !strings.Contains(text, want) {
			t.Errorf("statement 1 text lacks %q:\n%s", want, text)
		}
	}
	// Recorded: frozen until reopened.
	if r := ts.exec(t, people[0], `amend 1 Something else`); r.status != 1 || !strings.Contains(r.stderr, "reopen") {
		t.Errorf("amend a recorded statement: %d %q", r.status, r.stderr)
	}
}
