package session

import (
	"sort"
	"time"
)

// Participant is a person known to a forum, identified by the fingerprint of
// their SSH key.
type Participant struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Sector   string    `json:"sector,omitempty"`
	JoinedAt time.Time `json:"joined_at"`
	// Credit: the person agreed to be named in the report (feedback.go).
	Credit bool `json:"credit,omitempty"`
	// Symbols is how the person's screens draw symbols (people.go).
	Symbols string `json:"symbols,omitempty"`
	// Mode and Quiet are how the person follows the forum: the screen or
	// line mode, and whether line mode tells them everything (mode.go).
	// Only they see them (View.People leaves them out).
	Mode  string `json:"mode,omitempty"`
	Quiet bool   `json:"quiet,omitempty"`
	// Lang is the language the person reads moot in ("" for the forum's),
	// a code of the catalogue's (mode.go). Only they see it.
	Lang string `json:"lang,omitempty"`
}

// Timer is a step's running timebox. A zero EndsAt means none runs.
type Timer struct {
	EndsAt time.Time `json:"ends_at"`
}

// Running tells whether a timebox is under way (it may have passed zero).
func (t Timer) Running() bool { return !t.EndsAt.IsZero() }

// Remaining is the time left at now, negative once the timebox is over.
func (t Timer) Remaining(now time.Time) time.Duration {
	if !t.Running() {
		return 0
	}
	return t.EndsAt.Sub(now)
}

// State is everything about a forum that changes as it runs. The Hub owns it;
// commands read it to decide, events change it.
type State struct {
	Forum *Forum
	// Step is 0 in the lobby, 1..len(Steps) while the forum runs, and
	// len(Steps)+1 once it has closed.
	Step         int
	Timer        Timer
	Participants map[string]*Participant
	// Seq is the number of the last event committed.
	Seq int64
	// NamesSeq is the Seq of the last change to anyone's name, so that
	// what shows names can tell when to draw them again.
	NamesSeq int64
	// Archived is set once a facilitator has archived the forum: it is
	// read-only from then on (organiser.go).
	Archived bool

	// Dialogue (dialogue.go). Cards[i].ID is i+1.
	Cards   []*Card
	Themes  []*Theme // in order of Position
	Hands   []Hand   // in the order raised
	Speaker string   // the person last called to speak

	// Deliberation (deliberation.go). In each, element i has ID i+1.
	Statements []*Statement
	Comments   []*Comment
	Amendments []*Amendment
	Checks     []*Check
	Actions    []*Action

	// Feedback (feedback.go): comments on the draft report; element i
	// has ID i+1.
	Feedback []*FeedbackComment

	// posted holds when each person posted their latest cards, for the
	// rate limit; it is not persisted.
	posted map[string][]time.Time

	// Voting (voting.go). Ballots[i].ID is i+1; tallies[i] counts it.
	Ballots []*Ballot
	tallies []*tally

	// Tables (tables.go): every table ever made, Tables[i].ID is i+1;
	// TableSet is the latest set, the one people sit at.
	Tables   []*Table
	TableSet int

	// Quick polls (polls.go). Polls[i].ID is i+1; answers[i] holds its
	// answers. answered holds when each person last answered, for the
	// rate limit; it is not persisted.
	Polls    []*Poll
	answers  []*answerBook
	answered map[string][]time.Time
}

// NewState is the state of a forum that has not begun.
func NewState(f *Forum) *State {
	return &State{Forum: f, Participants: map[string]*Participant{}, posted: map[string][]time.Time{}, answered: map[string][]time.Time{}}
}

// Stage names where a forum is in its agenda.
type Stage string

const (
	Lobby   Stage = "lobby"
	Running Stage = "running"
	Closed  Stage = "closed"
)

// StageOf places a step index in the agenda of n steps.
func StageOf(step, n int) Stage {
	switch {
	case step <= 0:
		return Lobby
	case step > n:
		return Closed
	}
	return Running
}

// Snapshot is a read-only picture of a forum at one moment, shared by every
// subscriber. Nothing in it may be modified after publication.
type Snapshot struct {
	Seq      int64
	NamesSeq int64
	Forum    *Forum
	Step     int
	Timer    Timer
	// Participants are sorted by name, then fingerprint.
	Participants []ParticipantView
	// Connected counts the distinct people with a screen open.
	Connected int
	// Now is the Hub's clock when the snapshot was published; countdowns are
	// drawn against it so that every screen shows the same second.
	Now time.Time
	// Stopping is set on the last snapshot a Hub publishes before the server
	// shuts down.
	Stopping bool
	// Archived: the forum is read-only.
	Archived bool

	// Dialogue: every card of every step, in order of ID (Cards[i].ID is
	// i+1), hidden and withdrawn ones included; screens show Shown() ones.
	Cards   []*Card
	Themes  []*Theme
	Hands   []Hand
	Speaker string

	// Voting: every ballot, in order of ID (Ballots[i].ID is i+1). Their
	// counts are reached only through views (view_voting.go), which keep a
	// secret ballot's tally and everyone's allocation in.
	Ballots []*Ballot
	tallies []*Tally

	// Deliberation: every statement, comment, amendment, check and action,
	// in order of ID (element i has ID i+1), removed actions included.
	Statements []*Statement
	Comments   []*Comment
	Amendments []*Amendment
	Checks     []*Check
	Actions    []*Action

	// Feedback: every comment on the draft report, in order of ID.
	Feedback []*FeedbackComment

	// Tables: every table made, in order of ID; TableSet is the set
	// people sit at now. Their cards are reached through views
	// (view_tables.go).
	Tables   []*Table
	TableSet int

	// Polls: every poll, in order of ID. Their answers are reached only
	// through views (view_polls.go), which keep a secret poll's answers
	// in.
	Polls   []*Poll
	answers []map[string]*Answer

	// byID indexes Participants by key fingerprint.
	byID map[string]int
	// views holds what every view of this snapshot shares (view.go); a
	// snapshot that differs from the one before only in who is connected
	// shares it with that one.
	views *viewCache
	// clockOf is the snapshot this one is a later clock of (Later), nil
	// for a snapshot of its own.
	clockOf *Snapshot
}

// Later is the snapshot at a later clock: everything else the same, so
// that countdowns move on and nothing more.
func (s *Snapshot) Later(now time.Time) *Snapshot {
	later := *s
	later.Now = now
	if s.clockOf == nil {
		later.clockOf = s
	}
	return &later
}

// OnlyLater tells whether s is prev at a later clock (or prev itself): a
// screen that drew prev need redraw only what shows the time.
func (s *Snapshot) OnlyLater(prev *Snapshot) bool {
	if s == nil || prev == nil {
		return false
	}
	base, prevBase := s, prev
	if s.clockOf != nil {
		base = s.clockOf
	}
	if prev.clockOf != nil {
		prevBase = prev.clockOf
	}
	return base == prevBase
}

// ParticipantView is a participant as others see them in a snapshot.
type ParticipantView struct {
	Participant
	Connected bool `json:"connected"`
}

// Stage tells where the forum is in its agenda.
func (s *Snapshot) Stage() Stage { return StageOf(s.Step, len(s.Forum.Steps)) }

// CurrentStep is the step under way, or nil in the lobby or once closed.
func (s *Snapshot) CurrentStep() *Step {
	if s.Stage() != Running {
		return nil
	}
	return &s.Forum.Steps[s.Step-1]
}

// Participant finds a participant by key fingerprint.
func (s *Snapshot) Participant(id string) (ParticipantView, bool) {
	i, ok := s.byID[id]
	if !ok {
		return ParticipantView{}, false
	}
	return s.Participants[i], true
}

// participantViews are the participants as a snapshot shows them, in
// order, and their index by key. When nobody has joined, changed or come
// or gone since prev, they are prev's, shared: a published snapshot is
// never changed, and at a thousand people making them anew (a thousand
// copies sorted, a map of a thousand) was most of what a step change cost
// the Hub before any screen saw it, and a third of what it allocated.
func (st *State) participantViews(presence map[string]int, prev *Snapshot) ([]ParticipantView, map[string]int) {
	if prev != nil && len(prev.Participants) == len(st.Participants) && prev.byID != nil {
		same := true
		for _, v := range prev.Participants {
			p, ok := st.Participants[v.ID]
			if !ok || *p != v.Participant || v.Connected != (presence[v.ID] > 0) {
				same = false
				break
			}
		}
		if same {
			return prev.Participants, prev.byID
		}
	}
	views := make([]ParticipantView, 0, len(st.Participants))
	for _, p := range st.Participants {
		views = append(views, ParticipantView{Participant: *p, Connected: presence[p.ID] > 0})
	}
	sort.Slice(views, func(i, j int) bool {
		if views[i].Name != views[j].Name {
			return views[i].Name < views[j].Name
		}
		return views[i].ID < views[j].ID
	})
	byID := make(map[string]int, len(views))
	for i, v := range views {
		byID[v.ID] = i
	}
	return views, byID
}

// snapshot pictures the state. prev, the snapshot published before, lends
// the new one what its views have built when nothing but presence has
// changed since.
func (st *State) snapshot(presence map[string]int, now time.Time, prev *Snapshot) *Snapshot {
	views, byID := st.participantViews(presence, prev)
	tallies := make([]*Tally, len(st.tallies))
	for i, t := range st.tallies {
		tallies[i] = t.publish()
	}
	answers := make([]map[string]*Answer, len(st.answers))
	for i, b := range st.answers {
		answers[i] = b.publish()
	}
	cache := newViewCache()
	if prev != nil && prev.Seq == st.Seq && prev.Forum == st.Forum && prev.views != nil {
		cache = prev.views
	}
	return &Snapshot{
		views:        cache,
		Ballots:      append([]*Ballot(nil), st.Ballots...),
		tallies:      tallies,
		byID:         byID,
		Seq:          st.Seq,
		NamesSeq:     st.NamesSeq,
		Forum:        st.Forum,
		Step:         st.Step,
		Timer:        st.Timer,
		Participants: views,
		Connected:    len(presence),
		Now:          now,
		Archived:     st.Archived,
		// Copies of the slices: the state replaces elements in place.
		Cards:   append([]*Card(nil), st.Cards...),
		Themes:  append([]*Theme(nil), st.Themes...),
		Hands:   append([]Hand(nil), st.Hands...),
		Speaker: st.Speaker,

		Statements: append([]*Statement(nil), st.Statements...),
		Comments:   append([]*Comment(nil), st.Comments...),
		Amendments: append([]*Amendment(nil), st.Amendments...),
		Checks:     append([]*Check(nil), st.Checks...),
		Actions:    append([]*Action(nil), st.Actions...),
		Feedback:   append([]*FeedbackComment(nil), st.Feedback...),

		Tables:   append([]*Table(nil), st.Tables...),
		TableSet: st.TableSet,
		Polls:    append([]*Poll(nil), st.Polls...),
		answers:  answers,
	}
}
