package session_test

import (
	"encoding/json"
	"strings"
	"testing"

	"moot/session"
)

// A person's mode and quietness are theirs: kept over a new name and a
// restart, in their own view, and in nobody else's: not even in the
// facilitator's list of people.
func TestModeAndQuietAreOwnAndKept(t *testing.T) {
	h, reopen := openHub(t)
	refused(t, h, ada, session.ChooseMode{Mode: session.ModeLine}, "give your name first")
	do(t, h, ada, session.Register{Name: "Ada", Sector: "Community"})
	do(t, h, bob, session.Register{Name: "Bob"})
	refused(t, h, ada, session.ChooseMode{Mode: "braille"}, "modes are line and screen")
	do(t, h, ada, session.ChooseMode{Mode: session.ModeLine})
	do(t, h, ada, session.ChooseQuiet{Quiet: true})
	before := h.Snapshot().Seq
	do(t, h, ada, session.ChooseQuiet{Quiet: true}) // so already: nothing to save
	if h.Snapshot().Seq != before {
		t.Errorf("choosing quiet again saved an event")
	}
	do(t, h, ada, session.Register{Name: "Ada Lovelace", Sector: "Community"})

	again := reopen()
	for i, h := range []*session.Hub{h, again} {
		snap := h.Snapshot()
		if me, _ := snap.ViewFor(ada).Me(); me.Mode != session.ModeLine || !me.Quiet || me.Name != "Ada Lovelace" {
			t.Errorf("%d: Ada: %+v", i, me)
		}
		if me, _ := snap.ViewFor(bob).Me(); me.Mode != session.ModeScreen || me.Quiet {
			t.Errorf("%d: Bob: %+v", i, me)
		}
		people, err := json.Marshal(snap.ViewFor(facilitator).People())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(people), `"line"`) || strings.Contains(string(people), "quiet") {
			t.Errorf("%d: the facilitator's list of people shows how someone follows the forum: %s", i, people)
		}
	}
	do(t, again, ada, session.ChooseMode{Mode: session.ModeScreen})
	do(t, again, ada, session.ChooseQuiet{Quiet: false})
	if me, _ := again.Snapshot().ViewFor(ada).Me(); me.Mode != session.ModeScreen || me.Quiet {
		t.Errorf("Ada, back: %+v", me)
	}
}

// A person's language is theirs too: kept over a restart, in nobody
// else's view; a code is a short run of letters, digits and dashes, and
// anything else changes nothing.
func TestLangIsOwnAndKept(t *testing.T) {
	h, reopen := openHub(t)
	refused(t, h, ada, session.ChooseLang{Lang: "fr"}, "give your name first")
	do(t, h, ada, session.Register{Name: "Ada"})
	before := h.Snapshot().Seq
	refused(t, h, ada, session.ChooseLang{Lang: strings.Repeat("a", session.MaxLangCode+1)}, "is not a language code")
	refused(t, h, ada, session.ChooseLang{Lang: "fr\x1b[31m"}, "is not a language code")
	refused(t, h, ada, session.ChooseLang{Lang: "fr CA"}, "is not a language code")
	if h.Snapshot().Seq != before {
		t.Errorf("a refused language saved an event")
	}
	do(t, h, ada, session.ChooseLang{Lang: "en-XA"})
	again := reopen()
	if me, _ := again.Snapshot().ViewFor(ada).Me(); me.Lang != "en-XA" {
		t.Errorf("Ada's language after a restart: %q", me.Lang)
	}
	people, err := json.Marshal(again.Snapshot().ViewFor(facilitator).People())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(people), "en-XA") {
		t.Errorf("the facilitator's list of people shows someone's language: %s", people)
	}
	do(t, again, ada, session.ChooseLang{})
	if me, _ := again.Snapshot().ViewFor(ada).Me(); me.Lang != "" {
		t.Errorf("Ada back to the forum's language: %q", me.Lang)
	}
}
