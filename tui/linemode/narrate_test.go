package linemode

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/session/catalogue"
	"moot/store"
)

// en prints English, as line mode does for a forum and a person that chose
// no other language.
var en = catalogue.Default().Printer()

const (
	fran = "SHA256:fran"
	ada  = "SHA256:ada"
	bob  = "SHA256:bob"
	cy   = "SHA256:cy"
)

// newHub serves a forum of one step of each phase, with Fran facilitating
// and Ada, Bob and Cy named, on a real SQLite file.
func newHub(t testing.TB) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Community", "Third sector"},
		Steps: []session.Step{
			{Title: "What gets in the way?", Phase: session.Dialogue, Prompt: "Share an experience.", Timebox: 15 * time.Minute},
			{Title: "Which matter most?", Phase: session.Voting},
			{Title: "What can we agree?", Phase: session.Deliberation},
			{Title: "Comments", Phase: session.Feedback},
		},
		Facilitators:        []string{fran},
		AnonymousCards:      true,
		ParticipantsPropose: true,
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	for id, name := range map[string]string{fran: "Fran", ada: "Ada", bob: "Bob", cy: "Cy"} {
		do(t, h, id, session.Register{Name: name})
	}
	return h
}

func do(t testing.TB, h *session.Hub, id string, cmd session.Command) {
	t.Helper()
	if err := h.Do(context.Background(), id, cmd); err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
}

// heard is what a person hears of the change from one snapshot to another,
// quiet or not, in their language: the sentences line mode writes them.
func heard(was, now *session.Snapshot, id string) []string {
	wv, nv := was.ViewFor(id), now.ViewFor(id)
	p := printerOf(nil, nv)
	return told(narrate(p, was.ViewAs(nv.Audience()), now.ViewAs(nv.Audience())), narrateOwn(p, wv, nv), wv, nv)
}

func same(t *testing.T, who string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s heard:\n  %s\nwant:\n  %s", who, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Changes that reach a person together, in one snapshot (snapshots are
// delivered latest-wins), are each told: three new cards are three
// sentences, in the order of their numbers, each followed by what else
// happened to it; cards put under one theme together are one sentence.
func TestChangesInOneSnapshotAreEachTold(t *testing.T) {
	h := newHub(t)
	do(t, h, fran, session.NextStep{})
	was := h.Snapshot()
	do(t, h, ada, session.AddCard{Text: "Buses stop at six"})
	do(t, h, bob, session.AddCard{Text: "Meetings in working hours"})
	do(t, h, cy, session.AddCard{Text: "Meetings at work time"})
	do(t, h, bob, session.AddCard{Text: "No one asked us", Anonymous: true})
	do(t, h, fran, session.AddTheme{Name: "Access"})
	do(t, h, fran, session.AssignCards{Theme: 1, Cards: []int64{1, 2}})
	do(t, h, fran, session.MergeCards{Into: 2, From: []int64{3}})
	do(t, h, fran, session.ParkCard{ID: 4, Parked: true})
	now := h.Snapshot()
	same(t, "Ada", heard(was, now, ada),
		"New theme: Access.",
		"Card 1 from Ada: Buses stop at six.",
		"Card 2 from Bob: Meetings in working hours.",
		"Card 3 was merged into card 2.",
		"Card 4, anonymous: No one asked us.",
		"Card 4 went to the parking lot.",
		"Cards 1 and 2 are under the theme Access now.",
	)
	// Card 3 was posted and merged away before Ada could hear it: merged
	// cards are nobody's, so it is told only as merged.
	again := h.Snapshot()
	same(t, "Ada, with nothing new", heard(now, again, ada))
}

// Nothing a person may not see is told: an anonymous card names nobody,
// not even to its author; a hidden card's reason and who blocked a check
// reach only the facilitator; a secret ballot's tally is told when it
// closes, and only if enough people voted.
func TestOnlyWhatAPersonMaySeeIsTold(t *testing.T) {
	h := newHub(t)
	do(t, h, fran, session.NextStep{})
	do(t, h, ada, session.AddCard{Text: "Buses stop at six"})
	was := h.Snapshot()
	do(t, h, bob, session.AddCard{Text: "Say it plainly", Anonymous: true})
	do(t, h, fran, session.HideCard{ID: 1, Reason: "off topic"})
	now := h.Snapshot()
	for _, id := range []string{ada, bob} {
		same(t, id, heard(was, now, id), "Card 2, anonymous: Say it plainly.", "Card 1 was taken down.")
	}
	same(t, "Fran", heard(was, now, fran), "Card 1 was hidden, the reason: off topic.", "Card 2, anonymous: Say it plainly.")

	do(t, h, fran, session.GoToStep{To: 3})
	do(t, h, fran, session.ProposeStatement{Text: "Meet at varied times"})
	do(t, h, fran, session.OpenCheck{Statement: 1})
	was = h.Snapshot()
	do(t, h, bob, session.Agree{Statement: 1, Level: 5})
	now = h.Snapshot()
	same(t, "Ada", heard(was, now, ada))
	same(t, "Fran", heard(was, now, fran), "A block on statement 1, from Bob.")
	do(t, h, ada, session.Agree{Statement: 1, Level: 1})
	do(t, h, fran, session.CloseCheck{Statement: 1})
	same(t, "Ada", heard(now, h.Snapshot(), ada),
		"The check on statement 1 has closed: 2 people responded, with a block.",
		"Fewer than 3 people responded, so how they responded is not shown: it would give someone's level away.")

	do(t, h, fran, session.GoToStep{To: 2})
	do(t, h, fran, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	was = h.Snapshot()
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 5}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 5}})
	now = h.Snapshot()
	same(t, "Ada, while the ballot is secret", heard(was, now, ada))
	do(t, h, fran, session.CloseBallot{Ballot: 1})
	same(t, "Ada", heard(now, h.Snapshot(), ada),
		"Ballot 1 has closed: Which matter most?",
		"Fewer than 3 people voted, so the tally is not shown: it would give someone's dots away.")
}

// A person who chose quiet hears the facilitator's moves and what answers
// their own cards and statements, and nothing of what others do.
func TestQuietTellsMovesAndWhatConcernsYou(t *testing.T) {
	h := newHub(t)
	do(t, h, ada, session.ChooseQuiet{Quiet: true})
	do(t, h, fran, session.NextStep{})
	do(t, h, ada, session.AddCard{Text: "Buses stop at six"})
	do(t, h, bob, session.AddCard{Text: "Meetings in working hours"})
	was := h.Snapshot()
	do(t, h, cy, session.AddCard{Text: "The website"})
	do(t, h, bob, session.RaiseHand{Raise: true})
	do(t, h, fran, session.AddTheme{Name: "Access"})
	do(t, h, fran, session.AssignCards{Theme: 1, Cards: []int64{1}})
	do(t, h, fran, session.AssignCards{Theme: 1, Cards: []int64{2}})
	do(t, h, fran, session.StartTimer{Minutes: 10})
	now := h.Snapshot()
	// Both cards' themes came in one snapshot: one sentence, which Ada
	// hears as it answers her card.
	same(t, "Ada, quiet", heard(was, now, ada),
		"The timebox has started: 10 minutes for this step.",
		"New theme: Access.",
		"Cards 1 and 2 are under the theme Access now.",
	)
	same(t, "Bob, not quiet", heard(was, now, bob),
		"The timebox has started: 10 minutes for this step.",
		"New theme: Access.",
		"Card 3 from Cy: The website.",
		"Cards 1 and 2 are under the theme Access now.",
		"Bob raised a hand; 1 person waiting to speak.",
	)

	do(t, h, fran, session.GoToStep{To: 3})
	do(t, h, ada, session.ProposeStatement{Text: "Meet at varied times", Theme: 1})
	do(t, h, bob, session.ProposeStatement{Text: "Say less jargon", Theme: 1})
	was = h.Snapshot()
	do(t, h, bob, session.CommentOn{Statement: 1, Text: "Which times?"})
	do(t, h, cy, session.CommentOn{Statement: 2, Text: "Yes"})
	do(t, h, fran, session.CallNextSpeaker{})
	same(t, "Ada, quiet", heard(was, h.Snapshot(), ada),
		"Bob has the floor.",
		"Comment on statement 1 from Bob: Which times?",
	)
}

// The timebox is told when it starts, changes and stops, when 5 minutes
// and 1 minute are left, and when time is up: never each second, and when
// several of these pass between two snapshots, only the last.
func TestTheTimeboxIsToldAtSensibleMoments(t *testing.T) {
	f := &session.Forum{Slug: "f", Title: "F", Steps: []session.Step{{Title: "Talk", Phase: session.Dialogue}}}
	t0 := time.Unix(1_800_000_000, 0)
	at := func(step int, ends time.Duration, now time.Duration, seq int64) *session.Snapshot {
		snap := &session.Snapshot{Forum: f, Step: step, Now: t0.Add(now), Seq: seq}
		if ends != 0 {
			snap.Timer = session.Timer{EndsAt: t0.Add(ends)}
		}
		return snap
	}
	told := func(was, now *session.Snapshot) []string {
		var out []string
		for _, x := range narrate(en, was.ViewAs(session.ForParticipant), now.ViewAs(session.ForParticipant)) {
			out = append(out, x.lines...)
		}
		return out
	}
	m := time.Minute
	same(t, "started", told(at(1, 0, 0, 1), at(1, 10*m, 0, 2)), "The timebox has started: 10 minutes for this step.")
	same(t, "a second later", told(at(1, 10*m, 0, 2), at(1, 10*m, time.Second, 2)))
	same(t, "at 5:00", told(at(1, 10*m, 4*m+59*time.Second, 2), at(1, 10*m, 5*m, 2)), "5 minutes left.")
	same(t, "at 4:59", told(at(1, 10*m, 5*m, 2), at(1, 10*m, 5*m+time.Second, 2)))
	same(t, "from 5:30 to 0:50", told(at(1, 10*m, 4*m+30*time.Second, 2), at(1, 10*m, 9*m+10*time.Second, 2)), "1 minute left.")
	same(t, "time up", told(at(1, 10*m, 9*m+59*time.Second, 2), at(1, 10*m, 10*m, 2)), "Time is up for this step.")
	var toFran []string
	for _, x := range narrate(en, at(1, 10*m, 9*m+59*time.Second, 2).ViewAs(session.ForFacilitator), at(1, 10*m, 10*m, 2).ViewAs(session.ForFacilitator)) {
		toFran = append(toFran, x.lines...)
	}
	same(t, "time up, to a facilitator", toFran, "Time is up for this step.", "To give the room 5 minutes more, type timer extend 5.")
	same(t, "over time", told(at(1, 10*m, 10*m, 2), at(1, 10*m, 12*m, 2)))
	same(t, "extended", told(at(1, 10*m, 10*m, 2), at(1, 15*m, 10*m, 3)), "The timebox was changed: 5 minutes left.")
	same(t, "stopped", told(at(1, 10*m, 2*m, 2), at(1, 0, 2*m, 3)), "The timebox was stopped.")
	same(t, "a new step, no timebox", told(at(0, 0, 0, 1), at(1, 0, 0, 2)),
		"Step 1 of 1, dialogue: Talk.", "To post a card, type say and your point.")
}

// What an audience hears of a pair of snapshots is worked out once and
// shared by everyone in it who reads the same language.
func TestNarrationIsSharedByAnAudience(t *testing.T) {
	h := newHub(t)
	n := NewNarrator()
	was := h.Snapshot()
	do(t, h, fran, session.NextStep{})
	now := h.Snapshot()
	a, b := n.shared(en, was, now, session.ForParticipant), n.shared(en, was, now, session.ForParticipant)
	if len(a) == 0 || &a[0] != &b[0] {
		t.Errorf("two participants' narrations were worked out twice")
	}
	if c := n.shared(en, was, now, session.ForFacilitator); len(c) == 0 || &c[0] == &a[0] {
		t.Errorf("the facilitators share the participants' narration")
	}
	xa := n.shared(catalogue.Default().Printer(catalogue.Pseudo), was, now, session.ForParticipant)
	if len(xa) == 0 || &xa[0] == &a[0] || xa[0].lines[0] == a[0].lines[0] {
		t.Errorf("participants reading en-XA were told the English: %v", xa)
	}
}
