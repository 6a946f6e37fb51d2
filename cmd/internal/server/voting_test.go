package server_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"moot/session"
)

// Twenty people vote at once by SSH command while two watch the screen:
// the tally is exactly the sum of the votes accepted, nothing shows a
// count before the close, and both screens show the same ranking after.
func TestDotVoteStorm(t *testing.T) {
	ts := startServer(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ts.facilitator, "step goto 2")
	items := []string{"Meetings in working hours", "Too much jargon", "Nobody hears back", "Costs of taking part", "Buildings hard to reach"}
	line := "ballot open --max 3"
	for _, it := range items {
		line += fmt.Sprintf(" --item %q", it)
	}
	if out := ts.mustExec(t, ts.facilitator, line); !strings.Contains(out, "ballot #1 open: 5 items, 5 dots each, secret") {
		t.Fatalf("ballot open: %q", out)
	}

	watchers := make([]*terminal, 2)
	for i := range watchers {
		key := newKey(t)
		ts.mustExec(t, key, fmt.Sprintf("name Watcher%d", i))
		watchers[i] = ts.openTerminal(t, fmt.Sprintf("watcher%d", i), key)
		watchers[i].waitFor(t, wait, "Ballot #1", "secret until it closes", "You have 5 of 5 dots left")
	}
	// One watcher votes from the screen: two dots on the first item.
	watchers[0].typ(t, "\x1b[C")
	watchers[0].waitFor(t, wait, "You have 4 of 5 dots left")
	watchers[0].typ(t, "\x1b[C")
	watchers[0].waitFor(t, wait, "You have 3 of 5 dots left", "saved ✓")

	var mu sync.Mutex
	want := make([]int, len(items))
	want[0] = 2
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			key := newKey(t)
			if r := ts.exec(t, key, fmt.Sprintf("name Voter%d", i)); r.status != 0 {
				t.Errorf("name: %+v", r)
				return
			}
			if r := ts.exec(t, key, "vote 1 1=3 2=3"); r.status != 1 || !strings.Contains(r.stderr, "you have 5") {
				t.Errorf("over-budget vote: %+v", r)
			}
			// A first vote, then a change of mind: only the second counts.
			if r := ts.exec(t, key, "vote 1 5=1"); r.status != 0 {
				t.Errorf("vote: %+v", r)
			}
			a, b := 1+i%5, 1+(i+2)%5
			if r := ts.exec(t, key, fmt.Sprintf("vote 1 %d=3 %d=%d", a, b, 1+i%2)); r.status != 0 {
				t.Errorf("vote: %+v", r)
				return
			}
			mu.Lock()
			want[a-1] += 3
			want[b-1] += 1 + i%2
			mu.Unlock()
			// Nothing this voter can run shows a count.
			if r := ts.exec(t, key, "results 1"); r.status != 1 || !strings.Contains(r.stderr, "secret") {
				t.Errorf("results during a secret ballot: %+v", r)
			}
			if r := ts.exec(t, key, "ballots --json"); strings.Contains(r.stdout, `"voters"`) || regexp.MustCompile(`"dots": \d+,\s+"mine"`).MatchString(r.stdout) {
				t.Errorf("ballots --json during a secret ballot shows counts:\n%s", r.stdout)
			}
		}(i)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, w := range watchers {
		if s := w.screen(); strings.Contains(s, "voted") || strings.Contains(s, "%") || strings.Contains(s, "▇") {
			t.Errorf("%s's screen shows a count before the close:\n%s", w.name, frame(s))
		}
	}
	if out := ts.mustExec(t, ts.facilitator, "ballots"); !strings.Contains(out, "21 voted") {
		t.Errorf("the facilitator's count of voters: %s", out)
	}

	ts.mustExec(t, ts.facilitator, "ballot close 1")
	if r := ts.exec(t, newKey(t), "vote 1 1=1"); r.status != 1 {
		t.Errorf("vote by a newcomer after close: %+v", r)
	}
	var res session.ResultsView
	out := ts.mustExec(t, ts.facilitator, "results 1 --json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := make([]int, len(items))
	for _, it := range res.Items {
		got[it.ID-1] = it.Dots
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || res.Voters != 21 {
		t.Fatalf("tally %v from %d voters, want %v from 21", got, res.Voters, want)
	}
	// Both watchers' screens show the same ranking.
	var rankings []string
	for _, w := range watchers {
		w.waitFor(t, wait, "closed · final results", "21 people voted")
		var order []string
		for _, l := range strings.Split(w.screen(), "\n") {
			if strings.Contains(l, "▇") {
				// Without the "you N" each watcher sees of their own dots.
				l = regexp.MustCompile(` you \d+\s*$`).ReplaceAllString(l, "")
				order = append(order, strings.Join(strings.Fields(strings.ReplaceAll(l, "▇", "")), " "))
			}
		}
		if len(order) != len(items) {
			t.Errorf("%s's chart has %d bars, want %d:\n%s", w.name, len(order), len(items), frame(w.screen()))
		}
		rankings = append(rankings, strings.Join(order, "\n"))
	}
	if rankings[0] != rankings[1] {
		t.Errorf("the watchers' rankings differ:\n%s\n---\n%s", rankings[0], rankings[1])
	}
	first := res.Items[0]
	if !strings.Contains(rankings[0], truncateText(first.Text, 20)) {
		t.Errorf("the screen's ranking does not lead with %q:\n%s", first.Text, rankings[0])
	}
}

func truncateText(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
