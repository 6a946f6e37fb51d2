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

// The schema keeps the rules of polls even against a writer that skips the
// Hub: one answer per person, and nothing changes once a poll is closed
// but the moderation of a text answer.
func TestSchemaKeepsPollRules(t *testing.T) {
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
		{Seq: 2, At: now, Actor: "f", Event: session.PollOpened{Poll: session.Poll{ID: 1, Step: 1, Question: "One word?", Kind: session.PollWords, Words: 3, OpenedAt: now}}},
		{Seq: 3, At: now, Actor: "a", Event: session.PollAnswered{Poll: 1, Person: "a", Answer: &session.Answer{Text: "buses", N: 5}, At: now}},
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
		`INSERT INTO poll_answers VALUES ('riverside', 1, 'a', '{"text": "trains"}')`:  "UNIQUE",
		`INSERT INTO poll_answers VALUES ('riverside', 2, 'a', '{"text": "trains"}')`:  "FOREIGN KEY",
		`INSERT INTO poll_answers VALUES ('riverside', 1, 'zz', '{"text": "trains"}')`: "FOREIGN KEY",
		`INSERT INTO poll_answers VALUES ('riverside', 1, 'a', 'not json')`:            "CHECK",
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", q, err, want)
		}
	}
	if err := st.Commit(ctx, f.Slug, []session.Record{{Seq: 4, At: now, Actor: "f", Event: session.PollClosed{Poll: 1, At: now, Final: session.PollTally{Respondents: 1}}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO poll_answers VALUES ('riverside', 1, 'b', '{"text": "trains"}')`,
		`UPDATE poll_answers SET answer = '{"text": "trains", "n": 5}'`,
		`DELETE FROM poll_answers`,
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s on a closed poll: err = %v", q, err)
		}
	}
	if _, err := db.Exec(`UPDATE polls SET closed_at = NULL, final = NULL`); err == nil || !strings.Contains(err.Error(), "final") {
		t.Errorf("reopening a closed poll: %v", err)
	}
	// Hiding an answer after the close is moderation, and is kept.
	if err := st.Commit(ctx, f.Slug, []session.Record{{Seq: 5, At: now, Actor: "f", Event: session.PollAnswerModerated{Poll: 1, N: 5, Hidden: true, Reason: "a name"}}}); err != nil {
		t.Fatalf("hiding an answer to a closed poll: %v", err)
	}
	var answer string
	if err := db.QueryRow(`SELECT answer FROM poll_answers`).Scan(&answer); err != nil || !strings.Contains(answer, `"hidden":true`) || !strings.Contains(answer, `"reason":"a name"`) {
		t.Errorf("the hidden answer: %s %v", answer, err)
	}
}
