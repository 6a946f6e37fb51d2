package session_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"moot/session"
)

func openPoll(t *testing.T, h *session.Hub, spec session.PollSpec) int64 {
	t.Helper()
	events, err := h.Apply(context.Background(), facilitator, session.OpenPoll{Spec: spec})
	if err != nil {
		t.Fatalf("open poll %+v: %v", spec, err)
	}
	return events[0].(session.PollOpened).Poll.ID
}

func pollOf(t *testing.T, v *session.View, id int64) session.PollView {
	t.Helper()
	p, ok := v.FindPoll(id)
	if !ok {
		t.Fatalf("no poll %d in the %s's view", id, v.Audience())
	}
	return v.Poll(p)
}

// A ladder: secret while open (only the facilitator and the room's screen
// know how many answered), changeable, then counted with mean and spread,
// by sector under the small-group rule.
func TestScalePoll(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	id := openPoll(t, h, session.PollSpec{Question: "Where does our practice sit?", Kind: session.PollScale, Points: 5,
		Labels: []string{"doing to", "doing with"}})
	points := map[string]int{facilitator: 3, cy: 2, ada: 5, bob: 4, dee: 4, eve: 5, gus: 1, hal: 2, ivy: 3, jo: 4}
	for who, p := range points {
		do(t, h, who, session.AnswerPoll{Poll: id, Point: 1 + p%5}) // a first thought...
		do(t, h, who, session.AnswerPoll{Poll: id, Point: p})       // ...and a change of mind
	}
	for _, v := range everyone(h) {
		p := pollOf(t, v, id)
		if p.Results != nil || p.Withheld == "" {
			t.Errorf("%s: a secret open poll shows results: %+v", v.Audience(), p.Results)
		}
		tells := v.Audience() == session.ForFacilitator || v.Audience() == session.ForProjector
		if (p.Respondents != nil) != tells || (tells && *p.Respondents != 10) {
			t.Errorf("%s: respondents %v", v.Audience(), p.Respondents)
		}
	}
	if mine := pollOf(t, h.Snapshot().ViewFor(ada), id).Mine; mine == nil || mine.Point != 5 {
		t.Errorf("Ada's own answer: %+v", mine)
	}
	if p := pollOf(t, h.Snapshot().ViewFor(ada), id); p.Labels[0] != "doing to" || p.Labels[4] != "doing with" || p.Labels[2] != "" {
		t.Errorf("labels %q", p.Labels)
	}
	refused(t, h, ada, session.ClosePoll{Poll: id}, "only a facilitator")
	do(t, h, facilitator, session.ClosePoll{Poll: id})
	refused(t, h, ada, session.AnswerPoll{Poll: id, Point: 1}, "closed")
	for _, v := range everyone(h) {
		r := pollOf(t, v, id).Results
		if r == nil {
			t.Fatalf("%s: no results after the close", v.Audience())
		}
		var counts []int
		for _, c := range r.Counts {
			counts = append(counts, c.Count)
		}
		if fmt.Sprint(counts) != "[1 2 2 3 2]" || r.Respondents != 10 || *r.Mean != 3.3 || *r.Spread != 1.27 {
			t.Errorf("%s: counts %v of %d, mean %v spread %v", v.Audience(), counts, r.Respondents, *r.Mean, *r.Spread)
		}
		for _, s := range r.Sectors {
			if s.Respondents < 3 {
				t.Errorf("%s: %s shows %d people", v.Audience(), session.GroupLabel(s.Sector, s.Pooled), s.Respondents)
			}
		}
		if len(r.Sectors) == 0 || r.SectorsNote == "" {
			t.Errorf("%s: sectors %+v, note %q", v.Audience(), r.Sectors, r.SectorsNote)
		}
	}
}

// Fewer than min_group answers show no results, open or closed.
func TestPollOfTooFewShowsNothing(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	live := false
	id := openPoll(t, h, session.PollSpec{Question: "Which first?", Kind: session.PollChoice, Options: []string{"Buses", "Housing"}, Secret: &live})
	do(t, h, ada, session.AnswerPoll{Poll: id, Choices: []int{1}})
	do(t, h, bob, session.AnswerPoll{Poll: id, Choices: []int{2}})
	if p := pollOf(t, h.Snapshot().ViewFor(cy), id); p.Results != nil || !strings.Contains(p.Withheld, "once 3 people have answered") {
		t.Errorf("a live poll two answered: %+v %q", p.Results, p.Withheld)
	}
	do(t, h, cy, session.AnswerPoll{Poll: id, Choices: []int{1}})
	if p := pollOf(t, h.Snapshot().ViewFor(cy), id); p.Results == nil || p.Results.Counts[0].Count != 2 || p.Results.Final {
		t.Errorf("a live poll three answered: %+v", p.Results)
	}
	do(t, h, cy, session.AnswerPoll{Poll: id, Clear: true})
	do(t, h, facilitator, session.ClosePoll{Poll: id})
	for _, v := range everyone(h) {
		if p := pollOf(t, v, id); p.Results != nil || !strings.Contains(p.Withheld, "Fewer than 3 people answered") {
			t.Errorf("%s: a poll two answered: %+v %q", v.Audience(), p.Results, p.Withheld)
		}
	}
}

// Answers are checked against the poll's kind; a refused one changes
// nothing.
func TestPollAnswersAreChecked(t *testing.T) {
	h := roomHub(t, nil)
	refused(t, h, facilitator, session.OpenPoll{Spec: session.PollSpec{Question: "Too early", Kind: session.PollOpen}}, "during a step")
	do(t, h, facilitator, session.NextStep{})
	refused(t, h, ada, session.OpenPoll{Spec: session.PollSpec{Question: "Mine", Kind: session.PollOpen}}, "only a facilitator")
	refused(t, h, facilitator, session.OpenPoll{Spec: session.PollSpec{Question: "Ladder", Kind: session.PollScale, Points: 11}}, "from 2 to 10 points")
	refused(t, h, facilitator, session.OpenPoll{Spec: session.PollSpec{Question: "Pick", Kind: session.PollChoice, Options: []string{"A", "a"}}}, "given twice")
	scale := openPoll(t, h, session.PollSpec{Question: "Ladder", Kind: session.PollScale, Points: 4})
	multi := openPoll(t, h, session.PollSpec{Question: "Pick two", Kind: session.PollMultiple, Options: []string{"A", "B", "C"}, Max: 2})
	words := openPoll(t, h, session.PollSpec{Question: "Two words", Kind: session.PollWords, Words: 2})
	refused(t, h, "SHA256:nobody", session.AnswerPoll{Poll: scale, Point: 1}, "give your name first")
	refused(t, h, ada, session.AnswerPoll{Poll: scale, Point: 5}, "a point from 1 to 4")
	refused(t, h, ada, session.AnswerPoll{Poll: scale, Choices: []int{1}}, "a point from 1 to 4")
	refused(t, h, ada, session.AnswerPoll{Poll: multi, Choices: []int{1, 2, 3}}, "up to 2 options")
	refused(t, h, ada, session.AnswerPoll{Poll: multi, Choices: []int{4}}, "no option 4")
	refused(t, h, ada, session.AnswerPoll{Poll: multi, Choices: []int{2, 2}}, "chosen twice")
	refused(t, h, ada, session.AnswerPoll{Poll: words, Text: "more buses please"}, "up to 2 words (this answer has 3)")
	refused(t, h, ada, session.AnswerPoll{Poll: 9, Point: 1}, "no poll #9")
	do(t, h, ada, session.AnswerPoll{Poll: multi, Choices: []int{3, 1}})
	if mine := pollOf(t, h.Snapshot().ViewFor(ada), multi).Mine; mine == nil || fmt.Sprint(mine.Choices) != "[1 3]" {
		t.Errorf("Ada's choices: %+v", mine)
	}
}

// A words poll's results are the most frequent words and phrases, letter
// case and simple plurals counted together.
func TestWordsPollCountsWordsAndPhrases(t *testing.T) {
	got := session.CountWords([]string{"More buses", "more BUS", "Bus", "the cities", "a city", "houses", "HOUSE", "glass"}, 20)
	var lines []string
	for _, w := range got {
		kind := "word"
		if w.Phrase {
			kind = "phrase"
		}
		lines = append(lines, fmt.Sprintf("%s %s %d", kind, w.Text, w.Count))
	}
	want := []string{"word bus 3", "phrase more bus 2", "word city 2", "word house 2", "word more 2", "phrase a city 1", "phrase the city 1", "word glass 1"}
	if !slices.Equal(lines, want) {
		t.Errorf("counted:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// Open answers are listed without names, in the order of their text; a
// facilitator hides one with a reason (and sees it still), everyone else
// no longer sees it.
func TestOpenAnswersAreModerated(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	id := openPoll(t, h, session.PollSpec{Question: "Anything else?", Kind: session.PollOpen})
	for i, p := range room[:5] {
		do(t, h, p.id, session.AnswerPoll{Poll: id, Text: fmt.Sprintf("%c answer from someone", 'e'-rune(i))})
	}
	do(t, h, facilitator, session.ClosePoll{Poll: id})
	fac := pollOf(t, h.Snapshot().ViewFor(facilitator), id).Results
	var texts []string
	for _, a := range fac.Answers {
		texts = append(texts, a.Text[:1])
		if a.N == 0 {
			t.Errorf("the facilitator has no number to moderate %q by", a.Text)
		}
	}
	if strings.Join(texts, "") != "abcde" {
		t.Errorf("answers in the order %q, want by their text", texts)
	}
	target := fac.Answers[0]
	refused(t, h, facilitator, session.ModerateAnswer{Poll: id, N: target.N, Hidden: true}, "say why")
	refused(t, h, ada, session.ModerateAnswer{Poll: id, N: target.N, Hidden: true, Reason: "x"}, "only a facilitator")
	do(t, h, facilitator, session.ModerateAnswer{Poll: id, N: target.N, Hidden: true, Reason: "names someone"})
	for _, v := range everyone(h) {
		r := pollOf(t, v, id).Results
		hidden := slices.ContainsFunc(r.Answers, func(a session.ListedAnswer) bool { return a.Hidden })
		if hidden != v.Facilitator() || (v.Facilitator() && len(r.Answers) != 5) || (!v.Facilitator() && len(r.Answers) != 4) {
			t.Errorf("%s: answers %+v", v.Audience(), r.Answers)
		}
		for _, a := range r.Answers {
			if a.N != 0 && !v.Facilitator() {
				t.Errorf("%s is given answer numbers", v.Audience())
			}
		}
	}
	do(t, h, facilitator, session.ModerateAnswer{Poll: id, N: target.N})
	if n := len(pollOf(t, h.Snapshot().ViewFor(ada), id).Results.Answers); n != 5 {
		t.Errorf("%d answers after the hidden one came back", n)
	}
}

// One person can give at most AnswerBurst answers in AnswerWindow; the
// next is refused, saying how long to wait, and changes nothing.
func TestAnswersAreRateLimited(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	id := openPoll(t, h, session.PollSpec{Question: "Say it", Kind: session.PollOpen})
	for i := range session.AnswerBurst {
		do(t, h, ada, session.AnswerPoll{Poll: id, Text: fmt.Sprintf("take %d", i)})
	}
	refused(t, h, ada, session.AnswerPoll{Poll: id, Text: "one more"}, fmt.Sprintf("that is %d answers in %d seconds; wait", session.AnswerBurst, int(session.AnswerWindow.Seconds())))
	do(t, h, bob, session.AnswerPoll{Poll: id, Text: "Bob is not held up"})
	if mine := pollOf(t, h.Snapshot().ViewFor(ada), id).Mine; mine == nil || mine.Text != fmt.Sprintf("take %d", session.AnswerBurst-1) {
		t.Errorf("Ada's answer: %+v", mine)
	}
}

// The agenda's polls for a step are asked together, once; an evaluation
// step's polls are the evaluation.
func TestAgendaPollsAndTheEvaluation(t *testing.T) {
	h := roomHub(t, func(f *session.Forum) {
		f.Steps = append(f.Steps, session.Step{Title: "How did it go?", Phase: session.Polling, Evaluation: true, Polls: []session.PollSpec{
			{Question: "How useful was today?", Kind: session.PollScale, Points: 5, Labels: []string{"not at all", "very"}},
			{Question: "What will you take away?", Kind: session.PollOpen},
		}})
	})
	refused(t, h, facilitator, session.GoToStep{To: 9}, "no step 9")
	do(t, h, facilitator, session.GoToStep{To: 5})
	events, err := h.Apply(context.Background(), facilitator, session.OpenPoll{Agenda: true})
	if err != nil || len(events) != 2 {
		t.Fatalf("poll open --agenda: %v, %d events", err, len(events))
	}
	refused(t, h, facilitator, session.OpenPoll{Agenda: true}, "have all been asked")
	eval := h.Snapshot().ViewAs(session.ForReport).Evaluation()
	if len(eval) != 2 || eval[0].Question != "How useful was today?" || !eval[1].Evaluation || eval[1].Step != 5 {
		t.Errorf("the evaluation: %+v", eval)
	}
}
