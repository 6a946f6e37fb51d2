package linemode

import (
	"time"

	"moot/session"
)

// Line mode answers the questions a person asks about where the forum
// stands (status, cards, ballots, statements, typed alone) with the
// sentences it tells changes in, from the person's own view: what they
// hear when a card comes is what they hear when they ask for the cards.
// With options (--json, --theme) the questions go to the command language
// like every other command.

// answers are the questions line mode answers itself, by name.
var answers = map[string]func(v *session.View) []string{
	"status":     status,
	"cards":      cards,
	"ballots":    ballots,
	"statements": statements,
}

// status is where the forum stands for the viewer.
func status(v *session.View) []string {
	var lines []string
	if me, ok := v.Me(); ok {
		lines = append(lines, sayYou(me.Name, me.Sector, v.Facilitator()))
	}
	lines = append(lines, where(v)...)
	if v.Archived() {
		lines = append(lines, sayArchived(true))
	}
	switch t := v.Timer(); {
	case !t.Running() && v.CurrentStep() != nil:
		lines = append(lines, sayNoTimebox())
	case !t.Running():
	case t.Remaining(time.Now()) > 0:
		lines = append(lines, sayTimeLeft(t.Remaining(time.Now())))
	default:
		lines = append(lines, sayTimeOver(-t.Remaining(time.Now())))
	}
	lines = append(lines, sayPeople(v.Connected(), v.PeopleCount()))
	if st := v.CurrentStep(); st != nil {
		switch st.Phase {
		case session.Dialogue:
			lines = append(lines, sayCardsSoFar(len(v.StepCards(v.Step()))))
		case session.Voting:
			for _, b := range v.BallotsOf(v.Step()) {
				if b.Open() {
					mine := v.Ballot(b)
					lines = append(lines, sayBallotState(b.ID, b.Title, true), sayDotsSpent(*mine.Spent, b.Dots))
				}
			}
		case session.Deliberation:
			agreed := 0
			for _, s := range v.Statements() {
				if s.Status == string(session.Agreed) {
					agreed++
				}
				if s.Check != nil {
					lines = append(lines, sayCheckOpen(s.ID, s.Text))
				}
			}
			lines = append(lines, sayStatementsSoFar(len(v.Statements()), agreed))
		case session.Feedback:
			lines = append(lines, sayDraftSoFar(len(v.Draft())))
		}
	}
	if s := v.Speaker(); s != "" {
		lines = append(lines, sayFloor(s))
	}
	return lines
}

// cards are the cards of the step the forum is on, by theme.
func cards(v *session.View) []string {
	list := v.StepCards(v.Step())
	if len(list) == 0 {
		return []string{sayNoCards()}
	}
	var lines []string
	for i := 0; i < len(list); {
		group := groupOf(list[i])
		n := 0
		for i+n < len(list) && groupOf(list[i+n]) == group {
			n++
		}
		lines = append(lines, sayCardsUnder(group, n))
		for _, c := range list[i : i+n] {
			lines = append(lines, sayCard(c.ID, c.Author, c.Anonymous, c.Text))
		}
		i += n
	}
	return lines
}

func groupOf(c *session.CardView) string {
	switch {
	case c.Status == session.CardHidden:
		return sayHiddenGroup()
	case c.Parked:
		return sayParkingLot()
	case c.Theme != nil:
		return c.Theme.Name
	}
	return sayNoTheme()
}

// ballots are every ballot, with the viewer's own dots.
func ballots(v *session.View) []string {
	all := v.Ballots()
	if len(all) == 0 {
		return []string{sayNoBallots()}
	}
	var lines []string
	for _, b := range all {
		mine := v.Ballot(b)
		lines = append(lines, sayBallotState(b.ID, b.Title, b.Open()))
		if !b.Open() {
			lines = append(lines, ballotClosed(b)[1:]...)
			continue
		}
		for _, it := range mine.Items {
			lines = append(lines, sayBallotItem(it.ID, it.Text, *it.Mine))
		}
		lines = append(lines, sayDotsSpent(*mine.Spent, b.Dots), sayHowToVote(b.ID))
	}
	return lines
}

// statements are every statement, by theme, with the viewer's own level
// on an open check.
func statements(v *session.View) []string {
	all := v.Statements()
	if len(all) == 0 {
		return []string{sayNoStatements()}
	}
	var lines []string
	for _, s := range all {
		lines = append(lines, sayStatementState(s.ID, s.Status, themeName(s.Theme), s.Text))
		if s.Check == nil {
			continue
		}
		lines = append(lines, sayCheckOpenOnIt(), sayHowToAgree(s.ID, s.Check.Scale()))
		if c := v.Check(s.Check); c.Mine != 0 {
			lines = append(lines, sayYourLevel(c.Mine, c.Scale().Label(c.Mine)))
		}
	}
	return lines
}
