package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"moot/session"
)

// dialogueHub is a hub on its first (dialogue) step with Ada and Bob named.
func dialogueHub(t *testing.T) (*session.Hub, func() *session.Hub) {
	h, reopen := openHub(t)
	do(t, h, ada, session.Register{Name: "Ada"})
	do(t, h, bob, session.Register{Name: "Bob"})
	do(t, h, facilitator, session.Register{Name: "Fran"})
	do(t, h, facilitator, session.NextStep{})
	return h, reopen
}

func TestCardsLiveAndSurviveRestart(t *testing.T) {
	h, reopen := dialogueHub(t)
	do(t, h, ada, session.AddCard{Text: "Meetings are in working hours"})
	do(t, h, bob, session.AddCard{Text: "The website is hard to use"})
	do(t, h, facilitator, session.AddTheme{Name: "Access"})
	do(t, h, facilitator, session.AddTheme{Name: "Trust"})
	do(t, h, facilitator, session.AssignCards{Theme: 1, Cards: []int64{1, 2}})
	do(t, h, facilitator, session.MoveTheme{Theme: 2, Position: 1})
	do(t, h, facilitator, session.AgreeTheme{Theme: 1, Agreed: true})
	do(t, h, facilitator, session.HideCard{ID: 2, Reason: "off topic"})
	do(t, h, bob, session.RaiseHand{Raise: true})
	do(t, h, ada, session.RaiseHand{Raise: true})
	do(t, h, facilitator, session.CallNextSpeaker{})

	h = reopen()
	snap := h.Snapshot()
	if len(snap.Cards) != 2 || snap.Cards[0].Text != "Meetings are in working hours" || snap.Cards[0].Theme != 1 {
		t.Fatalf("cards after restart: %+v", snap.Cards)
	}
	if c := snap.Cards[1]; c.Status != session.CardHidden || c.Reason != "off topic" {
		t.Errorf("hidden card after restart: %+v", c)
	}
	if len(snap.Themes) != 2 || snap.Themes[0].Name != "Trust" || snap.Themes[1].Name != "Access" || !snap.Themes[1].Agreed {
		t.Errorf("themes after restart: %+v %+v", snap.Themes[0], snap.Themes[1])
	}
	if len(snap.Hands) != 1 || snap.Hands[0].ID != ada || snap.Speaker != bob {
		t.Errorf("hands %+v speaker %q after restart", snap.Hands, snap.Speaker)
	}
	// Numbering goes on from where it was.
	do(t, h, ada, session.AddCard{Text: "Third"})
	if got := h.Snapshot().Cards[2].ID; got != 3 {
		t.Errorf("next card after restart is #%d, want #3", got)
	}
}

func TestOnlyTheAuthorEditsOrWithdraws(t *testing.T) {
	h, _ := dialogueHub(t)
	do(t, h, ada, session.AddCard{Text: "mine"})
	if err := h.Do(context.Background(), bob, session.EditCard{ID: 1, Text: "hijacked"}); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("Bob editing Ada's card: %v", err)
	}
	if err := h.Do(context.Background(), facilitator, session.WithdrawCard{ID: 1}); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("the facilitator withdrawing Ada's card: %v", err)
	}
	do(t, h, ada, session.EditCard{ID: 1, Text: "mine, better"})
	if c := h.Snapshot().Cards[0]; c.Text != "mine, better" || c.EditedAt.IsZero() {
		t.Errorf("after edit: %+v", c)
	}
	do(t, h, facilitator, session.NextStep{})
	if err := h.Do(context.Background(), ada, session.EditCard{ID: 1, Text: "too late"}); err == nil {
		t.Error("edited a card after its step closed")
	}
	do(t, h, facilitator, session.PreviousStep{})
	do(t, h, ada, session.WithdrawCard{ID: 1})
	if c := h.Snapshot().Cards[0]; c.Status != session.CardWithdrawn || c.Shown() {
		t.Errorf("after withdraw: %+v", c)
	}
}

func TestBadCardsChangeNothing(t *testing.T) {
	h, _ := dialogueHub(t)
	for name, c := range map[string]session.AddCard{
		"empty":     {Text: "   "},
		"escapes":   {Text: "\x1b[2J\x1b[H"},
		"too long":  {Text: strings.Repeat("word ", 101)},
		"anonymous": {Text: "secret", Anonymous: true}, // the test forum does not allow it
	} {
		if err := h.Do(context.Background(), ada, c); err == nil {
			t.Errorf("%s card accepted", name)
		}
	}
	if err := h.Do(context.Background(), "SHA256:stranger", session.AddCard{Text: "hello"}); err == nil {
		t.Error("a card from someone with no name was accepted")
	}
	if n := len(h.Snapshot().Cards); n != 0 {
		t.Fatalf("%d cards after only bad ones", n)
	}
	do(t, h, ada, session.AddCard{Text: "keeps \x1b[31mcolour\x1b[0m out and \u202eorder\u202c"})
	if got := h.Snapshot().Cards[0].Text; got != "keeps colour out and order" {
		t.Errorf("stored %q", got)
	}
}

func TestCardRateLimit(t *testing.T) {
	h, _ := dialogueHub(t)
	for i := 0; i < session.CardBurst; i++ {
		do(t, h, ada, session.AddCard{Text: "point"})
	}
	err := h.Do(context.Background(), ada, session.AddCard{Text: "one too many"})
	if err == nil || !strings.Contains(err.Error(), "wait") {
		t.Fatalf("flooding: %v", err)
	}
	// Someone else is not held back by Ada's flood.
	do(t, h, bob, session.AddCard{Text: "my turn"})
	if n := len(h.Snapshot().Cards); n != session.CardBurst+1 {
		t.Errorf("%d cards, want %d", n, session.CardBurst+1)
	}
}

func TestModeration(t *testing.T) {
	h, _ := dialogueHub(t)
	do(t, h, ada, session.AddCard{Text: "a"})
	do(t, h, bob, session.AddCard{Text: "a too"})
	do(t, h, bob, session.AddCard{Text: "b"})
	for _, cmd := range []session.Command{
		session.HideCard{ID: 1, Reason: "x"}, session.RestoreCard{ID: 1}, session.ParkCard{ID: 1, Parked: true},
		session.MergeCards{Into: 1, From: []int64{2}}, session.AddTheme{Name: "T"}, session.CallNextSpeaker{},
	} {
		if err := h.Do(context.Background(), ada, cmd); !errors.Is(err, session.ErrForbidden) {
			t.Errorf("%T by a participant: %v", cmd, err)
		}
	}
	if err := h.Do(context.Background(), facilitator, session.HideCard{ID: 1}); err == nil {
		t.Error("hid a card without a reason")
	}
	do(t, h, facilitator, session.MergeCards{Into: 1, From: []int64{2}})
	snap := h.Snapshot()
	if c := snap.Cards[0]; len(c.Credits) != 2 || c.Credits[0] != ada || c.Credits[1] != bob {
		t.Errorf("merged card credits %v, want Ada then Bob", c.Credits)
	}
	if c := snap.Cards[1]; c.Status != session.CardMerged || c.MergedInto != 1 {
		t.Errorf("card merged away: %+v", c)
	}
	if err := h.Do(context.Background(), facilitator, session.MergeCards{Into: 3, From: []int64{2}}); err == nil {
		t.Error("merged a card that was already merged")
	}
	do(t, h, facilitator, session.ParkCard{ID: 3, Parked: true})
	do(t, h, facilitator, session.HideCard{ID: 3, Reason: "duplicate"})
	do(t, h, facilitator, session.RestoreCard{ID: 3})
	if c := h.Snapshot().Cards[2]; !c.Shown() || !c.Parked || c.Reason != "" {
		t.Errorf("restored card: %+v", c)
	}
}

func TestThemes(t *testing.T) {
	h, _ := dialogueHub(t)
	do(t, h, facilitator, session.AddTheme{Name: "Access"})
	if err := h.Do(context.Background(), facilitator, session.AddTheme{Name: "access"}); err == nil {
		t.Error("two themes with one name")
	}
	do(t, h, facilitator, session.AddTheme{Name: "Trust"})
	do(t, h, facilitator, session.AddTheme{Name: "Money"})
	do(t, h, facilitator, session.MoveTheme{Theme: 3, Position: 1})
	do(t, h, facilitator, session.RenameTheme{Theme: 1, Name: "Getting there"})
	var names []string
	for _, th := range h.Snapshot().Themes {
		names = append(names, th.Name)
	}
	if got := strings.Join(names, ","); got != "Money,Getting there,Trust" {
		t.Errorf("themes in order: %s", got)
	}
	if err := h.Do(context.Background(), facilitator, session.MoveTheme{Theme: 1, Position: 4}); err == nil {
		t.Error("moved a theme past the end")
	}
	if err := h.Do(context.Background(), facilitator, session.AssignCards{Theme: 9, Cards: []int64{1}}); err == nil {
		t.Error("assigned to a theme that does not exist")
	}
}

func TestHandsQueue(t *testing.T) {
	h, _ := dialogueHub(t)
	do(t, h, bob, session.RaiseHand{Raise: true})
	do(t, h, ada, session.RaiseHand{Raise: true})
	if err := h.Do(context.Background(), ada, session.RaiseHand{Raise: true}); err == nil {
		t.Error("raised a hand twice")
	}
	if hs := h.Snapshot().Hands; len(hs) != 2 || hs[0].ID != bob || hs[1].ID != ada {
		t.Fatalf("queue %+v, want Bob then Ada", hs)
	}
	do(t, h, facilitator, session.CallNextSpeaker{})
	if snap := h.Snapshot(); snap.Speaker != bob || len(snap.Hands) != 1 {
		t.Fatalf("after calling: speaker %q, hands %+v", snap.Speaker, snap.Hands)
	}
	do(t, h, ada, session.RaiseHand{})
	if err := h.Do(context.Background(), facilitator, session.CallNextSpeaker{}); err == nil {
		t.Error("called a speaker from an empty queue")
	}
}
