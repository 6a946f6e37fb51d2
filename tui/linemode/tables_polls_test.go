package linemode

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"moot/session"
	"moot/store"
)

const (
	dee = "SHA256:dee"
	eve = "SHA256:eve"
)

// newTablesHub serves a forum whose first step is at tables, then a step
// of polls, with Fran facilitating and Ada, Bob, Cy, Dee and Eve named in
// that order (the order tables are dealt in).
func newTablesHub(t testing.TB) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Community", "Third sector"},
		Steps: []session.Step{
			{Title: "What gets in the way?", Phase: session.Dialogue, Prompt: "Talk at your table.", Tables: true},
			{Title: "How did it go?", Phase: session.Polling},
		},
		Facilitators: []string{fran},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	for _, p := range []struct{ id, name string }{{fran, "Fran"}, {ada, "Ada"}, {bob, "Bob"}, {cy, "Cy"}, {dee, "Dee"}, {eve, "Eve"}} {
		do(t, h, p.id, session.Register{Name: p.name})
	}
	return h
}

// A person at a table hears where they sit and who with, the cards of
// their own table only, who reports for it, what every table brings back,
// and being moved; a move does not tell the new table's cards as new.
func TestTablesAreTold(t *testing.T) {
	h := newTablesHub(t)
	was := h.Snapshot()
	do(t, h, fran, session.MakeTables{Count: 2})
	now := h.Snapshot()
	same(t, "Ada", heard(was, now, ada),
		"The room is split into 2 tables.",
		"You sit at Table 1, with Cy and Eve.",
		"Your table has no reporter yet; to report for it, type table reporter.")
	same(t, "Fran", heard(was, now, fran), "The room is split into 2 tables.")

	was = now
	do(t, h, fran, session.NextStep{})
	now = h.Snapshot()
	same(t, "Bob", heard(was, now, bob),
		"Step 1 of 2, dialogue: What gets in the way?",
		"Talk at your table.",
		"To post a card, type say and your point.",
		"This step is worked on at tables: you hear the cards of your table, Table 2, and say posts to it.")

	was = now
	do(t, h, cy, session.AddCard{Text: "Buses stop at six"})
	do(t, h, dee, session.AddCard{Text: "Too much jargon"})
	do(t, h, fran, session.AddCard{Text: "Welcome, everyone"})
	do(t, h, ada, session.NameReporter{Person: ada})
	now = h.Snapshot()
	same(t, "Ada", heard(was, now, ada),
		"Card 3 from Fran: Welcome, everyone.",
		"Card 1 from Cy: Buses stop at six.",
		"You report for your table: to bring a card back to the room, type bring and its number.")
	same(t, "Cy", heard(was, now, cy),
		"Card 3 from Fran: Welcome, everyone.",
		"Card 1 from Cy: Buses stop at six.",
		"Ada reports for your table.")
	same(t, "Bob", heard(was, now, bob),
		"Card 3 from Fran: Welcome, everyone.",
		"Card 2 from Dee: Too much jargon.")
	same(t, "Fran", heard(was, now, fran),
		"Card 1 from Cy: Buses stop at six.",
		"Card 2 from Dee: Too much jargon.",
		"Card 3 from Fran: Welcome, everyone.")

	// Quiet, Ada still hears her own table (what the room is told comes
	// first, then what is hers alone); what another table brings
	// back is everyone's, but not hers to hear when quiet.
	do(t, h, ada, session.ChooseQuiet{Quiet: true})
	was = h.Snapshot()
	do(t, h, ada, session.BringBack{Cards: []int64{1}, Back: true})
	do(t, h, dee, session.NameReporter{Person: dee})
	do(t, h, dee, session.BringBack{Cards: []int64{2}, Back: true})
	do(t, h, eve, session.AddCard{Text: "Nobody hears back"})
	now = h.Snapshot()
	same(t, "Ada, quiet", heard(was, now, ada),
		"Table 1 brought card 1 back to the room: Buses stop at six.",
		"Card 4 from Eve: Nobody hears back.")
	same(t, "Bob", heard(was, now, bob),
		"Table 1 brought card 1 back to the room: Buses stop at six.",
		"Table 2 brought card 2 back to the room: Too much jargon.",
		"Dee reports for your table.")

	was = now
	do(t, h, fran, session.MoveToTable{Person: bob, Table: 1})
	now = h.Snapshot()
	same(t, "Bob, moved", heard(was, now, bob),
		"You were moved to Table 1, with Ada, Cy and Eve.",
		"Ada reports for your table.")
	same(t, "Ada, quiet", heard(was, now, ada), "Bob joined your table.")
	same(t, "Dee", heard(was, now, dee), "Bob left your table.")
}

// A poll is told when it opens, with its question, its choices and how to
// answer by a line; a person's own answer when it is saved; its results as
// sentences when it closes, or why there are none.
func TestPollsAreTold(t *testing.T) {
	h := newTablesHub(t)
	do(t, h, fran, session.GoToStep{To: 2})
	do(t, h, ada, session.ChooseQuiet{Quiet: true})
	was := h.Snapshot()
	do(t, h, fran, session.OpenPoll{Spec: session.PollSpec{Question: "Where does our practice sit?", Kind: session.PollScale, Points: 5, Labels: []string{"doing to", "doing with"}}})
	now := h.Snapshot()
	same(t, "Ada, quiet", heard(was, now, ada),
		"Poll 1 is open: Where does our practice sit?",
		"Answer on a scale of 1 to 5: 1, doing to; 5, doing with. It is secret until it closes.",
		"To answer, type answer 1 and a point, for example answer 1 3.")

	was = now
	do(t, h, ada, session.AnswerPoll{Poll: 1, Point: 5})
	now = h.Snapshot()
	same(t, "Ada, quiet", heard(was, now, ada), "Your answer to poll 1 is saved: 5, doing with.")
	same(t, "Bob", heard(was, now, bob))

	for id, point := range map[string]int{bob: 2, cy: 4, dee: 4} {
		do(t, h, id, session.AnswerPoll{Poll: 1, Point: point})
	}
	do(t, h, fran, session.OpenPoll{Spec: session.PollSpec{Question: "Which first?", Kind: session.PollMultiple, Options: []string{"Housing", "Transport", "Parks"}, Max: 2}})
	do(t, h, fran, session.OpenPoll{Spec: session.PollSpec{Question: "One word for today", Kind: session.PollWords, Words: 2}})
	was = h.Snapshot()
	do(t, h, ada, session.AnswerPoll{Poll: 2, Choices: []int{1, 3}})
	do(t, h, bob, session.AnswerPoll{Poll: 2, Choices: []int{1}})
	do(t, h, ada, session.AnswerPoll{Poll: 3, Text: "more buses"})
	do(t, h, bob, session.AnswerPoll{Poll: 3, Text: "buses"})
	do(t, h, cy, session.AnswerPoll{Poll: 3, Text: "trust"})
	do(t, h, fran, session.ClosePoll{Poll: 1})
	do(t, h, fran, session.ClosePoll{Poll: 2})
	do(t, h, fran, session.ClosePoll{Poll: 3})
	now = h.Snapshot()
	same(t, "Ada, quiet", heard(was, now, ada),
		"Poll 1 has closed: Where does our practice sit?",
		"4 people answered.",
		"1 chose 2; 2 chose 4; 1 chose 5, doing with.",
		"The mean is 3.8, the spread 1.1.",
		"Poll 2 has closed: Which first?",
		"Fewer than 3 people answered, so the results are not shown: they would give someone's answer away.",
		"Poll 3 has closed: One word for today.",
		"3 people answered.",
		"Used most: buses, 2; more buses, 1; more, 1; trust, 1.",
		"To hear the answers, type poll results 3.",
		"Your answer to poll 2 is saved: 1, Housing and 3, Parks.",
		"Your answer to poll 3 is saved: more buses.")
}
