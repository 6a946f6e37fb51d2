package session_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"moot/session"
	"moot/session/command"
	"moot/session/report"
	"moot/store"
)

// The property the views keep: for many randomly made forums (people in
// random sectors, some alone in theirs; ballots secret and live, open and
// closed; checks open and closed, with and without show_distribution;
// anonymous cards merged into named ones; hidden and withdrawn cards;
// polls of every kind, secret and live, open and closed, answers changed
// and taken back), no one can work out one other person's dots, level,
// poll answer or authorship from what they are given: their own screen's view, their commands' JSON, the
// room's screen, and the report (published after the forum, so anyone's).
//
// "Work out" is taken as an adversary would: they know who voted and who
// responded, everyone's sector, and their own choice; every count they are
// shown is a sum of choices over a set of people; a person's choice can be
// worked out when it is a combination of those sums and their own
// (exactly: its unit vector lies in the span of the sets' vectors). Two
// things are shown on purpose and left out of the sums: whether anyone
// blocked a check (the room needs it to record a statement), and who
// blocked, which only a facilitator is told.
func TestNoViewSinglesOutAChoice(t *testing.T) {
	forums := 30
	if testing.Short() {
		forums = 8
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i := range forums {
		seed := uint64(20261205 + i)
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			w := makeWorld(t, st, fmt.Sprintf("f%d", i), seed)
			w.check(t)
		})
	}
}

// world is a random forum and the truth about it, kept as it was made.
type world struct {
	hub    *session.Hub
	forum  *session.Forum
	fac    string
	people []string // everyone who gave a name, the facilitator first
	name   map[string]string
	// alloc[ballot][voter] is each voter's last saved allocation.
	alloc map[int64]map[string]map[int]int
	// closedSectors[ballot][voter] is each voter's sector when it closed.
	closedSectors map[int64]map[string]string
	// answers[poll][person] is each person's last saved answer;
	// pollSectors[poll][person] their sector when it closed.
	answers     map[int64]map[string]session.AnswerView
	pollSectors map[int64]map[string]string
}

func makeWorld(t *testing.T, st session.Store, slug string, seed uint64) *world {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	allSectors := []string{"Local government", "Public body", "Third sector", "Community", "Other"}
	r.Shuffle(len(allSectors), func(i, j int) { allSectors[i], allSectors[j] = allSectors[j], allSectors[i] })
	f := &session.Forum{
		Slug: slug, Title: "Forum " + slug, Sectors: allSectors[:2+r.IntN(4)],
		Steps: []session.Step{
			{Title: "Dialogue", Phase: session.Dialogue},
			{Title: "Voting", Phase: session.Voting},
			{Title: "Deliberation", Phase: session.Deliberation},
			{Title: "Feedback", Phase: session.Feedback},
		},
		AnonymousCards:   true,
		ShowDistribution: r.IntN(2) == 0,
		MinGroup:         []int{0, 0, 3, 4}[r.IntN(4)],
	}
	f.Steps[0].Tables = r.IntN(2) == 0
	w := &world{forum: f, fac: "SHA256:" + slug + "-fac", name: map[string]string{},
		alloc: map[int64]map[string]map[int]int{}, closedSectors: map[int64]map[string]string{},
		answers: map[int64]map[string]session.AnswerView{}, pollSectors: map[int64]map[string]string{}}
	f.Facilitators = []string{w.fac}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Stop)
	w.hub = h
	do := func(who string, cmd session.Command) bool {
		return h.Do(context.Background(), who, cmd) == nil
	}
	must := func(who string, cmd session.Command) {
		t.Helper()
		if err := h.Do(context.Background(), who, cmd); err != nil {
			t.Fatalf("seed %d: %T: %v", seed, cmd, err)
		}
	}
	// Sectors are drawn unevenly, so that some have one person and some
	// none; some people give no sector.
	sectorFor := func() string {
		if r.IntN(5) == 0 {
			return ""
		}
		i := int(float64(len(f.Sectors)) * r.Float64() * r.Float64())
		return f.Sectors[i]
	}
	n := 2 + r.IntN(14)
	for i := range n {
		id := fmt.Sprintf("SHA256:%s-p%d", slug, i)
		if i == 0 {
			id = w.fac
		}
		w.people = append(w.people, id)
		w.name[id] = fmt.Sprintf("Person%d-%s", i, slug)
		must(id, session.Register{Name: w.name[id], Sector: sectorFor()})
	}
	pick := func() string { return w.people[r.IntN(len(w.people))] }
	some := func() []string {
		var out []string
		for _, p := range w.people {
			if r.IntN(3) > 0 {
				out = append(out, p)
			}
		}
		return out
	}

	// Dialogue: cards, some anonymous, some merged (anonymous ones into
	// named ones too), one hidden, one withdrawn; on some forums, at
	// tables.
	if f.Steps[0].Tables && n > 1 {
		must(w.fac, session.MakeTables{Count: 1 + r.IntN(min(3, n-1)), BySector: r.IntN(2) == 0})
	}
	must(w.fac, session.NextStep{})
	for _, p := range some() {
		for range 1 + r.IntN(2) {
			must(p, session.AddCard{Text: fmt.Sprintf("a point from %s", slug), Anonymous: r.IntN(2) == 0})
		}
	}
	cards := func() []int64 {
		var ids []int64
		for _, c := range h.Snapshot().Cards {
			if c.Shown() {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	for range r.IntN(4) {
		if ids := cards(); len(ids) >= 2 {
			r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			must(w.fac, session.MergeCards{Into: ids[0], From: ids[1 : 2+r.IntN(min(2, len(ids)-1))]})
		}
	}
	if ids := cards(); len(ids) > 0 && r.IntN(2) == 0 {
		must(w.fac, session.HideCard{ID: ids[r.IntN(len(ids))], Reason: "off topic"})
	}
	if ids := cards(); len(ids) > 0 {
		c := h.Snapshot().Cards[ids[r.IntN(len(ids))]-1]
		do(c.Author, session.WithdrawCard{ID: c.ID})
	}

	// Voting: ballots secret and live, some closed; people change their
	// minds and, now and then, their sector.
	must(w.fac, session.NextStep{})
	for range 1 + r.IntN(3) {
		secret := r.IntN(3) > 0
		items := 2 + r.IntN(3)
		texts := make([]string, items)
		for i := range texts {
			texts[i] = fmt.Sprintf("item %d", i+1)
		}
		events, err := h.Apply(context.Background(), w.fac, session.OpenBallot{Texts: texts, Secret: &secret, MaxPerItem: 3})
		if err != nil {
			t.Fatalf("seed %d: open ballot: %v", seed, err)
		}
		b := events[0].(session.BallotOpened).Ballot
		w.alloc[b.ID] = map[string]map[int]int{}
		for range 1 + r.IntN(2) {
			for _, p := range some() {
				dots := map[int]int{}
				for left := 1 + r.IntN(b.Dots); left > 0; left-- {
					dots[1+r.IntN(items)]++
				}
				if do(p, session.CastVote{Ballot: b.ID, Dots: dots}) {
					w.alloc[b.ID][p] = dots
				}
			}
			if r.IntN(3) == 0 {
				p := pick()
				must(p, session.Register{Name: w.name[p], Sector: sectorFor()})
			}
		}
		if r.IntN(3) > 0 {
			must(w.fac, session.CloseBallot{Ballot: b.ID})
			w.closedSectors[b.ID] = map[string]string{}
			for voter := range w.alloc[b.ID] {
				w.closedSectors[b.ID][voter] = w.sectorNow(voter)
			}
		}
	}

	// Polls of every kind, secret and live; people answer, change their
	// answers, take them back and now and then change their sector.
	for range 1 + r.IntN(3) {
		spec := session.PollSpec{Question: "a question", Kind: session.PollKinds[r.IntN(len(session.PollKinds))]}
		secret := r.IntN(3) > 0
		spec.Secret = &secret
		switch spec.Kind {
		case session.PollScale:
			spec.Points = 2 + r.IntN(9)
		case session.PollChoice, session.PollMultiple:
			spec.Options = []string{"one", "two", "three", "four"}[:2+r.IntN(3)]
			if spec.Kind == session.PollMultiple {
				spec.Max = r.IntN(len(spec.Options) + 1)
			}
		}
		events, err := h.Apply(context.Background(), w.fac, session.OpenPoll{Spec: spec})
		if err != nil {
			t.Fatalf("seed %d: open poll %+v: %v", seed, spec, err)
		}
		p := events[0].(session.PollOpened).Poll
		w.answers[p.ID] = map[string]session.AnswerView{}
		words := []string{"buses", "bus", "trust", "more buses", "time", "Trust"}
		for range 1 + r.IntN(2) {
			for _, who := range some() {
				c := session.AnswerPoll{Poll: p.ID}
				var a session.AnswerView
				switch p.Kind {
				case session.PollScale:
					c.Point = 1 + r.IntN(p.Points)
					a.Point = c.Point
				case session.PollChoice:
					c.Choices = []int{1 + r.IntN(len(p.Options))}
					a.Choices = c.Choices
				case session.PollMultiple:
					for i := range p.Options {
						if len(c.Choices) < p.Max && r.IntN(2) == 0 {
							c.Choices = append(c.Choices, i+1)
						}
					}
					if len(c.Choices) == 0 {
						c.Choices = []int{1}
					}
					a.Choices = c.Choices
				default:
					c.Text = words[r.IntN(len(words))]
					a.Text = c.Text
				}
				if r.IntN(6) == 0 {
					c = session.AnswerPoll{Poll: p.ID, Clear: true}
				}
				if do(who, c) {
					if c.Clear {
						delete(w.answers[p.ID], who)
					} else {
						w.answers[p.ID][who] = a
					}
				}
			}
			if r.IntN(3) == 0 {
				who := pick()
				must(who, session.Register{Name: w.name[who], Sector: sectorFor()})
			}
		}
		if r.IntN(3) > 0 {
			must(w.fac, session.ClosePoll{Poll: p.ID})
			w.pollSectors[p.ID] = map[string]string{}
			for who := range w.answers[p.ID] {
				w.pollSectors[p.ID][who] = w.sectorNow(who)
			}
		}
	}

	// Deliberation: statements, checks open and closed, some recorded.
	must(w.fac, session.NextStep{})
	for s := int64(1); s <= int64(1+r.IntN(3)); s++ {
		must(w.fac, session.ProposeStatement{Text: fmt.Sprintf("statement %d", s)})
		if r.IntN(4) == 0 {
			continue
		}
		must(w.fac, session.OpenCheck{Statement: s})
		for _, p := range some() {
			must(p, session.Agree{Statement: s, Level: 1 + r.IntN(5)})
		}
		switch r.IntN(3) {
		case 0: // left open
		case 1:
			must(w.fac, session.CloseCheck{Statement: s})
		default:
			if !do(w.fac, session.RecordStatement{Statement: s, Outcome: session.Agreed}) {
				must(w.fac, session.RecordStatement{Statement: s, Outcome: session.NotAgreed})
			}
		}
	}
	if r.IntN(2) == 0 {
		must(w.fac, session.NextStep{})
		for _, s := range h.Snapshot().Statements {
			if s.Outcome == session.Agreed {
				for _, p := range some() {
					must(p, session.GiveFeedback{Statement: s.ID, Text: "a comment"})
				}
			}
		}
	}
	return w
}

func (w *world) sectorNow(id string) string {
	p, _ := w.hub.Snapshot().Participant(id)
	return p.Sector
}

// sums is what one observer is shown of one ballot or check: sets of
// people, each with the sum of their choices over it.
type sums struct {
	sets [][]string
}

// seen gathers what an observer is shown, checking as it goes that every
// count is the sum it claims to be.
type seen struct {
	t     *testing.T
	w     *world
	self  string // "" for the room's screen and the report
	where string
	// by ballot ("b1") or check ("c2").
	sums map[string]*sums
}

func (s *seen) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("%s: %s", s.where, fmt.Sprintf(format, args...))
}

func (s *seen) add(key string, set []string) {
	if s.sums[key] == nil {
		s.sums[key] = &sums{}
	}
	s.sums[key].sets = append(s.sums[key].sets, set)
}

// inGroup is who of ids are in a group of a breakdown: a sector, or the
// sectors it pools.
func inGroup(ids []string, sectorOf func(string) string, sector string, pooled []string) []string {
	var out []string
	for _, id := range ids {
		s := sectorOf(id)
		if (pooled == nil && s == sector) || (pooled != nil && slices.Contains(pooled, s)) {
			out = append(out, id)
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ballot takes in what a ballot's view for an audience shows.
func (s *seen) ballot(b session.BallotView, aud session.Audience) {
	s.t.Helper()
	truth := s.w.alloc[b.ID]
	voters := keys(truth)
	raw, _ := s.w.hub.Snapshot().Ballot(b.ID)
	if raw.Secret && raw.Open() {
		if b.Results != nil {
			s.errorf("ballot %d is secret and open, yet has results", b.ID)
		}
		for _, it := range b.Items {
			if it.Dots != nil {
				s.errorf("ballot %d is secret and open, yet shows dots on item %d", b.ID, it.ID)
			}
		}
		if b.Voters != nil && (aud == session.ForParticipant || aud == session.ForReport) {
			s.errorf("ballot %d is secret and open, yet the %s is told how many voted", b.ID, aud)
		}
	}
	// The viewer's own dots, and nobody else's.
	for _, it := range b.Items {
		if it.Mine != nil && (s.self == "" || *it.Mine != truth[s.self][it.ID]) {
			s.errorf("ballot %d item %d: mine = %d for %q", b.ID, it.ID, *it.Mine, s.self)
		}
	}
	if b.Results == nil {
		return
	}
	sectorOf := s.w.sectorNow
	if cs := s.w.closedSectors[b.ID]; cs != nil {
		sectorOf = func(id string) string { return cs[id] }
	}
	sum := func(set []string) []int {
		out := make([]int, len(raw.Items))
		for _, id := range set {
			for item, n := range truth[id] {
				out[item-1] += n
			}
		}
		return out
	}
	total := sum(voters)
	for _, it := range b.Results.Items {
		if it.Dots != total[it.ID-1] {
			s.errorf("ballot %d item %d: %d dots shown, %d cast", b.ID, it.ID, it.Dots, total[it.ID-1])
		}
	}
	if b.Results.Voters != len(voters) {
		s.errorf("ballot %d: %d voters shown, %d voted", b.ID, b.Results.Voters, len(voters))
	}
	key := fmt.Sprintf("b%d", b.ID)
	s.add(key, voters)
	for _, g := range b.Results.Sectors {
		set := inGroup(voters, sectorOf, g.Sector, g.Pooled)
		if fmt.Sprint(sum(set)) != fmt.Sprint(g.Dots) || len(set) != g.Voters {
			s.errorf("ballot %d, %s: shows %d voters %v, truth %d %v", b.ID, session.GroupLabel(g.Sector, g.Pooled), g.Voters, g.Dots, len(set), sum(set))
		}
		s.add(key, set)
	}
}

// check takes in what a check's view shows.
func (s *seen) check(c session.CheckView) {
	s.t.Helper()
	raw := s.w.hub.Snapshot().Checks[c.ID-1]
	respondents := keys(raw.Levels)
	if c.Mine != 0 && (s.self == "" || c.Mine != raw.Levels[s.self]) {
		s.errorf("check %d: mine = %d for %q", c.ID, c.Mine, s.self)
	}
	if len(c.Blockers) > 0 && s.self != s.w.fac {
		s.errorf("check %d names who blocked to someone who is not the facilitator", c.ID)
	}
	if raw.Open() && s.self != s.w.fac && !s.w.forum.ShowDistribution && (c.Levels != nil || c.BySector != nil) {
		s.errorf("check %d is open and its spread is shown to %q", c.ID, s.self)
	}
	sum := func(set []string) []int {
		out := make([]int, len(raw.Scale.Labels))
		for _, id := range set {
			out[raw.Levels[id]-1]++
		}
		return out
	}
	key := fmt.Sprintf("c%d", c.ID)
	if c.Levels != nil {
		total := sum(respondents)
		for _, l := range c.Levels {
			if l.Count != total[l.Level-1] {
				s.errorf("check %d level %d: %d shown, %d chose it", c.ID, l.Level, l.Count, total[l.Level-1])
			}
		}
		s.add(key, respondents)
	}
	for _, g := range c.BySector {
		set := inGroup(respondents, s.w.sectorNow, g.Sector, g.Pooled)
		if fmt.Sprint(sum(set)) != fmt.Sprint(g.Counts) || len(set) != g.Responded {
			s.errorf("check %d, %s: shows %d %v, truth %d %v", c.ID, session.GroupLabel(g.Sector, g.Pooled), g.Responded, g.Counts, len(set), sum(set))
		}
		s.add(key, set)
	}
}

// poll takes in what a poll's view for an audience shows.
func (s *seen) poll(p session.PollView, aud session.Audience) {
	s.t.Helper()
	truth := s.w.answers[p.ID]
	respondents := keys(truth)
	raw := s.w.hub.Snapshot().Polls[p.ID-1]
	if raw.Secret && raw.Open() {
		if p.Results != nil {
			s.errorf("poll %d is secret and open, yet has results", p.ID)
		}
		if p.Respondents != nil && (aud == session.ForParticipant || aud == session.ForReport) {
			s.errorf("poll %d is secret and open, yet the %s is told how many answered", p.ID, aud)
		}
	}
	if p.Mine != nil {
		mine, ok := truth[s.self]
		if s.self == "" || !ok || mine.Point != p.Mine.Point || fmt.Sprint(mine.Choices) != fmt.Sprint(p.Mine.Choices) || mine.Text != p.Mine.Text {
			s.errorf("poll %d: mine = %+v for %q", p.ID, *p.Mine, s.self)
		}
	}
	r := p.Results
	if r == nil {
		return
	}
	if r.Respondents != len(respondents) {
		s.errorf("poll %d: %d answered shown, %d answered", p.ID, r.Respondents, len(respondents))
	}
	key := fmt.Sprintf("p%d", p.ID)
	s.add(key, respondents)
	if !raw.Counted() {
		var shown, given []string
		for _, a := range r.Answers {
			shown = append(shown, a.Text)
		}
		for _, who := range respondents {
			given = append(given, truth[who].Text)
		}
		slices.Sort(shown)
		slices.Sort(given)
		if !slices.Equal(shown, given) {
			s.errorf("poll %d lists %q, the answers are %q", p.ID, shown, given)
		}
		for _, a := range r.Answers {
			if a.N != 0 && aud != session.ForFacilitator {
				s.errorf("poll %d gives the %s the numbers of answers", p.ID, aud)
			}
		}
		return
	}
	sum := func(set []string) []int {
		out := make([]int, raw.Width())
		for _, who := range set {
			a := truth[who]
			if a.Point > 0 {
				out[a.Point-1]++
			}
			for _, c := range a.Choices {
				out[c-1]++
			}
		}
		return out
	}
	total := sum(respondents)
	for i, c := range r.Counts {
		if c.Count != total[i] {
			s.errorf("poll %d, %d: %d shown, %d chose it", p.ID, c.N, c.Count, total[i])
		}
	}
	sectorOf := s.w.sectorNow
	if ps := s.w.pollSectors[p.ID]; ps != nil {
		sectorOf = func(id string) string { return ps[id] }
	}
	for _, g := range r.Sectors {
		set := inGroup(respondents, sectorOf, g.Sector, g.Pooled)
		if fmt.Sprint(sum(set)) != fmt.Sprint(g.Counts) || len(set) != g.Respondents {
			s.errorf("poll %d, %s: shows %d %v, truth %d %v", p.ID, session.GroupLabel(g.Sector, g.Pooled), g.Respondents, g.Counts, len(set), sum(set))
		}
		s.add(key, set)
	}
}

// card checks what a card's view says of who wrote it.
func (s *seen) card(c session.CardView, report bool) {
	s.t.Helper()
	snap := s.w.hub.Snapshot()
	raw := snap.Cards[c.ID-1]
	if !raw.Shown() && !(raw.Status == session.CardHidden && s.self == s.w.fac) {
		s.errorf("card %d (%s) is shown to %q", c.ID, raw.Status, s.self)
	}
	if c.Mine && raw.Author != s.self {
		s.errorf("card %d is marked as %q's, and is not", c.ID, s.self)
	}
	named := map[string]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		m := snap.Cards[id-1]
		if !m.Anonymous {
			named[s.w.name[m.Author]] = true
		}
		for _, o := range snap.Cards {
			if o.Status == session.CardMerged && o.MergedInto == id {
				walk(o.ID)
			}
		}
	}
	walk(c.ID)
	for _, n := range append([]string{c.Author}, c.Credits...) {
		if n != "" && (!named[n] || report) {
			s.errorf("card %d names %q, who is credited only anonymously (or the report names someone)", c.ID, n)
		}
	}
	if raw.Anonymous && c.Author != "" {
		s.errorf("anonymous card %d shows its author", c.ID)
	}
}

func (s *seen) statement(st session.StatementView, report bool) {
	s.t.Helper()
	for _, c := range []*session.CheckView{st.Check, st.Result} {
		if c != nil {
			s.check(*c)
		}
	}
	if report && (st.Proposer != "" || st.RevisionAuthor != "" || st.RecordedBy != "") {
		s.errorf("the report names who proposed or recorded statement %d", st.ID)
	}
}

// view takes in everything a view shows.
func (s *seen) view(v *session.View) {
	s.t.Helper()
	report := v.Audience() == session.ForReport
	for _, b := range v.Ballots() {
		s.ballot(v.Ballot(b), v.Audience())
	}
	for _, p := range v.Polls() {
		s.poll(v.Poll(p), v.Audience())
	}
	for _, st := range v.Statements() {
		s.statement(v.Statement(st), report)
		d, _ := v.Detail(st.ID)
		for _, c := range d.Checks {
			s.check(c)
		}
	}
	for _, d := range v.Draft() {
		own := v.DraftStatement(d)
		s.statement(own.StatementView, report)
		for _, f := range own.Feedback {
			if report && f.Author != "" {
				s.errorf("the report names who gave feedback #%d", f.ID)
			}
		}
	}
	for step := range s.w.forum.Steps {
		for _, c := range append(slices.Clone(v.StepCards(step+1)), v.HiddenCards(step+1)...) {
			s.card(v.Card(c), report)
			if raw := s.w.hub.Snapshot().Cards[c.ID-1]; v.Audience() == session.ForParticipant && raw.Table != 0 &&
				!s.w.hub.Snapshot().Tables[raw.Table-1].Seats(s.self) {
				s.errorf("card %d, of another table, is on %s's screen", c.ID, s.self)
			}
		}
	}
	if !v.Facilitator() && len(v.People()) > 0 {
		s.errorf("the list of people is given to a %s", v.Audience())
	}
}

// commands takes in the JSON of every command that shows choices.
func (s *seen) commands(id string) {
	s.t.Helper()
	run := func(line string, into any) bool {
		var out bytes.Buffer
		if err := command.Run(context.Background(), command.Env{Hub: s.w.hub, Actor: id, Out: &out}, line); err != nil {
			return false
		}
		if err := json.Unmarshal(out.Bytes(), into); err != nil {
			s.errorf("%s: %v\n%s", line, err, out.String())
			return false
		}
		return true
	}
	aud := session.ForParticipant
	if id == s.w.fac {
		aud = session.ForFacilitator
	}
	var ballots []session.BallotView
	run("ballots --json", &ballots)
	for _, b := range ballots {
		s.ballot(b, aud)
		var res session.ResultsView
		if run(fmt.Sprintf("results %d --json --by-sector", b.ID), &res) {
			s.ballot(session.BallotView{ID: b.ID, Results: &res}, aud)
		}
	}
	var polls []session.PollView
	run("polls --json", &polls)
	for _, p := range polls {
		s.poll(p, aud)
		var one session.PollView
		if run(fmt.Sprintf("poll results %d --json --by-sector", p.ID), &one) {
			s.poll(one, aud)
		}
	}
	var sts []session.StatementView
	run("statements --json", &sts)
	for _, st := range sts {
		s.statement(st, false)
		var d session.StatementDetail
		if run(fmt.Sprintf("statement %d --json", st.ID), &d) {
			for _, c := range d.Checks {
				s.check(c)
			}
		}
	}
	var draft []session.DraftStatement
	run("feedback --json", &draft)
	for _, d := range draft {
		s.statement(d.StatementView, false)
	}
	for step := range s.w.forum.Steps {
		for _, flags := range []string{"", " --hidden"} {
			var cards []session.CardView
			run(fmt.Sprintf("cards --json --step %d%s", step+1, flags), &cards)
			for _, c := range cards {
				s.card(c, false)
			}
		}
	}
	if id == s.w.fac {
		var r report.Report
		if run("export --format json", &r) {
			s.report(r)
		} else {
			s.errorf("export --format json was refused to the facilitator")
		}
	}
}

func (s *seen) report(r report.Report) {
	s.t.Helper()
	for _, step := range r.Steps {
		for _, b := range step.Ballots {
			s.ballot(b, session.ForReport)
		}
		for _, c := range step.Cards {
			s.card(c, true)
		}
		for _, p := range step.Polls {
			s.poll(p, session.ForReport)
		}
	}
	for _, p := range r.Evaluation {
		s.poll(p, session.ForReport)
	}
	for _, st := range r.Statements {
		s.statement(st.StatementView, true)
		for _, c := range st.Checks {
			s.check(c)
		}
		// Nobody in these forums asks to be named.
		for _, rv := range st.Revisions {
			if rv.Author != "" || rv.AcceptedBy != "" {
				s.errorf("the report names who wrote revision %d of statement %d", rv.N, st.ID)
			}
		}
		for _, a := range st.Amendments {
			if a.Author != "" {
				s.errorf("the report names who proposed amendment %d", a.ID)
			}
		}
	}
}

// check looks at the forum through every observer's eyes.
func (w *world) check(t *testing.T) {
	snap := w.hub.Snapshot()
	public := func(s *seen) {
		s.view(snap.ViewAs(session.ForProjector))
		s.view(snap.ViewAs(session.ForReport))
	}
	observers := []*seen{{self: "", where: "the room"}}
	for _, p := range w.people {
		observers = append(observers, &seen{self: p, where: w.name[p]})
	}
	for _, s := range observers {
		s.t, s.w, s.sums = t, w, map[string]*sums{}
		public(s)
		if s.self != "" {
			s.view(snap.ViewFor(s.self))
			s.commands(s.self)
		}
		for key, sm := range s.sums {
			// Who has a choice here, as the observer knows.
			var choosers []string
			if id, ok := strings.CutPrefix(key, "b"); ok {
				var b int64
				fmt.Sscan(id, &b)
				choosers = keys(w.alloc[b])
			} else if id, ok := strings.CutPrefix(key, "p"); ok {
				var p int64
				fmt.Sscan(id, &p)
				choosers = keys(w.answers[p])
			} else {
				var c int64
				fmt.Sscan(key[1:], &c)
				choosers = keys(snap.Checks[c-1].Levels)
			}
			for _, who := range singledOut(choosers, sm.sets, s.self) {
				t.Errorf("%s can work out %s's choice on %s from the counts shown (%d people in all, sets %v)",
					s.where, w.name[who], key, len(choosers), setSizes(sm.sets))
			}
		}
	}
}

func setSizes(sets [][]string) []int {
	out := make([]int, len(sets))
	for i, s := range sets {
		out[i] = len(s)
	}
	return out
}

// singledOut lists the people, other than self, whose choice follows from
// sums over sets and self's own choice: those whose unit vector lies in
// the span of the sets' vectors and self's unit vector.
func singledOut(people []string, sets [][]string, self string) []string {
	index := map[string]int{}
	for i, p := range people {
		index[p] = i
	}
	var rows [][]*big.Rat
	vector := func(ids ...string) []*big.Rat {
		v := make([]*big.Rat, len(people))
		for i := range v {
			v[i] = new(big.Rat)
		}
		for _, id := range ids {
			if i, ok := index[id]; ok {
				v[i].SetInt64(1)
			}
		}
		return v
	}
	for _, set := range sets {
		rows = append(rows, vector(set...))
	}
	if _, ok := index[self]; ok {
		rows = append(rows, vector(self))
	}
	base := rank(rows)
	var out []string
	for _, p := range people {
		if p != self && rank(append(slices.Clone(rows), vector(p))) == base {
			out = append(out, p)
		}
	}
	return out
}

// rank is the rank of a matrix of rationals, by Gaussian elimination on a
// copy.
func rank(rows [][]*big.Rat) int {
	m := make([][]*big.Rat, len(rows))
	for i, r := range rows {
		m[i] = make([]*big.Rat, len(r))
		for j, x := range r {
			m[i][j] = new(big.Rat).Set(x)
		}
	}
	if len(m) == 0 {
		return 0
	}
	r := 0
	for col := 0; col < len(m[0]) && r < len(m); col++ {
		pivot := -1
		for i := r; i < len(m); i++ {
			if m[i][col].Sign() != 0 {
				pivot = i
				break
			}
		}
		if pivot < 0 {
			continue
		}
		m[r], m[pivot] = m[pivot], m[r]
		for i := range m {
			if i == r || m[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(m[i][col], m[r][col])
			for j := col; j < len(m[i]); j++ {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[r][j]))
			}
		}
		r++
	}
	return r
}

// The algebra the property rests on, on cases small enough to do by hand.
func TestSingledOut(t *testing.T) {
	people := []string{"a", "b", "c", "d"}
	for _, c := range []struct {
		sets [][]string
		self string
		want string
	}{
		{[][]string{{"a", "b", "c", "d"}}, "", "[]"},
		{[][]string{{"a"}}, "", "[a]"},
		{[][]string{{"a", "b"}}, "a", "[b]"},
		{[][]string{{"a", "b", "c", "d"}, {"a", "b", "c"}}, "", "[d]"},
		{[][]string{{"a", "b", "c", "d"}, {"a", "b"}, {"c", "d"}}, "", "[]"},
		{[][]string{{"a", "b", "c", "d"}, {"a", "b"}, {"c", "d"}}, "a", "[b]"},
		{[][]string{{"a", "b", "c"}}, "a", "[]"},
	} {
		if got := fmt.Sprint(singledOut(people, c.sets, c.self)); got != c.want {
			t.Errorf("sets %v, self %q: %s, want %s", c.sets, c.self, got, c.want)
		}
	}
}
