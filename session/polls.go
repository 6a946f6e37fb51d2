package session

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"moot/session/catalogue"
)

// Quick polls: a question asked live, on any step or on a step of its own
// (phase poll), as the room answers a scale, a choice or a few words. Each
// person has one answer per poll, which they may change while it is open.
// A poll is secret until it closes (or live); its results, once they may
// be shown, are counts under the small-group rule like a ballot's
// (view_polls.go). The evaluation at the end of a forum is a set of polls
// marked Evaluation, which the report gathers in a section of its own.

// PollKind is the kind of answer a poll asks for.
type PollKind string

const (
	// PollScale: one point on a scale of 2 to 10, labelled at its ends or
	// at every point (a ladder).
	PollScale PollKind = "scale"
	// PollChoice: one of the options.
	PollChoice PollKind = "choice"
	// PollMultiple: up to Max of the options.
	PollMultiple PollKind = "multiple"
	// PollWords: a few words, shown as the most frequent words and
	// phrases.
	PollWords PollKind = "words"
	// PollOpen: an open answer, listed without names and moderated like
	// cards.
	PollOpen PollKind = "open"
)

// PollKinds lists every kind, in the order help gives them.
var PollKinds = []PollKind{PollScale, PollChoice, PollMultiple, PollWords, PollOpen}

// PollKindNames lists the kinds for messages.
const PollKindNames = "scale, choice, multiple, words, open"

// ParsePollKind accepts a kind in any letter case.
func ParsePollKind(s string) (PollKind, error) {
	for _, k := range PollKinds {
		if strings.EqualFold(strings.TrimSpace(s), string(k)) {
			return k, nil
		}
	}
	return "", catalogue.Err("session.poll.kind_unknown", CleanLine(s), PollKindNames)
}

// kindWord is how a message names a kind of poll.
func kindWord(k PollKind) catalogue.Text {
	switch k {
	case PollScale:
		return catalogue.Msg("session.poll.kind.scale")
	case PollChoice:
		return catalogue.Msg("session.poll.kind.choice")
	case PollMultiple:
		return catalogue.Msg("session.poll.kind.multiple")
	case PollWords:
		return catalogue.Msg("session.poll.kind.words")
	}
	return catalogue.Msg("session.poll.kind.open")
}

// Limits of polls.
const (
	MaxPollQuestion    = 300
	LeastScalePoints   = 2
	MostScalePoints    = 10
	DefaultScalePoints = 5
	MaxScaleLabel      = 60
	MaxPollOptions     = 20
	MaxPollOption      = 120
	DefaultPollWords   = 3
	MostPollWords      = 10
	MaxWordsAnswer     = 100
	MaxPolls           = 500
	// AnswerBurst answers per AnswerWindow is the most one person may
	// give, over every poll: enough to answer an evaluation of several
	// polls in a hurry, not to fill the log.
	AnswerBurst  = 10
	AnswerWindow = 10 * time.Second
)

// PollSpec is a poll as an agenda, or the facilitator opening one,
// describes it. Zero values take the defaults.
type PollSpec struct {
	Question string   `json:"question"`
	Kind     PollKind `json:"kind"`
	// Points is a scale's number of points; Labels name either its two
	// ends or every point.
	Points int      `json:"points,omitempty"`
	Labels []string `json:"labels,omitempty"`
	// Options are what a choice is made from; Max is the most options a
	// multiple choice takes (0: any number).
	Options []string `json:"options,omitempty"`
	Max     int      `json:"max,omitempty"`
	// Words is the most words in one answer to a words poll.
	Words  int   `json:"words,omitempty"`
	Secret *bool `json:"secret,omitempty"`
}

// Check reports the first thing wrong with the spec, for the agenda and
// moot check.
func (p PollSpec) Check() error {
	_, err := p.poll()
	return err
}

// poll is the poll the spec describes, cleaned and checked, its defaults
// filled in; number, step and times are left for the caller.
func (p PollSpec) poll() (Poll, error) {
	q := CleanLine(p.Question)
	switch {
	case q == "":
		return Poll{}, catalogue.Err("session.poll.no_question")
	case utf8.RuneCountInString(q) > MaxPollQuestion:
		return Poll{}, catalogue.Err("session.poll.question_too_long", MaxPollQuestion)
	}
	if strings.TrimSpace(string(p.Kind)) == "" {
		return Poll{}, catalogue.Err("session.poll.no_kind", PollKindNames)
	}
	kind, err := ParsePollKind(string(p.Kind))
	if err != nil {
		return Poll{}, err
	}
	out := Poll{Question: q, Kind: kind, Secret: true}
	if p.Secret != nil {
		out.Secret = *p.Secret
	}
	// clean cleans texts, each at most most characters; empty and long
	// are the keys of what is said of one that is not (long takes the
	// limit and the text).
	clean := func(texts []string, most int, empty, long string) ([]string, error) {
		var cleaned []string
		for _, t := range texts {
			c := CleanLine(t)
			switch {
			case c == "":
				return nil, catalogue.Err(empty)
			case utf8.RuneCountInString(c) > most:
				return nil, catalogue.Err(long, most, c)
			}
			cleaned = append(cleaned, c)
		}
		return cleaned, nil
	}
	scaleOnly := p.Points != 0 || len(p.Labels) > 0
	choiceOnly := len(p.Options) > 0 || p.Max != 0
	switch {
	case kind != PollScale && scaleOnly:
		return Poll{}, catalogue.Err("session.poll.scale_only", kindWord(kind))
	case kind != PollChoice && kind != PollMultiple && choiceOnly:
		return Poll{}, catalogue.Err("session.poll.choice_only", kindWord(kind))
	case kind != PollWords && p.Words != 0:
		return Poll{}, catalogue.Err("session.poll.words_only", kindWord(kind))
	}
	switch kind {
	case PollScale:
		out.Points = cmp.Or(p.Points, DefaultScalePoints)
		if out.Points < LeastScalePoints || out.Points > MostScalePoints {
			return Poll{}, catalogue.Err("session.poll.points", LeastScalePoints, MostScalePoints)
		}
		if n := len(p.Labels); n != 0 && n != 2 && n != out.Points {
			return Poll{}, catalogue.Err("session.poll.labels", out.Points, out.Points, n)
		}
		if out.Labels, err = clean(p.Labels, MaxScaleLabel, "session.poll.label_empty", "session.poll.label_too_long"); err != nil {
			return Poll{}, err
		}
	case PollChoice, PollMultiple:
		if n := len(p.Options); n < 2 || n > MaxPollOptions {
			return Poll{}, catalogue.Err("session.poll.options", MaxPollOptions, n)
		}
		if out.Options, err = clean(p.Options, MaxPollOption, "session.poll.option_empty", "session.poll.option_too_long"); err != nil {
			return Poll{}, err
		}
		for i, o := range out.Options {
			if slices.ContainsFunc(out.Options[:i], func(x string) bool { return strings.EqualFold(x, o) }) {
				return Poll{}, catalogue.Err("session.poll.option_twice", o)
			}
		}
		switch {
		case kind == PollChoice && p.Max > 1:
			return Poll{}, catalogue.Err("session.poll.single_max", p.Max)
		case kind == PollMultiple && (p.Max < 0 || p.Max > len(out.Options)):
			return Poll{}, catalogue.Err("session.poll.multiple_max", len(out.Options))
		case kind == PollMultiple:
			out.Max = cmp.Or(p.Max, len(out.Options))
		}
	case PollWords:
		out.Words = cmp.Or(p.Words, DefaultPollWords)
		if out.Words < 1 || out.Words > MostPollWords {
			return Poll{}, catalogue.Err("session.poll.words", MostPollWords)
		}
	}
	return out, nil
}

// Poll is a question asked of the room. Like ballots, polls are never
// modified in place: closing one puts a new *Poll in the state.
type Poll struct {
	ID       int64    `json:"id"`
	Step     int      `json:"step"`
	Question string   `json:"question"`
	Kind     PollKind `json:"kind"`
	Points   int      `json:"points,omitempty"`
	Labels   []string `json:"labels,omitempty"`
	Options  []string `json:"options,omitempty"`
	Max      int      `json:"max,omitempty"`
	Words    int      `json:"words,omitempty"`
	Secret   bool     `json:"secret"`
	// Evaluation gathers the poll into the report's evaluation.
	Evaluation bool      `json:"evaluation,omitempty"`
	OpenedAt   time.Time `json:"opened_at"`
	ClosedAt   time.Time `json:"closed_at,omitempty"`
	// Final is the count at close, by the respondents' sectors as they
	// stood then; nil while open.
	Final *PollTally `json:"final,omitempty"`
}

// Open tells whether answers are still taken.
func (p *Poll) Open() bool { return p.ClosedAt.IsZero() }

// Counted tells whether the poll's answers are counted on its points or
// options (a scale or a choice), rather than read as text.
func (p *Poll) Counted() bool {
	return p.Kind == PollScale || p.Kind == PollChoice || p.Kind == PollMultiple
}

// Width is how many points or options the poll counts answers on.
func (p *Poll) Width() int {
	if p.Kind == PollScale {
		return p.Points
	}
	return len(p.Options)
}

// PointLabel is the label of point n (1-based) of a scale: its own, or the
// end's for the first and last when only the ends are labelled; "" for a
// point without one.
func (p *Poll) PointLabel(n int) string {
	switch {
	case len(p.Labels) == p.Points && n >= 1 && n <= p.Points:
		return p.Labels[n-1]
	case len(p.Labels) == 2 && n == 1:
		return p.Labels[0]
	case len(p.Labels) == 2 && n == p.Points:
		return p.Labels[1]
	}
	return ""
}

// PollTally is a counted poll's final count: how many answered, how many
// chose each point or option, and the same by sector.
type PollTally struct {
	Respondents int `json:"respondents"`
	// Counts[i] is how many chose point or option i+1.
	Counts  []int             `json:"counts,omitempty"`
	Sectors []PollSectorTally `json:"sectors,omitempty"`
}

// PollSectorTally is the part of a count from one sector ("" for no
// sector given).
type PollSectorTally struct {
	Sector      string `json:"sector"`
	Respondents int    `json:"respondents"`
	Counts      []int  `json:"counts"`
}

// Answer is one person's answer to a poll. It is never modified once
// made: a new answer, or moderation, makes a new one.
type Answer struct {
	// Point is the point chosen on a scale (1-based).
	Point int `json:"point,omitempty"`
	// Choices are the options chosen (1-based, in order).
	Choices []int `json:"choices,omitempty"`
	// Text is a words or open answer.
	Text string `json:"text,omitempty"`
	// N numbers a text answer in its poll, so that moderation can name it
	// without naming its author. It is drawn at random among the numbers
	// not taken, so that it does not tell the order answers came in.
	N int `json:"n,omitempty"`
	// Hidden by a facilitator, with the Reason; left out of the results.
	Hidden bool   `json:"hidden,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// add counts the answer on its points or options.
func (a *Answer) add(counts []int) {
	if a.Point > 0 {
		counts[a.Point-1]++
	}
	for _, c := range a.Choices {
		counts[c-1]++
	}
}

// answerBook is one poll's answers by person, owned by the Hub. The map is
// copied before a change once a snapshot shares it, as a ballot's tally's
// allocations are.
type answerBook struct {
	byPerson map[string]*Answer
	shared   bool
}

// freeNumber draws a number for a new text answer from three digits (more
// once answers are many), none taken by an answer there now.
func (b *answerBook) freeNumber() int {
	taken := map[int]bool{}
	for _, a := range b.byPerson {
		taken[a.N] = true
	}
	span := max(999, 4*len(b.byPerson))
	for {
		if n := 1 + rand.IntN(span); !taken[n] {
			return n
		}
	}
}

func (b *answerBook) publish() map[string]*Answer {
	b.shared = true
	return b.byPerson
}

func (b *answerBook) set(person string, a *Answer) {
	if b.shared {
		b.byPerson = maps.Clone(b.byPerson)
		b.shared = false
	}
	if a == nil {
		delete(b.byPerson, person)
		return
	}
	b.byPerson[person] = a
}

func (b *answerBook) clone() *answerBook {
	b.shared = true
	c := *b
	return &c
}

// Events of polls.
type (
	// PollOpened: a facilitator asked the room a question.
	PollOpened struct {
		Poll Poll `json:"poll"`
	}
	// PollAnswered: a person's answer to a poll is now Answer (nil: they
	// took it back).
	PollAnswered struct {
		Poll   int64     `json:"poll"`
		Person string    `json:"person"`
		Answer *Answer   `json:"answer"`
		At     time.Time `json:"at"`
	}
	// PollClosed: a facilitator closed a poll; Final is its count.
	PollClosed struct {
		Poll  int64     `json:"poll"`
		At    time.Time `json:"at"`
		Final PollTally `json:"final"`
	}
	// PollAnswerModerated: a facilitator hid a text answer (with the
	// reason), or brought it back.
	PollAnswerModerated struct {
		Poll   int64  `json:"poll"`
		N      int    `json:"n"`
		Hidden bool   `json:"hidden"`
		Reason string `json:"reason,omitempty"`
	}
)

func (PollOpened) Kind() string          { return "poll.opened" }
func (PollAnswered) Kind() string        { return "poll.answered" }
func (PollClosed) Kind() string          { return "poll.closed" }
func (PollAnswerModerated) Kind() string { return "poll.moderated" }

// quiet: while a secret poll is open, an answer shows on no screen but as
// the count of those who answered.
func (e PollAnswered) quiet(st *State) bool {
	p, err := st.poll(e.Poll)
	return err == nil && p.Secret && p.Open()
}

func init() {
	registerEvent[PollOpened]()
	registerEvent[PollAnswered]()
	registerEvent[PollClosed]()
	registerEvent[PollAnswerModerated]()
}

func (e PollOpened) apply(st *State) {
	p := e.Poll
	if int(p.ID) != len(st.Polls)+1 {
		panic(fmt.Sprintf("poll #%d follows %d polls", p.ID, len(st.Polls)))
	}
	st.Polls = append(st.Polls, &p)
	st.answers = append(st.answers, &answerBook{byPerson: map[string]*Answer{}})
}

func (e PollAnswered) apply(st *State) {
	st.answers[e.Poll-1].set(e.Person, e.Answer)
	st.answered[e.Person] = append(recentAnswers(st.answered[e.Person], e.At), e.At)
}

func (e PollClosed) apply(st *State) {
	p := *st.Polls[e.Poll-1]
	f := e.Final
	p.ClosedAt, p.Final = e.At, &f
	st.Polls[e.Poll-1] = &p
}

func (e PollAnswerModerated) apply(st *State) {
	b := st.answers[e.Poll-1]
	for person, a := range b.byPerson {
		if a.N == e.N {
			changed := *a
			changed.Hidden, changed.Reason = e.Hidden, e.Reason
			b.set(person, &changed)
			return
		}
	}
	panic(fmt.Sprintf("poll #%d has no answer %d", e.Poll, e.N))
}

// recentAnswers keeps the times within the answers' rate-limit window.
func recentAnswers(times []time.Time, now time.Time) []time.Time {
	kept := times[:0:0]
	for _, t := range times {
		if now.Sub(t) < AnswerWindow {
			kept = append(kept, t)
		}
	}
	return kept
}

func (st *State) poll(id int64) (*Poll, error) {
	if id < 1 || int(id) > len(st.Polls) {
		return nil, catalogue.Err("session.poll.no_such", id)
	}
	return st.Polls[id-1], nil
}

// OpenPoll asks the room a question on the step under way: the poll Spec
// describes, or (Agenda) every poll the agenda lists for the step that is
// not asked yet. Evaluation puts it in the report's evaluation (the
// agenda's polls are there when their step says evaluation).
type OpenPoll struct {
	Spec       PollSpec
	Evaluation bool
	Agenda     bool
}

func (c OpenPoll) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.open_polls"); err != nil {
		return nil, err
	}
	if stage := StageOf(st.Step, len(st.Forum.Steps)); stage != Running {
		return nil, notOnAStep("session.poll.off_step", stage)
	}
	step := st.Forum.Steps[st.Step-1]
	specs := []PollSpec{c.Spec}
	evaluation := c.Evaluation
	if c.Agenda {
		specs = nil
		for _, s := range step.Polls {
			asked := slices.ContainsFunc(st.Polls, func(p *Poll) bool { return p.Step == st.Step && p.Question == CleanLine(s.Question) })
			if !asked {
				specs = append(specs, s)
			}
		}
		switch {
		case len(step.Polls) == 0:
			return nil, catalogue.Err("session.poll.agenda_none")
		case len(specs) == 0:
			return nil, catalogue.Err("session.poll.agenda_asked")
		}
		evaluation = evaluation || step.Evaluation
	}
	if len(st.Polls)+len(specs) > MaxPolls {
		return nil, catalogue.Err("session.poll.too_many", MaxPolls)
	}
	var events []Event
	for i, s := range specs {
		p, err := s.poll()
		if err != nil {
			return nil, err
		}
		p.ID, p.Step, p.Evaluation, p.OpenedAt = int64(len(st.Polls)+i+1), st.Step, evaluation, now
		events = append(events, PollOpened{Poll: p})
	}
	return events, nil
}

// AnswerPoll gives, or changes, the actor's answer to an open poll: a
// Point on a scale, Choices of the options, or Text for a words or open
// poll. Clear takes the answer back.
type AnswerPoll struct {
	Poll    int64
	Point   int
	Choices []int
	Text    string
	Clear   bool
}

func (c AnswerPoll) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if _, ok := st.Participants[a.ID]; !ok {
		return nil, ErrNameFirst
	}
	p, err := st.poll(c.Poll)
	if err != nil {
		return nil, err
	}
	if !p.Open() {
		return nil, catalogue.Err("session.poll.closed", p.ID)
	}
	old := st.answers[p.ID-1].byPerson[a.ID]
	if c.Clear {
		if old == nil {
			return nil, nil
		}
		return []Event{PollAnswered{Poll: p.ID, Person: a.ID, At: now}}, nil
	}
	ans, err := p.answer(c)
	if err != nil {
		return nil, err
	}
	if old != nil && old.Point == ans.Point && slices.Equal(old.Choices, ans.Choices) && old.Text == ans.Text && !old.Hidden {
		return nil, nil
	}
	if recent := recentAnswers(st.answered[a.ID], now); len(recent) >= AnswerBurst {
		wait := AnswerWindow - now.Sub(recent[0])
		return nil, catalogue.Err("session.answer.too_fast", AnswerBurst, seconds(AnswerWindow), seconds(wait.Round(time.Second)+time.Second))
	}
	if !p.Counted() {
		ans.N = st.answers[p.ID-1].freeNumber()
	}
	return []Event{PollAnswered{Poll: p.ID, Person: a.ID, Answer: &ans, At: now}}, nil
}

// answer checks an answer against the poll's kind.
func (p *Poll) answer(c AnswerPoll) (Answer, error) {
	switch p.Kind {
	case PollScale:
		if c.Point < 1 || c.Point > p.Points || len(c.Choices) > 0 || c.Text != "" {
			return Answer{}, catalogue.Err("session.answer.point", p.ID, p.Points)
		}
		return Answer{Point: c.Point}, nil
	case PollChoice, PollMultiple:
		most := 1
		if p.Kind == PollMultiple {
			most = p.Max
		}
		choices := slices.Sorted(slices.Values(c.Choices))
		switch {
		case c.Point != 0 || c.Text != "" || len(choices) == 0:
			return Answer{}, catalogue.Err("session.answer.choice", p.ID, len(p.Options))
		case len(choices) > most && most == 1:
			return Answer{}, catalogue.Err("session.answer.one_option", p.ID)
		case len(choices) > most:
			return Answer{}, catalogue.Err("session.answer.most_options", p.ID, most)
		}
		for i, ch := range choices {
			switch {
			case ch < 1 || ch > len(p.Options):
				return Answer{}, catalogue.Err("session.answer.no_option", p.ID, ch, len(p.Options))
			case i > 0 && choices[i-1] == ch:
				return Answer{}, catalogue.Err("session.answer.twice", ch)
			}
		}
		return Answer{Choices: choices}, nil
	case PollWords:
		t := CleanLine(c.Text)
		switch {
		case c.Point != 0 || len(c.Choices) > 0 || t == "":
			return Answer{}, catalogue.Err("session.answer.words_empty", p.ID)
		case len(strings.Fields(t)) > p.Words:
			return Answer{}, catalogue.Err("session.answer.too_many_words", p.ID, catalogue.Msg("count.words", p.Words), len(strings.Fields(t)))
		case utf8.RuneCountInString(t) > MaxWordsAnswer:
			return Answer{}, catalogue.Err("session.answer.words_too_long", MaxWordsAnswer)
		}
		return Answer{Text: t}, nil
	}
	t := CleanText(c.Text)
	switch {
	case c.Point != 0 || len(c.Choices) > 0 || t == "":
		return Answer{}, catalogue.Err("session.answer.open_empty", p.ID)
	case utf8.RuneCountInString(t) > MaxCardLength:
		return Answer{}, catalogue.Err("session.answer.too_long", MaxCardLength, utf8.RuneCountInString(t))
	}
	return Answer{Text: t}, nil
}

// ClosePoll ends a poll; its count, by sector too, becomes final.
type ClosePoll struct{ Poll int64 }

func (c ClosePoll) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.close_polls"); err != nil {
		return nil, err
	}
	p, err := st.poll(c.Poll)
	if err != nil {
		return nil, err
	}
	if !p.Open() {
		return nil, catalogue.Err("session.poll.closed_already", p.ID)
	}
	answers := st.answers[p.ID-1].byPerson
	final := PollTally{Respondents: len(answers)}
	if p.Counted() {
		final.Counts = make([]int, p.Width())
		by := map[string]*PollSectorTally{}
		for person, ans := range answers {
			ans.add(final.Counts)
			sector := ""
			if who, ok := st.Participants[person]; ok {
				sector = who.Sector
			}
			t := by[sector]
			if t == nil {
				t = &PollSectorTally{Sector: sector, Counts: make([]int, p.Width())}
				by[sector] = t
			}
			t.Respondents++
			ans.add(t.Counts)
		}
		groups := map[string]*group{}
		for s := range by {
			groups[s] = &group{sector: s}
		}
		for _, g := range orderGroups(st.Forum.Sectors, groups) {
			final.Sectors = append(final.Sectors, *by[g.sector])
		}
	}
	return []Event{PollClosed{Poll: p.ID, At: now, Final: final}}, nil
}

// ModerateAnswer hides a text answer from every screen and the report,
// with a reason (Hidden), or brings it back.
type ModerateAnswer struct {
	Poll   int64
	N      int
	Hidden bool
	Reason string
}

func (c ModerateAnswer) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.moderate"); err != nil {
		return nil, err
	}
	p, err := st.poll(c.Poll)
	if err != nil {
		return nil, err
	}
	if p.Counted() {
		return nil, catalogue.Err("session.poll.counted", p.ID, kindWord(p.Kind))
	}
	var found *Answer
	for _, ans := range st.answers[p.ID-1].byPerson {
		if ans.N == c.N {
			found = ans
		}
	}
	if found == nil {
		return nil, catalogue.Err("session.answer.no_such", p.ID, c.N)
	}
	reason := ""
	if c.Hidden {
		reason = CleanLine(c.Reason)
		switch {
		case found.Hidden:
			return nil, catalogue.Err("session.answer.hidden_already", c.N)
		case reason == "":
			return nil, catalogue.Err("session.answer.hide_why")
		case utf8.RuneCountInString(reason) > MaxReasonLength:
			return nil, catalogue.Err("session.reason.too_long", MaxReasonLength)
		}
	} else if !found.Hidden {
		return nil, catalogue.Err("session.answer.not_hidden", c.N)
	}
	return []Event{PollAnswerModerated{Poll: p.ID, N: c.N, Hidden: c.Hidden, Reason: reason}}, nil
}
