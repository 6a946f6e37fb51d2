package linemode

import (
	"fmt"
	"strings"
	"time"

	"moot/session"
)

// Every sentence line mode says is made here, each by one function of what
// it says, so that all of them can move into a catalogue of strings
// together. Sentences are written to be heard as well as read: numbers
// stand alone ("card 7", never "#7", which a speech synthesiser reads as
// "hash seven"), steps are "2 of 4" (not "2/4", "two slash four"), times
// are in words ("5 minutes left", not "5:00", "five zero zero"), and no
// symbol stands for a word. Each sentence is one line and ends with a full
// stop, so that a screen reader pauses between them.

// The welcome, and the line mode's own words.

func sayWelcome(forum, name string) string {
	return fmt.Sprintf("Welcome to %s, %s. This is line mode: what happens comes as sentences, one a line.", forum, name)
}

func sayHowTo() string {
	return "Type help for the commands, status for where the forum is, quiet on to hear less, and quit to leave."
}

func sayWelcomeArchived(forum string) string {
	return fmt.Sprintf("Welcome to %s. It is archived: you can read it, and nothing in it can change.", forum)
}

func sayAskName(forum string) string {
	return fmt.Sprintf("Welcome to %s. What name should others see? Type it and press Enter, up to %d characters.", forum, session.MaxNameLength)
}

func sayAskSector(sectors []string) string {
	var b strings.Builder
	b.WriteString("Which sector are you part of? It is optional: reports count people by sector, never by name. Type its number, or press Enter to skip.")
	for i, s := range sectors {
		fmt.Fprintf(&b, " %d, %s.", i+1, s)
	}
	return b.String()
}

func sayNoSuchSector(typed string, n int) string {
	return fmt.Sprintf("There is no sector %s: type a number from 1 to %d, or press Enter to skip.", typed, n)
}

func sayNameRefused(reason string) string {
	return fmt.Sprintf("That name cannot be used: %s. Type another.", reason)
}

func sayRejoinCode(code string) string {
	return fmt.Sprintf("Your rejoin code is %s, spelled %s. Keep it: type it at the join code prompt next time to come back as the same person.", code, spelled(code))
}

func sayGoodbye() string {
	return "Goodbye. Your place is kept; join again at any time."
}

func sayStopping() string {
	return "The server is stopping. Everything you saved is kept; join again in a minute."
}

func sayLineTooLong(limit int) string {
	return fmt.Sprintf("That line was longer than %d bytes, so it was not read. Nothing was done.", limit)
}

func sayTooFast() string {
	return "Lines came faster than anyone types, so some were not read. Nothing was done with those."
}

func sayFailed(reason string) string {
	return stop("Not done: " + reason)
}

func sayLineHelp() string {
	return "In line mode, status, cards, ballots and statements typed alone answer in sentences, and quit leaves."
}

// Where the forum is.

func sayLobby(steps int) string {
	return fmt.Sprintf("The forum is in the lobby: it has not begun. It has %s.", count(steps, "step", "steps"))
}

func sayClosed() string {
	return "The forum has closed. Thank you for taking part."
}

func sayStep(n, of int, title string, phase session.Phase) string {
	return stop(fmt.Sprintf("Step %d of %d, %s: %s", n, of, phase, title))
}

func sayPrompt(prompt string) string {
	return stop(session.CleanLine(prompt))
}

// sayPhaseHint says what a person can do on a step of the phase.
func sayPhaseHint(phase session.Phase, propose bool) string {
	switch phase {
	case session.Dialogue:
		return "To post a card, type say and your point."
	case session.Voting:
		return "When a ballot opens, spend your dots with vote."
	case session.Deliberation:
		if propose {
			return "To draft a statement, type propose and its wording; to hear them, type statements."
		}
		return "To hear the statements, type statements."
	case session.Feedback:
		return "To hear the draft report, type feedback; to comment on statement 3, type feedback 3 and your comment."
	}
	return ""
}

func sayArchived(on bool) string {
	if on {
		return "The forum is archived: it can be read, and nothing in it can change."
	}
	return "The forum is open again."
}

func sayPeople(connected, total int) string {
	return fmt.Sprintf("%s here now, %s in all.", count(connected, "person", "people"), count(total, "person", "people"))
}

func sayYou(name, sector string, facilitator bool) string {
	role := "taking part"
	if facilitator {
		role = "a facilitator"
	}
	if sector == "" {
		return fmt.Sprintf("You are %s, %s.", name, role)
	}
	return fmt.Sprintf("You are %s, %s, %s.", name, sector, role)
}

// The timebox.

func sayTimeboxStarted(left time.Duration) string {
	return fmt.Sprintf("The timebox has started: %s for this step.", duration(left))
}

func sayTimeboxChanged(left time.Duration) string {
	return fmt.Sprintf("The timebox was changed: %s left.", duration(left))
}

func sayTimeboxStopped() string {
	return "The timebox was stopped."
}

func sayTimeLeft(left time.Duration) string {
	return fmt.Sprintf("%s left.", capital(duration(left)))
}

func sayTimeUp() string {
	return "Time is up for this step."
}

func sayHowToExtend() string {
	return "To give the room 5 minutes more, type timer extend 5."
}

func sayTimeOver(over time.Duration) string {
	return fmt.Sprintf("The timebox ran out %s ago.", duration(over))
}

func sayNoTimebox() string {
	return "No timebox is running."
}

// Cards and themes.

func sayCard(id int64, author string, anonymous bool, text string) string {
	if anonymous || author == "" {
		return stop(fmt.Sprintf("Card %d, anonymous: %s", id, text))
	}
	return stop(fmt.Sprintf("Card %d from %s: %s", id, author, text))
}

func sayCardBack(id int64, text string) string {
	return stop(fmt.Sprintf("Card %d is back: %s", id, text))
}

func sayCardEdited(id int64, text string) string {
	return stop(fmt.Sprintf("Card %d now reads: %s", id, text))
}

func sayCardsThemed(ids []int64, theme string) string {
	if theme == "" {
		return fmt.Sprintf("%s no theme now.", capital(cardList(ids, "has", "have")))
	}
	return fmt.Sprintf("%s under the theme %s now.", capital(cardList(ids, "is", "are")), unstopped(theme))
}

func sayCardsMerged(from []int64, into int64) string {
	return fmt.Sprintf("%s merged into card %d.", capital(cardList(from, "was", "were")), into)
}

func sayCardParked(id int64, parked bool) string {
	if parked {
		return fmt.Sprintf("Card %d went to the parking lot.", id)
	}
	return fmt.Sprintf("Card %d came back from the parking lot.", id)
}

func sayCardHidden(id int64, reason string) string {
	return stop(fmt.Sprintf("Card %d was hidden, the reason: %s", id, reason))
}

func sayCardRemoved(id int64) string {
	return fmt.Sprintf("Card %d was taken down.", id)
}

func sayCardsSoFar(n int) string {
	if n == 0 {
		return "No cards yet on this step."
	}
	return fmt.Sprintf("%s on this step so far; type cards to hear them.", capital(count(n, "card", "cards")))
}

func sayNoCards() string {
	return "No cards on this step."
}

func sayCardsUnder(group string, n int) string {
	return fmt.Sprintf("%s: %s.", group, count(n, "card", "cards"))
}

func sayNoTheme() string { return "No theme yet" }

func sayParkingLot() string { return "The parking lot" }

func sayHiddenGroup() string { return "Hidden" }

func sayTheme(name string) string {
	return stop("New theme: " + name)
}

func sayThemeRenamed(old, name string) string {
	return fmt.Sprintf("The theme %s is called %s now.", unstopped(old), unstopped(name))
}

func sayThemeAgreed(name string, agreed bool) string {
	if agreed {
		return stop("The room agreed the theme " + name)
	}
	return fmt.Sprintf("The theme %s is no longer marked agreed.", unstopped(name))
}

// Hands and the floor.

func sayFloor(name string) string {
	return fmt.Sprintf("%s has the floor.", name)
}

func sayYourTurn() string {
	return "It is your turn to speak: you have the floor."
}

func sayHandRaised(name string, waiting int) string {
	return fmt.Sprintf("%s raised a hand; %s waiting to speak.", name, count(waiting, "person", "people"))
}

func sayYouAreNext() string {
	return "You are next in the queue to speak."
}

// Ballots.

func sayBallotOpen(id int64, title string, items, dots, maxPerItem int, secret bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Ballot %d is open: %s %s. You have %s to spend", id, stop(title), capital(count(items, "item", "items")), count(dots, "dot", "dots"))
	if maxPerItem > 0 {
		fmt.Fprintf(&b, ", up to %d on one item", maxPerItem)
	}
	b.WriteString(".")
	if secret {
		b.WriteString(" It is secret until it closes.")
	}
	return b.String()
}

func sayBallotItem(id int, text string, mine int) string {
	if mine > 0 {
		return fmt.Sprintf("Item %d: %s Your dots on it: %d.", id, stop(text), mine)
	}
	return stop(fmt.Sprintf("Item %d: %s", id, text))
}

func sayHowToVote(ballot int64) string {
	return fmt.Sprintf("To vote, type vote %d then each item and its dots, for example vote %d 2=3 5=2.", ballot, ballot)
}

func sayDotsSpent(spent, dots int) string {
	return fmt.Sprintf("You have spent %d of your %s.", spent, count(dots, "dot", "dots"))
}

func sayBallotClosed(id int64, title string) string {
	return stop(fmt.Sprintf("Ballot %d has closed: %s", id, title))
}

func sayBallotVoters(voters, dots int) string {
	return fmt.Sprintf("%s voted, %s in all. The results, most dots first:", capital(count(voters, "person", "people")), count(dots, "dot", "dots"))
}

func sayRanked(rank int, tied bool, dots int, text string, top bool) string {
	place := ordinal(rank)
	if tied {
		place = "joint " + place
	}
	lead := ""
	if top {
		lead = ", leads the report"
	}
	return stop(fmt.Sprintf("%s, %s%s: %s", capital(place), count(dots, "dot", "dots"), lead, text))
}

func sayNoDots(items []int) string {
	return fmt.Sprintf("No dots on %s.", numberList("item", "items", items))
}

func sayWithheld(why string) string { return stop(why) }

func sayNoBallots() string { return "No ballots yet." }

func sayBallotState(id int64, title string, open bool) string {
	if open {
		return stop(fmt.Sprintf("Ballot %d, open: %s", id, title))
	}
	return stop(fmt.Sprintf("Ballot %d, closed: %s", id, title))
}

// Statements, checks and the draft report.

func sayStatement(id int64, proposer, theme, text string) string {
	by := ""
	if proposer != "" {
		by = " by " + proposer
	}
	under := ""
	if theme != "" {
		under = ", under " + theme
	}
	return stop(fmt.Sprintf("Statement %d proposed%s%s: %s", id, by, under, text))
}

func sayStatementReads(id int64, text string) string {
	return stop(fmt.Sprintf("Statement %d now reads: %s", id, text))
}

func sayAmendment(id, statement int64, author, text string) string {
	return stop(fmt.Sprintf("Amendment %d to statement %d, from %s: %s", id, statement, author, text))
}

func sayComment(statement int64, author, text string) string {
	return stop(fmt.Sprintf("Comment on statement %d from %s: %s", statement, author, text))
}

func sayCheckOpen(statement int64, text string) string {
	return stop(fmt.Sprintf("A check of agreement is open on statement %d: %s", statement, text))
}

func sayCheckOpenOnIt() string {
	return "A check of agreement is open on it."
}

func sayHowToAgree(statement int64, scale session.Scale) string {
	var b strings.Builder
	fmt.Fprintf(&b, "To respond, type agree %d and your level:", statement)
	for i, l := range scale.Labels {
		sep := ","
		if i == len(scale.Labels)-1 {
			sep = "."
		}
		fmt.Fprintf(&b, " %d %s%s", i+1, l, sep)
	}
	return b.String()
}

func sayCheckClosed(statement int64, responded int, blocked bool) string {
	block := "no block"
	if blocked {
		block = "with a block"
	}
	return fmt.Sprintf("The check on statement %d has closed: %s responded, %s.", statement, count(responded, "person", "people"), block)
}

func saySpread(levels []session.LevelCount) string {
	var parts []string
	for _, l := range levels {
		if l.Count > 0 {
			parts = append(parts, fmt.Sprintf("%d chose %d, %s", l.Count, l.Level, l.Label))
		}
	}
	if len(parts) == 0 {
		return "Nobody responded."
	}
	return capital(strings.Join(parts, "; ")) + "."
}

func sayBlock(statement int64, who []string) string {
	if len(who) == 0 {
		return fmt.Sprintf("A block on statement %d.", statement)
	}
	return fmt.Sprintf("A block on statement %d, from %s.", statement, strings.Join(who, ", "))
}

func sayYourLevel(level int, label string) string {
	return fmt.Sprintf("Your level: %d, %s.", level, label)
}

func sayRecorded(id int64, status string) string {
	switch status {
	case string(session.Agreed):
		return fmt.Sprintf("Statement %d was recorded as agreed.", id)
	case string(session.NotAgreed):
		return fmt.Sprintf("Statement %d was recorded as not agreed.", id)
	}
	return fmt.Sprintf("Statement %d was reopened for rewording.", id)
}

func sayAction(statement int64, text string, owners []string) string {
	if len(owners) == 0 {
		return stop(fmt.Sprintf("Action on statement %d: %s", statement, text))
	}
	return stop(fmt.Sprintf("Action on statement %d: %s Who can take it: %s", statement, stop(text), strings.Join(owners, ", ")))
}

func sayActionRemoved(statement int64, text string) string {
	return stop(fmt.Sprintf("An action was taken off statement %d: %s", statement, text))
}

func sayRevisedAfter(id int64, text, reason string) string {
	return stop(fmt.Sprintf("Statement %d was revised after feedback, the reason: %s It now reads: %s", id, stop(reason), text))
}

func sayStatementMoved(id int64, theme string) string {
	if theme == "" {
		return fmt.Sprintf("Statement %d has no theme now.", id)
	}
	return fmt.Sprintf("Statement %d is under the theme %s now.", id, unstopped(theme))
}

func sayFeedback(statement int64, author, text string) string {
	if author == "" {
		return stop(fmt.Sprintf("Feedback on statement %d: %s", statement, text))
	}
	return stop(fmt.Sprintf("Feedback on statement %d from %s: %s", statement, author, text))
}

func sayNoStatements() string { return "No statements yet." }

func sayStatementState(id int64, status, theme, text string) string {
	state := "a draft"
	switch status {
	case string(session.Agreed):
		state = "agreed"
	case string(session.NotAgreed):
		state = "not agreed"
	}
	under := ""
	if theme != "" {
		under = ", under " + theme
	}
	return stop(fmt.Sprintf("Statement %d, %s%s: %s", id, state, under, text))
}

func sayStatementsSoFar(n, agreed int) string {
	if n == 0 {
		return "No statements yet."
	}
	return fmt.Sprintf("%s so far, %d agreed; type statements to hear them.", capital(count(n, "statement", "statements")), agreed)
}

func sayDraftSoFar(n int) string {
	return fmt.Sprintf("The draft report has %s; type feedback to hear it.", count(n, "agreed statement", "agreed statements"))
}

// Words that sentences are made of.

// stop ends a sentence that ends in someone's words with a full stop,
// unless they ended it already, so that speech pauses before the next.
func stop(s string) string {
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '?', '!', ':', ';', ')', '"', '\'':
		return s
	}
	return s + "."
}

// unstopped is someone's words put inside a sentence: a full stop they
// ended them with would end the sentence early.
func unstopped(s string) string { return strings.TrimRight(s, ".") }

// count writes a number with its noun in the right form.
func count(n int, one, many string) string { return session.Count(n, one, many) }

// capital starts a sentence with a capital letter.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// duration says a time in minutes, or seconds under a minute: "5
// minutes", "1 minute", "40 seconds".
func duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Minute {
		return count(int((d+time.Second/2)/time.Second), "second", "seconds")
	}
	return count(int((d+30*time.Second)/time.Minute), "minute", "minutes")
}

// ordinal says a rank: 1st, 2nd, 3rd, 4th, 11th, 21st; speech reads
// these as first, second, and so on.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// cardList names cards with the verb that agrees: "card 3 is", "cards 3
// and 4 are".
func cardList(ids []int64, one, many string) string {
	ns := make([]int, len(ids))
	for i, id := range ids {
		ns[i] = int(id)
	}
	verb := one
	if len(ids) > 1 {
		verb = many
	}
	return numberList("card", "cards", ns) + " " + verb
}

// numberList names numbered things: "item 3", "items 3 and 4", "items 3,
// 4 and 6".
func numberList(one, many string, ns []int) string {
	words := make([]string, len(ns))
	for i, n := range ns {
		words[i] = fmt.Sprint(n)
	}
	if len(ns) == 1 {
		return one + " " + words[0]
	}
	return many + " " + strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// spelled writes a code so that speech reads it one character at a time,
// with a pause between its groups: "k7mq-x3pa" is "k 7 m q, x 3 p a".
func spelled(code string) string {
	groups := strings.Split(code, "-")
	for i, g := range groups {
		groups[i] = strings.Join(strings.Split(g, ""), " ")
	}
	return strings.Join(groups, ", ")
}
