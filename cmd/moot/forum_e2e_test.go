package main_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
	"moot/session/report"
)

var update = flag.Bool("update", false, "rewrite the golden files from what the code writes now")

const e2eAgenda = `slug: riverside
title: Riverside community planning forum
purpose: |
  Agree what matters most for the riverside, and who can act on it.
date: 2026-12-05
sectors: [Local government, Community, Third sector]
themes: [Access, Trust]
scale: [consent, stand aside, object]
steps:
  - title: What gets in the way?
    phase: dialogue
    prompt: What gets in the way of co-production?
  - title: Which barriers matter most?
    phase: voting
    ballot: {dots: 5, top_k: 2}
  - title: What can we all support?
    phase: deliberation
  - title: Comments on the draft report
    phase: feedback
`

// The run-through: a forum from an agenda file, served by the real
// binary, taken through dialogue, voting, deliberation and feedback by SSH
// commands from a facilitator and three participants, then exported in
// all three formats. The Markdown is compared with a golden file; the JSON
// and the CSV are read back and compared with what was entered.
func TestForumFromAgendaToReport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	fac := newKey(t)
	people := []gossh.Signer{newKey(t), newKey(t), newKey(t)}
	if err := os.WriteFile(filepath.Join(dir, "riverside.yaml"), []byte(e2eAgenda), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fac.pub"), gossh.MarshalAuthorizedKey(fac.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := moot(t, dir, "check", filepath.Join(dir, "riverside.yaml")); code != 0 {
		t.Fatalf("moot check: %d %s %s", code, out, errOut)
	}
	p := serve(t, "--listen", "127.0.0.1:0", "--data", data, "--facilitators", filepath.Join(dir, "fac.pub"), "--agenda", filepath.Join(dir, "riverside.yaml"))
	do := func(key gossh.Signer, cmd string) string {
		t.Helper()
		r := sshExecAs(t, p.port, "riverside", key, cmd)
		if r.status != 0 {
			t.Fatalf("%q: %d %q", cmd, r.status, r.stderr)
		}
		return r.stdout
	}
	ada, bob, cy := people[0], people[1], people[2]
	do(fac, `name Fran --sector "Local government"`)
	do(ada, `name Ada --sector Community`)
	do(bob, `name Bob --sector Community`)
	do(cy, `name Cy --sector "Third sector"`)
	do(cy, "credit on")

	// Dialogue.
	do(fac, "step next")
	do(ada, `say Meetings are always in working hours`) // 1
	do(bob, `say Meetings clash with work`)             // 2, merged into 1
	do(cy, `say Nobody answers emails`)                 // 3
	do(bob, `say Parking by the river`)                 // 4, parked
	do(ada, `say spam spam`)                            // 5, hidden
	do(cy, `say Papers are full of jargon`)             // 6, no theme
	do(fac, "theme assign Access 1 2")
	do(fac, "theme assign Trust 3")
	do(fac, "merge 1 2")
	do(fac, "park 4")
	do(fac, "hide 5 --reason spam")

	// Voting on the dialogue's cards: 1 (Access), 3 (Trust), 6 (none).
	do(fac, "step next")
	do(fac, `ballot open --cards 1 --title Which matter most?`)
	do(ada, "vote 1 1=3 2=2")
	do(bob, "vote 1 1=2 3=3")
	do(cy, "vote 1 2=3")
	do(fac, "ballot close 1")

	// Deliberation: one statement agreed with two actions, one blocked and
	// recorded as not agreed.
	do(fac, "step next")
	do(fac, `propose The council should meet at varied times --theme Access`)
	do(ada, `amend 1 The council should meet at varied times, some in the evening`)
	do(fac, "accept 1")
	do(fac, "check open 1")
	do(ada, "agree 1 consent")
	do(bob, "agree 1 1")
	do(cy, `agree 1 "stand aside"`)
	do(fac, "record 1 agreed")
	do(fac, `action add 1 Publish a timetable --who Council, Library`)
	do(fac, `action add 1 Try two evening meetings --who Tenants' federation`)
	do(fac, `propose Answer every email within a week --theme Trust`)
	do(fac, "check open 2")
	do(bob, "agree 2 object")
	do(fac, "check close 2")
	do(fac, "record 2 not-agreed")

	// Feedback on the draft; a revision in response.
	do(fac, "step next")
	do(ada, `feedback 1 Say which evenings`)
	do(bob, `feedback 1 Weekends too?`)
	do(fac, "revise 1 The council should meet at varied times, some on Tuesday evenings --reason feedback asked which evenings")
	var draft []session.DraftStatement
	if err := json.Unmarshal([]byte(do(cy, "feedback --json")), &draft); err != nil || len(draft) != 1 || len(draft[0].Feedback) != 2 || len(draft[0].RevisedAfter) != 1 {
		t.Fatalf("feedback --json: %v %+v", err, draft)
	}
	do(fac, "step next") // closes the forum

	// Markdown, over SSH and offline, against the golden file.
	md := do(fac, "export --format md")
	offline, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "md")
	if code != 0 || offline != md {
		t.Fatalf("offline export (%d %q) differs from SSH:\n%s", code, errOut, offline)
	}
	golden := filepath.Join("testdata", "forum_e2e.md.golden")
	got := normalise(md)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/moot -run TestForumFromAgendaToReport -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the report differs from %s:\n%s", golden, got)
	}
	for _, never := range []string{"Ada", "Bob", "Fran", "SHA256:", "spam", "Meetings clash"} {
		if strings.Contains(md, never) {
			t.Errorf("the report contains %q", never)
		}
	}

	// JSON, read back.
	var r report.Report
	dec := json.NewDecoder(strings.NewReader(do(fac, "export --format json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r.Version != 2 || r.Forum.Slug != "riverside" || r.Forum.Date != "2026-12-05" || r.Stage != "closed" || r.Participation.People != 4 ||
		len(r.Participation.Named) != 1 || r.Participation.Named[0] != "Cy" {
		t.Errorf("json header: %+v", r)
	}
	cards := r.Steps[0].Cards
	if len(cards) != 4 || cards[0].Text != "Meetings are always in working hours" || cards[0].People != 2 || cards[0].Theme.Name != "Access" ||
		cards[1].Text != "Nobody answers emails" || cards[2].Text != "Papers are full of jargon" || cards[2].Theme != nil || !cards[3].Parked {
		t.Errorf("json cards: %+v", cards)
	}
	b := r.Steps[1].Ballots
	if len(b) != 1 || b[0].Title != "Which matter most?" || b[0].Results == nil || b[0].Results.Voters != 3 || b[0].Results.TotalDots != 13 || len(b[0].Results.Items) != 3 {
		t.Fatalf("json ballots: %+v", b)
	}
	// Cards 1 and 3 have 5 dots each (tied first, both in the top 2),
	// card 6 has 3.
	res := b[0].Results.Items
	if res[0].Rank != 1 || !res[0].Tied || !res[0].Top || res[0].Dots != 5 || res[0].Ref != 1 || res[1].Rank != 1 || !res[1].Tied || !res[1].Top || res[1].Ref != 3 ||
		res[2].Rank != 3 || res[2].Tied || res[2].Top || res[2].Dots != 3 || res[2].Text != "Papers are full of jargon" {
		t.Errorf("json results: %+v", res)
	}
	if len(r.Statements) != 2 {
		t.Fatalf("json statements: %+v", r.Statements)
	}
	s1, s2 := r.Statements[0], r.Statements[1]
	if s1.Status != "agreed" || s1.RecordedRevision != 2 || s1.RecordedText != "The council should meet at varied times, some in the evening" ||
		s1.Text != "The council should meet at varied times, some on Tuesday evenings" || s1.Revision != 3 ||
		s1.Result == nil || s1.Result.Responded != 3 || s1.Result.Levels[0].Count != 2 || s1.Result.Levels[1].Count != 1 ||
		len(s1.Actions) != 2 || s1.Actions[0].Text != "Publish a timetable" || strings.Join(s1.Actions[0].Owners, "|") != "Council|Library" ||
		s1.Actions[1].Owners[0] != "Tenants' federation" || len(s1.RevisedAfter) != 1 || s1.RevisedAfter[0].Reason != "feedback asked which evenings" {
		t.Errorf("json agreed statement: %+v", s1)
	}
	if s2.Status != "not-agreed" || s2.Result == nil || !s2.Result.Blocked || len(s2.Actions) != 0 {
		t.Errorf("json statement not agreed: %+v", s2)
	}
	if len(r.Feedback) != 2 || r.Feedback[0].Text != "Say which evenings" || r.Feedback[1].Text != "Weekends too?" || r.Feedback[0].Step != 4 {
		t.Errorf("json feedback: %+v", r.Feedback)
	}

	// CSV: the zip over SSH, and a folder offline; the same tables.
	zipped := do(fac, "export --format csv")
	z, err := zip.NewReader(strings.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][][]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		tables[strings.TrimSuffix(strings.TrimPrefix(f.Name, "riverside-"), ".csv")] = rows
	}
	folder := filepath.Join(dir, "csv")
	if _, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "csv", "--out", folder); code != 0 {
		t.Fatalf("export csv: %d %q", code, errOut)
	}
	for _, kind := range report.Kinds() {
		b, err := os.ReadFile(filepath.Join(folder, "riverside-"+kind+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || fmt.Sprint(rows) != fmt.Sprint(tables[kind]) {
			t.Errorf("%s.csv in the folder differs from the zip: %v", kind, err)
		}
	}
	cell := func(kind string, row int, col string) string {
		t.Helper()
		rows := tables[kind]
		for i, h := range rows[0] {
			if h == col && row < len(rows) {
				return report.Undefuse(rows[row][i])
			}
		}
		t.Fatalf("%s.csv has no row %d column %s: %q", kind, row, col, rows)
		return ""
	}
	if len(tables["cards"]) != 5 || cell("cards", 1, "text") != "Meetings are always in working hours" || cell("cards", 1, "merged_from") != "2" || cell("cards", 4, "parked") != "true" {
		t.Errorf("cards.csv: %q", tables["cards"])
	}
	if len(tables["ballots"]) != 4 || cell("ballots", 1, "dots") != "5" || cell("ballots", 2, "tied") != "true" || cell("ballots", 3, "rank") != "3" || cell("ballots", 1, "ballot_title") != "Which matter most?" {
		t.Errorf("ballots.csv: %q", tables["ballots"])
	}
	if len(tables["statements"]) != 3 || cell("statements", 1, "status") != "agreed" || cell("statements", 1, "recorded_text") != s1.RecordedText ||
		cell("statements", 1, "revised_after_reason") != "feedback asked which evenings" || cell("statements", 2, "blocked") != "true" {
		t.Errorf("statements.csv: %q", tables["statements"])
	}
	if len(tables["actions"]) != 3 || cell("actions", 1, "owners") != "Council; Library" || cell("actions", 2, "text") != "Try two evening meetings" {
		t.Errorf("actions.csv: %q", tables["actions"])
	}
	if len(tables["feedback"]) != 3 || cell("feedback", 2, "text") != "Weekends too?" || cell("feedback", 1, "statement_id") != "1" {
		t.Errorf("feedback.csv: %q", tables["feedback"])
	}
	// One, two and one people in three sectors: none is shown on its own.
	if len(tables["participation"]) != 1 {
		t.Errorf("participation.csv: %q", tables["participation"])
	}
	p.stop(t)
}

var timestamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

// normalise replaces times, which differ from run to run, in a report.
func normalise(s string) string { return timestamp.ReplaceAllString(s, "TIME") }
