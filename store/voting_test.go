package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moot/session"
)

// The schema keeps the voting rules even against a writer that skips the
// Hub.
func TestSchemaKeepsVotingRules(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st := open(t, path)
	f := forum()
	if _, err := st.OpenForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	recs := []session.Record{
		{Seq: 1, At: now, Actor: "a", Event: session.ParticipantNamed{Participant: session.Participant{ID: "a", Name: "A"}}},
		{Seq: 2, At: now, Actor: "f", Event: session.BallotOpened{Ballot: session.Ballot{ID: 1, Step: 2, Title: "T", Dots: 5, MaxPerItem: 3, TopK: 4, OpenedAt: now,
			Items: []session.BallotItem{{ID: 1, Text: "x", Source: session.FromText}, {ID: 2, Text: "y", Source: session.FromText}}}}},
		{Seq: 3, At: now, Actor: "a", Event: session.VoteCast{Ballot: 1, Voter: "a", Dots: session.Allocation{{Item: 1, Dots: 3}}}},
	}
	if err := st.Commit(ctx, f.Slug, recs); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for q, want := range map[string]string{
		`INSERT INTO allocations VALUES ('riverside', 1, 'a', 2, 3)`:  "more dots than the ballot gives",
		`INSERT INTO allocations VALUES ('riverside', 1, 'a', 2, 0)`:  "CHECK",
		`INSERT INTO allocations VALUES ('riverside', 1, 'a', 1, 1)`:  "UNIQUE",
		`UPDATE allocations SET dots = 4 WHERE item = 1`:              "more dots on one item",
		`INSERT INTO allocations VALUES ('riverside', 1, 'a', 3, 1)`:  "FOREIGN KEY",
		`INSERT INTO allocations VALUES ('riverside', 1, 'zz', 2, 1)`: "FOREIGN KEY",
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", q, err, want)
		}
	}
	if err := st.Commit(ctx, f.Slug, []session.Record{{Seq: 4, At: now, Actor: "f", Event: session.BallotClosed{Ballot: 1, At: now, Results: session.Results{Voters: 1, Dots: []int{3, 0}}}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO allocations VALUES ('riverside', 1, 'a', 2, 1)`,
		`UPDATE allocations SET dots = 1`,
		`DELETE FROM allocations`,
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s on a closed ballot: err = %v", q, err)
		}
	}
	if _, err := db.Exec(`UPDATE ballots SET closed_at = NULL, results = NULL`); err == nil || !strings.Contains(err.Error(), "final") {
		t.Errorf("reopening a closed ballot: %v", err)
	}
}
