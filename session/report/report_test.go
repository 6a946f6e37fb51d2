package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/session/report"
	"moot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files from what the code writes now")

const (
	fac = "SHA256:fac"
	ada = "SHA256:ada"
	bob = "SHA256:bob"
	cy  = "SHA256:cy"
)

// forum runs a small forum through its dialogue: themes from the agenda
// and one added, cards under them, one merged, one hidden, one parked,
// one withdrawn, one anonymous; people in three sectors and one in none.
func forum(t *testing.T) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside <planning> forum", Date: "2026-12-05",
		Purpose: "Agree what matters most for the riverside.\n\nAnd who can act on it.",
		Sectors: []string{"Local government", "Community", "Third sector", "Other"},
		Themes:  []string{"Access", "Trust"}, AnonymousCards: true,
		Steps: []session.Step{
			{Title: "What gets in the way?", Phase: session.Dialogue, Prompt: "What gets in the way of co-production?", Timebox: 20 * time.Minute},
			{Title: "Which matter most?", Phase: session.Voting, Prompt: "Spend your dots."},
			{Title: "What can we agree?", Phase: session.Deliberation},
			{Title: "Comments on the draft", Phase: session.Feedback},
			{Title: "Never reached", Phase: session.Dialogue},
		},
		Facilitators: []string{fac},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	for _, c := range []struct {
		who string
		cmd session.Command
	}{
		{fac, session.Register{Name: "Fran", Sector: "Local government"}},
		{ada, session.Register{Name: "Ada", Sector: "Community"}},
		{bob, session.Register{Name: "Bob", Sector: "Community"}},
		{cy, session.Register{Name: "Cy"}},
		{fac, session.NextStep{}},
		{ada, session.AddCard{Text: "Meetings are always in working hours"}},                 // 1 Access
		{bob, session.AddCard{Text: "Meetings clash with work"}},                             // 2 merged into 1
		{cy, session.AddCard{Text: "Nobody answers emails | *ever*"}},                        // 3 Trust
		{ada, session.AddCard{Text: "spam spam", Anonymous: false}},                          // 4 hidden
		{bob, session.AddCard{Text: "- Parking by the river", Anonymous: true}},              // 5 parked, anonymous
		{cy, session.AddCard{Text: "=HYPERLINK(\"http://x\") [link](http://x) <b>bold</b>"}}, // 6 no theme
		{bob, session.AddCard{Text: "I take this back"}},                                     // 7 withdrawn
		{fac, session.AddTheme{Name: "Money"}},
		{fac, session.AssignCards{Theme: 1, Cards: []int64{1, 2}}},
		{fac, session.AssignCards{Theme: 2, Cards: []int64{3}}},
		{fac, session.MergeCards{Into: 1, From: []int64{2}}},
		{fac, session.HideCard{ID: 4, Reason: "spam"}},
		{fac, session.ParkCard{ID: 5, Parked: true}},
		{bob, session.WithdrawCard{ID: 7}},
		{fac, session.AgreeTheme{Theme: 1, Agreed: true}},
		{fac, session.NextStep{}},
		// Voting: a ballot over the dialogue's cards (1, 3, 6 in theme
		// order) and one over typed items, left open and secret.
		{fac, session.OpenBallot{Title: "What matters most?", FromStep: 1, TopK: 1}},
		{ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 2}}},
		{bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 3, 3: 2}}},
		{cy, session.CastVote{Ballot: 1, Dots: map[int]int{1: 2, 3: 1}}},
		{fac, session.CloseBallot{Ballot: 1}},
		{fac, session.OpenBallot{Title: "Secret one", Texts: []string{"Yes", "No"}}},
		{ada, session.CastVote{Ballot: 2, Dots: map[int]int{1: 5}}},
		{fac, session.NextStep{}},
		// Deliberation: one statement agreed with two actions, one not
		// agreed, one left as a draft.
		{fac, session.ProposeStatement{Text: "Meet at varied times, some in the evening", Theme: 1}},
		{fac, session.OpenCheck{Statement: 1}},
		{ada, session.Agree{Statement: 1, Level: 1}},
		{bob, session.Agree{Statement: 1, Level: 2}},
		{cy, session.Agree{Statement: 1, Level: 4}},
		{fac, session.RecordStatement{Statement: 1, Outcome: session.Agreed}},
		{fac, session.AddAction{Statement: 1, Text: "Publish a timetable | quarterly", Owners: []string{"Council", "Library"}}},
		{fac, session.AddAction{Statement: 1, Text: "Try two evening meetings", Owners: []string{"Tenants' federation"}}},
		{fac, session.ProposeStatement{Text: "Answer every email within a week", Theme: 2}},
		{fac, session.OpenCheck{Statement: 2}},
		{bob, session.Agree{Statement: 2, Level: 5}},
		{fac, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed}},
		{fac, session.ProposeStatement{Text: "Fund a river warden", Theme: 3}},
		{fac, session.NextStep{}},
		// Feedback on the draft, a revision in response; Cy agrees to be named.
		{ada, session.GiveFeedback{Statement: 1, Text: "Say which evenings"}},
		{bob, session.GiveFeedback{Statement: 1, Text: "Weekends too?"}},
		{fac, session.ReviseStatement{Statement: 1, Text: "Meet at varied times, some on Tuesday evenings", Reason: "feedback asked which evenings"}},
		{cy, session.SetCredit{On: true}},
	} {
		if err := h.Do(context.Background(), c.who, c.cmd); err != nil {
			t.Fatalf("%T: %v", c.cmd, err)
		}
	}
	return h
}

func build(t *testing.T, h *session.Hub) *report.Report {
	t.Helper()
	snap := h.Snapshot()
	log, err := h.Log(context.Background(), snap.Seq)
	if err != nil {
		t.Fatal(err)
	}
	return report.Build(report.Input{Snapshot: snap, Log: log})
}

func TestMarkdownGolden(t *testing.T) {
	r := build(t, forum(t))
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.md.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./session/report -update to write it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("the Markdown report differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	// What must never be in a report, whatever the golden file says.
	for _, never := range []string{"Ada", "Bob", "Fran", "SHA256:", "spam", "I take this back", "Meetings clash", "<b>", "[link](", "\n- =HYP"} {
		if strings.Contains(b.String(), never) {
			t.Errorf("the report contains %q", never)
		}
	}
}

// The JSON parses back into the Report and says what was entered.
func TestJSONRoundTrip(t *testing.T) {
	r := build(t, forum(t))
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got report.Report
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Forum.Slug != "riverside" || got.Forum.Title != "Riverside <planning> forum" || got.CurrentStep != 4 {
		t.Errorf("header: %+v", got)
	}
	if got.Participation.People != 4 {
		t.Errorf("people = %d", got.Participation.People)
	}
	// Three participants, two in Community and one in no sector: no
	// sector is shown on its own, and one group of all three would only
	// repeat the total. Fran, who facilitates, is counted apart.
	if p := got.Participation; len(p.BySector) != 0 || p.Participants != 3 || p.Facilitators != 1 ||
		!strings.Contains(p.BySectorNote, "Community and No sector given each have fewer than 3 people") {
		t.Errorf("participation = %+v", p)
	}
	if len(got.Themes) != 3 || got.Themes[0].Name != "Access" || !got.Themes[0].Agreed || got.Themes[0].Cards != 1 || got.Themes[2].Name != "Money" {
		t.Errorf("themes = %+v", got.Themes)
	}
	cards := got.Steps[0].Cards
	ids := []int64{}
	for _, c := range cards {
		ids = append(ids, c.ID)
	}
	if len(cards) != 4 || ids[0] != 1 || ids[1] != 3 || ids[2] != 6 || ids[3] != 5 {
		t.Fatalf("cards %v, want 1 (Access), 3 (Trust), 6 (none), 5 (parked)", ids)
	}
	if c := cards[0]; c.Text != "Meetings are always in working hours" || c.People != 2 || len(c.MergedFrom) != 1 || c.MergedFrom[0] != 2 || c.Theme.Name != "Access" ||
		c.Author != "" || len(c.Credits) != 0 {
		t.Errorf("merged card = %+v", c)
	}
	if c := cards[3]; !c.Parked || !c.Anonymous || c.Text != "- Parking by the river" {
		t.Errorf("parked card = %+v", c)
	}
	if got.Steps[0].StartedAt == nil || got.Steps[1].StartedAt == nil || got.Steps[4].StartedAt != nil {
		t.Errorf("started: %v %v %v", got.Steps[0].StartedAt, got.Steps[1].StartedAt, got.Steps[4].StartedAt)
	}
	if len(got.Participation.Named) != 1 || got.Participation.Named[0] != "Cy" {
		t.Errorf("named = %q, want only Cy, who asked", got.Participation.Named)
	}
	ballots := got.Steps[1].Ballots
	if len(ballots) != 2 || ballots[0].Status != "closed" || ballots[0].Results == nil || ballots[0].Results.Voters != 3 || ballots[0].Results.TotalDots != 13 {
		t.Fatalf("ballots = %+v", ballots)
	}
	// Card 1 has 5 dots, card 3 has 5 (tied first), card 6 has 3.
	res := ballots[0].Results.Items
	if len(res) != 3 || res[0].Rank != 1 || !res[0].Tied || res[1].Rank != 1 || !res[1].Tied || !res[0].Top || !res[1].Top ||
		res[2].Rank != 3 || res[2].Top || res[2].Dots != 3 || res[0].Source != "card" || res[0].Ref != 1 {
		t.Errorf("results = %+v", res)
	}
	if b := ballots[1]; b.Results != nil || b.Status != "open" || b.Voters != nil || b.Items[0].Dots != nil {
		t.Errorf("an open secret ballot's tally is in the report: %+v", b)
	}
	sts := got.Statements
	if len(sts) != 3 || sts[0].Status != "agreed" || sts[1].Status != "not-agreed" || sts[2].Status != "open" {
		t.Fatalf("statements = %+v", sts)
	}
	s1 := sts[0]
	if s1.RecordedRevision != 1 || s1.RecordedText != "Meet at varied times, some in the evening" || s1.Revision != 2 ||
		s1.Text != "Meet at varied times, some on Tuesday evenings" || len(s1.RevisedAfter) != 1 || s1.RevisedAfter[0].Reason != "feedback asked which evenings" ||
		s1.Result == nil || s1.Result.Responded != 3 || s1.Result.Levels[3].Count != 1 || s1.Result.Blocked ||
		len(s1.Actions) != 2 || s1.Actions[0].Owners[1] != "Library" || s1.Theme.Name != "Access" || s1.Proposer != "" {
		t.Errorf("agreed statement = %+v", s1)
	}
	// One response: whether it blocked is said, its level is not.
	if a := sts[1].Result; a == nil || !a.Blocked || a.Levels != nil || a.Withheld == "" || len(sts[1].Actions) != 0 {
		t.Errorf("not agreed statement = %+v", sts[1])
	}
	if len(got.Feedback) != 2 || got.Feedback[1].Text != "Weekends too?" || got.Feedback[0].Step != 4 || got.Feedback[0].Statement != 1 || got.Feedback[0].Author != "" {
		t.Errorf("feedback = %+v", got.Feedback)
	}
	if len(got.Steps[1].Cards) != 0 || got.Steps[1].Cards == nil {
		t.Errorf("voting step cards = %#v, want []", got.Steps[1].Cards)
	}
}

// The CSV tables, read back from the zip, hold what was entered; a cell
// that a spreadsheet would run as a formula is defused.
func TestCSVRoundTrip(t *testing.T) {
	r := build(t, forum(t))
	var b bytes.Buffer
	if err := r.WriteZip(&b); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
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
		tables[f.Name] = rows
	}
	for _, kind := range report.Kinds() {
		if _, ok := tables["riverside-"+kind+".csv"]; !ok {
			t.Errorf("no %s table in the zip (has %v)", kind, len(tables))
		}
	}
	cards := tables["riverside-cards.csv"]
	if len(cards) != 5 || cards[0][0] != "step" {
		t.Fatalf("cards.csv = %q", cards)
	}
	col := map[string]int{}
	for i, h := range cards[0] {
		col[h] = i
	}
	texts := []string{}
	for _, row := range cards[1:] {
		texts = append(texts, report.Undefuse(row[col["text"]]))
	}
	want := []string{"Meetings are always in working hours", "Nobody answers emails | *ever*", `=HYPERLINK("http://x") [link](http://x) <b>bold</b>`, "- Parking by the river"}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("card %d text = %q, want %q", i, texts[i], want[i])
		}
	}
	if raw := cards[3][col["text"]]; !strings.HasPrefix(raw, "'=") {
		t.Errorf("a formula reached the CSV as is: %q", raw)
	}
	if row := cards[1]; row[col["theme"]] != "Access" || row[col["people"]] != "2" || row[col["merged_from"]] != "2" {
		t.Errorf("merged card row = %q", row)
	}
	if row := cards[4]; row[col["parked"]] != "true" || row[col["anonymous"]] != "true" {
		t.Errorf("parked card row = %q", row)
	}
	if part := tables["riverside-participation.csv"]; len(part) != 1 || strings.Join(part[0], ",") != "sector,people,pooled" {
		t.Errorf("participation.csv = %q, want no sector of fewer than 3", part)
	}
	ballots := tables["riverside-ballots.csv"]
	if len(ballots) != 4 || ballots[1][col2(ballots, "rank")] != "1" || ballots[1][col2(ballots, "tied")] != "true" || ballots[3][col2(ballots, "dots")] != "3" {
		t.Errorf("ballots.csv = %q", ballots)
	}
	sts := tables["riverside-statements.csv"]
	if len(sts) != 4 || sts[1][col2(sts, "status")] != "agreed" || sts[1][col2(sts, "revised_after_reason")] != "feedback asked which evenings" || sts[2][col2(sts, "blocked")] != "true" {
		t.Errorf("statements.csv = %q", sts)
	}
	acts := tables["riverside-actions.csv"]
	if len(acts) != 3 || acts[1][col2(acts, "text")] != "Publish a timetable | quarterly" || acts[1][col2(acts, "owners")] != "Council; Library" {
		t.Errorf("actions.csv = %q", acts)
	}
	if fb := tables["riverside-feedback.csv"]; len(fb) != 3 || fb[2][col2(fb, "text")] != "Weekends too?" {
		t.Errorf("feedback.csv = %q", fb)
	}
	themes := tables["riverside-themes.csv"]
	if len(themes) != 4 || themes[1][2] != "Access" || themes[1][3] != "true" {
		t.Errorf("themes.csv = %q", themes)
	}
}

func col2(rows [][]string, name string) int {
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	return -1
}
