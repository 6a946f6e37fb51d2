package session

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Event is a change to a forum that has been decided. Events are what the
// Store persists, both into its tables and into the forum's append-only log.
type Event interface {
	// Kind names the event in the log; it never changes once released.
	Kind() string
	apply(*State)
}

// Record is an event as the log keeps it.
type Record struct {
	Seq   int64
	At    time.Time
	Actor string
	Event Event
}

// ParticipantNamed: a person gave (or changed) their name and sector.
type ParticipantNamed struct {
	Participant
}

// StepMoved: the facilitator moved the forum to another step. Any running
// timebox ends with the step it belonged to.
type StepMoved struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// TimerSet: the timebox was started, extended or stopped (zero EndsAt).
type TimerSet struct {
	Timer
}

func (ParticipantNamed) Kind() string { return "participant.named" }
func (StepMoved) Kind() string        { return "step.moved" }
func (TimerSet) Kind() string         { return "timer.set" }

func (e ParticipantNamed) apply(st *State) {
	p := e.Participant
	if old, ok := st.Participants[p.ID]; ok && old.Name != p.Name {
		// A newcomer's name is on nothing yet; a rename is on whatever
		// they wrote.
		st.NamesSeq = st.Seq
	}
	st.Participants[p.ID] = &p
}

func (e StepMoved) apply(st *State) {
	st.Step = e.To
	st.Timer = Timer{}
	// The floor was given for the step that has ended.
	st.Speaker = ""
	// The queues at the tables, and their floors, end with the step of
	// tables they were on.
	if slices.ContainsFunc(st.Hands, func(h Hand) bool { return h.Table != 0 }) {
		st.Hands = slices.DeleteFunc(slices.Clone(st.Hands), func(h Hand) bool { return h.Table != 0 })
	}
	for i, t := range st.Tables {
		if t.Speaker != "" {
			ended := *t
			ended.Speaker = ""
			st.Tables[i] = &ended
		}
	}
}

func (e TimerSet) apply(st *State) { st.Timer = e.Timer }

// eventDecoders reads each kind of event back from the JSON the Store saved.
// Each phase's file registers its own events.
var eventDecoders = map[string]func([]byte) (Event, error){}

func registerEvent[E Event]() {
	var e E
	if _, dup := eventDecoders[e.Kind()]; dup {
		panic("event kind registered twice: " + e.Kind())
	}
	eventDecoders[e.Kind()] = decodeEvent[E]
}

func init() {
	registerEvent[ParticipantNamed]()
	registerEvent[StepMoved]()
	registerEvent[TimerSet]()
}

func decodeEvent[E Event](payload []byte) (Event, error) {
	var e E
	err := json.Unmarshal(payload, &e)
	return e, err
}

// DecodeEvent reads an event back from its kind and JSON form.
func DecodeEvent(kind string, payload []byte) (Event, error) {
	decode, ok := eventDecoders[kind]
	if !ok {
		return nil, fmt.Errorf("unknown event kind %q", kind)
	}
	e, err := decode(payload)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", kind, err)
	}
	return e, nil
}
