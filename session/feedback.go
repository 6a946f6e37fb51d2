package session

import (
	"time"

	"moot/session/catalogue"
)

// The feedback phase: the statements the forum agreed, with their actions,
// are shown as a draft report; people comment on each, and a facilitator
// may revise a statement in response, giving the reason. A revision made
// here is a new Revision of the same Statement (with Reason set); the
// statement stays recorded as agreed with the revision and the check it
// was agreed with (RecordedRevision, RecordedCheck), so the report can say
// both what the room agreed and how it was reworded afterwards, and why.

// Limits of the feedback phase.
const (
	MaxFeedbackLength = 500
)

// FeedbackComment is a comment on an agreed statement in the draft report, made
// on a feedback step while a revision of it was current.
type FeedbackComment struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Revision  int       `json:"revision"`
	Step      int       `json:"step"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// RevisedAfterAgreement tells whether a statement agreed by the room was
// reworded since, on a feedback step: its current revision is later than
// the one recorded.
func (s *Statement) RevisedAfterAgreement() bool {
	return s.Outcome == Agreed && s.Current().N > s.RecordedRevision
}

// AgreedRevision is the wording the room agreed (or did not), as recorded;
// the current one for a statement not recorded.
func (s *Statement) AgreedRevision() Revision {
	if s.Recorded() && s.RecordedRevision >= 1 && s.RecordedRevision <= len(s.Revisions) {
		return s.Revisions[s.RecordedRevision-1]
	}
	return s.Current()
}

// Events of the feedback phase.
type (
	FeedbackGiven struct{ FeedbackComment }
	// StatementRevised: a facilitator reworded a recorded statement in
	// response to feedback; Revision carries the reason.
	StatementRevised struct {
		Statement int64    `json:"statement"`
		Revision  Revision `json:"revision"`
	}
	// CreditSet: a participant agreed (On) to be named in the report, or
	// took it back.
	CreditSet struct {
		Participant string `json:"participant"`
		On          bool   `json:"on"`
	}
)

func (FeedbackGiven) Kind() string    { return "feedback.given" }
func (StatementRevised) Kind() string { return "statement.revised" }
func (CreditSet) Kind() string        { return "participant.credit" }

func init() {
	registerEvent[FeedbackGiven]()
	registerEvent[StatementRevised]()
	registerEvent[CreditSet]()
}

func (e FeedbackGiven) apply(st *State) {
	f := e.FeedbackComment
	st.Feedback = append(st.Feedback, &f)
}

func (e StatementRevised) apply(st *State) {
	s := *st.Statements[e.Statement-1]
	// A full copy: the old statement's slice may be in a snapshot.
	s.Revisions = append(s.Revisions[:len(s.Revisions):len(s.Revisions)], e.Revision)
	st.Statements[e.Statement-1] = &s
}

func (e CreditSet) apply(st *State) {
	old, ok := st.Participants[e.Participant]
	if !ok {
		return
	}
	p := *old
	p.Credit = e.On
	st.Participants[e.Participant] = &p
}

// feedbackStep checks that the forum is on a feedback step.
func feedbackStep(st *State) error {
	if StageOf(st.Step, len(st.Forum.Steps)) != Running || st.Forum.Steps[st.Step-1].Phase != Feedback {
		return catalogue.Err("session.feedback.off_step")
	}
	return nil
}

// agreedStatement finds a statement the room agreed: the draft report
// holds only those.
func agreedStatement(st *State, id int64) (*Statement, error) {
	s, err := st.statement(id)
	if err != nil {
		return nil, err
	}
	if s.Outcome != Agreed {
		return nil, catalogue.Err("session.feedback.not_in_draft", id)
	}
	return s, nil
}

// GiveFeedback comments on an agreed statement in the draft report.
type GiveFeedback struct {
	Statement int64
	Text      string
}

func (c GiveFeedback) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if _, ok := st.Participants[a.ID]; !ok {
		return nil, ErrNameFirst
	}
	if err := feedbackStep(st); err != nil {
		return nil, err
	}
	s, err := agreedStatement(st, c.Statement)
	if err != nil {
		return nil, err
	}
	text, err := boundedText(c.Text, MaxFeedbackLength, "session.feedback.empty", "session.feedback.too_long")
	if err != nil {
		return nil, err
	}
	return []Event{FeedbackGiven{FeedbackComment{
		ID: int64(len(st.Feedback) + 1), Statement: s.ID, Revision: s.Current().N, Step: st.Step,
		Author: a.ID, Text: text, At: now,
	}}}, nil
}

// ReviseStatement rewords an agreed statement in response to feedback,
// with the reason. The statement stays agreed, with the revision and the
// check it was agreed with; the new wording is marked as revised after
// the forum's agreement, with its reason.
type ReviseStatement struct {
	Statement int64
	Text      string
	Reason    string
}

func (c ReviseStatement) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.revise"); err != nil {
		return nil, err
	}
	if err := feedbackStep(st); err != nil {
		return nil, err
	}
	s, err := agreedStatement(st, c.Statement)
	if err != nil {
		return nil, err
	}
	text, err := boundedText(c.Text, MaxStatementLength, "session.statement.empty", "session.statement.too_long")
	if err != nil {
		return nil, err
	}
	reason, err := boundedText(c.Reason, MaxReasonLength, "session.revise.reason_empty", "session.revise.reason_too_long")
	if err != nil {
		return nil, catalogue.Err("session.revise.say_why", err)
	}
	if text == s.Current().Text {
		return nil, catalogue.Err("session.statement.same_wording", s.ID)
	}
	return []Event{StatementRevised{Statement: s.ID, Revision: Revision{
		N: len(s.Revisions) + 1, Text: text, Author: a.ID, AcceptedBy: a.ID, At: now, Reason: reason,
	}}}, nil
}

// SetCredit records whether the actor agrees to be named in the report
// (off unless they say so).
type SetCredit struct{ On bool }

func (c SetCredit) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	p, ok := st.Participants[a.ID]
	if !ok {
		return nil, ErrNameFirst
	}
	if p.Credit == c.On {
		return nil, nil
	}
	return []Event{CreditSet{Participant: a.ID, On: c.On}}, nil
}
