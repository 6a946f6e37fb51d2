package session_test

import (
	"context"
	"strings"
	"testing"

	"moot/session"
)

// Two people cannot take names that read alike, in any letter case or
// spacing; renaming oneself to one's own name in another case is fine.
func TestNamesAreUniqueInAForum(t *testing.T) {
	h, reopen := openHub(t)
	do(t, h, facilitator, session.Register{Name: "Fran Smith"})
	for _, name := range []string{"Fran Smith", "fran smith", "FRAN  SMITH", "Fr an Smith", "fransmith"} {
		err := h.Do(context.Background(), ada, session.Register{Name: name})
		if err == nil || !strings.Contains(err.Error(), "someone here is already called Fran Smith") {
			t.Errorf("Ada took %q beside Fran Smith: %v", name, err)
		}
	}
	if _, ok := h.Snapshot().Participant(ada); ok {
		t.Fatal("a refused name registered Ada")
	}
	do(t, h, ada, session.Register{Name: "Fran Smyth"})
	do(t, h, facilitator, session.Register{Name: "FRAN smith"}) // one's own name, recased
	h = reopen()
	if p, _ := h.Snapshot().Participant(facilitator); p.Name != "FRAN smith" {
		t.Errorf("after restart the facilitator is %q", p.Name)
	}
}

// No name can draw the facilitator's mark, nor a look-alike of its
// brackets; round brackets stay.
func TestNamesHoldNoMarkBrackets(t *testing.T) {
	for _, name := range []string{"Fran [facilitator]", "Fran ［facilitator］", "Fran ⟦facilitator⟧", "Fran <host>", "Fran {x}", "a|b"} {
		if _, err := session.Name(name); err == nil || !strings.Contains(err.Error(), "mark who facilitates") {
			t.Errorf("Name(%q) = %v, want it refused", name, err)
		}
	}
	if n, err := session.Name("Fran (facilitator)"); err != nil || n != "Fran (facilitator)" {
		t.Errorf("round brackets: %q, %v", n, err)
	}
}

// A view marks as facilitating the names of the forum's facilitators
// only: not a participant who calls themselves one.
func TestViewsMarkFacilitatorsByKey(t *testing.T) {
	h, _ := openHub(t)
	do(t, h, facilitator, session.Register{Name: "Fran"})
	do(t, h, ada, session.Register{Name: "Fran (facilitator)"})
	v := h.Snapshot().ViewFor(bob)
	if !v.Facilitates("Fran") || v.Facilitates("Fran (facilitator)") || v.Facilitates("Ada") {
		t.Errorf("Facilitates: Fran %v, Fran (facilitator) %v", v.Facilitates("Fran"), v.Facilitates("Fran (facilitator)"))
	}
}

// The floor given on a step ends with it: no later step shows a speaker.
func TestTheFloorEndsWithItsStep(t *testing.T) {
	h, reopen := dialogueHub(t)
	do(t, h, ada, session.RaiseHand{Raise: true})
	do(t, h, facilitator, session.CallNextSpeaker{})
	if h.Snapshot().ViewFor(facilitator).Speaker() != "Ada" {
		t.Fatal("Ada was not given the floor")
	}
	do(t, h, facilitator, session.NextStep{})
	if s := h.Snapshot().ViewFor(facilitator).Speaker(); s != "" {
		t.Errorf("on the next step the speaker is still %q", s)
	}
	if s := reopen().Snapshot().ViewFor(facilitator).Speaker(); s != "" {
		t.Errorf("after restart the speaker is %q", s)
	}
}

// A person's choice of symbols is theirs, kept over a restart and over a
// rename; a choice that is not one is refused.
func TestSymbolsChoiceIsKept(t *testing.T) {
	h, reopen := openHub(t)
	if err := h.Do(context.Background(), ada, session.ChooseSymbols{Symbols: session.SymbolsASCII}); err == nil {
		t.Error("someone with no name chose symbols")
	}
	do(t, h, ada, session.Register{Name: "Ada"})
	do(t, h, ada, session.ChooseSymbols{Symbols: session.SymbolsASCII})
	if err := h.Do(context.Background(), ada, session.ChooseSymbols{Symbols: "ebcdic"}); err == nil {
		t.Error("ebcdic was taken")
	}
	do(t, h, ada, session.Register{Name: "Ada L"})
	h = reopen()
	if p, _ := h.Snapshot().Participant(ada); p.Symbols != session.SymbolsASCII {
		t.Errorf("symbols after rename and restart: %q", p.Symbols)
	}
}
