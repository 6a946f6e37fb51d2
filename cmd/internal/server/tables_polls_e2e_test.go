package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// tablesForum is a forum for a room at tables: a dialogue step at tables,
// a step to report back, and an evaluation of a ladder, a choice and a
// few words.
func tablesForum() *session.Forum {
	return &session.Forum{
		Slug: "town", Title: "Town forum", Sectors: []string{"Local government", "Public body", "Third sector", "Community"},
		Steps: []session.Step{
			{Title: "At tables", Phase: session.Dialogue, Prompt: "What gets in the way?", Tables: true},
			{Title: "Report back", Phase: session.Dialogue, Prompt: "What did your table bring back?"},
			{Title: "How did it go?", Phase: session.Polling, Evaluation: true, Polls: []session.PollSpec{
				{Question: "Where does our practice sit?", Kind: session.PollScale, Points: 5, Labels: []string{"doing to", "doing with"}},
				{Question: "Which should come first?", Kind: session.PollChoice, Options: []string{"Housing", "Transport", "Parks"}},
				{Question: "One or two words for today", Kind: session.PollWords, Words: 2},
			}},
		},
	}
}

type seated struct {
	name, sector string
	key          gossh.Signer
	screen       *terminal
	table        string
}

// parallel runs f for every person at once, as a room does.
func parallel(people []*seated, f func(i int, p *seated)) {
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i, p)
		}()
	}
	wg.Wait()
}

// Twenty-four people, six in each of four sectors, at four tables
// balanced by sector, write cards on a step at tables from their screens:
// each screen shows only its own table's cards. Reporters bring points
// back; the next step, the room's screen and the export show them by
// table. Someone who joins late lands at the table that keeps sizes and
// balance.
func TestTwentyFourAtFourTablesOverSSH(t *testing.T) {
	ts := startForums(t, tablesForum())
	fac := ts.facilitator
	ts.mustExec(t, fac, "name Fran")
	sectors := tablesForum().Sectors
	var room []*seated
	for i := range 24 {
		room = append(room, &seated{name: fmt.Sprintf("P%02d", i), sector: sectors[i%4], key: newKey(t)})
	}
	parallel(room, func(_ int, p *seated) { ts.mustExec(t, p.key, fmt.Sprintf("name %s --sector %s", p.name, p.sector)) })
	if out := ts.mustExec(t, fac, "tables make 4 --by-sector"); !strings.Contains(out, "4 tables made, balanced by sector: Table 1 (6), Table 2 (6), Table 3 (6), Table 4 (6)") {
		t.Fatalf("tables make: %q", out)
	}
	var tables []session.TableView
	mustJSON(t, ts.mustExec(t, fac, "tables --json"), &tables)
	for _, tv := range tables {
		if tv.People != 6 || len(tv.Sectors) != 4 {
			t.Errorf("%s: %d people, sectors %+v", tv.Name, tv.People, tv.Sectors)
		}
		for _, p := range room {
			if slices.Contains(tv.Members, p.name) {
				p.table = tv.Name
			}
		}
	}
	ts.mustExec(t, fac, "step next")
	for _, p := range room {
		p.screen = ts.openTerminal(t, p.name, p.key)
	}
	parallel(room, func(_ int, p *seated) {
		// Not "No cards yet": others at the table may post before this
		// screen has drawn its first frame.
		p.screen.waitFor(t, wait, p.table+" · 6 people")
		p.screen.typ(t, "w")
		p.screen.waitFor(t, wait, "New card")
		p.screen.typ(t, "Point from "+p.name+"\r")
	})
	// Each screen counts its table's six cards and shows none of
	// another's; scrolled to the top, it shows its table's first ones.
	for _, p := range room {
		p.screen.waitFor(t, wait, "6 cards")
		p.screen.typ(t, "\x1b[H")        // Home
		p.screen.waitFor(t, wait, "› #") // the first card, selected
		screen := p.screen.screen()
		own := 0
		for _, o := range room {
			switch at := strings.Contains(screen, "Point from "+o.name); {
			case at && o.table != p.table:
				t.Errorf("%s's screen (at %s) shows %s's card (at %s):\n%s", p.name, p.table, o.name, o.table, frame(screen))
			case at:
				own++
			}
		}
		if own < 3 {
			t.Errorf("%s's screen shows %d of its table's cards:\n%s", p.name, own, frame(screen))
		}
	}
	// One reporter at each table brings its first card back.
	reporters := map[string]*seated{}
	for _, p := range room {
		if reporters[p.table] == nil {
			reporters[p.table] = p
		}
	}
	brought := map[string]string{}
	for table, r := range reporters {
		r.screen.typ(t, "R")
		r.screen.waitFor(t, wait, "you report for the table")
		r.screen.typ(t, "\x1b[H") // Home: the first card
		r.screen.typ(t, "b")
		r.screen.waitFor(t, wait, "brought back to the room", "★ brought back")
		var cards []session.CardView
		mustJSON(t, ts.mustExec(t, r.key, "cards --json"), &cards)
		for _, c := range cards {
			if c.BroughtBack {
				brought[table] = c.Text
			}
		}
	}
	if len(brought) != 4 {
		t.Fatalf("brought back: %v", brought)
	}
	// Someone who is not the reporter cannot bring cards back.
	for _, p := range room {
		if reporters[p.table] != p {
			if r := ts.exec(t, p.key, "bring 1"); r.status != 1 {
				t.Errorf("bring by %s, who is not a reporter: %+v", p.name, r)
			}
			break
		}
	}
	// The plenary: everyone's next step shows what came back, by table;
	// so do the room's screen and the export.
	projector := ts.openTerminalOn(t, "projector", ts.dialAs(t, "town+screen", gossh.PublicKeys(newKey(t))))
	ts.mustExec(t, fac, "step next")
	for _, p := range room[:4] {
		p.screen.waitFor(t, wait, "The tables brought back 4 points from step 1 (B shows them)")
		p.screen.typ(t, "B")
		p.screen.waitFor(t, wait, "Brought back from the tables (step 1)", "TABLE 1", "TABLE 4")
	}
	projector.waitFor(t, wait, "BROUGHT BACK FROM THE TABLES")
	for table, text := range brought {
		projector.waitFor(t, wait, table, text)
	}
	out := ts.mustExec(t, fac, "brought")
	md := ts.mustExec(t, fac, "export --format md")
	for _, table := range []string{"Table 1", "Table 2", "Table 3", "Table 4"} {
		if !strings.Contains(out, table+"\n  #") || !strings.Contains(out, brought[table]) {
			t.Errorf("brought does not give %s's point %q:\n%s", table, brought[table], out)
		}
		section := md[strings.Index(md, "#### "+table+" (6 people)"):]
		if !strings.HasPrefix(section, "#### "+table+" (6 people)\n\n**Brought back to the room:**\n\n- "+brought[table]) {
			t.Errorf("the export's %s:\n%s", table, section[:min(len(section), 300)])
		}
	}
	// A late joiner of Public body lands at the first table with fewest
	// of Public body (all are of six).
	want := ""
	fewest := 99
	for _, tv := range tables {
		for _, s := range tv.Sectors {
			if s.Sector == "Public body" && s.People < fewest {
				want, fewest = tv.Name, s.People
			}
		}
	}
	late := newKey(t)
	ts.mustExec(t, late, "name Late --sector Public body")
	out = ts.mustExec(t, late, "tables")
	if !slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool {
		return strings.Contains(l, " "+want+" · 7 people") && strings.HasSuffix(l, "you sit here")
	}) {
		t.Errorf("the late joiner's tables (want %s):\n%s", want, out)
	}
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%v:\n%s", err, s)
	}
}

// Twenty people answer a ladder, a choice and a few words, ten by screen
// and ten by command; at the close every screen shows the results; by
// sector they keep the small-group rule; the report holds the evaluation.
func TestEvaluationPollsOverSSH(t *testing.T) {
	ts := startForums(t, tablesForum())
	fac := ts.facilitator
	ts.mustExec(t, fac, "name Fran")
	sectors := tablesForum().Sectors
	// Six each of three sectors, and two of Public body.
	var room []*seated
	for i := range 20 {
		sector := sectors[[]int{0, 2, 3}[i%3]]
		if i >= 18 {
			sector = "Public body"
		}
		room = append(room, &seated{name: fmt.Sprintf("P%02d", i), sector: sector, key: newKey(t)})
	}
	parallel(room, func(_ int, p *seated) { ts.mustExec(t, p.key, fmt.Sprintf("name %s --sector %s", p.name, p.sector)) })
	ts.mustExec(t, fac, "step goto 3")
	byScreen, byCommand := room[:10], room[10:]
	for _, p := range byScreen {
		p.screen = ts.openTerminal(t, p.name, p.key)
		p.screen.waitFor(t, wait, "No poll yet")
	}
	if out := ts.mustExec(t, fac, "poll open --agenda"); strings.Count(out, "open:") != 3 {
		t.Fatalf("poll open --agenda: %q", out)
	}
	points := func(i int) int { return 1 + i%5 }
	choice := func(i int) int { return 1 + i%3 }
	words := []string{"More buses", "trust", "more bus", "listening", "buses"}
	parallel(byScreen, func(i int, p *seated) {
		tm := p.screen
		tm.waitFor(t, wait, "Poll #1 · open · secret until it closes", "doing to")
		tm.typ(t, strings.Repeat("\x1b[B", points(i)-1)+"\r")
		tm.waitFor(t, wait, "Poll #2", "Housing")
		tm.typ(t, fmt.Sprint(choice(i)))
		tm.waitFor(t, wait, "Poll #3", "You have not answered yet")
		tm.typ(t, "\r")
		tm.waitFor(t, wait, "Your answer")
		tm.typ(t, words[i%5]+"\r")
		tm.waitFor(t, wait, "saved ✓")
	})
	parallel(byCommand, func(j int, p *seated) {
		i := j + 10
		ts.mustExec(t, p.key, fmt.Sprintf("answer 1 %d", points(i)))
		ts.mustExec(t, p.key, fmt.Sprintf("answer 2 %s", []string{"Housing", "Transport", "Parks"}[choice(i)-1]))
		ts.mustExec(t, p.key, "answer 3 "+words[i%5])
	})
	// Nothing shows a count before the close.
	for _, p := range byScreen {
		if s := p.screen.screen(); strings.Contains(s, "%") || strings.Contains(s, "▇") {
			t.Errorf("%s's screen shows a count before the close:\n%s", p.name, frame(s))
		}
	}
	if r := ts.exec(t, byCommand[0].key, "poll results 1"); r.status != 1 || !strings.Contains(r.stderr, "when the facilitator closes it") || strings.Contains(r.stdout, "answered") {
		t.Errorf("poll 1 before the close: %+v", r)
	}
	if out := ts.mustExec(t, fac, "polls"); strings.Count(out, "20 answered") != 3 {
		t.Errorf("the facilitator's count of answers:\n%s", out)
	}
	ts.mustExec(t, fac, "poll close --all")
	var p1 session.PollView
	mustJSON(t, ts.mustExec(t, byCommand[0].key, "poll results 1 --json --by-sector"), &p1)
	want := make([]int, 5)
	for i := range room {
		want[points(i)-1]++
	}
	var got []int
	for _, c := range p1.Results.Counts {
		got = append(got, c.Count)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || p1.Results.Respondents != 20 || p1.Results.Mean == nil {
		t.Errorf("the ladder's results: %v (want %v), %+v", got, want, p1.Results)
	}
	pooled := false
	for _, s := range p1.Results.Sectors {
		if s.Respondents < 3 {
			t.Errorf("%s shows %d people", session.GroupLabel(s.Sector, s.Pooled), s.Respondents)
		}
		if s.Sector == "Public body" {
			t.Errorf("Public body, of two, is shown on its own")
		}
		pooled = pooled || slices.Contains(s.Pooled, "Public body")
	}
	if !pooled || !strings.Contains(p1.Results.SectorsNote, "Public body has fewer than 3 people answering") {
		t.Errorf("by sector: %+v, note %q", p1.Results.Sectors, p1.Results.SectorsNote)
	}
	// Every screen shows the results at the close.
	for _, p := range byScreen {
		p.screen.waitFor(t, wait, "closed · final results", "20 people answered")
	}
	byScreen[0].screen.typ(t, "[")
	byScreen[0].screen.waitFor(t, wait, "Poll #2", "Housing", "%")
	byScreen[0].screen.typ(t, "[")
	byScreen[0].screen.waitFor(t, wait, "Poll #1", "mean", "doing to")
	byScreen[0].screen.typ(t, "s")
	byScreen[0].screen.waitFor(t, wait, "Other sectors (Public body")
	md := ts.mustExec(t, fac, "export --format md")
	for _, w := range []string{"## Evaluation", "### Poll 1: Where does our practice sit?", "20 people answered. Mean", "### Poll 3: One or two words for today", "| bus | 12 |"} {
		if !strings.Contains(md, w) {
			t.Errorf("the report does not say %q:\n%s", w, md[strings.Index(md, "## Evaluation"):])
		}
	}
}
