package session

import (
	"strings"
	"time"

	"moot/session/catalogue"
)

// How a person follows the forum, chosen by them and kept with them, as
// their symbols are (people.go): a field of Participant, an event that
// sets it, a typed command that decides it. Unlike symbols, nobody else
// sees these: that someone follows the forum in line mode can say how
// they read, and is theirs to tell (View.People leaves them out).

// The modes a person's terminal sessions open in.
const (
	// ModeScreen is the full screen, where the terminal can draw one.
	ModeScreen = ""
	// ModeLine is line mode: changes as sentences, commands as lines, for
	// a screen reader, a braille display or a terminal that cannot draw.
	ModeLine = "line"
)

// ParseMode reads a mode as typed: line or screen, in any letter case.
func ParseMode(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "line":
		return ModeLine, nil
	case "screen":
		return ModeScreen, nil
	}
	return "", catalogue.Err("session.mode.unknown", CleanLine(s))
}

type (
	// ModeChosen: a person chose the mode their terminal sessions open in.
	ModeChosen struct {
		Participant string `json:"participant"`
		Mode        string `json:"mode"`
	}
	// QuietChosen: a person chose whether line mode tells them only the
	// facilitator's moves and what concerns them (Quiet), or everything.
	QuietChosen struct {
		Participant string `json:"participant"`
		Quiet       bool   `json:"quiet"`
	}
)

func (ModeChosen) Kind() string  { return "participant.mode" }
func (QuietChosen) Kind() string { return "participant.quiet" }

func init() {
	registerEvent[ModeChosen]()
	registerEvent[QuietChosen]()
}

func (e ModeChosen) apply(st *State) {
	if p, ok := st.Participants[e.Participant]; ok {
		next := *p
		next.Mode = e.Mode
		st.Participants[e.Participant] = &next
	}
}

func (e QuietChosen) apply(st *State) {
	if p, ok := st.Participants[e.Participant]; ok {
		next := *p
		next.Quiet = e.Quiet
		st.Participants[e.Participant] = &next
	}
}

// Neither shows on anyone else's screen, so screens can have them as late
// as a change of presence; the person has the command's answer.
func (ModeChosen) quiet(*State) bool  { return true }
func (QuietChosen) quiet(*State) bool { return true }

// ChooseMode sets the mode the actor's terminal sessions open in:
// ModeScreen or ModeLine.
type ChooseMode struct{ Mode string }

// ChooseQuiet sets whether line mode tells the actor only the
// facilitator's moves and what concerns them.
type ChooseQuiet struct{ Quiet bool }

func (c ChooseMode) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if c.Mode != ModeScreen && c.Mode != ModeLine {
		return nil, catalogue.Err("session.mode.unknown", CleanLine(c.Mode))
	}
	p, err := chooser(st, a)
	if err != nil || p.Mode == c.Mode {
		return nil, err
	}
	return []Event{ModeChosen{Participant: a.ID, Mode: c.Mode}}, nil
}

func (c ChooseQuiet) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	p, err := chooser(st, a)
	if err != nil || p.Quiet == c.Quiet {
		return nil, err
	}
	return []Event{QuietChosen{Participant: a.ID, Quiet: c.Quiet}}, nil
}

// chooser is the person choosing a setting of their own: someone who has
// given a name.
func chooser(st *State, a Actor) (*Participant, error) {
	p, ok := st.Participants[a.ID]
	if !ok {
		return nil, ErrNameFirst
	}
	return p, nil
}

// LangChosen: a person chose the language they read moot in ("" for
// their forum's).
type LangChosen struct {
	Participant string `json:"participant"`
	Lang        string `json:"lang"`
}

func (LangChosen) Kind() string { return "participant.lang" }

func init() { registerEvent[LangChosen]() }

func (e LangChosen) apply(st *State) {
	if p, ok := st.Participants[e.Participant]; ok {
		next := *p
		next.Lang = e.Lang
		st.Participants[e.Participant] = &next
	}
}

// A language shows on nobody else's screen.
func (LangChosen) quiet(*State) bool { return true }

// ChooseLang sets the language the actor reads moot in: a code (BCP 47,
// as en, fr, pt-BR) or "" for the forum's. Which languages a server has
// is the catalogue's (session/catalogue); the command language checks the
// code against it, and a code the server no longer has reads as the
// forum's language.
type ChooseLang struct{ Lang string }

// MaxLangCode bounds a language code.
const MaxLangCode = 35

func (c ChooseLang) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	if len(c.Lang) > MaxLangCode || strings.ContainsFunc(c.Lang, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	}) {
		return nil, catalogue.Err("session.lang.bad_code", CleanLine(c.Lang))
	}
	p, err := chooser(st, a)
	if err != nil || p.Lang == c.Lang {
		return nil, err
	}
	return []Event{LangChosen{Participant: a.ID, Lang: c.Lang}}, nil
}
