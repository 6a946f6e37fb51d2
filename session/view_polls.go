package session

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"moot/session/catalogue"
)

// Views of polls. While a secret poll is open no count is in it (how many
// have answered only for a facilitator and the room's screen); once its
// results may be shown they are in Results, unless fewer than the forum's
// min_group people answered. Nobody sees who gave an answer, facilitators
// included: a text answer is listed without a name, in the order of its
// text (never in the order given, which watching the room could match to
// people), and counts by sector keep the small-group rule.

// PollView is a poll as a viewer may see it: what `polls --json` prints.
type PollView struct {
	ID         int64    `json:"id"`
	Step       int      `json:"step"`
	Question   string   `json:"question"`
	Kind       PollKind `json:"kind"`
	Status     string   `json:"status"` // open or closed
	Secret     bool     `json:"secret"`
	Evaluation bool     `json:"evaluation"`
	// Points and Labels (one per point, "" where none) for a scale;
	// Options and Max for a choice; Words for a words poll.
	Points   int        `json:"points,omitempty"`
	Labels   []string   `json:"labels,omitempty"`
	Options  []string   `json:"options,omitempty"`
	Max      int        `json:"max,omitempty"`
	Words    int        `json:"words,omitempty"`
	OpenedAt time.Time  `json:"opened_at"`
	ClosedAt *time.Time `json:"closed_at"`
	// Respondents is how many have answered, where the viewer may know.
	Respondents *int `json:"respondents,omitempty"`
	// Mine is the viewer's own answer (absent for the room's screen and
	// the report, or before they answer).
	Mine *AnswerView `json:"mine,omitempty"`
	// Results is null while they may not be shown, and Withheld says why.
	Results  *PollResultsView `json:"results"`
	Withheld string           `json:"withheld,omitempty"`
	// Why is Withheld as a message of the catalogue, for a reader in
	// another language.
	Why catalogue.Text `json:"-"`
}

// Open tells whether answers are still taken.
func (p *PollView) Open() bool { return p.Status == "open" }

// Counted tells whether answers are counted on points or options.
func (p *PollView) Counted() bool {
	return p.Kind == PollScale || p.Kind == PollChoice || p.Kind == PollMultiple
}

// Choices are what an answer is counted on: a scale's points (with their
// labels) or a choice's options.
func (p *PollView) Choices() []string {
	if p.Kind == PollScale {
		return p.Labels
	}
	return p.Options
}

// AnswerView is one's own answer: a point, options, or text (N is its
// number, which a facilitator's moderation names).
type AnswerView struct {
	Point   int    `json:"point,omitempty"`
	Choices []int  `json:"choices,omitempty"`
	Text    string `json:"text,omitempty"`
	N       int    `json:"n,omitempty"`
	Hidden  bool   `json:"hidden,omitempty"`
}

// PollResultsView is a poll's results: what `poll results ID --json` gives as
// results.
type PollResultsView struct {
	Poll     int64    `json:"poll"`
	Question string   `json:"question"`
	Kind     PollKind `json:"kind"`
	Status   string   `json:"status"`
	// Final is true once the poll has closed; a live poll's results may
	// still change.
	Final       bool `json:"final"`
	Respondents int  `json:"respondents"`
	// Counts are a scale's points or a choice's options, in order, each
	// with how many chose it and their share of those who answered.
	Counts []PollCount `json:"counts,omitempty"`
	// Mean and Spread (the standard deviation) of a scale's points.
	Mean   *float64 `json:"mean,omitempty"`
	Spread *float64 `json:"spread,omitempty"`
	// Words are a words poll's most frequent words and phrases.
	Words []WordCount `json:"words,omitempty"`
	// Answers are a words or open poll's answers, in the order of their
	// text; hidden ones only for a facilitator (with the reason).
	Answers []ListedAnswer `json:"answers,omitempty"`
	// Sectors break a counted poll down by the respondents' sectors (as
	// they stood at the close), under the small-group rule.
	Sectors     []PollSectorView `json:"sectors,omitempty"`
	SectorsNote string           `json:"sectors_note,omitempty"`
	// SectorsWhy is SectorsNote as a message of the catalogue.
	SectorsWhy catalogue.Text `json:"-"`
}

// PollCount is how many chose one point or option.
type PollCount struct {
	N     int     `json:"n"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Share float64 `json:"share"` // of those who answered, 0..1
}

// WordCount is a word or a phrase and how many answers used it.
type WordCount struct {
	Text   string `json:"text"`
	Count  int    `json:"count"`
	Phrase bool   `json:"phrase"`
}

// ListedAnswer is a text answer as the list shows it: no name. N is for a
// facilitator, to hide it with (0 for anyone else).
type ListedAnswer struct {
	N      int    `json:"n,omitempty"`
	Text   string `json:"text"`
	Hidden bool   `json:"hidden,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// PollSectorView is the part of a counted poll's results from one sector,
// or from several counted together as OtherSectors (Pooled lists them).
type PollSectorView struct {
	Sector      string   `json:"sector"`
	Pooled      []string `json:"pooled,omitempty"`
	Respondents int      `json:"respondents"`
	Counts      []int    `json:"counts"`
	Mean        *float64 `json:"mean,omitempty"`
}

// MaxWordResults is how many words and phrases a words poll's results
// list.
const MaxWordResults = 20

// Polls lists every poll, in order of number.
func (v *View) Polls() []*PollView {
	return v.shared.polls.get(func() []*PollView {
		out := make([]*PollView, len(v.snap.Polls))
		for i, p := range v.snap.Polls {
			out[i] = v.buildPoll(p)
		}
		return out
	})
}

// PollsOf lists the polls asked on a step.
func (v *View) PollsOf(step int) []*PollView {
	var out []*PollView
	for _, p := range v.Polls() {
		if p.Step == step {
			out = append(out, p)
		}
	}
	return out
}

// FindPoll finds a poll by its number.
func (v *View) FindPoll(id int64) (*PollView, bool) {
	ps := v.Polls()
	if id < 1 || int(id) > len(ps) {
		return nil, false
	}
	return ps[id-1], true
}

// Evaluation lists the polls of the forum's evaluation, in order.
func (v *View) Evaluation() []*PollView {
	var out []*PollView
	for _, p := range v.Polls() {
		if p.Evaluation {
			out = append(out, p)
		}
	}
	return out
}

// MyAnswer is the viewer's own answer to a poll: the only person's answer
// any view holds, and only theirs. nil if they have not answered.
func (v *View) MyAnswer(poll int64) *AnswerView {
	if v.viewer == "" || poll < 1 || int(poll) > len(v.snap.answers) {
		return nil
	}
	a := v.snap.answers[poll-1][v.viewer]
	if a == nil {
		return nil
	}
	return &AnswerView{Point: a.Point, Choices: slices.Clone(a.Choices), Text: a.Text, N: a.N, Hidden: a.Hidden}
}

// Poll is a poll as the viewer sees it, with their own answer.
func (v *View) Poll(p *PollView) PollView {
	out := *p
	out.Mine = v.MyAnswer(p.ID)
	return out
}

func (v *View) buildPoll(p *Poll) *PollView {
	s, min := v.snap, v.shared.min
	pv := &PollView{ID: p.ID, Step: p.Step, Question: p.Question, Kind: p.Kind, Status: "open", Secret: p.Secret,
		Evaluation: p.Evaluation, Options: p.Options, Max: p.Max, Words: p.Words, OpenedAt: p.OpenedAt.UTC()}
	if p.Kind == PollScale {
		pv.Points = p.Points
		pv.Labels = make([]string, p.Points)
		for i := range pv.Labels {
			pv.Labels[i] = p.PointLabel(i + 1)
		}
	}
	answers := s.answers[p.ID-1]
	respondents := len(answers)
	if p.Final != nil {
		at := p.ClosedAt.UTC()
		pv.Status, pv.ClosedAt, respondents = "closed", &at, p.Final.Respondents
	}
	shown := p.Final != nil || !p.Secret
	if shown || v.shared.audience == ForFacilitator || v.shared.audience == ForProjector {
		pv.Respondents = &respondents
	}
	switch {
	case !shown:
		pv.Withheld, pv.Why = withheld("withheld.secret")
		return pv
	case respondents > 0 && respondents < min && p.Open():
		pv.Withheld, pv.Why = withheld("withheld.poll.too_few_yet", min)
		return pv
	case respondents > 0 && respondents < min:
		pv.Withheld, pv.Why = withheld("withheld.poll.too_few", min)
		return pv
	}
	r := &PollResultsView{Poll: p.ID, Question: p.Question, Kind: p.Kind, Status: pv.Status, Final: p.Final != nil, Respondents: respondents}
	pv.Results = r
	if !p.Counted() {
		var texts []string
		for _, a := range answers {
			if !a.Hidden {
				texts = append(texts, a.Text)
			}
			if !a.Hidden || v.Facilitator() {
				la := ListedAnswer{Text: a.Text, Hidden: a.Hidden, Reason: a.Reason}
				if v.Facilitator() {
					la.N = a.N
				}
				r.Answers = append(r.Answers, la)
			}
		}
		slices.SortFunc(r.Answers, func(x, y ListedAnswer) int {
			return cmp.Or(cmp.Compare(strings.ToLower(x.Text), strings.ToLower(y.Text)), cmp.Compare(x.Text, y.Text), cmp.Compare(x.N, y.N))
		})
		if p.Kind == PollWords {
			r.Words = CountWords(texts, MaxWordResults)
		}
		return pv
	}
	counts := make([]int, p.Width())
	var groups []group
	if p.Final != nil {
		counts = p.Final.Counts
		for _, t := range p.Final.Sectors {
			groups = append(groups, group{sector: t.Sector, people: t.Respondents, counts: t.Counts})
		}
	} else {
		for _, a := range answers {
			a.add(counts)
		}
		groups = sectorGroups(s.Forum.Sectors, p.Width(), answers, s.sectorOf, func(g *group, a *Answer) { a.add(g.counts) })
	}
	labels := pv.Options
	if p.Kind == PollScale {
		labels = pv.Labels
	}
	for i, n := range counts {
		share := 0.0
		if respondents > 0 {
			share = float64(n) / float64(respondents)
		}
		r.Counts = append(r.Counts, PollCount{N: i + 1, Label: labels[i], Count: n, Share: share})
	}
	if p.Kind == PollScale {
		r.Mean, r.Spread = meanAndSpread(counts)
	}
	shownGroups, note := poolSmallGroups(groups, min, "session.count.people_answering")
	r.SectorsNote, r.SectorsWhy = english(note)
	for _, g := range shownGroups {
		sv := PollSectorView{Sector: g.sector, Pooled: g.pooled, Respondents: g.people, Counts: slices.Clone(g.counts)}
		if p.Kind == PollScale {
			sv.Mean, _ = meanAndSpread(g.counts)
		}
		r.Sectors = append(r.Sectors, sv)
	}
	return pv
}

// meanAndSpread are the mean point of a scale's counts and their standard
// deviation (of the answers given, not an estimate of a wider public's),
// rounded to two places; nil when nobody answered.
func meanAndSpread(counts []int) (*float64, *float64) {
	n, sum := 0, 0
	for i, c := range counts {
		n += c
		sum += (i + 1) * c
	}
	if n == 0 {
		return nil, nil
	}
	mean := float64(sum) / float64(n)
	sq := 0.0
	for i, c := range counts {
		d := float64(i+1) - mean
		sq += float64(c) * d * d
	}
	round := func(x float64) *float64 { r := math.Round(x*100) / 100; return &r }
	return round(mean), round(math.Sqrt(sq / float64(n)))
}

// stopWords are left out of a words poll's single words (they still make
// up its phrases): they would lead every count and say nothing.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "at": true, "by": true, "is": true, "are": true, "be": true, "it": true,
	"its": true, "it's": true, "this": true, "that": true, "we": true, "our": true, "us": true, "you": true,
	"your": true, "i": true, "my": true, "me": true, "as": true, "so": true, "not": true, "no": true,
}

// wordsOf splits a text into words, in lower case: runs of letters and
// digits, apostrophes and hyphens within a word kept.
func wordsOf(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '-'
	}) {
		if w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'-"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// CountWords gives the most frequent words and phrases of answers, most
// first (up to most of them): how many answers used each word, and how
// many gave each phrase (an answer of more than one word). Case does not
// count, and a plural counts with its singular when the answers use both
// ("buses" with "bus", "cities" with "city"); a word used only in the
// plural is left as written.
func CountWords(answers []string, most int) []WordCount {
	split := make([][]string, len(answers))
	used := map[string]bool{}
	for i, a := range answers {
		split[i] = wordsOf(a)
		for _, w := range split[i] {
			used[w] = true
		}
	}
	singular := func(w string) string {
		for _, c := range []struct{ cut, add string }{{"ies", "y"}, {"es", ""}, {"s", ""}} {
			if base, ok := strings.CutSuffix(w, c.cut); ok && len(base) >= 2 && !strings.HasSuffix(w, "ss") && used[base+c.add] {
				return base + c.add
			}
		}
		return w
	}
	words, phrases := map[string]int{}, map[string]int{}
	for _, ws := range split {
		seen := map[string]bool{}
		norm := make([]string, len(ws))
		for i, w := range ws {
			norm[i] = singular(w)
			if !stopWords[norm[i]] && !seen[norm[i]] {
				seen[norm[i]] = true
				words[norm[i]]++
			}
		}
		if len(norm) > 1 {
			phrases[strings.Join(norm, " ")]++
		}
	}
	var out []WordCount
	for w, n := range words {
		out = append(out, WordCount{Text: w, Count: n})
	}
	for p, n := range phrases {
		out = append(out, WordCount{Text: p, Count: n, Phrase: true})
	}
	slices.SortFunc(out, func(x, y WordCount) int {
		// Most used first; at equal counts a phrase, which says more.
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(boolRank(y.Phrase), boolRank(x.Phrase)), cmp.Compare(x.Text, y.Text))
	})
	if len(out) > most {
		out = out[:most]
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
