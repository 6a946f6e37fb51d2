// Package sessiontest holds what the tests of session and of its stores
// share: a forum and a log that holds every kind of event, in an order in
// which each applies.
package sessiontest

import (
	"time"

	"moot/session"
)

// Keys of the people in Log.
const (
	Facilitator = "SHA256:facilitator"
	Ada         = "SHA256:ada"
	Bob         = "SHA256:bob"
)

// Forum is the forum Log belongs to: one step of each phase.
func Forum() *session.Forum {
	return &session.Forum{
		Slug:    "riverside",
		Title:   "Riverside forum",
		Purpose: "Plan the riverside",
		Sectors: []string{"Local government", "Community"},
		Steps: []session.Step{
			{Title: "What gets in the way?", Phase: session.Dialogue, Timebox: 10 * time.Minute, Tables: true},
			{Title: "Which matter most?", Phase: session.Voting},
			{Title: "What can we agree?", Phase: session.Deliberation},
			{Title: "Comments on the draft", Phase: session.Feedback},
		},
		Facilitators: []string{Facilitator},
	}
}

// Log is a forum's log holding at least one event of every kind, each
// event referring only to what the ones before it made. Times are whole
// milliseconds in UTC, as a log read back gives them.
//
// A phase that adds a kind of event adds an example of it here: the
// round-trip tests of every store fail for a kind that Log does not hold.
func Log() []session.Record {
	t0 := time.UnixMilli(1795000000000).UTC()
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	ada := session.Participant{ID: Ada, Name: "Ada", Sector: "Community", JoinedAt: at(0)}
	bob := session.Participant{ID: Bob, Name: "Bob", JoinedAt: at(1)}
	fac := session.Participant{ID: Facilitator, Name: "Fran", Sector: "Local government", JoinedAt: at(1)}
	renamed := ada
	renamed.Name = "Ada L"
	card1 := session.Card{ID: 1, Step: 1, Author: Ada, Credits: []string{Ada}, Text: "Meetings in working hours",
		Status: session.CardVisible, CreatedAt: at(5)}
	card2 := session.Card{ID: 2, Step: 1, Author: Bob, Credits: []string{Bob}, Text: "Meetings at work time",
		Status: session.CardVisible, CreatedAt: at(6), Anonymous: true}
	themed := card1
	themed.Theme, themed.EditedAt, themed.Text = 1, at(7), "Meetings only in working hours"
	merged2 := card2
	merged2.Status, merged2.MergedInto = session.CardMerged, 1
	into := themed
	into.Credits = []string{Ada, Bob}
	ballot := session.Ballot{ID: 1, Step: 2, Title: "Which matter most?", Dots: 5, MaxPerItem: 3, TopK: 2, Secret: true, OpenedAt: at(20),
		Items: []session.BallotItem{
			{ID: 1, Text: "Meetings only in working hours", Source: session.FromCard, Ref: 1},
			{ID: 2, Text: "Jargon", Source: session.FromText},
		}}
	scale := session.Scale{Labels: session.DefaultScale, Blocking: 5}
	atTable := session.Card{ID: 3, Step: 1, Author: Ada, Credits: []string{Ada}, Text: "Buses stop at six",
		Status: session.CardVisible, CreatedAt: at(12), Table: 1}
	brought := atTable
	brought.Brought = true

	events := []struct {
		actor string
		event session.Event
	}{
		{Ada, session.ParticipantNamed{Participant: ada}},
		{Bob, session.ParticipantNamed{Participant: bob}},
		{Facilitator, session.ParticipantNamed{Participant: fac}},
		{Ada, session.ParticipantNamed{Participant: renamed}},
		{Facilitator, session.StepMoved{From: 0, To: 1}},
		{Facilitator, session.TimerSet{Timer: session.Timer{EndsAt: at(600)}}},
		{session.AgendaActor, session.ThemeChanged{Change: "added", Theme: session.Theme{ID: 1, Name: "Access", Position: 1}}},
		{Facilitator, session.ThemeChanged{Change: "added", Theme: session.Theme{ID: 2, Name: "Money", Position: 2}}},
		{Facilitator, session.ThemeChanged{Change: "moved", Theme: session.Theme{ID: 2, Name: "Money", Position: 1}}},
		{Facilitator, session.ThemeChanged{Change: "moved", Theme: session.Theme{ID: 1, Name: "Access", Position: 2, Agreed: true}}},
		{Ada, session.CardChanged{Change: "added", Card: card1}},
		{Bob, session.CardChanged{Change: "added", Card: card2}},
		{Ada, session.CardChanged{Change: "edited", Card: themed}},
		{Facilitator, session.CardChanged{Change: "merged", Card: merged2}},
		{Facilitator, session.CardChanged{Change: "merged", Card: into}},
		{Ada, session.HandRaised{Hand: session.Hand{ID: Ada, RaisedAt: at(10)}}},
		{Bob, session.HandRaised{Hand: session.Hand{ID: Bob, RaisedAt: at(11)}}},
		{Facilitator, session.HandLowered{ID: Ada, Called: true}},
		{Bob, session.HandLowered{ID: Bob}},
		{Facilitator, session.TablesMade{Set: 1, How: "count", BySector: true, Tables: []session.Table{
			{ID: 1, Name: "Table 1", Set: 1, Members: []string{Ada}}, {ID: 2, Name: "Table 2", Set: 1, Members: []string{Bob}}}}},
		{Ada, session.TableReporterNamed{Table: 1, Reporter: Ada}},
		{Ada, session.CardChanged{Change: "added", Card: atTable}},
		{Ada, session.CardChanged{Change: "brought", Card: brought}},
		{Ada, session.HandRaised{Hand: session.Hand{ID: Ada, RaisedAt: at(13), Table: 1}}},
		{Facilitator, session.TableSeated{Person: Bob, Table: 1, From: 2}},
		{Ada, session.HandLowered{ID: Ada, Called: true, Table: 1}},
		{Facilitator, session.StepMoved{From: 1, To: 2}},
		{Facilitator, session.BallotOpened{Ballot: ballot}},
		{Ada, session.VoteCast{Ballot: 1, Voter: Ada, Dots: session.Allocation{{Item: 1, Dots: 3}, {Item: 2, Dots: 2}}}},
		{Bob, session.VoteCast{Ballot: 1, Voter: Bob, Dots: session.Allocation{{Item: 2, Dots: 1}}}},
		{Ada, session.VoteCast{Ballot: 1, Voter: Ada, Dots: session.Allocation{{Item: 1, Dots: 2}}}},
		{Facilitator, session.BallotClosed{Ballot: 1, At: at(30), Results: session.Results{Voters: 2, Dots: []int{2, 1},
			Sectors: []session.SectorTally{{Sector: "Community", Voters: 1, Dots: []int{2, 0}}, {Sector: "", Voters: 1, Dots: []int{0, 1}}}}}},
		{Facilitator, session.StepMoved{From: 2, To: 3}},
		{Facilitator, session.StatementProposed{Statement: session.Statement{ID: 1, Theme: 1, Position: 1, Proposer: Facilitator, CreatedAt: at(40)},
			Text: "Meet at varied times"}},
		{Facilitator, session.StatementProposed{Statement: session.Statement{ID: 2, Theme: 1, Position: 2, Proposer: Facilitator, CreatedAt: at(41)},
			Text: "Say less jargon"}},
		{Facilitator, session.StatementMoved{ID: 2, Theme: 2, Position: 1}},
		{Bob, session.CommentAdded{Comment: session.Comment{ID: 1, Statement: 1, Revision: 1, Author: Bob, Text: "Which times?", At: at(42)}}},
		{Ada, session.AmendmentProposed{Amendment: session.Amendment{ID: 1, Statement: 1, Base: 1, Author: Ada, Text: "Meet at varied times, some in the evening", At: at(43)}}},
		{Facilitator, session.CheckOpened{Check: session.Check{ID: 1, Statement: 1, Revision: 1, Scale: scale, OpenedBy: Facilitator, OpenedAt: at(44)}}},
		{Facilitator, session.AmendmentAccepted{Amendment: 1, Statement: 1, Revision: session.Revision{N: 2,
			Text: "Meet at varied times, some in the evening", Author: Ada, Amendment: 1, AcceptedBy: Facilitator, At: at(45)}}},
		{Facilitator, session.CheckOpened{Check: session.Check{ID: 2, Statement: 1, Revision: 2, Scale: scale, OpenedBy: Facilitator, OpenedAt: at(46)}}},
		{Ada, session.AgreementGiven{Check: 2, Participant: Ada, Level: 5, At: at(47)}},
		{Bob, session.AgreementGiven{Check: 2, Participant: Bob, Level: 2, At: at(48)}},
		{Ada, session.AgreementGiven{Check: 2, Participant: Ada, Level: 1, At: at(49)}},
		{Facilitator, session.CheckClosed{ID: 2, At: at(50)}},
		{Bob, session.AmendmentProposed{Amendment: session.Amendment{ID: 2, Statement: 1, Base: 2, Author: Bob, Text: "Meet at night", At: at(50)}}},
		{Facilitator, session.StatementRecorded{ID: 1, Outcome: session.Agreed, Revision: 2, Check: 2, By: Facilitator, At: at(51), Superseded: []int64{2}}},
		{Facilitator, session.StatementRecorded{ID: 2, Outcome: session.NotAgreed, Revision: 1, By: Facilitator, At: at(52)}},
		{Facilitator, session.StatementRecorded{ID: 2, Outcome: session.Open, By: Facilitator, At: at(53)}},
		{Facilitator, session.ActionAdded{Action: session.Action{ID: 1, Statement: 1, Text: "Publish a timetable", Owners: []string{"Council", "Library"}, By: Facilitator, At: at(54)}}},
		{Facilitator, session.ActionAdded{Action: session.Action{ID: 2, Statement: 1, Text: "Ask the bus company", Owners: []string{"Council"}, By: Facilitator, At: at(55)}}},
		{Facilitator, session.ActionRemoved{ID: 2}},
		{Facilitator, session.StepMoved{From: 3, To: 4}},
		{Bob, session.FeedbackGiven{FeedbackComment: session.FeedbackComment{ID: 1, Statement: 1, Revision: 2, Step: 4, Author: Bob, Text: "Say which evenings", At: at(60)}}},
		{Facilitator, session.StatementRevised{Statement: 1, Revision: session.Revision{N: 3, Text: "Meet at varied times, some on Tuesday evenings",
			Author: Facilitator, AcceptedBy: Facilitator, At: at(61), Reason: "feedback asked which evenings"}}},
		{Bob, session.CreditSet{Participant: Bob, On: true}},
		{Ada, session.CreditSet{Participant: Ada, On: true}},
		{Ada, session.CreditSet{Participant: Ada, On: false}},
		{Ada, session.SymbolsChosen{Participant: Ada, Symbols: session.SymbolsASCII}},
		{Facilitator, session.PollOpened{Poll: session.Poll{ID: 1, Step: 4, Question: "How useful was today?", Kind: session.PollScale,
			Points: 5, Labels: []string{"not at all", "very"}, Secret: true, Evaluation: true, OpenedAt: at(62)}}},
		{Ada, session.PollAnswered{Poll: 1, Person: Ada, Answer: &session.Answer{Point: 4}, At: at(63)}},
		{Bob, session.PollAnswered{Poll: 1, Person: Bob, Answer: &session.Answer{Point: 2}, At: at(64)}},
		{Bob, session.PollAnswered{Poll: 1, Person: Bob, At: at(65)}},
		{Facilitator, session.PollClosed{Poll: 1, At: at(66), Final: session.PollTally{Respondents: 1, Counts: []int{0, 0, 0, 1, 0},
			Sectors: []session.PollSectorTally{{Sector: "Community", Respondents: 1, Counts: []int{0, 0, 0, 1, 0}}}}}},
		{Facilitator, session.PollOpened{Poll: session.Poll{ID: 2, Step: 4, Question: "One word for today?", Kind: session.PollWords,
			Words: 3, OpenedAt: at(67)}}},
		{Ada, session.PollAnswered{Poll: 2, Person: Ada, Answer: &session.Answer{Text: "buses", N: 17}, At: at(68)}},
		{Facilitator, session.PollAnswerModerated{Poll: 2, N: 17, Hidden: true, Reason: "off topic"}},
		{Facilitator, session.TimerSet{}},
		{Facilitator, session.ForumArchived{Archived: true, At: at(70)}},
		{Facilitator, session.ForumArchived{Archived: false, At: at(71)}},
		{Ada, session.ModeChosen{Participant: Ada, Mode: session.ModeLine}},
		{Bob, session.QuietChosen{Participant: Bob, Quiet: true}},
		{Ada, session.LangChosen{Participant: Ada, Lang: "en-XA"}},
	}
	log := make([]session.Record, len(events))
	for i, e := range events {
		log[i] = session.Record{Seq: int64(i + 1), At: at(100 + i), Actor: e.actor, Event: e.event}
	}
	return log
}

// Kinds lists the kinds of event the records hold, each once, for telling
// which registered kinds a log leaves out.
func Kinds(records []session.Record) map[string]bool {
	kinds := map[string]bool{}
	for _, r := range records {
		kinds[r.Event.Kind()] = true
	}
	return kinds
}
