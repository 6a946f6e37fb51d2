package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Gus is the only person from a public body in a room of eight. He votes
// and gives his level like everyone else; nothing anyone else is given,
// on their screen, from a command or in the export, breaks a count down so
// that his group is him alone: Public body is only ever counted together
// with other small sectors, in a group of at least three.
func TestAloneInTheirSectorOverSSH(t *testing.T) {
	ts := startServer(t)
	fac := ts.facilitator
	type person struct {
		name, sector string
		key          gossh.Signer
		dots, level  string
	}
	room := []*person{
		{name: "Fran", sector: "Local government", key: fac, dots: "1=3 2=2", level: "1"},
		{name: "Cleo", sector: "Community", dots: "1=5", level: "1"},
		{name: "Cato", sector: "Community", dots: "1=3 2=2", level: "2"},
		{name: "Cass", sector: "Community", dots: "2=5", level: "1"},
		{name: "Cole", sector: "Community", dots: "1=1 2=4", level: "2"},
		{name: "Tess", sector: "Third sector", dots: "1=2 2=3", level: "1"},
		{name: "Theo", sector: "Third sector", dots: "2=5", level: "2"},
		{name: "Gus", sector: "Public body", dots: "3=5", level: "4"},
	}
	for _, p := range room {
		if p.key == nil {
			p.key = newKey(t)
		}
		ts.mustExec(t, p.key, fmt.Sprintf("name %s --sector %q", p.name, p.sector))
	}
	gus, others := room[7], room[:7]
	ts.mustExec(t, fac, "step goto 2")
	screens := []*terminal{ts.openTerminal(t, "Fran", fac), ts.openTerminal(t, "Cleo", room[1].key), ts.openTerminal(t, "Tess", room[5].key)}
	ts.mustExec(t, fac, "ballot open --item Buses --item Jargon --item Buildings")
	for _, p := range room {
		ts.mustExec(t, p.key, "vote 1 "+p.dots)
	}
	ts.mustExec(t, fac, "ballot close 1")

	// The results by sector on every other screen: Community on its own,
	// Gus's sector only with Local government and Third sector.
	pooled := "Other sectors (Local government, Public body, Third sector)"
	for _, tm := range screens {
		tm.waitFor(t, wait, "closed · final results")
		tm.typ(t, "s")
	}
	for _, tm := range screens {
		tm.waitFor(t, wait, "Community · 4 voted")
		aloneNowhere(t, tm.name+"'s screen", tm.screen())
	}
	for _, tm := range screens[1:] {
		tm.waitFor(t, wait, pooled+" · 4 voted", "counted together as Other sectors")
	}

	// Gus's level on a statement, among everyone's.
	ts.mustExec(t, fac, "step goto 3")
	ts.mustExec(t, fac, "propose Meet in the evening")
	ts.mustExec(t, fac, "check open 1")
	for _, p := range room {
		ts.mustExec(t, p.key, "agree 1 "+p.level)
	}
	ts.mustExec(t, fac, "check close 1")
	for _, tm := range screens {
		tm.waitFor(t, wait, "Meet in the evening")
		tm.typ(t, "\r") // the statement's history, its check by sector
	}
	for _, tm := range screens {
		tm.waitFor(t, wait, "Community: 4 responded")
		aloneNowhere(t, tm.name+"'s screen", tm.screen())
	}
	for _, tm := range screens[1:] {
		tm.waitFor(t, wait, pooled+": 4")
	}

	// Every command that shows a count, as each of the others runs it.
	for _, p := range others {
		for _, cmd := range []string{"results 1 --by-sector", "statement 1", "ballots"} {
			aloneNowhere(t, p.name+": "+cmd, ts.mustExec(t, p.key, cmd))
		}
		for _, cmd := range []string{"results 1 --by-sector --json", "statement 1 --json", "statements --json", "ballots --json"} {
			aloneNowhereJSON(t, p.name+": "+cmd, ts.mustExec(t, p.key, cmd))
		}
	}
	var res struct {
		Sectors []struct {
			Sector string
			Pooled []string
			Voters int
			Dots   []int
		}
	}
	if err := json.Unmarshal([]byte(ts.mustExec(t, room[1].key, "results 1 --by-sector --json")), &res); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", res.Sectors) != "[{Sector:Community Pooled:[] Voters:4 Dots:[9 11 0]} {Sector:Other sectors Pooled:[Local government Public body Third sector] Voters:4 Dots:[5 10 5]}]" {
		t.Errorf("results by sector: %+v", res.Sectors)
	}

	// The export, in every format.
	aloneNowhere(t, "export --format md", ts.mustExec(t, fac, "export --format md"))
	aloneNowhereJSON(t, "export --format json", ts.mustExec(t, fac, "export --format json"))
	part := ts.mustExec(t, fac, "export --format csv --kind participation")
	for _, line := range strings.Split(part, "\n") {
		if strings.HasPrefix(line, "Public body,") {
			t.Errorf("the participation table counts Public body on its own:\n%s", part)
		}
	}
	// Gus himself still sees his own dots and level.
	if out := ts.mustExec(t, gus.key, "myvote 1"); !strings.Contains(out, "●●●●●") {
		t.Errorf("Gus's own vote: %s", out)
	}
	if out := ts.mustExec(t, gus.key, "statement 1 --json"); !strings.Contains(out, `"mine": 4`) {
		t.Errorf("Gus's own level: %s", out)
	}
}

// aloneNowhere fails the test if text breaks a count down to Public body
// on its own: as a line of results or of a check by sector, or a row of a
// table. Public body inside "Other sectors (...)" is counted with others.
func aloneNowhere(t *testing.T, where, text string) {
	t.Helper()
	for _, pattern := range []string{"Public body ·", "Public body:", "Public body (", "| Public body |"} {
		if strings.Contains(text, pattern) {
			t.Errorf("%s breaks a count down to Public body alone (%q):\n%s", where, pattern, text)
		}
	}
}

// aloneNowhereJSON fails the test if any group in JSON is Public body on
// its own.
func aloneNowhereJSON(t *testing.T, where, text string) {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("%s: %v\n%s", where, err, text)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["sector"] == "Public body" && v["pooled"] == nil {
				t.Errorf("%s has a group of Public body on its own: %v", where, v)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}
