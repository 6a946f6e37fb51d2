package agenda

import (
	"strings"
	"testing"

	"moot/session"
)

func TestTablesAndPollsInAgenda(t *testing.T) {
	f, err := Parse([]byte(`title: T
tables:
  names: [Housing, Transport, Parks]
  by_sector: true
steps:
  - title: At tables
    phase: dialogue
    tables: true
    polls:
      - question: Where does our practice sit?
        kind: scale
        points: 5
        labels: [doing to, doing with]
  - title: How did it go?
    phase: poll
    evaluation: true
    polls:
      - {question: "One word?", kind: words, words: 2, secret: false}
      - {question: "Which first?", kind: multiple, options: [A, B, C], max: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Tables == nil || len(f.Tables.Names) != 3 || !f.Tables.BySector || !f.Steps[0].Tables {
		t.Errorf("tables: %+v, step 1 tabled %v", f.Tables, f.Steps[0].Tables)
	}
	p := f.Steps[0].Polls
	if len(p) != 1 || p[0].Kind != session.PollScale || p[0].Points != 5 || len(p[0].Labels) != 2 {
		t.Errorf("step 1's polls: %+v", p)
	}
	if s := f.Steps[1]; s.Phase != session.Polling || !s.Evaluation || len(s.Polls) != 2 || s.Polls[0].Secret == nil || *s.Polls[0].Secret || s.Polls[1].Max != 2 {
		t.Errorf("step 2: %+v", s)
	}

	_, err = Parse([]byte(`title: T
tables:
  count: 4
  size: 6
steps:
  - title: Vote
    phase: voting
    tables: true
  - title: Polls
    phase: poll
    evaluation: true
  - title: More polls
    phase: dialogue
    polls:
      - {question: "How far?", kind: scale, points: 11}
      - {question: "Colour?", kind: rainbow}
      - {question: "Which?", kind: choice, options: [Only one]}
      - {question: No kind}
      - {question: Ladder, kind: scale, points: 4, labels: [a, b, c]}
`))
	want := []string{
		"line 2: tables: give one of names, count or size",
		"line 8: step 1: tables are for a dialogue step, not a voting step",
		"line 11: step 2: an evaluation is a set of polls",
		"line 15: step 3, poll 1: a scale has from 2 to 10 points",
		`line 16: step 3, poll 2: unknown kind of poll "rainbow" (one of: scale, choice, multiple, words, open)`,
		"line 17: step 3, poll 3: a choice has from 2 to 20 options (this one has 1)",
		"line 18: step 3, poll 4: a poll needs a kind",
		"line 19: step 3, poll 5: a scale of 4 points takes a label for each end (2) or for each point (4), not 3",
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("want %q in:\n%v", w, err)
		}
	}
}
