package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/session/report"
	"moot/store"
)

// tablesForum is twelve people in three sectors at three tables balanced
// by sector, who write cards at their tables and bring some back; a poll
// asked on the report-back step; and an evaluation of a ladder, a choice
// and a few words. Person 4 asked to be named.
func tablesForum(t *testing.T) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Local government", "Third sector", "Community"},
		Steps: []session.Step{
			{Title: "At tables", Phase: session.Dialogue, Prompt: "What gets in the way?", Tables: true},
			{Title: "Report back", Phase: session.Dialogue},
			{Title: "How did it go?", Phase: session.Polling, Evaluation: true, Polls: []session.PollSpec{
				{Question: "Where does our practice sit?", Kind: session.PollScale, Points: 5, Labels: []string{"doing to", "doing with"}},
				{Question: "Which should come first?", Kind: session.PollChoice, Options: []string{"Housing", "Transport", "Parks"}},
				{Question: "One word for today", Kind: session.PollWords, Words: 2},
			}},
		},
		Facilitators: []string{fac},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	do := func(who string, cmd session.Command) {
		t.Helper()
		if err := h.Do(context.Background(), who, cmd); err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	// Keys in the order people join: seated in that order, as people
	// joining seconds apart are.
	person := func(i int) string { return fmt.Sprintf("SHA256:p%02d", i) }
	do(fac, session.Register{Name: "Fran"})
	for i := range 12 {
		do(person(i), session.Register{Name: fmt.Sprintf("Person %d", i), Sector: f.Sectors[i%3]})
	}
	do(person(4), session.SetCredit{On: true})
	do(fac, session.MakeTables{Count: 3, BySector: true})
	do(fac, session.NextStep{})
	seat := map[string]int64{}
	for _, tv := range h.Snapshot().ViewFor(fac).CurrentTables() {
		for i := range 12 {
			if h.Snapshot().ViewFor(person(i)).MyTable().ID == tv.ID {
				seat[person(i)] = tv.ID
			}
		}
	}
	texts := []string{"Buses stop at six", "Nobody hears back", "Meetings in working hours", "Forms are too long"}
	for i := range 12 {
		do(person(i), session.AddCard{Text: fmt.Sprintf("%s (%d)", texts[i%4], i)})
	}
	do(fac, session.AddCard{Text: "Tea is at eleven"})
	// Each table's first person reports, and brings back its first card.
	reported := map[int64]bool{}
	for i := range 12 {
		if t := seat[person(i)]; !reported[t] {
			reported[t] = true
			do(person(i), session.NameReporter{Person: person(i)})
			do(person(i), session.BringBack{Cards: []int64{int64(i + 1)}, Back: true})
		}
	}
	do(fac, session.NextStep{})
	open := func(spec session.PollSpec) {
		t.Helper()
		if err := h.Do(context.Background(), fac, session.OpenPoll{Spec: spec}); err != nil {
			t.Fatal(err)
		}
	}
	open(session.PollSpec{Question: "Did your table agree?", Kind: session.PollChoice, Options: []string{"Yes", "No"}})
	for i := range 2 {
		do(person(i), session.AnswerPoll{Poll: 1, Choices: []int{1}})
	}
	do(fac, session.ClosePoll{Poll: 1})
	do(fac, session.NextStep{})
	do(fac, session.OpenPoll{Agenda: true})
	words := []string{"Buses", "more bus", "trust", "More buses"}
	for i := range 12 {
		do(person(i), session.AnswerPoll{Poll: 2, Point: 1 + i%5})
		do(person(i), session.AnswerPoll{Poll: 3, Choices: []int{1 + i%3}})
		do(person(i), session.AnswerPoll{Poll: 4, Text: words[i%4]})
	}
	for p := int64(2); p <= 4; p++ {
		do(fac, session.ClosePoll{Poll: p})
	}
	return h
}

func TestReportTablesAndPolls(t *testing.T) {
	h := tablesForum(t)
	r := build(t, h)
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "tables-polls.md.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./session/report -update to write it)", err)
	}
	md := b.String()
	if md != string(want) {
		t.Errorf("the Markdown report differs from %s (go test -update rewrites it):\n%s", golden, md)
	}
	for _, want := range []string{"## Tables", "#### Table 1 (4 people)", "**Brought back to the room:**", "#### For the whole room", "## Evaluation",
		"### Poll 2: Where does our practice sit?", "Mean 2.75", "| bus | 9 |", "| more bus | 6 |", "Fewer than 3 people answered",
		"Table 1, Table 2 and Table 3: Not broken down by sector"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	// In the forum's order each step tells its polls, the evaluation's
	// on its own step.
	var byStep bytes.Buffer
	if err := buildIn(t, h, report.ForumOrder).WriteMarkdown(&byStep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Tables", "## Step 1: At tables", "### Table 1 (4 people)", "## Step 2: Report back\n\n### Poll 1: Did your table agree?",
		"## Step 3: How did it go?\n\n### Poll 2: Where does our practice sit?"} {
		if !strings.Contains(byStep.String(), want) {
			t.Errorf("the report in the forum's order does not say %q:\n%s", want, byStep.String())
		}
	}
	if strings.Contains(byStep.String(), "## Evaluation") || strings.Contains(byStep.String(), "## Quick polls") {
		t.Errorf("the report in the forum's order gathers the polls apart from their steps")
	}
	// Nobody is named but Person 4, who asked; no group of fewer than
	// three is shown.
	for i := range 12 {
		if i != 4 && strings.Contains(md, fmt.Sprintf("Person %d", i)) {
			t.Errorf("the report names Person %d", i)
		}
	}
	if !strings.Contains(md, "Person 4") {
		t.Errorf("the report does not name Person 4, who asked")
	}
	var b2 bytes.Buffer
	if err := r.WriteJSON(&b2); err != nil {
		t.Fatal(err)
	}
	var got report.Report
	dec := json.NewDecoder(&b2)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Tables) != 3 || len(got.Evaluation) != 3 || len(got.Steps[1].Polls) != 1 || !got.Steps[0].Tabled || len(got.Steps[2].Polls) != 0 {
		t.Fatalf("tables %d, evaluation %d, step 2's polls %d, step 1 tabled %v", len(got.Tables), len(got.Evaluation), len(got.Steps[1].Polls), got.Steps[0].Tabled)
	}
	for _, tv := range got.Tables {
		for _, s := range tv.Sectors {
			if s.People < 3 {
				t.Errorf("%s: %s has %d people", tv.Name, s.Sector, s.People)
			}
		}
		if len(tv.Members) > 0 || tv.Reporter != "" {
			t.Errorf("%s names people: %+v", tv.Name, tv)
		}
	}
	brought := 0
	for _, c := range got.Steps[0].Cards {
		if c.BroughtBack {
			brought++
		}
		if c.Table == nil && c.Text != "Tea is at eleven" {
			t.Errorf("card %d has no table", c.ID)
		}
	}
	if brought != 3 {
		t.Errorf("%d cards brought back, want 3", brought)
	}
	var csv bytes.Buffer
	if err := r.WriteCSV(&csv, "polls"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "3,2,Where does our practice sit?,scale,closed,true,12,2.75,1.42,point,1,doing to,3,0.2500") {
		t.Errorf("polls.csv:\n%s", csv.String())
	}
}
