package session

import (
	"fmt"
	"strings"
	"time"
)

// Prefs are how a person likes moot to talk to them: kept with them in the
// forum, so that they come back to it, and seen by nobody else (the only
// way to them is View.Prefs, the viewer's own). A setting is a field here,
// a command that sets it and a sentence that says it; each command puts
// the whole of a person's Prefs in one PrefsSet event.
type Prefs struct {
	// Mode is the front end a terminal session opens: the full screen, or
	// the line mode (changes said as sentences, commands typed as lines).
	Mode Mode `json:"mode,omitempty"`
	// Quiet: line mode tells only the facilitator's moves and what
	// concerns the person, not everything everyone does.
	Quiet bool `json:"quiet,omitempty"`
}

// Mode is a front end a person chooses for sessions with a terminal.
type Mode string

const (
	// ModeScreen is the full screen, the default ("" is read as it).
	ModeScreen Mode = "screen"
	// ModeLine is the line mode, for a screen reader, a braille display or
	// a terminal that cannot draw a screen.
	ModeLine Mode = "line"
)

// Modes lists the modes a person may choose, for messages.
var Modes = []Mode{ModeScreen, ModeLine}

// ParseMode accepts a mode's name in any letter case.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if strings.EqualFold(strings.TrimSpace(s), string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown mode %q (one of: line, screen)", CleanLine(s))
}

// Line tells whether the person chose the line mode.
func (p Prefs) Line() bool { return p.Mode == ModeLine }

// PrefsSet: a person changed how moot talks to them.
type PrefsSet struct {
	Participant string `json:"participant"`
	Prefs       Prefs  `json:"prefs"`
}

func (PrefsSet) Kind() string { return "participant.prefs" }

func init() { registerEvent[PrefsSet]() }

func (e PrefsSet) apply(st *State) {
	old, ok := st.Participants[e.Participant]
	if !ok {
		return
	}
	p := *old
	p.prefs = e.Prefs
	st.Participants[e.Participant] = &p
}

// quiet: nobody else's screen shows anything of it; the person has the
// command's answer.
func (PrefsSet) quiet(*State) bool { return true }

// SetMode chooses the front end the actor's terminal sessions open.
type SetMode struct{ Mode Mode }

// SetQuiet chooses whether line mode tells the actor only the
// facilitator's moves and what concerns them (On), or everything.
type SetQuiet struct{ On bool }

func (c SetMode) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if _, err := ParseMode(string(c.Mode)); err != nil {
		return nil, err
	}
	mode := c.Mode
	if mode == ModeScreen {
		mode = "" // the default, as a person who never chose has it
	}
	return setPrefs(st, a, func(p *Prefs) { p.Mode = mode })
}

func (c SetQuiet) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	return setPrefs(st, a, func(p *Prefs) { p.Quiet = c.On })
}

// setPrefs is the event that changes the actor's Prefs by change; none if
// it changes nothing.
func setPrefs(st *State, a Actor, change func(*Prefs)) ([]Event, error) {
	p, ok := st.Participants[a.ID]
	if !ok {
		return nil, fmt.Errorf("give your name first (name YOUR NAME)")
	}
	next := p.prefs
	change(&next)
	if next == p.prefs {
		return nil, nil
	}
	return []Event{PrefsSet{Participant: a.ID, Prefs: next}}, nil
}

// Prefs are the viewer's own: how they like moot to talk to them. Zero for
// someone who has not given a name, the projector and the report.
func (v *View) Prefs() Prefs {
	me, ok := v.Me()
	if !ok {
		return Prefs{}
	}
	return me.prefs
}
