package linemode

import (
	"time"

	"moot/session"
)

// Line mode answers the questions a person asks about where the forum
// stands (status, cards, ballots, statements, polls, typed alone) with the
// sentences it tells changes in, from the person's own view: what they
// hear when a card comes is what they hear when they ask for the cards.
// With options (--json, --theme) the questions go to the command language
// like every other command.

// answers are the questions line mode answers itself, by name.
var answers = map[string]func(p printer, v *session.View) []string{
	"status":     status,
	"cards":      cards,
	"ballots":    ballots,
	"statements": statements,
	"polls":      polls,
}

// status is where the forum stands for the viewer.
func status(p printer, v *session.View) []string {
	var lines []string
	if me, ok := v.Me(); ok {
		lines = append(lines, sayYou(p, me.Name, me.Sector, v.Facilitator()))
	}
	lines = append(lines, where(p, v)...)
	if v.Archived() {
		lines = append(lines, sayArchived(p, true))
	}
	switch t := v.Timer(); {
	case !t.Running() && v.CurrentStep() != nil:
		lines = append(lines, sayNoTimebox(p))
	case !t.Running():
	case t.Remaining(time.Now()) > 0:
		lines = append(lines, sayTimeLeft(p, t.Remaining(time.Now())))
	default:
		lines = append(lines, sayTimeOver(p, -t.Remaining(time.Now())))
	}
	lines = append(lines, sayPeople(p, v.Connected(), v.PeopleCount()))
	if st := v.CurrentStep(); st != nil {
		switch st.Phase {
		case session.Dialogue:
			lines = append(lines, sayCardsSoFar(p, len(v.StepCards(v.Step()))))
		case session.Voting:
			for _, b := range v.BallotsOf(v.Step()) {
				if b.Open() {
					mine := v.Ballot(b)
					lines = append(lines, sayBallotState(p, b.ID, b.Title, true), sayDotsSpent(p, *mine.Spent, b.Dots))
				}
			}
		case session.Deliberation:
			agreed := 0
			for _, s := range v.Statements() {
				if s.Status == string(session.Agreed) {
					agreed++
				}
				if s.Check != nil {
					lines = append(lines, sayCheckOpen(p, s.ID, s.Text))
				}
			}
			lines = append(lines, sayStatementsSoFar(p, len(v.Statements()), agreed))
		case session.Feedback:
			lines = append(lines, sayDraftSoFar(p, len(v.Draft())))
		}
	}
	if t, ok := seat(v); ok {
		lines = append(lines, seated(p, v, t, false)...)
	}
	for _, poll := range v.PollsOf(v.Step()) {
		if poll.Open() {
			lines = append(lines, sayPollState(p, poll.ID, poll.Question, true))
			if mine := v.MyAnswer(poll.ID); mine != nil {
				lines = append(lines, sayYourAnswerIs(p, answerWords(p, poll, mine)))
			} else {
				lines = append(lines, sayHowToAnswer(p, poll.ID, poll.Kind))
			}
		}
	}
	if s := v.Speaker(); s != "" {
		lines = append(lines, sayFloor(p, s))
	}
	return lines
}

// polls are every poll: an open one as it was asked, with the viewer's
// own answer; a closed one with its results.
func polls(p printer, v *session.View) []string {
	all := v.Polls()
	if len(all) == 0 {
		return []string{sayNoPolls(p)}
	}
	var lines []string
	for _, poll := range all {
		lines = append(lines, sayPollState(p, poll.ID, poll.Question, poll.Open()))
		if !poll.Open() {
			lines = append(lines, pollResults(p, poll)...)
			continue
		}
		asked := pollOpened(p, poll)
		lines = append(lines, asked[1:len(asked)-1]...)
		if mine := v.MyAnswer(poll.ID); mine != nil {
			lines = append(lines, sayYourAnswerIs(p, answerWords(p, poll, mine)))
		}
		lines = append(lines, asked[len(asked)-1])
	}
	return lines
}

// cards are the cards of the step the forum is on, by theme.
func cards(p printer, v *session.View) []string {
	list := v.StepCards(v.Step())
	if len(list) == 0 {
		return []string{sayNoCards(p)}
	}
	var lines []string
	for i := 0; i < len(list); {
		group := groupOf(p, list[i])
		n := 0
		for i+n < len(list) && groupOf(p, list[i+n]) == group {
			n++
		}
		lines = append(lines, sayCardsUnder(p, group, n))
		for _, c := range list[i : i+n] {
			lines = append(lines, sayCard(p, c.ID, c.Author, c.Anonymous, c.Text))
		}
		i += n
	}
	return lines
}

func groupOf(p printer, c *session.CardView) string {
	switch {
	case c.Status == session.CardHidden:
		return sayHiddenGroup(p)
	case c.Parked:
		return sayParkingLot(p)
	case c.Theme != nil:
		return c.Theme.Name
	}
	return sayNoTheme(p)
}

// ballots are every ballot, with the viewer's own dots.
func ballots(p printer, v *session.View) []string {
	all := v.Ballots()
	if len(all) == 0 {
		return []string{sayNoBallots(p)}
	}
	var lines []string
	for _, b := range all {
		mine := v.Ballot(b)
		lines = append(lines, sayBallotState(p, b.ID, b.Title, b.Open()))
		if !b.Open() {
			lines = append(lines, ballotClosed(p, b)[1:]...)
			continue
		}
		for _, it := range mine.Items {
			lines = append(lines, sayBallotItem(p, it.ID, it.Text, *it.Mine))
		}
		lines = append(lines, sayDotsSpent(p, *mine.Spent, b.Dots), sayHowToVote(p, b.ID))
	}
	return lines
}

// statements are every statement, by theme, with the viewer's own level
// on an open check.
func statements(p printer, v *session.View) []string {
	all := v.Statements()
	if len(all) == 0 {
		return []string{sayNoStatements(p)}
	}
	var lines []string
	for _, s := range all {
		lines = append(lines, sayStatementState(p, s.ID, s.Status, themeName(s.Theme), s.Text))
		if s.Check == nil {
			continue
		}
		lines = append(lines, sayCheckOpenOnIt(p), sayHowToAgree(p, s.ID, s.Check.Scale()))
		if c := v.Check(s.Check); c.Mine != 0 {
			lines = append(lines, sayYourLevel(p, c.Mine, c.Scale().Label(c.Mine)))
		}
	}
	return lines
}
