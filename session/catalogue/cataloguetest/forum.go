package cataloguetest

import (
	"time"

	"moot/session"
	"moot/session/catalogue"
)

// Forum is the forum the coverage tests run, in the pseudo-locale, with
// facilitator steering it: a step of each phase, the first at tables with
// a timebox. Every word it gives people is kept in f, and so are the words
// moot shows of its own that an agenda may name otherwise: the agreement
// scale, and "Table" of "Table 1".
func Forum(f Fixtures, facilitator string) *session.Forum {
	forum := &session.Forum{
		Slug: f.Fx("riverside"), Title: f.Fx("Riverside forum"), Purpose: f.Fx("Shape the new library together."),
		Sectors: []string{f.Fx("Community"), f.Fx("Third sector")},
		Steps: []session.Step{
			{Title: f.Fx("What gets in the way?"), Phase: session.Dialogue, Prompt: f.Fx("Talk at your table about what keeps people away."), Tables: true, Timebox: 10 * time.Minute},
			{Title: f.Fx("Which matter most?"), Phase: session.Voting, Prompt: f.Fx("Spend your dots.")},
			{Title: f.Fx("What can we agree?"), Phase: session.Deliberation},
			{Title: f.Fx("Comments"), Phase: session.Feedback},
			{Title: f.Fx("How did it go?"), Phase: session.Polling},
		},
		Facilitators: []string{facilitator}, AnonymousCards: true, ParticipantsPropose: true,
		Lang: catalogue.Pseudo,
	}
	for _, l := range session.DefaultScale {
		f.Fx(l)
	}
	f.Fx("Table")
	return forum
}
