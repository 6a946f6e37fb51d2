package linemode

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/catalogue/cataloguetest"
	"moot/store"
)

// fixtures are the words people and the agenda gave in a test: the only
// words line mode may say that are not the catalogue's.
type fixtures = cataloguetest.Fixtures

// Under the pseudo-locale every word line mode says comes from the
// catalogue, or is someone's own: a forum taken through every kind of
// change line mode tells (steps, the timebox, cards and themes, hands, a
// ballot, statements and their checks, feedback, tables, quick polls, the
// archive), and every question it answers itself (status, cards, ballots,
// statements, polls), heard by a participant and a facilitator, quiet or
// not, has no English word of moot's own. The check is what proves line
// mode is wholly in the catalogue (session/catalogue).
func TestLineModeSaysNoUncataloguedWord(t *testing.T) {
	f := fixtures{}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	forum := cataloguetest.Forum(f, fran)
	h, err := session.NewHub(context.Background(), st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	people := []struct{ id, name string }{{fran, "Fran"}, {ada, "Ada"}, {bob, "Bob"}, {cy, "Cy"}, {dee, "Dee"}, {eve, "Eve"}}
	for _, p := range people {
		do(t, h, p.id, session.Register{Name: f.Fx(p.name), Sector: "Community"})
	}
	do(t, h, cy, session.ChooseQuiet{Quiet: true})

	var said []string
	listen := func(was, now *session.Snapshot) {
		for _, p := range people {
			said = append(said, heard(was, now, p.id)...)
			v := now.ViewFor(p.id)
			for _, answer := range answers {
				said = append(said, answer(printerOf(nil, v), v)...)
			}
		}
	}
	act := func(id string, cmds ...session.Command) {
		t.Helper()
		was := h.Snapshot()
		for _, c := range cmds {
			do(t, h, id, c)
		}
		listen(was, h.Snapshot())
	}
	listen(h.Snapshot(), h.Snapshot())

	act(fran, session.MakeTables{Count: 2}, session.NextStep{}, session.StartTimer{Minutes: 10})
	act(ada, session.AddCard{Text: f.Fx("Buses stop at six")}, session.NameReporter{Person: ada})
	act(bob, session.AddCard{Text: f.Fx("Too much jargon"), Anonymous: true})
	act(fran, session.AddCard{Text: f.Fx("Welcome")}, session.AddTheme{Name: f.Fx("Access")}, session.AddTheme{Name: f.Fx("Trust")})
	act(cy, session.AddCard{Text: f.Fx("Nobody hears back")}, session.AddCard{Text: f.Fx("Nobody listens")})
	act(fran, session.AssignCards{Theme: 1, Cards: []int64{1, 4}}, session.MergeCards{Into: 4, From: []int64{5}}, session.ParkCard{ID: 3, Parked: true})
	act(fran, session.RenameTheme{Theme: 2, Name: f.Fx("Being heard")}, session.AgreeTheme{Theme: 1, Agreed: true}, session.HideCard{ID: 2, Reason: f.Fx("off topic")})
	act(fran, session.AgreeTheme{Theme: 1}, session.RestoreCard{ID: 2}, session.ParkCard{ID: 3}, session.AssignCards{Cards: []int64{1}})
	act(ada, session.EditCard{ID: 1, Text: f.Fx("Buses stop at six on weekdays")}, session.BringBack{Cards: []int64{1}, Back: true}, session.RaiseHand{Raise: true})
	act(bob, session.RaiseHand{Raise: true})
	act(ada, session.BringBack{Cards: []int64{1}}, session.NameReporter{})
	act(fran, session.MoveToTable{Person: bob, Table: 1}, session.ExtendTimer{Minutes: 5})
	act(fran, session.WithdrawCard{ID: 3})
	act(fran, session.StopTimer{}, session.ArchiveForum{Archived: true})
	act(fran, session.ArchiveForum{})

	act(fran, session.NextStep{}, session.OpenBallot{Title: f.Fx("Which first?"), Texts: []string{f.Fx("Buses"), f.Fx("Jargon"), f.Fx("Parks")}, MaxPerItem: 3})
	act(ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 2}})
	act(bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 3, 1: 2}})
	act(cy, session.CastVote{Ballot: 1, Dots: map[int]int{1: 1}})
	act(fran, session.CloseBallot{Ballot: 1}, session.OpenBallot{Title: f.Fx("And then?"), Texts: []string{f.Fx("Housing"), f.Fx("Roads")}})
	act(ada, session.CastVote{Ballot: 2, Dots: map[int]int{1: 5}})
	act(fran, session.CloseBallot{Ballot: 2})

	act(fran, session.NextStep{}, session.ProposeStatement{Text: f.Fx("Meet at varied times"), Theme: 1}, session.ProposeStatement{Text: f.Fx("Say less"), Theme: 2})
	act(ada, session.ProposeAmendment{Statement: 1, Text: f.Fx("Meet at varied times, some in the evening")}, session.CommentOn{Statement: 1, Text: f.Fx("Which times?")})
	act(fran, session.AcceptAmendment{ID: 1}, session.OpenCheck{Statement: 1}, session.MoveStatement{Statement: 2, Theme: 2})
	act(bob, session.Agree{Statement: 1, Level: 5})
	act(ada, session.Agree{Statement: 1, Level: 1})
	act(cy, session.Agree{Statement: 1, Level: 2})
	act(fran, session.CloseCheck{Statement: 1}, session.OpenCheck{Statement: 1})
	act(bob, session.Agree{Statement: 1, Level: 1})
	act(ada, session.Agree{Statement: 1, Level: 1})
	act(cy, session.Agree{Statement: 1, Level: 1})
	act(fran, session.CloseCheck{Statement: 1}, session.RecordStatement{Statement: 1, Outcome: session.Agreed},
		session.AddAction{Statement: 1, Text: f.Fx("Publish a timetable"), Owners: []string{f.Fx("Council"), f.Fx("Library")}},
		session.AddAction{Statement: 1, Text: f.Fx("Ask the buses"), Owners: []string{f.Fx("Council")}})
	act(fran, session.RemoveAction{ID: 2}, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed})
	act(fran, session.RecordStatement{Statement: 2}, session.MoveStatement{Statement: 2})
	act(fran, session.OpenCheck{Statement: 2})
	act(ada, session.Agree{Statement: 2, Level: 3})
	act(fran, session.CloseCheck{Statement: 2})

	act(fran, session.NextStep{})
	act(ada, session.GiveFeedback{Statement: 1, Text: f.Fx("Say which evenings")})
	act(fran, session.ReviseStatement{Statement: 1, Text: f.Fx("Meet on Tuesday evenings"), Reason: f.Fx("feedback asked")})

	act(fran, session.NextStep{},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Where do we sit?"), Kind: session.PollScale, Points: 5, Labels: []string{f.Fx("doing to"), f.Fx("doing with")}}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Which first?"), Kind: session.PollChoice, Options: []string{f.Fx("Housing"), f.Fx("Parks")}}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Which two?"), Kind: session.PollMultiple, Options: []string{f.Fx("Housing"), f.Fx("Parks"), f.Fx("Roads")}, Max: 2}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Any of these?"), Kind: session.PollMultiple, Options: []string{f.Fx("Housing"), f.Fx("Roads")}}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("One word"), Kind: session.PollWords, Words: 1, Secret: new(false)}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Anything else?"), Kind: session.PollOpen}},
		session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("No labels"), Kind: session.PollScale, Points: 3}})
	for _, id := range []string{ada, bob, cy} {
		act(id, session.AnswerPoll{Poll: 1, Point: 5}, session.AnswerPoll{Poll: 2, Choices: []int{1}}, session.AnswerPoll{Poll: 3, Choices: []int{1, 3}},
			session.AnswerPoll{Poll: 5, Text: f.Fx("buses")}, session.AnswerPoll{Poll: 6, Text: f.Fx("More buses please")})
	}
	act(ada, session.AnswerPoll{Poll: 4, Choices: []int{2}}, session.AnswerPoll{Poll: 7, Point: 2})
	act(ada, session.AnswerPoll{Poll: 7, Clear: true})
	for id := int64(1); id <= 7; id++ {
		act(fran, session.ClosePoll{Poll: id})
	}
	act(fran, session.NextStep{})
	act(fran, session.GoToStep{To: 0})

	if len(said) < 200 {
		t.Fatalf("line mode said only %d lines", len(said))
	}
	for _, line := range said {
		if bad := f.Outside(line); len(bad) > 0 {
			t.Errorf("uncatalogued words %q in %q", bad, line)
		}
	}
}

// A newcomer is asked their name and sector, welcomed and told where the
// forum is in the forum's language; what line mode says of its own (a
// line too long, leaving) is the catalogue's too.
func TestLineModeOnboardsInTheForumsLanguage(t *testing.T) {
	f := fixtures{}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	forum := &session.Forum{Slug: "f", Title: f.Fx("Riverside forum"), Sectors: []string{f.Fx("Community")}, Lang: catalogue.Pseudo,
		Steps: []session.Step{{Title: f.Fx("Talk"), Phase: session.Dialogue}}}
	hub, err := session.NewHub(context.Background(), st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Stop(); st.Close() })
	var out bytes.Buffer
	in := strings.NewReader(f.Fx("Ada") + "\n7\n1\n" + strings.Repeat("x", 5000) + "\nstatus\nquit\n")
	ended := Run(context.Background(), Config{Hub: hub, ID: ada, In: in, Out: &out, Snapshots: make(chan *session.Snapshot), Rejoin: "k7mq-x3pa"})
	if ended != Left {
		t.Fatalf("ended %v", ended)
	}
	f.Fx("k m q x p a")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 8 {
		t.Fatalf("heard:\n%s", out.String())
	}
	for _, line := range lines {
		if bad := f.Outside(line); len(bad) > 0 {
			t.Errorf("uncatalogued words %q in %q", bad, line)
		}
	}
}
