package command_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/store"
)

// tabledHub is a forum whose first step is a dialogue at tables, with
// twelve people in two sectors besides the facilitator.
func tabledHub(t *testing.T) (*session.Hub, []string) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Community", "Third sector"},
		Steps: []session.Step{
			{Title: "At tables", Phase: session.Dialogue, Tables: true},
			{Title: "Report back", Phase: session.Dialogue},
			{Title: "Vote", Phase: session.Voting},
		},
		Facilitators: []string{facilitator},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	var people []string
	mustRun(t, h, facilitator, "name Fran")
	for i := range 12 {
		id := fmt.Sprintf("SHA256:p%02d", i) // in the order they join, as people join seconds apart
		people = append(people, id)
		mustRun(t, h, id, fmt.Sprintf("name Person %d --sector %s", i, []string{"Community", "Third sector"}[i%2]))
	}
	return h, people
}

func mustRun(t *testing.T, h *session.Hub, actor, line string) string {
	t.Helper()
	out, err := run(h, actor, line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return out
}

func TestTableCommands(t *testing.T) {
	h, people := tabledHub(t)
	for line, want := range map[string]string{
		"tables make 2":              "only a facilitator",
		"tables make 2 --size 3":     "only a facilitator",
		"table move Person 1 --to 2": "only a facilitator",
		"tables --size 3":            "--size goes with make",
	} {
		if _, err := run(h, people[0], line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q by a participant: %v, want %q", line, err, want)
		}
	}
	if _, err := run(h, facilitator, "tables make"); err == nil || !strings.Contains(err.Error(), "the agenda says nothing about tables") {
		t.Errorf("tables make with no agenda: %v", err)
	}
	out := mustRun(t, h, facilitator, "tables make 3 --by-sector")
	if !strings.Contains(out, "3 tables made, balanced by sector: Table 1 (4), Table 2 (4), Table 3 (4)") {
		t.Errorf("tables make: %q", out)
	}
	out = mustRun(t, h, people[0], "tables")
	if !strings.Contains(out, "#1 Table 1 · 4 people · no reporter yet · 0 cards, 0 brought back · you sit here") || strings.Count(out, "Person") != 4 {
		t.Errorf("tables as Person 0 sees them:\n%s", out)
	}
	var tables []session.TableView
	if err := json.Unmarshal([]byte(mustRun(t, h, facilitator, "tables --json")), &tables); err != nil || len(tables) != 3 || len(tables[2].Members) != 4 || tables[0].Connected == nil {
		t.Fatalf("tables --json: %v %+v", err, tables)
	}
	out = mustRun(t, h, facilitator, "table move Person 0 --to Table 2")
	if out != "Person 0 now sits at Table 2\n" {
		t.Errorf("table move: %q", out)
	}
	if _, err := run(h, facilitator, "table move Nobody --to 2"); err == nil || !strings.Contains(err.Error(), `nobody called "Nobody"`) {
		t.Errorf("moving nobody: %v", err)
	}
	mustRun(t, h, facilitator, "step next")
	mustRun(t, h, people[0], "say The buses stop at six")
	mustRun(t, h, people[1], "say Nobody hears back") // at Table 1
	if _, err := run(h, people[0], "bring 1"); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("bring by someone who is not the reporter: %v", err)
	}
	out = mustRun(t, h, people[0], "table reporter")
	if !strings.Contains(out, "Person 0 reports for the table") {
		t.Errorf("table reporter: %q", out)
	}
	mustRun(t, h, people[0], "bring 1")
	if _, err := run(h, people[0], "cards --table 1"); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("looking into another table: %v", err)
	}
	var cards []session.CardView
	if err := json.Unmarshal([]byte(mustRun(t, h, people[0], "cards --json")), &cards); err != nil || len(cards) != 1 || cards[0].Table == nil || cards[0].Table.Name != "Table 2" || !cards[0].BroughtBack {
		t.Errorf("Person 0's cards: %v %+v", err, cards)
	}
	out = mustRun(t, h, facilitator, "cards --table 1")
	if !strings.Contains(out, "Nobody hears back") || strings.Contains(out, "buses") {
		t.Errorf("the facilitator looking into Table 1:\n%s", out)
	}
	mustRun(t, h, facilitator, "step next")
	out = mustRun(t, h, people[5], "brought")
	if out != "Table 2\n  #1    The buses stop at six\n" {
		t.Errorf("brought:\n%s", out)
	}
	// Hands at a table: the reporter calls the next.
	mustRun(t, h, facilitator, "step goto 1")
	mustRun(t, h, people[1], "hand up") // at Table 1
	if _, err := run(h, people[0], "next-speaker"); err == nil || !strings.Contains(err.Error(), "no hands are up at Table 2") {
		t.Errorf("next-speaker by the reporter, with no hand up at the table: %v", err)
	}
	if out := mustRun(t, h, people[2], "hand up"); out != "your hand is up: number 1 in the queue\n" { // at Table 2
		t.Errorf("hand up: %q", out)
	}
	if out := mustRun(t, h, people[0], "next-speaker"); out != "Person 2 has the floor\n" {
		t.Errorf("next-speaker by the reporter: %q", out)
	}
}

func TestPollCommands(t *testing.T) {
	h, people := tabledHub(t)
	mustRun(t, h, facilitator, "step goto 2")
	for line, want := range map[string]string{
		"poll open scale How far? --points 5": "only a facilitator",
		"poll close 1":                        "only a facilitator",
		"answer 1 3":                          "no poll #1",
	} {
		if _, err := run(h, people[0], line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q by a participant: %v, want %q", line, err, want)
		}
	}
	for line, want := range map[string]string{
		"poll open ladder How far?":                                "unknown kind of poll",
		"poll open scale":                                          "needs a question",
		"poll open scale How far? --points 12":                     "from 2 to 10 points",
		"poll open choice Which? --option A":                       "from 2 to 20 options",
		"poll open --agenda":                                       "the agenda lists no polls",
		"poll open words One word --points 3":                      "points and labels belong to a scale",
		"poll open scale How far? --label low --label x --label y": "a label for each end (2) or for each point (5), not 3",
	} {
		if _, err := run(h, facilitator, line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", line, err, want)
		}
	}
	out := mustRun(t, h, facilitator, "poll open scale Where does our practice sit? --points 5 --label doing to --label doing with")
	if out != "poll #1 open: a scale of 5 points, secret until it closes\n" {
		t.Errorf("poll open: %q", out)
	}
	out = mustRun(t, h, facilitator, "poll open multiple Which first? --option Housing --option Buses, trains and trams --option Parks --max 2 --live")
	if out != "poll #2 open: up to 2 of 3 options, live: results show as people answer\n" {
		t.Errorf("poll open: %q", out)
	}
	mustRun(t, h, facilitator, "poll open words One word for today --words 2")
	for i, p := range people {
		mustRun(t, h, p, fmt.Sprintf("answer 1 %d", 1+i%5))
		mustRun(t, h, p, []string{"answer 2 1 3", "answer 2 Buses, trains and trams", "answer 2 2,3"}[i%3])
		mustRun(t, h, p, []string{"answer 3 More buses", "answer 3 more BUS", "answer 3 Trust"}[i%3])
	}
	if out := mustRun(t, h, people[0], "answer 1 doing with"); out != "saved: poll #1, 5 (doing with)\n" {
		t.Errorf("answer by a label: %q", out)
	}
	for line, want := range map[string]string{
		"answer 1 6":         "a point from 1 to 5",
		"answer 1 far":       "the label of one",
		"answer 2 1 2 3":     "up to 2 options",
		"answer 3 a b c":     "up to 2 words",
		"answer 1":           "give your answer",
		"poll results 1":     "its results show when the facilitator closes it",
		"poll 1":             "open, close, results, hide or restore",
		"answer 1 2 --clear": "--clear takes no answer",
	} {
		if _, err := run(h, people[1], line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", line, err, want)
		}
	}
	out = mustRun(t, h, people[1], "polls")
	if first, _, _ := strings.Cut(out, "\n"); first != "#1 Where does our practice sit? (step 2) · a scale of 5 points · open · secret · yours: 2" {
		t.Errorf("polls as a participant sees them:\n%s", out)
	}
	if out := mustRun(t, h, facilitator, "polls"); !strings.Contains(out, "12 answered") {
		t.Errorf("polls as the facilitator sees them:\n%s", out)
	}
	out = mustRun(t, h, people[1], "poll results 2")
	if !strings.Contains(out, "live, still open; 12 answered") || !strings.Contains(out, "Buses, trains and trams") {
		t.Errorf("a live poll:\n%s", out)
	}
	if _, err := run(h, facilitator, "poll close"); err == nil || !strings.Contains(err.Error(), "3 polls are open") {
		t.Errorf("poll close with three open: %v", err)
	}
	out = mustRun(t, h, facilitator, "poll close --all")
	if strings.Count(out, "closed") != 3 {
		t.Errorf("poll close --all: %q", out)
	}
	var p session.PollView
	if err := json.Unmarshal([]byte(mustRun(t, h, people[1], "poll results 1 --json --by-sector")), &p); err != nil || p.Results == nil {
		t.Fatalf("poll 1 --json: %v %+v", err, p)
	}
	var counts []int
	for _, c := range p.Results.Counts {
		counts = append(counts, c.Count)
	}
	if fmt.Sprint(counts) != "[2 3 2 2 3]" || *p.Results.Mean != 3.08 || p.Mine.Point != 2 || len(p.Results.Sectors) != 2 {
		t.Errorf("poll 1's results: %v mean %v, mine %+v, sectors %+v", counts, *p.Results.Mean, p.Mine, p.Results.Sectors)
	}
	out = mustRun(t, h, people[1], "poll results 3")
	if !strings.Contains(out, "bus ") || !strings.Contains(out, "more bus") || !strings.Contains(out, "trust") {
		t.Errorf("a words poll's results:\n%s", out)
	}
	if _, err := run(h, people[1], "answer 1 3"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("answering a closed poll: %v", err)
	}
}
