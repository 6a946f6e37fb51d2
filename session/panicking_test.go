package session

import "time"

// Panicking is a command with a bug, for the tests of the Hub's recovery:
// its rules panic (In "decide"), or the second of its events panics as it
// is applied, after the first has changed the state (In "apply").
type Panicking struct{ In string }

func (c Panicking) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if c.In == "decide" {
		panic("a bug in a command's rules")
	}
	return []Event{StepMoved{From: st.Step, To: st.Step + 1}, panicking{}}, nil
}

type panicking struct{}

func (panicking) Kind() string { return "test_panicking" }
func (panicking) apply(*State) { panic("a bug in an event") }
