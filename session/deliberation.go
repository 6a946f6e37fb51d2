package session

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"moot/session/catalogue"
)

// Limits of the deliberation phase.
const (
	MaxStatementLength = 600
	MaxCommentLength   = 500
	MaxActionLength    = 300
	MaxOwnerLength     = 80
	MaxOwners          = 10
	// MaxScaleLevels is the most levels a scale may have, so that each is
	// one key (1-9) on screen.
	MaxScaleLevels = 9
	// NoBlocking as Forum.Blocking: no level of the scale blocks.
	NoBlocking = -1
)

// DefaultScale is the scale of agreement a forum uses unless its agenda
// names its own; its last level blocks.
var DefaultScale = []string{
	"wholehearted endorsement",
	"agree with minor reservations",
	"support with reservations",
	"stand aside (do not agree, will not block)",
	"block",
}

// Scale is a scale of agreement: its levels' labels, most agreement first,
// and the level that blocks (1-based; 0 when none does).
type Scale struct {
	Labels   []string `json:"labels"`
	Blocking int      `json:"blocking,omitempty"`
}

// AgreementScale is the scale the forum checks agreement on.
func (f *Forum) AgreementScale() Scale {
	labels := f.Scale
	if len(labels) == 0 {
		labels = DefaultScale
	}
	s := Scale{Labels: labels, Blocking: f.Blocking}
	switch {
	case f.Blocking == 0:
		s.Blocking = len(labels)
	case f.Blocking == NoBlocking:
		s.Blocking = 0
	}
	return s
}

// Label names a level, or says it is off the scale.
func (s Scale) Label(level int) string {
	if level < 1 || level > len(s.Labels) {
		return fmt.Sprintf("level %d", level)
	}
	return s.Labels[level-1]
}

// Outcome is what the facilitator recorded for a statement.
type Outcome string

const (
	Open      Outcome = ""           // still being worked on
	Agreed    Outcome = "agreed"     // it holds: frozen at its revision
	NotAgreed Outcome = "not-agreed" // kept and reported as not agreed
)

// Statement is a draft the room works on until it holds or is recorded as
// not agreed. Like every object in State it is never modified in place: a
// change puts a new *Statement in the state.
type Statement struct {
	ID        int64     `json:"id"`
	Theme     int64     `json:"theme,omitempty"`
	Position  int       `json:"position"` // within its theme, 1 first
	Proposer  string    `json:"proposer"`
	CreatedAt time.Time `json:"created_at"`
	// Revisions holds every wording, the first proposal first; the last
	// is the current one. Revisions[i].N is i+1.
	Revisions []Revision `json:"revisions"`
	// OpenCheck is the check under way on the current revision, 0 if none.
	OpenCheck int64 `json:"open_check,omitempty"`
	// What the facilitator recorded, with the revision it froze and the
	// check whose result stands with it (0 when there was none).
	Outcome          Outcome   `json:"outcome,omitempty"`
	RecordedRevision int       `json:"recorded_revision,omitempty"`
	RecordedCheck    int64     `json:"recorded_check,omitempty"`
	RecordedAt       time.Time `json:"recorded_at,omitempty"`
	RecordedBy       string    `json:"recorded_by,omitempty"`
}

// Current is the statement's wording now.
func (s *Statement) Current() Revision { return s.Revisions[len(s.Revisions)-1] }

// Recorded tells whether the statement has been recorded, either way.
func (s *Statement) Recorded() bool { return s.Outcome != Open }

// Revision is one wording of a statement: who wrote it and when, and the
// amendment that brought it (0 for the first proposal).
type Revision struct {
	N          int       `json:"n"`
	Text       string    `json:"text"`
	Author     string    `json:"author"`
	Amendment  int64     `json:"amendment,omitempty"`
	AcceptedBy string    `json:"accepted_by,omitempty"`
	At         time.Time `json:"at"`
	// Reason is why a facilitator revised the statement in response to
	// feedback (feedback.go); empty for every other revision.
	Reason string `json:"reason,omitempty"`
}

// Comment is a remark on a statement, made while a revision was current.
type Comment struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Revision  int       `json:"revision"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// Amendment is proposed new wording for a statement. Accepted, it becomes
// revision Accepted of the statement. One still waiting when its statement
// is recorded is closed, Superseded: the room settled the wording without
// it.
type Amendment struct {
	ID         int64     `json:"id"`
	Statement  int64     `json:"statement"`
	Base       int       `json:"base"` // the revision it rewords
	Author     string    `json:"author"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
	Accepted   int       `json:"accepted,omitempty"`
	Superseded bool      `json:"superseded,omitempty"`
}

// Waiting tells whether the amendment may still be accepted.
func (a *Amendment) Waiting() bool { return a.Accepted == 0 && !a.Superseded }

// Check is a test of agreement on one revision of a statement. Levels is
// replaced, never changed, when someone responds.
type Check struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Revision  int       `json:"revision"`
	Scale     Scale     `json:"scale"`
	OpenedBy  string    `json:"opened_by"`
	OpenedAt  time.Time `json:"opened_at"`
	ClosedAt  time.Time `json:"closed_at,omitempty"`
	// Levels maps each respondent's key to their level (1-based).
	Levels map[string]int `json:"-"`
	// Counts[i] is how many chose level i+1.
	Counts []int `json:"-"`
}

// Open tells whether people may still respond.
func (c *Check) Open() bool { return c.ClosedAt.IsZero() }

// Responded is how many have responded.
func (c *Check) Responded() int { return len(c.Levels) }

// Blocks is how many chose the blocking level.
func (c *Check) Blocks() int {
	if c.Scale.Blocking == 0 || c.Scale.Blocking > len(c.Counts) {
		return 0
	}
	return c.Counts[c.Scale.Blocking-1]
}

// Action is something an agreed statement calls for, and who can take it.
type Action struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Text      string    `json:"text"`
	Owners    []string  `json:"owners"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Removed   bool      `json:"removed,omitempty"`
}

// Events of the deliberation phase.
type (
	// StatementProposed: a draft was proposed; Text is its first revision.
	StatementProposed struct {
		Statement Statement `json:"statement"`
		Text      string    `json:"text"`
	}
	// StatementMoved: a statement was put under a theme at a position.
	StatementMoved struct {
		ID       int64 `json:"id"`
		Theme    int64 `json:"theme,omitempty"`
		Position int   `json:"position"`
	}
	// StatementRecorded: the facilitator recorded an outcome (Open when
	// the statement was reopened).
	StatementRecorded struct {
		ID       int64     `json:"id"`
		Outcome  Outcome   `json:"outcome"`
		Revision int       `json:"revision,omitempty"`
		Check    int64     `json:"check,omitempty"`
		By       string    `json:"by"`
		At       time.Time `json:"at"`
		// Superseded are the amendments still waiting, which recording
		// closes.
		Superseded []int64 `json:"superseded,omitempty"`
	}
	CommentAdded      struct{ Comment }
	AmendmentProposed struct{ Amendment }
	// AmendmentAccepted: an amendment became the statement's new revision,
	// which ends any check on the old one.
	AmendmentAccepted struct {
		Amendment int64    `json:"amendment"`
		Statement int64    `json:"statement"`
		Revision  Revision `json:"revision"`
	}
	CheckOpened struct{ Check }
	CheckClosed struct {
		ID int64     `json:"id"`
		At time.Time `json:"at"`
	}
	// AgreementGiven: a participant chose (or changed) their level.
	AgreementGiven struct {
		Check       int64     `json:"check"`
		Participant string    `json:"participant"`
		Level       int       `json:"level"`
		At          time.Time `json:"at"`
	}
	ActionAdded   struct{ Action }
	ActionRemoved struct {
		ID int64 `json:"id"`
	}
)

func (StatementProposed) Kind() string { return "statement.proposed" }
func (StatementMoved) Kind() string    { return "statement.moved" }
func (StatementRecorded) Kind() string { return "statement.recorded" }
func (CommentAdded) Kind() string      { return "comment.added" }
func (AmendmentProposed) Kind() string { return "amendment.proposed" }
func (AmendmentAccepted) Kind() string { return "amendment.accepted" }
func (CheckOpened) Kind() string       { return "check.opened" }
func (CheckClosed) Kind() string       { return "check.closed" }
func (AgreementGiven) Kind() string    { return "agreement.given" }
func (ActionAdded) Kind() string       { return "action.added" }
func (ActionRemoved) Kind() string     { return "action.removed" }

func init() {
	registerEvent[StatementProposed]()
	registerEvent[StatementMoved]()
	registerEvent[StatementRecorded]()
	registerEvent[CommentAdded]()
	registerEvent[AmendmentProposed]()
	registerEvent[AmendmentAccepted]()
	registerEvent[CheckOpened]()
	registerEvent[CheckClosed]()
	registerEvent[AgreementGiven]()
	registerEvent[ActionAdded]()
	registerEvent[ActionRemoved]()
}

func (e StatementProposed) apply(st *State) {
	s := e.Statement
	s.Revisions = []Revision{{N: 1, Text: e.Text, Author: s.Proposer, At: s.CreatedAt}}
	st.Statements = append(st.Statements, &s)
}

func (e StatementMoved) apply(st *State) {
	s := *st.Statements[e.ID-1]
	s.Theme, s.Position = e.Theme, e.Position
	st.Statements[e.ID-1] = &s
}

func (e StatementRecorded) apply(st *State) {
	s := *st.Statements[e.ID-1]
	s.Outcome, s.RecordedRevision, s.RecordedCheck, s.RecordedAt, s.RecordedBy = e.Outcome, e.Revision, e.Check, e.At, e.By
	if e.Outcome == Open {
		s.RecordedAt, s.RecordedBy = time.Time{}, ""
	}
	st.Statements[e.ID-1] = &s
	for _, id := range e.Superseded {
		a := *st.Amendments[id-1]
		a.Superseded = true
		st.Amendments[id-1] = &a
	}
}

func (e CommentAdded) apply(st *State) {
	c := e.Comment
	st.Comments = append(st.Comments, &c)
}

func (e AmendmentProposed) apply(st *State) {
	a := e.Amendment
	st.Amendments = append(st.Amendments, &a)
}

func (e AmendmentAccepted) apply(st *State) {
	a := *st.Amendments[e.Amendment-1]
	a.Accepted = e.Revision.N
	st.Amendments[e.Amendment-1] = &a
	s := *st.Statements[e.Statement-1]
	// A full copy: the old statement's slice may be in a snapshot.
	s.Revisions = append(slices.Clip(s.Revisions), e.Revision)
	if s.OpenCheck != 0 {
		closeCheck(st, s.OpenCheck, e.Revision.At)
		s.OpenCheck = 0
	}
	st.Statements[e.Statement-1] = &s
}

func (e CheckOpened) apply(st *State) {
	c := e.Check
	c.Levels, c.Counts = map[string]int{}, make([]int, len(c.Scale.Labels))
	st.Checks = append(st.Checks, &c)
	s := *st.Statements[c.Statement-1]
	s.OpenCheck = c.ID
	st.Statements[c.Statement-1] = &s
}

func (e CheckClosed) apply(st *State) {
	c := closeCheck(st, e.ID, e.At)
	s := *st.Statements[c.Statement-1]
	s.OpenCheck = 0
	st.Statements[c.Statement-1] = &s
}

func closeCheck(st *State, id int64, at time.Time) *Check {
	c := *st.Checks[id-1]
	c.ClosedAt = at
	st.Checks[id-1] = &c
	return &c
}

func (e AgreementGiven) apply(st *State) {
	old := st.Checks[e.Check-1]
	c := *old
	// Copies: snapshots may hold the old ones.
	c.Levels = make(map[string]int, len(old.Levels)+1)
	for k, v := range old.Levels {
		c.Levels[k] = v
	}
	c.Counts = slices.Clone(old.Counts)
	if prev, ok := c.Levels[e.Participant]; ok && prev >= 1 && prev <= len(c.Counts) {
		c.Counts[prev-1]--
	}
	c.Levels[e.Participant] = e.Level
	if e.Level >= 1 && e.Level <= len(c.Counts) {
		c.Counts[e.Level-1]++
	}
	st.Checks[e.Check-1] = &c
}

func (e ActionAdded) apply(st *State) {
	a := e.Action
	st.Actions = append(st.Actions, &a)
}

func (e ActionRemoved) apply(st *State) {
	a := *st.Actions[e.ID-1]
	a.Removed = true
	st.Actions[e.ID-1] = &a
}

// deliberationStep checks that the forum is on a deliberation step.
func deliberationStep(st *State) error {
	if StageOf(st.Step, len(st.Forum.Steps)) != Running || st.Forum.Steps[st.Step-1].Phase != Deliberation {
		return catalogue.Err("session.statement.off_step")
	}
	return nil
}

// named checks that the actor has joined, and the forum is deliberating.
func named(st *State, a Actor) error {
	if _, ok := st.Participants[a.ID]; !ok {
		return ErrNameFirst
	}
	return deliberationStep(st)
}

func (st *State) statement(id int64) (*Statement, error) {
	if id < 1 || int(id) > len(st.Statements) {
		return nil, catalogue.Err("session.statement.no_such", id)
	}
	return st.Statements[id-1], nil
}

// openStatement finds a statement that may still change: not recorded.
func openStatement(st *State, id int64) (*Statement, error) {
	s, err := st.statement(id)
	if err != nil {
		return nil, err
	}
	if s.Recorded() {
		return nil, catalogue.Err("session.statement.recorded_reopen", id, OutcomeWord(s.Outcome), id)
	}
	return s, nil
}

// boundedText cleans a text and checks it is neither empty nor over limit
// characters; empty and long are the keys of what is said if it is (long
// takes the limit and the text's length).
func boundedText(s string, limit int, empty, long string) (string, error) {
	t := CleanText(s)
	if t == "" {
		return "", catalogue.Err(empty)
	}
	if n := utf8.RuneCountInString(t); n > limit {
		return "", catalogue.Err(long, limit, n)
	}
	return t, nil
}

// OutcomeWord is how a message names a statement's outcome.
func OutcomeWord(o Outcome) catalogue.Text {
	if o == NotAgreed {
		return catalogue.Msg("session.outcome.not_agreed")
	}
	return catalogue.Msg("session.outcome.agreed")
}

// statementsUnder lists the statements under a theme, in order.
func statementsUnder(st *State, theme int64) []*Statement {
	var out []*Statement
	for _, s := range st.Statements {
		if s.Theme == theme {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// ProposeStatement drafts a statement under a theme (0 for none, allowed
// only while the forum has no themes).
type ProposeStatement struct {
	Text  string
	Theme int64
}

func (c ProposeStatement) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := named(st, a); err != nil {
		return nil, err
	}
	if a.Role != RoleFacilitator && !st.Forum.ParticipantsPropose {
		return nil, Forbidden("session.only.propose")
	}
	text, err := boundedText(c.Text, MaxStatementLength, "session.statement.empty", "session.statement.too_long")
	if err != nil {
		return nil, err
	}
	if c.Theme != 0 {
		if _, err := st.theme(c.Theme); err != nil {
			return nil, err
		}
	} else if len(st.Themes) > 0 {
		return nil, catalogue.Err("session.statement.which_theme")
	}
	s := Statement{
		ID: int64(len(st.Statements) + 1), Theme: c.Theme, Position: len(statementsUnder(st, c.Theme)) + 1,
		Proposer: a.ID, CreatedAt: now,
	}
	return []Event{StatementProposed{Statement: s, Text: text}}, nil
}

// CommentOn adds a comment to a statement.
type CommentOn struct {
	Statement int64
	Text      string
}

func (c CommentOn) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := named(st, a); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	text, err := boundedText(c.Text, MaxCommentLength, "session.comment.empty", "session.comment.too_long")
	if err != nil {
		return nil, err
	}
	return []Event{CommentAdded{Comment{
		ID: int64(len(st.Comments) + 1), Statement: s.ID, Revision: s.Current().N, Author: a.ID, Text: text, At: now,
	}}}, nil
}

// ProposeAmendment offers new wording for a statement. Accept, for a
// facilitator, makes it the new revision at once.
type ProposeAmendment struct {
	Statement int64
	Text      string
	Accept    bool
}

func (c ProposeAmendment) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := named(st, a); err != nil {
		return nil, err
	}
	if c.Accept {
		if err := requireFacilitator(a, "session.only.accept_amendments"); err != nil {
			return nil, err
		}
	}
	s, err := openStatement(st, c.Statement)
	if err != nil {
		return nil, err
	}
	text, err := boundedText(c.Text, MaxStatementLength, "session.amendment.empty", "session.amendment.too_long")
	if err != nil {
		return nil, err
	}
	if text == s.Current().Text {
		return nil, catalogue.Err("session.statement.same_wording", s.ID)
	}
	am := Amendment{ID: int64(len(st.Amendments) + 1), Statement: s.ID, Base: s.Current().N, Author: a.ID, Text: text, At: now}
	events := []Event{AmendmentProposed{am}}
	if c.Accept {
		events = append(events, accepted(s, &am, a, now))
	}
	return events, nil
}

func accepted(s *Statement, am *Amendment, a Actor, now time.Time) Event {
	return AmendmentAccepted{Amendment: am.ID, Statement: s.ID, Revision: Revision{
		N: len(s.Revisions) + 1, Text: am.Text, Author: am.Author, Amendment: am.ID, AcceptedBy: a.ID, At: now,
	}}
}

// AcceptAmendment makes an amendment its statement's new revision.
type AcceptAmendment struct{ ID int64 }

func (c AcceptAmendment) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.accept_amendments"); err != nil {
		return nil, err
	}
	if err := deliberationStep(st); err != nil {
		return nil, err
	}
	if c.ID < 1 || int(c.ID) > len(st.Amendments) {
		return nil, catalogue.Err("session.amendment.no_such", c.ID)
	}
	am := st.Amendments[c.ID-1]
	if am.Accepted != 0 {
		return nil, catalogue.Err("session.amendment.accepted_already", c.ID, am.Accepted, am.Statement)
	}
	if am.Superseded {
		return nil, catalogue.Err("session.amendment.closed", c.ID, am.Statement)
	}
	s, err := openStatement(st, am.Statement)
	if err != nil {
		return nil, err
	}
	if am.Text == s.Current().Text {
		return nil, catalogue.Err("session.amendment.same_wording", c.ID, s.ID)
	}
	return []Event{accepted(s, am, a, now)}, nil
}

// OpenCheck starts a check of agreement on a statement's current revision.
type OpenCheck struct{ Statement int64 }

func (c OpenCheck) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.check"); err != nil {
		return nil, err
	}
	if err := deliberationStep(st); err != nil {
		return nil, err
	}
	s, err := openStatement(st, c.Statement)
	if err != nil {
		return nil, err
	}
	if s.OpenCheck != 0 {
		return nil, catalogue.Err("session.check.open_already", s.ID, s.OpenCheck)
	}
	return []Event{CheckOpened{Check{
		ID: int64(len(st.Checks) + 1), Statement: s.ID, Revision: s.Current().N,
		Scale: st.Forum.AgreementScale(), OpenedBy: a.ID, OpenedAt: now,
	}}}, nil
}

// CloseCheck ends the check open on a statement.
type CloseCheck struct{ Statement int64 }

func (c CloseCheck) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.check"); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	if s.OpenCheck == 0 {
		return nil, catalogue.Err("session.check.none_open", s.ID)
	}
	return []Event{CheckClosed{ID: s.OpenCheck, At: now}}, nil
}

// Agree gives the actor's level on the check open on a statement; until
// the check closes, giving it again changes it.
type Agree struct {
	Statement int64
	Level     int
}

func (c Agree) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := named(st, a); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	if s.OpenCheck == 0 {
		if s.Recorded() {
			return nil, catalogue.Err("session.check.statement_recorded", s.ID, OutcomeWord(s.Outcome))
		}
		return nil, catalogue.Err("session.check.none_to_agree", s.ID)
	}
	chk := st.Checks[s.OpenCheck-1]
	if c.Level < 1 || c.Level > len(chk.Scale.Labels) {
		return nil, catalogue.Err("session.check.no_level", c.Level, len(chk.Scale.Labels), ScaleHelp(chk.Scale))
	}
	if prev, ok := chk.Levels[a.ID]; ok && prev == c.Level {
		return nil, nil
	}
	return []Event{AgreementGiven{Check: chk.ID, Participant: a.ID, Level: c.Level, At: now}}, nil
}

// ScaleHelp lists a scale's levels as "1 consent, 2 stand aside, ...".
func ScaleHelp(s Scale) string {
	parts := make([]string, len(s.Labels))
	for i, l := range s.Labels {
		parts[i] = fmt.Sprintf("%d %s", i+1, l)
	}
	return strings.Join(parts, ", ")
}

// RecordStatement records a statement as agreed or not agreed, freezing
// its current revision with the result of its latest check on it (a check
// still open is closed first). Outcome Open reopens a recorded statement.
type RecordStatement struct {
	Statement int64
	Outcome   Outcome
}

func (c RecordStatement) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.record"); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	switch c.Outcome {
	case Open:
		if !s.Recorded() {
			return nil, catalogue.Err("session.statement.not_recorded", s.ID)
		}
		return []Event{StatementRecorded{ID: s.ID, Outcome: Open, By: a.ID, At: now}}, nil
	case Agreed, NotAgreed:
	default:
		return nil, catalogue.Err("session.statement.no_outcome", CleanLine(string(c.Outcome)))
	}
	if s.Recorded() {
		return nil, catalogue.Err("session.statement.recorded_already", s.ID, OutcomeWord(s.Outcome), s.ID)
	}
	var last *Check
	for _, chk := range st.Checks {
		if chk.Statement == s.ID && chk.Revision == s.Current().N {
			last = chk
		}
	}
	if c.Outcome == Agreed {
		switch {
		case last == nil:
			return nil, catalogue.Err("session.statement.check_first", s.ID, s.ID)
		case last.Responded() == 0:
			return nil, catalogue.Err("session.statement.nobody_responded", last.ID, s.ID)
		case last.Blocks() > 0:
			return nil, catalogue.Err("session.statement.blocked",
				s.ID, last.Blocks(), last.Scale.Label(last.Scale.Blocking), last.ID)
		}
	}
	var events []Event
	if s.OpenCheck != 0 {
		events = append(events, CheckClosed{ID: s.OpenCheck, At: now})
	}
	rec := StatementRecorded{ID: s.ID, Outcome: c.Outcome, Revision: s.Current().N, By: a.ID, At: now}
	if last != nil {
		rec.Check = last.ID
	}
	for _, am := range st.Amendments {
		if am.Statement == s.ID && am.Waiting() {
			rec.Superseded = append(rec.Superseded, am.ID)
		}
	}
	return append(events, rec), nil
}

// MoveStatement puts a statement at a position (1 is first) within a
// theme; Theme -1 keeps its theme.
type MoveStatement struct {
	Statement int64
	Theme     int64
	Position  int
}

func (c MoveStatement) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.order_statements"); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	theme := c.Theme
	if theme == -1 {
		theme = s.Theme
	} else if theme != 0 {
		if _, err := st.theme(theme); err != nil {
			return nil, err
		}
	}
	var order []*Statement
	for _, o := range statementsUnder(st, theme) {
		if o.ID != s.ID {
			order = append(order, o)
		}
	}
	pos := c.Position
	if pos == 0 {
		pos = len(order) + 1
	}
	if pos < 1 || pos > len(order)+1 {
		return nil, catalogue.Err("session.statement.positions", len(order)+1)
	}
	order = slices.Insert(order, pos-1, s)
	var events []Event
	for i, o := range order {
		if o.Position != i+1 || o.Theme != theme {
			events = append(events, StatementMoved{ID: o.ID, Theme: theme, Position: i + 1})
		}
	}
	// Close the gap left under the old theme.
	if theme != s.Theme {
		i := 0
		for _, o := range statementsUnder(st, s.Theme) {
			if o.ID == s.ID {
				continue
			}
			i++
			if o.Position != i {
				events = append(events, StatementMoved{ID: o.ID, Theme: o.Theme, Position: i})
			}
		}
	}
	return events, nil
}

// AddAction adds an action a statement calls for, with who can take it.
type AddAction struct {
	Statement int64
	Text      string
	Owners    []string
}

func (c AddAction) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.add_actions"); err != nil {
		return nil, err
	}
	s, err := st.statement(c.Statement)
	if err != nil {
		return nil, err
	}
	if s.Outcome == NotAgreed {
		return nil, catalogue.Err("session.action.not_agreed", s.ID)
	}
	text, err := boundedText(c.Text, MaxActionLength, "session.action.empty", "session.action.too_long")
	if err != nil {
		return nil, err
	}
	var owners []string
	for _, o := range c.Owners {
		o = CleanLine(o)
		if o == "" {
			continue
		}
		if utf8.RuneCountInString(o) > MaxOwnerLength {
			return nil, catalogue.Err("session.action.owner_too_long", MaxOwnerLength)
		}
		if strings.Contains(o, ";") {
			// ';' keeps owners apart wherever they are listed together
			// (the report's CSV), so no owner may hold one.
			return nil, catalogue.Err("session.action.owner_semicolon", o)
		}
		if !slices.ContainsFunc(owners, func(x string) bool { return strings.EqualFold(x, o) }) {
			owners = append(owners, o)
		}
	}
	switch {
	case len(owners) == 0:
		return nil, catalogue.Err("session.action.no_owner")
	case len(owners) > MaxOwners:
		return nil, catalogue.Err("session.action.too_many_owners", MaxOwners)
	}
	return []Event{ActionAdded{Action{
		ID: int64(len(st.Actions) + 1), Statement: s.ID, Text: text, Owners: owners, By: a.ID, At: now,
	}}}, nil
}

// RemoveAction takes an action off its statement.
type RemoveAction struct{ ID int64 }

func (c RemoveAction) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.remove_actions"); err != nil {
		return nil, err
	}
	if c.ID < 1 || int(c.ID) > len(st.Actions) || st.Actions[c.ID-1].Removed {
		return nil, catalogue.Err("session.action.no_such", c.ID)
	}
	return []Event{ActionRemoved{ID: c.ID}}, nil
}
