// Package session is the heart of moot: the forum's domain, the rules of each
// phase, permissions by role, and the Hub that applies every change. It knows
// nothing of SSH, terminals or SQL.
package session

import (
	"strings"
	"time"

	"moot/session/catalogue"
)

// Phase is the kind of work a step does.
type Phase string

const (
	Dialogue     Phase = "dialogue"
	Voting       Phase = "voting"
	Deliberation Phase = "deliberation"
	Feedback     Phase = "feedback"
	// Polling is a step of its own for quick polls (polls.go), such as
	// the evaluation at the end of a forum.
	Polling Phase = "poll"
)

// Phases lists every phase in the order a forum usually meets them.
var Phases = []Phase{Dialogue, Voting, Deliberation, Feedback, Polling}

// PhaseNames lists the phases as an agenda names them, for messages.
const PhaseNames = "dialogue, voting, deliberation, feedback, poll"

// ParsePhase accepts a phase name in any letter case.
func ParsePhase(s string) (Phase, error) {
	for _, p := range Phases {
		if strings.EqualFold(s, string(p)) {
			return p, nil
		}
	}
	return "", catalogue.Err("session.phase.unknown", s, PhaseNames)
}

// Title is the phase name as a heading shows it.
func (p Phase) Title() string {
	if p == "" {
		return ""
	}
	return strings.ToUpper(string(p[:1])) + string(p[1:])
}

// Step is one item of a forum's agenda.
type Step struct {
	Title   string        `json:"title"`
	Phase   Phase         `json:"phase"`
	Prompt  string        `json:"prompt"`
	Timebox time.Duration `json:"timebox,omitempty"`
	// Ballot is what the agenda says about a voting step's ballot.
	Ballot *BallotSpec `json:"ballot,omitempty"`
	// Tables marks a dialogue step for small-group discussion: each
	// person writes and reads the cards of their own table (tables.go).
	Tables bool `json:"tables,omitempty"`
	// Polls are the quick polls the agenda lists for the step, opened by
	// the facilitator (poll open --agenda); Evaluation marks them as the
	// forum's evaluation, a section of the report (polls.go).
	Polls      []PollSpec `json:"polls,omitempty"`
	Evaluation bool       `json:"evaluation,omitempty"`
}

// Forum is the definition of a forum as its organiser wrote it: what it is
// for and the steps it walks through. It does not change while the forum
// runs; the forum's progress lives in State.
type Forum struct {
	Slug    string   `json:"slug"`
	Title   string   `json:"title"`
	Purpose string   `json:"purpose"`
	Date    string   `json:"date,omitempty"`
	Sectors []string `json:"sectors"`
	Steps   []Step   `json:"steps"`
	// Facilitators holds the SHA256 fingerprints of the facilitators' keys.
	Facilitators []string `json:"facilitators,omitempty"`
	// AnonymousCards lets participants post cards that show no name.
	AnonymousCards bool `json:"anonymous_cards,omitempty"`

	// Deliberation settings (deliberation.go).
	//
	// ParticipantsPropose lets participants draft statements; otherwise
	// only facilitators do.
	ParticipantsPropose bool `json:"participants_propose,omitempty"`
	// Scale names the levels of agreement, from most to least; empty
	// means DefaultScale.
	Scale []string `json:"scale,omitempty"`
	// Blocking is the level (1-based) that blocks: 0 means the last level
	// of the scale, NoBlocking a scale without a block.
	Blocking int `json:"blocking,omitempty"`
	// ShowDistribution shows everyone how responses spread over the scale
	// while a check is open; otherwise only the facilitator sees it until
	// the check closes.
	ShowDistribution bool `json:"show_distribution,omitempty"`
	// MinGroup is the fewest people a count of choices may cover (a
	// tally, a spread, any breakdown of them by sector): smaller groups
	// are counted together or withheld (view.go). 0 means
	// DefaultMinGroup.
	MinGroup int `json:"min_group,omitempty"`

	// JoinCode lets people without an SSH key in (keyboard-interactive);
	// empty means keys only.
	JoinCode string `json:"join_code,omitempty"`
	// Themes are created, in this order, when the forum is first opened.
	Themes []string `json:"themes,omitempty"`
	// Tables says how `tables make` splits the room when told nothing
	// else (tables.go); nil means it must be told.
	Tables *TablesSpec `json:"tables,omitempty"`
	// Lang is the language the forum speaks to anyone who chose none of
	// their own: a code of the catalogue's (session/catalogue); "" is
	// English.
	Lang string `json:"lang,omitempty"`
}

// DefaultSectors are offered when an agenda names none.
var DefaultSectors = []string{"Local government", "Public body", "Third sector", "Community", "Other"}

// Validate reports the first problem that would stop the forum from running.
func (f *Forum) Validate() error {
	switch {
	case f.Slug == "":
		return catalogue.Err("session.forum.no_slug")
	case !ValidSlug(f.Slug):
		return catalogue.Err("session.forum.bad_slug", f.Slug, SlugRule)
	case strings.TrimSpace(f.Title) == "":
		return catalogue.Err("session.forum.no_title")
	case len(f.Steps) == 0:
		return catalogue.Err("session.forum.no_steps")
	}
	for i, s := range f.Steps {
		if strings.TrimSpace(s.Title) == "" {
			return catalogue.Err("session.forum.step_no_title", i+1)
		}
		if _, err := ParsePhase(string(s.Phase)); err != nil {
			return catalogue.Err("session.forum.step", i+1, err)
		}
		if s.Timebox < 0 {
			return catalogue.Err("session.forum.step_negative_timebox", i+1)
		}
		if s.Tables && s.Phase != Dialogue {
			return catalogue.Err("session.forum.step_tables", i+1, PhaseWord(s.Phase))
		}
		for j, p := range s.Polls {
			if err := p.Check(); err != nil {
				return catalogue.Err("session.forum.step_poll", i+1, j+1, err)
			}
		}
		if s.Evaluation && len(s.Polls) == 0 {
			return catalogue.Err("session.forum.step_evaluation", i+1)
		}
	}
	if f.Tables != nil {
		if err := f.Tables.Check(); err != nil {
			return catalogue.Err("session.forum.tables", err)
		}
	}
	if n := len(f.Scale); n != 0 && (n < 2 || n > MaxScaleLevels) {
		return catalogue.Err("session.forum.scale_levels", MaxScaleLevels)
	}
	if f.Blocking < NoBlocking || f.Blocking > len(f.AgreementScale().Labels) {
		return catalogue.Err("session.forum.blocking", f.Blocking)
	}
	if f.MinGroup != 0 && (f.MinGroup < LeastMinGroup || f.MinGroup > MostMinGroup) {
		return catalogue.Err("session.forum.min_group", f.MinGroup, MinGroupRule)
	}
	return nil
}

// SlugRule says what ValidSlug accepts, for messages.
var SlugRule = catalogue.Msg("session.rule.slug")

// PhaseWord is how a message names a phase.
func PhaseWord(p Phase) catalogue.Text {
	switch p {
	case Dialogue:
		return catalogue.Msg("phase.dialogue")
	case Voting:
		return catalogue.Msg("phase.voting")
	case Deliberation:
		return catalogue.Msg("phase.deliberation")
	case Feedback:
		return catalogue.Msg("phase.feedback")
	case Polling:
		return catalogue.Msg("phase.poll")
	}
	return catalogue.Text{} // ParsePhase refuses any other
}

// ValidSlug tells whether s can name a forum: it is typed as the SSH user
// name (ssh SLUG@host), so it keeps to characters every client accepts.
func ValidSlug(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Sector finds the forum's spelling of a sector named in any letter case.
func (f *Forum) Sector(name string) (string, bool) {
	for _, s := range f.Sectors {
		if strings.EqualFold(strings.TrimSpace(name), s) {
			return s, true
		}
	}
	return "", false
}

// RoleOf tells what the holder of the key with this fingerprint may do.
func (f *Forum) RoleOf(fingerprint string) Role {
	for _, k := range f.Facilitators {
		if k == fingerprint {
			return RoleFacilitator
		}
	}
	return RoleParticipant
}

// Role is what a person may do in a forum.
type Role string

const (
	RoleParticipant Role = "participant"
	RoleFacilitator Role = "facilitator"
)
