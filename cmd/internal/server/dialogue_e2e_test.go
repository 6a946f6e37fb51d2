package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"moot/session"
)

// Two participants and a facilitator in a dialogue step: Ada writes a card
// on her screen and Bob sees it appear; the facilitator puts it under a
// theme and both see the grouping; the facilitator hides it and it leaves
// both screens; a card full of escape sequences reaches Bob as plain text.
func TestDialogueCardsThemesAndModeration(t *testing.T) {
	ts := startServer(t)
	adaKey, bobKey := newKey(t), newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, adaKey, "name Ada --sector Community")
	ts.mustExec(t, bobKey, `name Bob --sector "Third sector"`)
	ts.mustExec(t, ts.facilitator, "step next")

	ada := ts.openTerminal(t, "Ada", adaKey)
	bob := ts.openTerminal(t, "Bob", bobKey)
	ada.waitFor(t, wait, step1, "No cards yet")
	bob.waitFor(t, wait, step1, "No cards yet")

	ada.typ(t, "w")
	ada.waitFor(t, wait, "New card")
	ada.typ(t, "Meetings are always in working hours")
	ada.waitFor(t, wait, "Meetings are always in working hours")
	ada.typ(t, "\r")
	ada.waitFor(t, wait, "#1 Ada (you)", "saved")
	bob.waitFor(t, wait, "#1 Ada", "Meetings are always in working hours", "1 card")

	ts.mustExec(t, ts.facilitator, "theme add Access")
	ts.mustExec(t, ts.facilitator, "theme assign Access 1")
	for _, tm := range []*terminal{ada, bob} {
		tm.waitUntil(t, wait, "the card under the Access heading", func(screen string) bool {
			i, j := strings.Index(screen, "Access"), strings.Index(screen, "Meetings are always")
			return i >= 0 && j > i && !strings.Contains(screen, "No theme yet")
		})
	}

	// Escape sequences arrive as harmless text: no screen clear, no
	// title change, no colour.
	evil := "say '\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred\x1b[0m \u202eflipped\u202c text'"
	if out := ts.mustExec(t, bobKey, evil); !strings.Contains(out, "card #2") {
		t.Fatalf("say: %q", out)
	}
	ada.waitFor(t, wait, "red flipped text", title, "Step 1/4")
	if strings.Contains(ada.output(), "pwned") {
		t.Error("the OSC title text reached Ada's terminal")
	}

	ts.mustExec(t, ts.facilitator, "hide 1 --reason off topic")
	for _, tm := range []*terminal{ada, bob} {
		tm.waitUntil(t, wait, "the hidden card gone", func(screen string) bool {
			return !strings.Contains(screen, "Meetings are always") && strings.Contains(screen, "red flipped text")
		})
	}
	var cards []session.CardView
	if err := json.Unmarshal([]byte(ts.mustExec(t, bobKey, "cards --json")), &cards); err != nil {
		t.Fatal(err)
	}
	if len(cards) != 1 || cards[0].ID != 2 {
		t.Errorf("cards after hiding #1: %+v", cards)
	}
	ts.mustExec(t, ts.facilitator, "restore 1")
	bob.waitFor(t, wait, "Meetings are always in working hours")
}

// Hands go up in order; the facilitator sees the queue and calls the first,
// whose screen says so.
func TestHandsUpQueue(t *testing.T) {
	ts := startServer(t)
	adaKey, bobKey := newKey(t), newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, adaKey, "name Ada")
	ts.mustExec(t, bobKey, "name Bob")
	ts.mustExec(t, ts.facilitator, "step next")

	bob := ts.openTerminal(t, "Bob", bobKey)
	fac := ts.openTerminal(t, "Fran", ts.facilitator)
	bob.waitFor(t, wait, step1)
	bob.typ(t, "h")
	bob.waitFor(t, wait, "Your hand is up: number 1 in the queue")
	ts.mustExec(t, adaKey, "hand up")
	fac.waitFor(t, wait, "Hands up: 2", "1. Bob", "2. Ada")

	var hands []session.HandView
	if err := json.Unmarshal([]byte(ts.mustExec(t, ts.facilitator, "hands --json")), &hands); err != nil {
		t.Fatal(err)
	}
	if len(hands) != 2 || hands[0].Name != "Bob" || hands[1].Name != "Ada" {
		t.Fatalf("queue: %+v", hands)
	}
	if r := ts.exec(t, adaKey, "next-speaker"); r.status != 1 {
		t.Errorf("a participant called the next speaker: status %d", r.status)
	}
	fac.typ(t, "N")
	bob.waitFor(t, wait, "You have the floor")
	fac.waitFor(t, wait, "speaking: Bob", "Hands up: 1", "1. Ada")
}
