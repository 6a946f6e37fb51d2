package linemode

import (
	"strconv"
	"strings"
	"time"

	"moot/session"
	"moot/session/catalogue"
)

// Every sentence line mode says is made here, each by one function of what
// it says, from the catalogue's messages (line.* in
// session/catalogue/en/line.yaml) in the person's language. Sentences are
// written to be heard as well as read: numbers stand alone ("card 7",
// never "#7", which a speech synthesiser reads as "hash seven"), steps are
// "2 of 4" (not "2/4", "two slash four"), times are in words ("5 minutes
// left", not "5:00", "five zero zero"), and no symbol stands for a word.
// Each sentence is one line and ends with a full stop, so that a screen
// reader pauses between them.

type printer = *catalogue.Printer

// The welcome, and the line mode's own words.

func sayWelcome(p printer, forum, name string) string { return p.T("line.welcome", forum, name) }

func sayHowTo(p printer) string { return p.T("line.how_to") }

func sayWelcomeArchived(p printer, forum string) string { return p.T("line.welcome_archived", forum) }

func sayAskName(p printer, forum string) string {
	return p.T("line.ask_name", forum, session.MaxNameLength)
}

func sayAskSector(p printer, sectors []string) string {
	var b strings.Builder
	b.WriteString(p.T("line.ask_sector"))
	for i, s := range sectors {
		b.WriteString(p.T("line.sector_choice", i+1, s))
	}
	return b.String()
}

func sayNoSuchSector(p printer, typed string, n int) string {
	return p.T("line.no_such_sector", typed, n)
}

func sayNameRefused(p printer, reason string) string { return p.T("line.name_refused", reason) }

func sayRejoinCode(p printer, code string) string {
	return p.T("line.rejoin_code", code, spelled(p, code))
}

func sayGoodbye(p printer) string { return p.T("line.goodbye") }

func sayStopping(p printer) string { return p.T("line.stopping") }

func sayLineTooLong(p printer, limit int) string { return p.T("line.too_long", limit) }

func sayTooFast(p printer) string { return p.T("line.too_fast") }

func sayFailed(p printer, reason string) string { return stop(p.T("line.failed", reason)) }

func sayLineHelp(p printer) string { return p.T("line.help") }

// Where the forum is.

func sayLobby(p printer, steps int) string {
	return p.T("line.lobby", p.T("count.steps", steps))
}

func sayClosed(p printer) string { return p.T("line.closed") }

func sayStep(p printer, n, of int, title string, phase session.Phase) string {
	return stop(p.T("line.step", n, of, session.PhaseWord(phase), title))
}

func sayPrompt(prompt string) string {
	return stop(session.CleanLine(prompt))
}

// sayPhaseHint says what a person can do on a step of the phase.
func sayPhaseHint(p printer, phase session.Phase, propose bool) string {
	switch phase {
	case session.Dialogue:
		return p.T("line.hint.dialogue")
	case session.Voting:
		return p.T("line.hint.voting")
	case session.Deliberation:
		if propose {
			return p.T("line.hint.deliberation_propose")
		}
		return p.T("line.hint.deliberation")
	case session.Feedback:
		return p.T("line.hint.feedback")
	}
	return ""
}

func sayArchived(p printer, on bool) string {
	if on {
		return p.T("line.archived")
	}
	return p.T("line.unarchived")
}

func sayPeople(p printer, connected, total int) string {
	return p.T("line.people", p.T("count.people", connected), p.T("count.people", total))
}

func sayYou(p printer, name, sector string, facilitator bool) string {
	role := p.T("line.role.participant")
	if facilitator {
		role = p.T("line.role.facilitator")
	}
	if sector == "" {
		return p.T("line.you", name, role)
	}
	return p.T("line.you_sector", name, sector, role)
}

// The timebox.

func sayTimeboxStarted(p printer, left time.Duration) string {
	return p.T("line.timebox.started", duration(p, left))
}

func sayTimeboxChanged(p printer, left time.Duration) string {
	return p.T("line.timebox.changed", duration(p, left))
}

func sayTimeboxStopped(p printer) string { return p.T("line.timebox.stopped") }

func sayTimeLeft(p printer, left time.Duration) string {
	return capital(p.T("line.timebox.left", duration(p, left)))
}

func sayTimeUp(p printer) string { return p.T("line.timebox.up") }

func sayHowToExtend(p printer) string { return p.T("line.timebox.how_to_extend") }

func sayTimeOver(p printer, over time.Duration) string {
	return p.T("line.timebox.over", duration(p, over))
}

func sayNoTimebox(p printer) string { return p.T("line.timebox.none") }

// Cards and themes.

func sayCard(p printer, id int64, author string, anonymous bool, text string) string {
	if anonymous || author == "" {
		return stop(p.T("line.card.anonymous", id, text))
	}
	return stop(p.T("line.card", id, author, text))
}

func sayCardBack(p printer, id int64, text string) string {
	return stop(p.T("line.card.back", id, text))
}

func sayCardEdited(p printer, id int64, text string) string {
	return stop(p.T("line.card.edited", id, text))
}

func sayCardsThemed(p printer, ids []int64, theme string) string {
	if theme == "" {
		return p.T("line.cards.unthemed", len(ids), numbers(p, ids))
	}
	return p.T("line.cards.themed", len(ids), numbers(p, ids), unstopped(theme))
}

func sayCardsMerged(p printer, from []int64, into int64) string {
	return p.T("line.cards.merged", len(from), numbers(p, from), into)
}

func sayCardParked(p printer, id int64, parked bool) string {
	if parked {
		return p.T("line.card.parked", id)
	}
	return p.T("line.card.unparked", id)
}

func sayCardHidden(p printer, id int64, reason string) string {
	return stop(p.T("line.card.hidden", id, reason))
}

func sayCardRemoved(p printer, id int64) string { return p.T("line.card.removed", id) }

func sayCardsSoFar(p printer, n int) string { return p.T("line.cards.so_far", n) }

func sayNoCards(p printer) string { return p.T("line.cards.none") }

func sayCardsUnder(p printer, group string, n int) string {
	return p.T("line.cards.under", group, p.T("count.cards", n))
}

func sayNoTheme(p printer) string { return p.T("line.group.no_theme") }

func sayParkingLot(p printer) string { return p.T("line.group.parking_lot") }

func sayHiddenGroup(p printer) string { return p.T("line.group.hidden") }

func sayTheme(p printer, name string) string { return stop(p.T("line.theme.new", name)) }

func sayThemeRenamed(p printer, old, name string) string {
	return p.T("line.theme.renamed", unstopped(old), unstopped(name))
}

func sayThemeAgreed(p printer, name string, agreed bool) string {
	if agreed {
		return stop(p.T("line.theme.agreed", name))
	}
	return p.T("line.theme.unagreed", unstopped(name))
}

// Hands and the floor.

func sayFloor(p printer, name string) string { return p.T("line.floor", name) }

func sayYourTurn(p printer) string { return p.T("line.your_turn") }

func sayHandRaised(p printer, name string, waiting int) string {
	return p.T("line.hand_raised", name, p.T("count.people", waiting))
}

func sayYouAreNext(p printer) string { return p.T("line.you_are_next") }

// Ballots.

func sayBallotOpen(p printer, id int64, title string, items, dots, maxPerItem int, secret bool) string {
	var s string
	if maxPerItem > 0 {
		s = p.T("line.ballot.open_capped", id, stop(title), p.T("count.items", items), p.T("count.dots", dots), maxPerItem)
	} else {
		s = p.T("line.ballot.open", id, stop(title), p.T("count.items", items), p.T("count.dots", dots))
	}
	if secret {
		s += p.T("line.ballot.secret")
	}
	return s
}

func sayBallotItem(p printer, id int, text string, mine int) string {
	if mine > 0 {
		return p.T("line.ballot.item_mine", id, stop(text), mine)
	}
	return stop(p.T("line.ballot.item", id, text))
}

func sayHowToVote(p printer, ballot int64) string { return p.T("line.ballot.how_to_vote", ballot) }

func sayDotsSpent(p printer, spent, dots int) string {
	return p.T("line.ballot.spent", spent, p.T("count.dots", dots))
}

func sayBallotClosed(p printer, id int64, title string) string {
	return stop(p.T("line.ballot.closed", id, title))
}

func sayBallotVoters(p printer, voters, dots int) string {
	return capital(p.T("line.ballot.voters", p.T("count.people", voters), p.T("count.dots", dots)))
}

func sayRanked(p printer, rank int, tied bool, dots int, text string, top bool) string {
	place := p.T("ordinal.rank", rank)
	if tied {
		place = p.T("line.ballot.joint", place)
	}
	key := "line.ballot.ranked"
	if top {
		key = "line.ballot.ranked_top"
	}
	return stop(capital(p.T(key, place, p.T("count.dots", dots), text)))
}

func sayNoDots(p printer, items []int) string {
	ids := make([]int64, len(items))
	for i, n := range items {
		ids[i] = int64(n)
	}
	return p.T("line.ballot.no_dots", len(items), numbers(p, ids))
}

func sayWithheld(p printer, why catalogue.Text) string { return stop(p.Text(why)) }

func sayNoBallots(p printer) string { return p.T("line.ballots.none") }

func sayBallotState(p printer, id int64, title string, open bool) string {
	if open {
		return stop(p.T("line.ballot.state_open", id, title))
	}
	return stop(p.T("line.ballot.state_closed", id, title))
}

// Statements, checks and the draft report.

func sayStatement(p printer, id int64, proposer, theme, text string) string {
	switch {
	case proposer != "" && theme != "":
		return stop(p.T("line.statement.by_under", id, proposer, theme, text))
	case proposer != "":
		return stop(p.T("line.statement.by", id, proposer, text))
	case theme != "":
		return stop(p.T("line.statement.under", id, theme, text))
	}
	return stop(p.T("line.statement", id, text))
}

func sayStatementReads(p printer, id int64, text string) string {
	return stop(p.T("line.statement.reads", id, text))
}

func sayAmendment(p printer, id, statement int64, author, text string) string {
	return stop(p.T("line.amendment", id, statement, author, text))
}

func sayComment(p printer, statement int64, author, text string) string {
	return stop(p.T("line.comment", statement, author, text))
}

func sayCheckOpen(p printer, statement int64, text string) string {
	return stop(p.T("line.check.open", statement, text))
}

func sayCheckOpenOnIt(p printer) string { return p.T("line.check.open_on_it") }

func sayHowToAgree(p printer, statement int64, scale session.Scale) string {
	levels := make([]string, len(scale.Labels))
	for i, l := range scale.Labels {
		levels[i] = p.T("line.check.level", i+1, l)
	}
	return p.T("line.check.how_to_agree", statement, strings.Join(levels, p.T("sep.comma")))
}

func sayCheckClosed(p printer, statement int64, responded int, blocked bool) string {
	if blocked {
		return p.T("line.check.closed_blocked", statement, p.T("count.people", responded))
	}
	return p.T("line.check.closed", statement, p.T("count.people", responded))
}

func saySpread(p printer, levels []session.LevelCount) string {
	var parts []string
	for _, l := range levels {
		if l.Count > 0 {
			parts = append(parts, p.T("line.check.chose", l.Count, l.Level, l.Label))
		}
	}
	if len(parts) == 0 {
		return p.T("line.check.nobody")
	}
	return capital(p.T("line.check.spread", strings.Join(parts, p.T("sep.semicolon"))))
}

func sayBlock(p printer, statement int64, who []string) string {
	if len(who) == 0 {
		return p.T("line.block", statement)
	}
	return p.T("line.block.from", statement, strings.Join(who, p.T("sep.comma")))
}

func sayYourLevel(p printer, level int, label string) string {
	return p.T("line.your_level", level, label)
}

func sayRecorded(p printer, id int64, status string) string {
	switch status {
	case string(session.Agreed):
		return p.T("line.recorded.agreed", id)
	case string(session.NotAgreed):
		return p.T("line.recorded.not_agreed", id)
	}
	return p.T("line.recorded.reopened", id)
}

func sayAction(p printer, statement int64, text string, owners []string) string {
	if len(owners) == 0 {
		return stop(p.T("line.action", statement, text))
	}
	return stop(p.T("line.action.owners", statement, stop(text), strings.Join(owners, p.T("sep.comma"))))
}

func sayActionRemoved(p printer, statement int64, text string) string {
	return stop(p.T("line.action.removed", statement, text))
}

func sayRevisedAfter(p printer, id int64, text, reason string) string {
	return stop(p.T("line.revised_after", id, stop(reason), text))
}

func sayStatementMoved(p printer, id int64, theme string) string {
	if theme == "" {
		return p.T("line.statement.unthemed", id)
	}
	return p.T("line.statement.moved", id, unstopped(theme))
}

func sayFeedback(p printer, statement int64, author, text string) string {
	if author == "" {
		return stop(p.T("line.feedback", statement, text))
	}
	return stop(p.T("line.feedback.from", statement, author, text))
}

func sayNoStatements(p printer) string { return p.T("line.statements.none") }

func sayStatementState(p printer, id int64, status, theme, text string) string {
	if theme != "" {
		key := "line.statement.state.draft_under"
		switch status {
		case string(session.Agreed):
			key = "line.statement.state.agreed_under"
		case string(session.NotAgreed):
			key = "line.statement.state.not_agreed_under"
		}
		return stop(p.T(key, id, theme, text))
	}
	key := "line.statement.state.draft"
	switch status {
	case string(session.Agreed):
		key = "line.statement.state.agreed"
	case string(session.NotAgreed):
		key = "line.statement.state.not_agreed"
	}
	return stop(p.T(key, id, text))
}

func sayStatementsSoFar(p printer, n, agreed int) string {
	return p.T("line.statements.so_far", n, agreed)
}

func sayDraftSoFar(p printer, n int) string {
	return p.T("line.draft.so_far", p.T("count.agreed_statements", n))
}

// Tables.

func sayTablesMade(p printer, n int) string {
	return p.T("line.tables.made", p.T("count.tables", n))
}

func sayYourTable(p printer, table string, others []string, moved bool) string {
	switch {
	case moved && len(others) == 0:
		return p.T("line.table.moved_alone", table)
	case moved:
		return p.T("line.table.moved", table, p.List(others))
	case len(others) == 0:
		return p.T("line.table.yours_alone", table)
	}
	return p.T("line.table.yours", table, p.List(others))
}

func sayUnseated(p printer, table string) string { return p.T("line.table.unseated", table) }

func sayReporter(p printer, name string, has, you bool) string {
	switch {
	case you:
		return p.T("line.table.you_report")
	case has && name != "":
		return p.T("line.table.reporter", name)
	case has:
		return p.T("line.table.has_reporter")
	}
	return p.T("line.table.no_reporter")
}

func sayJoinedTable(p printer, name string) string { return p.T("line.table.joined", name) }

func sayLeftTable(p printer, name string) string { return p.T("line.table.left", name) }

func sayTabledStep(p printer, table string) string { return p.T("line.table.step", table) }

func sayBroughtBack(p printer, table string, card int64, text string) string {
	return stop(p.T("line.table.brought", table, card, text))
}

func sayTakenBack(p printer, table string, card int64) string {
	return p.T("line.table.taken_back", table, card)
}

// Polls.

func sayPollOpen(p printer, id int64, question string) string {
	return stop(p.T("line.poll.open", id, question))
}

func saySecrecy(p printer, secret bool) string {
	if secret {
		return p.T("line.poll.secret")
	}
	return p.T("line.poll.live")
}

func sayPollScale(p printer, points int, labels []string, secret bool) string {
	var named []string
	for i, l := range labels {
		if l != "" {
			named = append(named, p.T("line.poll.choice", i+1, l))
		}
	}
	if len(named) == 0 {
		return p.T("line.poll.scale", points, saySecrecy(p, secret))
	}
	return p.T("line.poll.scale_labels", points, strings.Join(named, p.T("sep.semicolon")), saySecrecy(p, secret))
}

func sayPollChoices(p printer, options []string, most int, secret bool) string {
	parts := make([]string, len(options))
	for i, o := range options {
		parts[i] = p.T("line.poll.choice", i+1, o)
	}
	list := strings.Join(parts, p.T("sep.semicolon"))
	switch {
	case most == 0:
		return p.T("line.poll.choose_any", list, saySecrecy(p, secret))
	case most > 1:
		return p.T("line.poll.choose_up_to", most, list, saySecrecy(p, secret))
	}
	return p.T("line.poll.choose_one", list, saySecrecy(p, secret))
}

func sayPollWords(p printer, words int, secret bool) string {
	return p.T("line.poll.words", words, saySecrecy(p, secret))
}

func sayPollOpenAnswer(p printer, secret bool) string {
	return p.T("line.poll.open_answer", saySecrecy(p, secret))
}

func sayHowToAnswer(p printer, id int64, kind session.PollKind) string {
	switch kind {
	case session.PollScale:
		return p.T("line.poll.how.scale", id)
	case session.PollChoice:
		return p.T("line.poll.how.choice", id)
	case session.PollMultiple:
		return p.T("line.poll.how.multiple", id)
	}
	return p.T("line.poll.how.text", id)
}

func sayChoice(p printer, n int, label string) string {
	if label == "" {
		return strconv.Itoa(n)
	}
	return p.T("line.poll.choice", n, label)
}

func sayYourAnswer(p printer, id int64, answer string) string {
	return stop(p.T("line.poll.your_answer", id, answer))
}

func sayAnswerTakenBack(p printer, id int64) string { return p.T("line.poll.taken_back", id) }

func sayPollClosed(p printer, id int64, question string) string {
	return stop(p.T("line.poll.closed", id, question))
}

func sayAnswered(p printer, n int) string { return p.T("line.poll.answered", n) }

func sayPollCounts(p printer, kind session.PollKind, counts []session.PollCount) string {
	var parts []string
	for _, c := range counts {
		if c.Count == 0 {
			continue
		}
		choice := c.Label
		if kind == session.PollScale {
			choice = sayChoice(p, c.N, c.Label)
		}
		parts = append(parts, p.T("line.poll.chose", c.Count, choice))
	}
	return capital(p.T("line.poll.counts", strings.Join(parts, p.T("sep.semicolon"))))
}

func sayMeanSpread(p printer, mean, spread float64) string {
	return p.T("line.poll.mean", catalogue.Decimal(mean, 1), catalogue.Decimal(spread, 1))
}

func sayTopWords(p printer, words []session.WordCount) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = p.T("line.poll.word", w.Text, w.Count)
	}
	return p.T("line.poll.top_words", strings.Join(parts, p.T("sep.semicolon")))
}

func sayHearAnswers(p printer, id int64) string { return p.T("line.poll.hear_answers", id) }

func sayNoPolls(p printer) string { return p.T("line.polls.none") }

func sayPollState(p printer, id int64, question string, open bool) string {
	if open {
		return stop(p.T("line.poll.state_open", id, question))
	}
	return stop(p.T("line.poll.state_closed", id, question))
}

func sayYourAnswerIs(p printer, answer string) string {
	return stop(p.T("line.poll.your_answer_is", answer))
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

// capital starts a sentence with a capital letter, where a message begins
// with someone's words or a number's noun.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// duration says a time in minutes, or seconds under a minute: "5
// minutes", "1 minute", "40 seconds".
func duration(p printer, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Minute {
		return p.T("count.seconds", int((d+time.Second/2)/time.Second))
	}
	return p.T("count.minutes", int((d+30*time.Second)/time.Minute))
}

// numbers names numbered things in a list: "3", "3 and 4", "3, 4 and 6".
func numbers(p printer, ids []int64) string {
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = strconv.FormatInt(id, 10)
	}
	return p.List(words)
}

// spelled writes a code so that speech reads it one character at a time,
// with a pause between its groups: "k7mq-x3pa" is "k 7 m q, x 3 p a".
func spelled(p printer, code string) string {
	groups := strings.Split(code, "-")
	for i, g := range groups {
		groups[i] = strings.Join(strings.Split(g, ""), " ")
	}
	return strings.Join(groups, p.T("sep.comma"))
}
