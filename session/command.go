package session

import (
	"errors"
	"fmt"
	"time"

	"moot/session/catalogue"
)

// Command is a request to change a forum. The Hub decides it against the
// current state; a command that is refused changes nothing.
type Command interface {
	decide(st *State, actor Actor, now time.Time) ([]Event, error)
}

// Actor is the person a command comes from, with the role the Hub found for
// their key.
type Actor struct {
	ID   string
	Role Role
}

// ErrForbidden matches (errors.Is) every refusal that comes from the actor's
// role.
var ErrForbidden = errors.New("not allowed")

// ErrNameFirst refuses what a person does before they have given their
// name.
var ErrNameFirst = catalogue.Err("session.name_first")

// Forbidden is a refusal because of the actor's role, saying what only
// someone else may do: the catalogue's message of key with args.
func Forbidden(key string, args ...any) error { return catalogue.ErrOf(ErrForbidden, key, args...) }

// requireFacilitator refuses anyone but a facilitator; only names, by its
// key, what only a facilitator can do.
func requireFacilitator(a Actor, only string) error {
	if a.Role != RoleFacilitator {
		return Forbidden(only)
	}
	return nil
}

// Register gives the actor a name and, optionally, a sector from the forum's
// list. It is how a person first joins, and how they change either later.
type Register struct {
	Name   string
	Sector string
}

func (c Register) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	name, err := Name(c.Name)
	if err != nil {
		return nil, err
	}
	sector := ""
	if c.Sector != "" {
		s, ok := st.Forum.Sector(c.Sector)
		if !ok {
			return nil, catalogue.Err("session.sector.unknown", CleanLine(c.Sector), quoteList(st.Forum.Sectors))
		}
		sector = s
	}
	if other, ok := nameTaken(st, a.ID, name); ok {
		return nil, catalogue.Err("session.name.taken", other.Name)
	}
	next := Participant{ID: a.ID, Name: name, Sector: sector, JoinedAt: now}
	p, known := st.Participants[a.ID]
	if known {
		if p.Name == name && p.Sector == sector {
			return nil, nil
		}
		// A new name keeps everything else the person chose.
		next = *p
		next.Name, next.Sector = name, sector
	}
	events := []Event{ParticipantNamed{next}}
	// Someone who joins after the tables were made sits at one at once.
	if !known && a.Role != RoleFacilitator {
		if seat, ok := st.placeLate(a.ID, sector); ok {
			events = append(events, seat)
		}
	}
	return events, nil
}

// GoToStep moves the forum to step To: 0 is the lobby, 1..n the agenda's
// steps, n+1 closes the forum.
type GoToStep struct{ To int }

// NextStep moves the forum one step on.
type NextStep struct{}

// PreviousStep moves the forum one step back.
type PreviousStep struct{}

func (c GoToStep) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	return moveStep(st, a, c.To)
}

func (NextStep) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if st.Step > len(st.Forum.Steps) {
		if err := requireFacilitator(a, "session.only.steps"); err != nil {
			return nil, err
		}
		return nil, catalogue.Err("session.step.no_next")
	}
	return moveStep(st, a, st.Step+1)
}

func (PreviousStep) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if st.Step <= 0 {
		if err := requireFacilitator(a, "session.only.steps"); err != nil {
			return nil, err
		}
		return nil, catalogue.Err("session.step.no_previous")
	}
	return moveStep(st, a, st.Step-1)
}

func moveStep(st *State, a Actor, to int) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.steps"); err != nil {
		return nil, err
	}
	n := len(st.Forum.Steps)
	if to < 0 || to > n+1 {
		return nil, catalogue.Err("session.step.no_such", to, n, n+1)
	}
	if to == st.Step {
		return nil, nil
	}
	return []Event{StepMoved{From: st.Step, To: to}}, nil
}

// MaxTimerMinutes bounds a timebox, so that a typo cannot set one for days.
const MaxTimerMinutes = 240

// StartTimer starts the current step's timebox. Zero Minutes takes the
// length the agenda gives the step.
type StartTimer struct{ Minutes int }

// ExtendTimer adds minutes to the running timebox.
type ExtendTimer struct{ Minutes int }

// StopTimer ends the running timebox.
type StopTimer struct{}

func (c StartTimer) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.timer"); err != nil {
		return nil, err
	}
	if c.Minutes != 0 {
		if err := checkMinutes(c.Minutes); err != nil {
			return nil, err
		}
	}
	if stage := StageOf(st.Step, len(st.Forum.Steps)); stage != Running {
		return nil, notOnAStep("session.timer.off_step", stage)
	}
	d := time.Duration(c.Minutes) * time.Minute
	if c.Minutes == 0 {
		d = st.Forum.Steps[st.Step-1].Timebox
		if d == 0 {
			return nil, catalogue.Err("session.timer.none_in_agenda")
		}
	}
	return []Event{TimerSet{Timer{EndsAt: now.Add(d).Truncate(time.Second)}}}, nil
}

func (c ExtendTimer) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.timer"); err != nil {
		return nil, err
	}
	if !st.Timer.Running() {
		return nil, catalogue.Err("session.timer.not_running_start")
	}
	if err := checkMinutes(c.Minutes); err != nil {
		return nil, err
	}
	from := st.Timer.EndsAt
	if from.Before(now) {
		// Extending a timebox that has run out gives the room that much time
		// from now, not from when it ended.
		from = now.Truncate(time.Second)
	}
	return []Event{TimerSet{Timer{EndsAt: from.Add(time.Duration(c.Minutes) * time.Minute)}}}, nil
}

func (StopTimer) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.timer"); err != nil {
		return nil, err
	}
	if !st.Timer.Running() {
		return nil, catalogue.Err("session.timer.not_running")
	}
	return []Event{TimerSet{}}, nil
}

func checkMinutes(m int) error {
	if m < 1 || m > MaxTimerMinutes {
		return catalogue.Err("session.timer.minutes", MaxTimerMinutes)
	}
	return nil
}

func quoteList(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", x)
	}
	return s
}

// notOnAStep refuses what is done only during a step, naming where the
// forum is instead: key's message takes that place, the lobby or closed.
func notOnAStep(key string, stage Stage) error {
	where := catalogue.Msg("session.stage.lobby")
	if stage == Closed {
		where = catalogue.Msg("session.stage.closed")
	}
	return catalogue.Err(key, where)
}

// seconds is a wait as a message says it: "5 seconds".
func seconds(d time.Duration) catalogue.Text {
	return catalogue.Msg("count.seconds", int(d/time.Second))
}
