package session

import (
	"strings"
	"time"
	"unicode"

	"moot/session/catalogue"
)

// Names within a forum are told apart as people read them: two names that
// differ only in letter case or spacing ("Fran", "fran", "F ran") are one
// name, and a forum gives it to one person.

// nameKey is the form of a name that two names people would take for the
// same share: letters in one case, spaces left out.
func nameKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
	}
	return b.String()
}

// nameTaken is the participant other than id whose name reads as name.
func nameTaken(st *State, id, name string) (*Participant, bool) {
	key := nameKey(name)
	for pid, p := range st.Participants {
		if pid != id && nameKey(p.Name) == key {
			return p, true
		}
	}
	return nil, false
}

// isMarkBracket reports the brackets a name may not hold: screens mark a
// facilitator with square brackets ([facilitator]), so no name may draw
// one, nor anything that looks like one. Round brackets are left to names.
func isMarkBracket(r rune) bool {
	if r == '(' || r == ')' {
		return false
	}
	return unicode.In(r, unicode.Ps, unicode.Pe) || r == '<' || r == '>' || r == '|'
}

// The ways a screen may draw its symbols.
const (
	// SymbolsAuto follows the client's locale (LANG and LC_*), where it
	// sends one.
	SymbolsAuto = ""
	// SymbolsASCII draws plain ASCII, for terminals that cannot show
	// UTF-8.
	SymbolsASCII = "ascii"
	// SymbolsUnicode draws · › ● ✔ and the rest whatever the locale says.
	SymbolsUnicode = "unicode"
)

// SymbolsChosen: a person chose how their screens draw symbols.
type SymbolsChosen struct {
	Participant string `json:"participant"`
	Symbols     string `json:"symbols"`
}

func (SymbolsChosen) Kind() string { return "participant.symbols" }

func init() { registerEvent[SymbolsChosen]() }

func (e SymbolsChosen) apply(st *State) {
	old, ok := st.Participants[e.Participant]
	if !ok {
		return
	}
	p := *old
	p.Symbols = e.Symbols
	st.Participants[e.Participant] = &p
}

// ChooseSymbols sets how the actor's screens draw symbols: SymbolsAuto,
// SymbolsASCII or SymbolsUnicode.
type ChooseSymbols struct{ Symbols string }

func (c ChooseSymbols) decide(st *State, a Actor, _ time.Time) ([]Event, error) {
	switch c.Symbols {
	case SymbolsAuto, SymbolsASCII, SymbolsUnicode:
	default:
		return nil, catalogue.Err("session.symbols.unknown", CleanLine(c.Symbols))
	}
	p, ok := st.Participants[a.ID]
	if !ok {
		return nil, ErrNameFirst
	}
	if p.Symbols == c.Symbols {
		return nil, nil
	}
	return []Event{SymbolsChosen{Participant: a.ID, Symbols: c.Symbols}}, nil
}

// Facilitates tells whether the person this view calls name steers the
// forum, so that a screen can mark them with a mark no name can hold
// (Name refuses brackets). A name shared by two people (kept from before
// names had to differ) is marked for neither.
func (v *View) Facilitates(name string) bool {
	if name == "" || len(v.snap.Forum.Facilitators) == 0 {
		return false
	}
	return v.shared.facilitators.get(func() map[string]bool {
		holders := map[string]int{}
		for _, p := range v.snap.Participants {
			holders[nameKey(p.Name)]++
		}
		out := map[string]bool{}
		for _, p := range v.snap.Participants {
			if holders[nameKey(p.Name)] == 1 && v.snap.Forum.RoleOf(p.ID) == RoleFacilitator {
				out[p.Name] = true
			}
		}
		return out
	})[name]
}
