package command_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"moot/session"
)

func TestVotingCommands(t *testing.T) {
	h := newHub(t)
	bob := "SHA256:bob"
	for _, c := range [][2]string{{ada, "name Ada --sector community"}, {bob, "name Bob"}, {facilitator, "name Fran"},
		{facilitator, "step next"}, {ada, "say Meetings in working hours"}, {bob, "say Too much jargon"}, {bob, "say Nobody hears back"},
		{facilitator, "step next"}} {
		if _, err := run(h, c[0], c[1]); err != nil {
			t.Fatalf("%s: %v", c[1], err)
		}
	}
	if _, err := run(h, ada, "ballot open --item a --item b"); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("participant opening a ballot: %v", err)
	}
	// With no source named, the cards of the dialogue step before.
	out, err := run(h, facilitator, "ballot open --max 3")
	if err != nil || !strings.Contains(out, "ballot #1 open: 3 items, 5 dots each, secret") {
		t.Fatalf("ballot open: %q %v", out, err)
	}
	for line, want := range map[string]string{
		"vote 1 1=3 2=3":   "that is 6 dots; you have 5",
		"vote 1 1=4":       "at most 3",
		"vote 1 9=1":       "no item 9",
		"vote 1 1=-2":      "negative",
		"vote 1 1=x":       "ITEM=DOTS",
		"vote 1 1":         "ITEM=DOTS",
		"vote 1":           "--clear",
		"vote 7 1=1":       "no ballot #7",
		"vote one 1=1":     "not a ballot number",
		"vote 1 1=1 1=2":   "named twice",
		"results 1":        "secret",
		"myvote 9":         "no ballot",
		"ballot close 1":   "only a facilitator",
		"results 1 --json": "secret",
	} {
		if _, err := run(h, ada, line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", line, err, want)
		}
	}
	if out, err := run(h, ada, "vote 1 1=3 3=2"); err != nil || !strings.Contains(out, "saved: ballot #1 1=3 3=2 (5 of 5 dots, 0 left)") {
		t.Fatalf("vote: %q %v", out, err)
	}
	if _, err := run(h, bob, "vote 1 3=3 #2=1"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(h, facilitator, "vote 1 2=2"); err != nil {
		t.Fatal(err)
	}
	// Nothing a participant can run shows a count while the ballot is secret.
	out, _ = run(h, bob, "ballots --json")
	var secret []session.BallotView
	if err := json.Unmarshal([]byte(out), &secret); err != nil || len(secret) != 1 || secret[0].Voters != nil {
		t.Errorf("ballots --json for a participant during a secret ballot: %s %v", out, err)
	}
	for _, it := range secret[0].Items {
		if it.Dots != nil {
			t.Errorf("ballots --json shows a count during a secret ballot: %s", out)
		}
	}
	if out, _ := run(h, bob, "ballots"); strings.Contains(out, "dots]") || strings.Contains(out, "voted") {
		t.Errorf("ballots shows counts during a secret ballot:\n%s", out)
	}
	out, _ = run(h, bob, "myvote 1 --json")
	var mv session.MyVoteView
	if err := json.Unmarshal([]byte(out), &mv); err != nil || mv.Spent != 4 || len(mv.Items) != 2 || mv.Items[0].ID != 2 {
		t.Errorf("myvote: %s %v", out, err)
	}
	if _, err := run(h, facilitator, "results 1"); err == nil || !strings.Contains(err.Error(), "3 people have voted") {
		t.Errorf("results for the facilitator during a secret ballot: %v", err)
	}
	out, _ = run(h, facilitator, "ballots --json")
	var bs []session.BallotView
	if err := json.Unmarshal([]byte(out), &bs); err != nil || len(bs) != 1 || bs[0].Voters == nil || *bs[0].Voters != 3 || bs[0].Items[0].Dots != nil {
		t.Fatalf("ballots for the facilitator: %s %v", out, err)
	}
	// Items need no quotes: an item runs on to the next flag.
	if _, err := run(h, facilitator, "ballot open --item Meetings in working hours --dots 3 --item Jargon"); err != nil {
		t.Fatal(err)
	}
	if b, _ := h.Snapshot().Ballot(2); b.Items[0].Text != "Meetings in working hours" || b.Items[1].Text != "Jargon" || b.Dots != 3 {
		t.Errorf("unquoted items: %+v", b)
	}
	if _, err := run(h, facilitator, "ballot open stray --item a --item b"); err == nil {
		t.Error("a stray word before the items was accepted")
	}
	// A live ballot shows its count to all.
	if _, err := run(h, facilitator, `ballot open --title Second question --item Transport --item Cost --dots 3 --live`); err != nil {
		t.Fatal(err)
	}
	if _, err := run(h, ada, "vote 3 1=2"); err != nil {
		t.Fatal(err)
	}
	// One vote alone would be told from the tally: it shows from three.
	if _, err := run(h, bob, "results 3"); err == nil || !strings.Contains(err.Error(), "once 3 people have voted") {
		t.Errorf("live results of one vote: %v", err)
	}
	for _, who := range []string{bob, facilitator} {
		if _, err := run(h, who, "vote 3 2=1"); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run(h, bob, "results 3"); err != nil || !strings.Contains(out, "live, still open") {
		t.Errorf("live results: %q %v", out, err)
	}

	if out, err := run(h, facilitator, "ballot close 1"); err != nil || !strings.Contains(out, "closed") {
		t.Fatalf("close: %q %v", out, err)
	}
	if _, err := run(h, ada, "vote 1 1=1"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("vote after close: %v", err)
	}
	out, err = run(h, bob, "results 1 --json --by-sector")
	if err != nil {
		t.Fatal(err)
	}
	var res session.ResultsView
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// Item 3: 2+3 = 5; item 1: 3; item 2: 1+2 = 3: a tie for second.
	if !res.Final || res.Voters != 3 || res.TotalDots != 11 || res.Items[0].ID != 3 || res.Items[0].Dots != 5 ||
		res.Items[1].Rank != 2 || !res.Items[1].Tied || res.Items[2].Rank != 2 || !res.Items[2].Top {
		t.Errorf("results: %s", out)
	}
	// Ada alone in Community: no sector is shown that would single her out.
	if len(res.Sectors) != 0 || !strings.Contains(res.SectorsNote, "Community and No sector given each have fewer than 3 voters") {
		t.Errorf("by sector: %+v %q", res.Sectors, res.SectorsNote)
	}
	if out, _ := run(h, ada, "results 1"); !strings.Contains(out, "=2") || !strings.Contains(out, "▇") {
		t.Errorf("results text:\n%s", out)
	}
}
