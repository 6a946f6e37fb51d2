package session_test

import (
	"encoding/json"
	"strings"
	"testing"

	"moot/session"
)

// A person's mode and quietness are theirs: kept over a rename and a
// restart, seen in their own view and in nobody else's, and never in what
// a facilitator's list of people prints.
func TestPrefsAreOwnAndKept(t *testing.T) {
	h, reopen := openHub(t)
	refused(t, h, ada, session.SetMode{Mode: session.ModeLine}, "give your name first")
	do(t, h, ada, session.Register{Name: "Ada", Sector: "Community"})
	do(t, h, bob, session.Register{Name: "Bob"})
	refused(t, h, ada, session.SetMode{Mode: "braille"}, "unknown mode")
	do(t, h, ada, session.SetMode{Mode: session.ModeLine})
	do(t, h, ada, session.SetQuiet{On: true})
	before := h.Snapshot().Seq
	do(t, h, ada, session.SetQuiet{On: true}) // already so: nothing to save
	if h.Snapshot().Seq != before {
		t.Errorf("setting quiet again saved an event")
	}
	do(t, h, ada, session.Register{Name: "Ada Lovelace", Sector: "Community"})

	again := reopen()
	for i, h := range []*session.Hub{h, again} {
		snap := h.Snapshot()
		if p := snap.ViewFor(ada).Prefs(); p != (session.Prefs{Mode: session.ModeLine, Quiet: true}) || !p.Line() {
			t.Errorf("%d: Ada's prefs %+v", i, p)
		}
		if p := snap.ViewFor(bob).Prefs(); p != (session.Prefs{}) || p.Line() {
			t.Errorf("%d: Bob's prefs %+v", i, p)
		}
		if p := snap.ViewAs(session.ForProjector).Prefs(); p != (session.Prefs{}) {
			t.Errorf("%d: the projector has prefs %+v", i, p)
		}
		people, err := json.Marshal(snap.ViewFor(facilitator).People())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(people), "line") || strings.Contains(string(people), "quiet") {
			t.Errorf("%d: the facilitator's list of people shows prefs: %s", i, people)
		}
	}
	// Back to the screen: the default again, as if never chosen.
	do(t, again, ada, session.SetMode{Mode: session.ModeScreen})
	do(t, again, ada, session.SetQuiet{On: false})
	if p := again.Snapshot().ViewFor(ada).Prefs(); p != (session.Prefs{}) {
		t.Errorf("Ada's prefs after going back: %+v", p)
	}
}
