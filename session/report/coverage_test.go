package report_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/catalogue/cataloguetest"
	"moot/session/report"
	"moot/store"
)

// fixtures are the words people and the agenda gave in a test: the only
// words the report to read may say that are not the catalogue's.
type fixtures = cataloguetest.Fixtures

// everything is a forum, in the pseudo-locale, taken through every phase
// and whatever the report tells of each: cards at tables and for the
// room, themes, merged, parked and voted cards; ballots closed, open and
// withheld; statements agreed, not agreed and never settled, reached in
// every way the report says; feedback and a revision; quick polls of
// every kind and the evaluation, shown, open and withheld; a step with
// nothing on it. moments are the reports made on the way: before anyone
// came, with only the facilitators, under way, stopped (archived) and
// closed.
func everything(t *testing.T, f fixtures) (h *session.Hub, moments []*session.Snapshot) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	forum := &session.Forum{
		Slug: "riverside", Title: f.Fx("Riverside forum"), Date: "2026-12-05", Purpose: f.Fx("Agree what matters most."),
		Sectors: []string{f.Fx("Community"), f.Fx("Third sector"), f.Fx("Local government"), f.Fx("Public body")},
		Themes:  []string{f.Fx("Access")}, Lang: catalogue.Pseudo,
		Steps: []session.Step{
			{Title: f.Fx("At tables"), Phase: session.Dialogue, Prompt: f.Fx("What gets in the way?"), Tables: true, Timebox: 20 * time.Minute},
			{Title: f.Fx("In the room"), Phase: session.Dialogue},
			{Title: f.Fx("Which matter most?"), Phase: session.Voting, Prompt: f.Fx("Spend your dots.")},
			{Title: f.Fx("What can we agree?"), Phase: session.Deliberation},
			{Title: f.Fx("Comments"), Phase: session.Feedback},
			{Title: f.Fx("More agreeing"), Phase: session.Deliberation},
			{Title: f.Fx("More comments"), Phase: session.Feedback},
			{Title: f.Fx("Quick questions"), Phase: session.Polling},
			{Title: f.Fx("How did it go?"), Phase: session.Polling, Evaluation: true, Polls: []session.PollSpec{
				{Question: f.Fx("Where do we sit?"), Kind: session.PollScale, Points: 5, Labels: []string{f.Fx("doing to"), f.Fx("doing with")}},
				{Question: f.Fx("Come again?"), Kind: session.PollChoice, Options: []string{f.Fx("Yes"), f.Fx("No")}},
			}},
			{Title: f.Fx("Close"), Phase: session.Dialogue},
		},
		Facilitators: []string{fac, gus},
	}
	for _, l := range session.DefaultScale {
		f.Fx(l) // the agreement scale is the forum's: an agenda names its own
	}
	f.Fx("Table") // tables are named Table 1, Table 2... unless the agenda names them
	h, err = session.NewHub(context.Background(), st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	do := func(who string, cmds ...session.Command) {
		t.Helper()
		for _, c := range cmds {
			if err := h.Do(context.Background(), who, c); err != nil {
				t.Fatalf("%T %+v: %v", c, c, err)
			}
		}
	}
	moments = append(moments, h.Snapshot())
	do(fac, session.Register{Name: f.Fx("Fran")}, session.SetCredit{On: true})
	do(gus, session.Register{Name: "Gus"})
	moments = append(moments, h.Snapshot())

	// Ten people: four in Community, three in the Third sector, one in
	// Local government, two who gave none; Cy asks to be named.
	person := func(i int) string { return fmt.Sprintf("SHA256:p%02d", i) }
	sectors := []string{"Community", "Community", "Community", "Community", "Third sector", "Third sector", "Third sector", "Local government", "", ""}
	for i, s := range sectors {
		do(person(i), session.Register{Name: fmt.Sprintf("P%d", i), Sector: s})
	}
	do(person(2), session.SetCredit{On: true})
	f.Fx("P2")

	// Tables made twice: the first set is kept as made before.
	do(fac, session.MakeTables{Count: 3}, session.MakeTables{Count: 2, BySector: true}, session.NextStep{})
	seat := map[int64][]string{}
	for i := range sectors {
		tv := h.Snapshot().ViewFor(person(i)).MyTable()
		seat[tv.ID] = append(seat[tv.ID], person(i))
	}
	var at []int64
	for id := range seat {
		at = append(at, id)
	}
	if len(at) != 2 {
		t.Fatalf("seated at %d tables", len(at))
	}
	card := int64(0)
	post := func(who, text string) int64 {
		t.Helper()
		do(who, session.AddCard{Text: f.Fx(text)})
		card++
		return card
	}
	for n, id := range at {
		people := seat[id]
		first := post(people[0], fmt.Sprintf("Buses stop early %d", n))
		second := post(people[1], fmt.Sprintf("Buses stop at six %d", n))
		post(people[2], fmt.Sprintf("Forms are long %d", n))
		do(fac, session.MergeCards{Into: first, From: []int64{second}}, session.AssignCards{Theme: 1, Cards: []int64{first}})
		do(people[0], session.NameReporter{Person: people[0]}, session.BringBack{Cards: []int64{first}, Back: true})
	}
	post(fac, "Tea is at eleven")

	// In the room: themes agreed or not, a card merged, one parked, one
	// with no theme, one hidden; a quick poll on the step.
	do(fac, session.NextStep{}, session.AddTheme{Name: f.Fx("Trust")}, session.AgreeTheme{Theme: 1, Agreed: true})
	a := post(person(0), "Nobody answers emails")
	b := post(person(1), "Emails go unanswered")
	c := post(person(4), "Parking by the river")
	post(person(5), "More benches")
	d := post(person(6), "Rude replies")
	do(fac, session.AssignCards{Theme: 2, Cards: []int64{a, b}}, session.MergeCards{Into: a, From: []int64{b}}, session.ParkCard{ID: c, Parked: true},
		session.HideCard{ID: d, Reason: "rude"})
	do(fac, session.OpenPoll{Spec: session.PollSpec{Question: f.Fx("Heard enough?"), Kind: session.PollChoice, Options: []string{f.Fx("Yes"), f.Fx("No")}}})
	for i := range 3 {
		do(person(i), session.AnswerPoll{Poll: 1, Choices: []int{1 + i%2}})
	}
	do(fac, session.ClosePoll{Poll: 1})

	// Voting: the room's cards, closed; the tables' cards, with a cap,
	// closed; a secret ballot left open; an open one shown as it goes.
	do(fac, session.NextStep{}, session.OpenBallot{Title: f.Fx("What matters most?"), FromStep: 2, TopK: 1})
	for i := range 4 {
		do(person(i), session.CastVote{Ballot: 1, Dots: map[int]int{1 + i%2: 3, 2 - i%2: 1}})
	}
	do(fac, session.CloseBallot{Ballot: 1}, session.OpenBallot{Title: f.Fx("From the tables"), FromStep: 1, MaxPerItem: 2})
	for i := range 3 {
		do(person(i), session.CastVote{Ballot: 2, Dots: map[int]int{1: 2, 2: 1}})
	}
	do(fac, session.CloseBallot{Ballot: 2}, session.OpenBallot{Title: f.Fx("Secret one"), Texts: []string{f.Fx("Yes"), f.Fx("No")}})
	do(person(0), session.CastVote{Ballot: 3, Dots: map[int]int{1: 5}})
	do(fac, session.OpenBallot{Title: f.Fx("Open one"), Texts: []string{f.Fx("Parks"), f.Fx("Roads")}, Secret: new(false)})
	for i := range 3 {
		do(person(i), session.CastVote{Ballot: 4, Dots: map[int]int{1: 4, 2: 1}})
	}
	for n, title := range []string{"Too few", "Too few yet"} {
		do(fac, session.OpenBallot{Title: f.Fx(title), Texts: []string{f.Fx("Parks"), f.Fx("Roads")}, Secret: new(false)})
		do(person(0), session.CastVote{Ballot: int64(5 + n), Dots: map[int]int{1: 4}})
	}
	do(fac, session.CloseBallot{Ballot: 5})

	// Deliberation: statements reached in every way the report tells.
	do(fac, session.NextStep{})
	agree := func(s int64, levels ...int) {
		t.Helper()
		do(fac, session.OpenCheck{Statement: s})
		for i, l := range levels {
			do(person(i), session.Agree{Statement: s, Level: l})
		}
		do(fac, session.CloseCheck{Statement: s})
	}
	// theme 0: with no theme (proposed under one, moved out of it).
	propose := func(text string, theme int64) int64 {
		t.Helper()
		do(fac, session.ProposeStatement{Text: f.Fx(text), Theme: max(theme, 1)})
		id := int64(len(h.Snapshot().ViewFor(fac).Statements()))
		if theme == 0 {
			do(fac, session.MoveStatement{Statement: id})
		}
		return id
	}
	amendments := int64(0)
	amend := func(who string, s int64, text string) int64 {
		t.Helper()
		do(who, session.ProposeAmendment{Statement: s, Text: f.Fx(text)})
		amendments++
		return amendments
	}
	// 1: blocked, amended by two people, another amendment not taken,
	// agreed at its second check; actions; revised after the forum.
	s1 := propose("Meet at varied times", 1)
	agree(s1, 1, 2, 5)
	do(fac, session.AcceptAmendment{ID: amend(person(0), s1, "Meet at varied times, some evenings")})
	amend(person(1), s1, "Meet in the evening only")
	do(fac, session.AcceptAmendment{ID: amend(person(2), s1, "Meet at varied times, some evenings, with childcare")})
	agree(s1, 1, 2, 3, 4, 1, 2)
	do(fac, session.RecordStatement{Statement: s1, Outcome: session.Agreed},
		session.AddAction{Statement: s1, Text: f.Fx("Publish a timetable"), Owners: []string{f.Fx("Council, housing team"), f.Fx("Library")}},
		session.AddAction{Statement: s1, Text: f.Fx("Try evening meetings"), Owners: []string{f.Fx("Tenants")}})
	// 2: agreed as first proposed; 3: amended once; 4: amended twice by
	// one person.
	s2 := propose("Answer every email", 2)
	agree(s2, 1, 1, 2)
	do(fac, session.RecordStatement{Statement: s2, Outcome: session.Agreed})
	s3 := propose("Fund a warden", 0)
	do(fac, session.AcceptAmendment{ID: amend(person(3), s3, "Fund two wardens")})
	agree(s3, 1, 1, 1)
	do(fac, session.RecordStatement{Statement: s3, Outcome: session.Agreed})
	s4 := propose("Open the library late", 0)
	do(fac, session.AcceptAmendment{ID: amend(person(3), s4, "Open the library late twice a week")})
	do(fac, session.AcceptAmendment{ID: amend(person(3), s4, "Open the library late on Tuesdays")})
	agree(s4, 1, 2, 2)
	do(fac, session.RecordStatement{Statement: s4, Outcome: session.Agreed})
	// 5: not agreed without a check; 6: after two checks, both blocked;
	// 7: one check, blocked, too few to show how; 8: never settled, three
	// checks, two blocked, an amendment waiting; 9: a check under way.
	s5 := propose("Close the car park", 1)
	do(fac, session.RecordStatement{Statement: s5, Outcome: session.NotAgreed})
	s6 := propose("Ban cars", 1)
	agree(s6, 5, 1, 1)
	agree(s6, 1, 5, 1)
	do(fac, session.RecordStatement{Statement: s6, Outcome: session.NotAgreed})
	s7 := propose("Move the market", 2)
	agree(s7, 5)
	do(fac, session.RecordStatement{Statement: s7, Outcome: session.NotAgreed})
	s8 := propose("Build a bridge", 0)
	agree(s8, 5, 1, 1)
	agree(s8, 1, 1, 1)
	agree(s8, 1, 5, 1)
	amend(person(4), s8, "Build a footbridge")
	s9 := propose("Plant trees", 0)
	do(fac, session.OpenCheck{Statement: s9})
	do(person(0), session.Agree{Statement: s9, Level: 1})

	// Polls on the steps: every kind, shown, open and withheld.
	do(fac, session.NextStep{})
	do(person(0), session.GiveFeedback{Statement: s1, Text: f.Fx("Say which evenings")})
	do(person(1), session.GiveFeedback{Statement: s2, Text: f.Fx("Within a week?")})
	moments = append(moments, h.Snapshot())
	do(fac, session.ReviseStatement{Statement: s1, Text: f.Fx("Meet at varied times, Tuesday evenings, with childcare"), Reason: f.Fx("feedback asked which evenings")})
	do(fac, session.NextStep{}, session.NextStep{}, session.NextStep{})
	polls := []session.PollSpec{
		{Question: f.Fx("How far?"), Kind: session.PollScale, Points: 4},
		{Question: f.Fx("Which two?"), Kind: session.PollMultiple, Options: []string{f.Fx("Parks"), f.Fx("Roads"), f.Fx("Homes")}, Max: 2},
		{Question: f.Fx("One word"), Kind: session.PollWords, Words: 2, Secret: new(false)},
		{Question: f.Fx("Anything else?"), Kind: session.PollOpen},
		{Question: f.Fx("Still open"), Kind: session.PollChoice, Options: []string{f.Fx("Yes"), f.Fx("No")}},
		{Question: f.Fx("Shown as it goes"), Kind: session.PollScale, Points: 3, Secret: new(false)},
		{Question: f.Fx("Hardly answered"), Kind: session.PollChoice, Options: []string{f.Fx("Yes"), f.Fx("No")}},
		{Question: f.Fx("Barely begun"), Kind: session.PollOpen, Secret: new(false)},
		{Question: f.Fx("One word only"), Kind: session.PollWords, Words: 1},
	}
	for _, p := range polls {
		do(fac, session.OpenPoll{Spec: p})
	}
	for i := range sectors {
		do(person(i), session.AnswerPoll{Poll: 2, Point: 1 + i%4}, session.AnswerPoll{Poll: 3, Choices: []int{1 + i%3, 1 + (i+1)%3}},
			session.AnswerPoll{Poll: 4, Text: f.Fx([]string{"buses", "more buses", "trust"}[i%3])}, session.AnswerPoll{Poll: 5, Text: f.Fx("More seats please")},
			session.AnswerPoll{Poll: 6, Choices: []int{1}}, session.AnswerPoll{Poll: 10, Text: f.Fx("parks")})
	}
	for i := 7; i < 10; i++ {
		do(person(i), session.AnswerPoll{Poll: 7, Point: 1 + i%3})
	}
	do(person(8), session.AnswerPoll{Poll: 8, Choices: []int{1}})
	do(person(9), session.AnswerPoll{Poll: 9, Text: f.Fx("Soon")})
	for _, p := range []int64{2, 3, 4, 5, 8, 10} {
		do(fac, session.ClosePoll{Poll: p})
	}
	do(fac, session.NextStep{}, session.OpenPoll{Agenda: true})
	for i := range sectors {
		do(person(i), session.AnswerPoll{Poll: 11, Point: 1 + i%5}, session.AnswerPoll{Poll: 12, Choices: []int{1 + i%2}})
	}
	do(fac, session.ClosePoll{Poll: 11}, session.ClosePoll{Poll: 12}, session.ArchiveForum{Archived: true})
	moments = append(moments, h.Snapshot())
	do(fac, session.ArchiveForum{}, session.NextStep{}, session.NextStep{})
	moments = append(moments, h.Snapshot())
	return h, moments
}

// Every word of the report to read comes from the catalogue, or is the
// forum's own: under the pseudo-locale, the report of a forum taken
// through everything the report tells, made at every moment a report can
// be (before anyone came, under way, stopped, closed), in Markdown and
// HTML and in both orders, has no English word of moot's own outside the
// catalogue's messages. The notes session writes of the small-group rule
// (what was counted together as Other sectors) are the one exception
// left: session gives them only in English, and the report prints them
// as it is given them.
func TestReportSaysNoUncataloguedWord(t *testing.T) {
	f := fixtures{}
	h, moments := everything(t, f)
	for i, snap := range moments {
		log, err := h.Log(context.Background(), snap.Seq)
		if err != nil {
			t.Fatal(err)
		}
		for _, order := range report.Orders {
			r := report.Build(report.Input{Snapshot: snap, Log: log, Order: order})
			notes := smallGroupNotes(r)
			for _, format := range []string{report.Markdown, report.HTML} {
				var b bytes.Buffer
				if err := r.Write(&b, format, ""); err != nil {
					t.Fatal(err)
				}
				doc := readable(format, b.String())
				for _, n := range notes {
					doc = strings.ReplaceAll(doc, n, "")
				}
				if format == report.HTML && !strings.Contains(b.String(), `<html lang="en-XA">`) {
					t.Errorf("moment %d, %s: the HTML does not say it is in en-XA", i, order)
				}
				for _, line := range strings.Split(doc, "\n") {
					if bad := f.Outside(line); len(bad) > 0 {
						t.Errorf("moment %d, %s, %s: uncatalogued words %q in %q", i, order, format, bad, line)
					}
				}
			}
		}
	}
	// What the report was meant to tell, it told.
	r := report.Build(report.Input{Snapshot: moments[len(moments)-1], Log: must(h.Log(context.Background(), moments[len(moments)-1].Seq)), Lang: catalogue.English})
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Agreed at the second check, after one block; amended by two people; one other amendment was not taken; revised after the forum in response to feedback.",
		"Agreed at the first check; as first proposed.", "Agreed at the first check; amended once.", "Agreed at the first check; amended twice, by one person.",
		"Not agreed, without a check.", "Not agreed after two checks, both blocked.", "Not agreed after one check, which was blocked.",
		"Never settled; three checks so far, two of them blocked; one amendment was waiting.", "Never settled; one check so far; a check was under way.",
		"| Council, housing team; Library |", "(made before)", "| Table 1 (made before) | 4 | not shown |", "#### Table 1 (5 people)", "(theme Access; 2 people; put to the vote in “From the tables”)",
		"Fewer than 3 people voted", "The tally shows once 3 people have voted", "Voting was still under way when this report was made: the results show once it ends.",
		"Voting was still under way when this report was made, so these results may change.", "at most 2 on one item",
		"Up to 2 of the options", "Up to 1 word,", "An answer in one's own words", "It was still open when this report was made: its results show once it closes.",
		"It was still open when this report was made, so these results may change.", "Fewer than 3 people answered",
		"The forum had 2 facilitators (among them Fran)", "Named at their request: P2.", "No sector given",
		"## Quick polls", "## Evaluation", "5 December 2026",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the English report does not say %q", want)
		}
	}
}

// smallGroupNotes are the notes of the small-group rule a report holds,
// in the English session writes them.
func smallGroupNotes(r *report.Report) []string {
	notes := []string{r.Participation.BySectorNote}
	for _, t := range r.Tables {
		notes = append(notes, t.SectorsNote)
	}
	for _, s := range r.Steps {
		for _, p := range s.Polls {
			if p.Results != nil {
				notes = append(notes, p.Results.SectorsNote)
			}
		}
	}
	for _, p := range r.Evaluation {
		if p.Results != nil {
			notes = append(notes, p.Results.SectorsNote)
		}
	}
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

var (
	linkTarget = regexp.MustCompile(`\]\(#[^)]*\)`)
	htmlStyle  = regexp.MustCompile(`(?s)<style>.*</style>`)
	htmlTag    = regexp.MustCompile(`<[^>]*>`)
)

// readable is what a person reads of a report: for Markdown, the text
// without its links' targets (anchors made of headings); for HTML, the
// text without tags or styles, its entities read.
func readable(format, doc string) string {
	if format == report.Markdown {
		return linkTarget.ReplaceAllString(doc, "]")
	}
	return html.UnescapeString(htmlTag.ReplaceAllString(htmlStyle.ReplaceAllString(doc, ""), " "))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
