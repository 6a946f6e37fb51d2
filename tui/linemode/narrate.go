package linemode

import (
	"slices"
	"sync"
	"time"

	"moot/session"
)

// What line mode says is worked out from views, never from events: the
// forum as a person saw it last, against the forum as they see it now.
// Nothing a person may not see can be told, and nothing is lost when
// several changes reach them in one snapshot (snapshots are delivered
// latest-wins): three new cards in one snapshot are three sentences, in
// the order of their numbers.

// said is one thing line mode says (a sentence, or a few lines of one
// change), and who hears it.
type said struct {
	lines []string
	// move: the facilitator moved the forum on (a step, the timebox, a
	// ballot, a check, a record). Said even to a person who chose quiet.
	move bool
	// cards and statement are what it answers: said, even when quiet, to
	// whoever wrote one of the cards or proposed the statement; table, to
	// whoever sits at it.
	cards     []int64
	statement int64
	table     int64
	// yours: about the viewer alone (their seat, their answer). Said
	// even to a person who chose quiet.
	yours bool
}

// A change is one kind of change line mode tells: it compares how an
// audience saw the forum with how it sees it now and says what is new,
// in order. Telling a new kind of change (a poll, a table) is one more
// function in the list.
type change func(p printer, was, now *session.View, say func(said))

// changes are told in this order when several come in one snapshot: where
// the forum is first, then what happened within it.
var changes = []change{
	stepChanged,
	timeboxChanged,
	archivedChanged,
	themesChanged,
	cardsChanged,
	handsChanged,
	ballotsChanged,
	statementsChanged,
	feedbackChanged,
	tablesMade,
	broughtBackChanged,
	pollsChanged,
}

// ownChanges are about the viewer alone; they are worked out for each
// person, from their own views.
var ownChanges = []change{
	yourTabledStep,
	tableCardsChanged,
	yourTable,
	yourTurn,
	nextToSpeak,
	yourAnswers,
}

// narrate is what changed between two views of one audience.
func narrate(p printer, was, now *session.View) []said {
	var out []said
	say := func(s said) { out = append(out, s) }
	if was.Seq() == now.Seq() {
		// Only the clock moved (or who is connected).
		timeboxChanged(p, was, now, say)
		return out
	}
	for _, c := range changes {
		c(p, was, now, say)
	}
	return out
}

// narrateOwn is what changed for the viewer alone.
func narrateOwn(p printer, was, now *session.View) []said {
	var out []said
	if was.Seq() == now.Seq() {
		return nil
	}
	for _, c := range ownChanges {
		c(p, was, now, func(s said) { out = append(out, s) })
	}
	return out
}

// Narrator tells one forum's changes to its line sessions. What it says to
// an audience (participants, facilitators) in one language is the same
// for everyone in it, so it is worked out once for each pair of snapshots,
// audience and language, and shared: a room of people in line mode costs one narration per snapshot,
// not one each.
type Narrator struct {
	mu     sync.Mutex
	recent []*narration // the latest first
}

// narrations kept: enough for every audience of the last few deliveries,
// which is where nearly everyone's last snapshot is.
const narrations = 16

type narration struct {
	from, to *session.Snapshot
	audience session.Audience
	lang     string
	once     sync.Once
	said     []said
}

// NewNarrator makes the narrator of one forum.
func NewNarrator() *Narrator { return &Narrator{} }

// shared is what changed between two snapshots, as audience a sees them,
// in p's language.
func (n *Narrator) shared(p printer, from, to *session.Snapshot, a session.Audience) []said {
	n.mu.Lock()
	var e *narration
	for _, r := range n.recent {
		if r.from == from && r.to == to && r.audience == a && r.lang == p.Lang() {
			e = r
			break
		}
	}
	if e == nil {
		e = &narration{from: from, to: to, audience: a, lang: p.Lang()}
		n.recent = slices.Insert(n.recent, 0, e)
		if len(n.recent) > narrations {
			n.recent[narrations] = nil
			n.recent = n.recent[:narrations]
		}
	}
	n.mu.Unlock()
	e.once.Do(func() { e.said = narrate(p, from.ViewAs(a), to.ViewAs(a)) })
	return e.said
}

// Where the forum is.

func stepChanged(p printer, was, now *session.View, say func(said)) {
	if was.Step() != now.Step() {
		say(said{lines: where(p, now), move: true})
	}
}

// where says the step the forum is on, its prompt and what a person can
// do on it.
func where(p printer, v *session.View) []string {
	steps := len(v.Forum().Steps)
	switch v.Stage() {
	case session.Lobby:
		return []string{sayLobby(p, steps)}
	case session.Closed:
		return []string{sayClosed(p)}
	}
	st := v.CurrentStep()
	lines := []string{sayStep(p, v.Step(), steps, st.Title, st.Phase)}
	if p := sayPrompt(st.Prompt); p != "" {
		lines = append(lines, p)
	}
	if hint := sayPhaseHint(p, st.Phase, v.Forum().ParticipantsPropose || v.Facilitator()); hint != "" {
		lines = append(lines, hint)
	}
	return lines
}

// timeMarks are the times left at which a running timebox is told, the
// smallest first; besides, its start, a change and time up. Never more:
// a screen reader that spoke every second would drown the forum out.
var timeMarks = []time.Duration{time.Minute, 5 * time.Minute}

func timeboxChanged(p printer, was, now *session.View, say func(said)) {
	wt, nt := was.Timer(), now.Timer()
	left := nt.Remaining(now.Now())
	switch {
	case was.Step() != now.Step():
		// A step begins with no timebox; one started with it is told.
		if nt.Running() {
			say(said{lines: []string{sayTimeboxStarted(p, left)}, move: true})
		}
	case !nt.Running():
		if wt.Running() {
			say(said{lines: []string{sayTimeboxStopped(p)}, move: true})
		}
	case !wt.Running():
		say(said{lines: []string{sayTimeboxStarted(p, left)}, move: true})
	case !wt.EndsAt.Equal(nt.EndsAt):
		say(said{lines: []string{sayTimeboxChanged(p, left)}, move: true})
	default:
		before := wt.Remaining(was.Now())
		if before > 0 && left <= 0 {
			lines := []string{sayTimeUp(p)}
			if now.Facilitator() {
				lines = append(lines, sayHowToExtend(p))
			}
			say(said{lines: lines, move: true})
			return
		}
		// When several marks passed between two snapshots, only the
		// last one passed is still true.
		for _, mark := range timeMarks {
			if before > mark && left <= mark {
				say(said{lines: []string{sayTimeLeft(p, mark)}, move: true})
				return
			}
		}
	}
}

func archivedChanged(p printer, was, now *session.View, say func(said)) {
	if was.Archived() != now.Archived() {
		say(said{lines: []string{sayArchived(p, now.Archived())}, move: true})
	}
}

// Themes and cards.

func themesChanged(p printer, was, now *session.View, say func(said)) {
	before := map[int64]session.ThemeView{}
	for _, t := range was.Themes() {
		before[t.ID] = t
	}
	for _, t := range now.Themes() {
		old, ok := before[t.ID]
		switch {
		case !ok:
			say(said{lines: []string{sayTheme(p, t.Name)}, move: true})
		case old.Name != t.Name:
			say(said{lines: []string{sayThemeRenamed(p, old.Name, t.Name)}, move: true})
		}
		if t.Agreed && !old.Agreed || ok && old.Agreed && !t.Agreed {
			say(said{lines: []string{sayThemeAgreed(p, t.Name, t.Agreed)}, move: true})
		}
	}
}

// cardsOf is every card the view holds, by number, and the highest
// number.
func cardsOf(v *session.View) (map[int64]*session.CardView, int64) {
	out := map[int64]*session.CardView{}
	var top int64
	for step := 1; step <= len(v.Forum().Steps); step++ {
		for _, list := range [][]*session.CardView{v.StepCards(step), v.HiddenCards(step)} {
			for _, c := range list {
				out[c.ID] = c
				top = max(top, c.ID)
			}
		}
	}
	return out, top
}

func cardsChanged(p printer, was, now *session.View, say func(said)) {
	before, top := cardsOf(was)
	after, _ := cardsOf(now)
	tellCards(p, before, after, top, say)
}

// tellCards says what changed between two sets of cards by number; top is
// the highest number of a card the person could see before, so that a
// card above it is new, and one below it that comes is back.
func tellCards(p printer, before, after map[int64]*session.CardView, top int64, say func(said)) {
	ids := make([]int64, 0, len(after))
	for id := range after {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Themed together (one command themes several cards): one sentence
	// for each theme.
	var themed []int64
	themes := map[int64][]int64{}
	var merged []int64 // taken into another card, not taken down
	for _, id := range ids {
		c, old := after[id], before[id]
		switch {
		case old == nil && id > top:
			say(said{lines: []string{sayCard(p, c.ID, c.Author, c.Anonymous, c.Text)}})
			// What happened to it since it was posted is told as for any
			// card: as posted, it had no theme and was shown.
			old = &session.CardView{ID: id, Text: c.Text, Status: session.CardVisible, MergedFrom: []int64{}}
			if c.Status == session.CardHidden {
				say(said{lines: []string{sayCardHidden(p, c.ID, c.Reason)}, cards: []int64{id}})
				old.Status = c.Status
			}
		case old == nil || old.Status == session.CardHidden && c.Status != session.CardHidden:
			say(said{lines: []string{sayCardBack(p, c.ID, c.Text)}, cards: []int64{id}})
			continue
		case c.Status == session.CardHidden && old.Status != session.CardHidden:
			say(said{lines: []string{sayCardHidden(p, c.ID, c.Reason)}, cards: []int64{id}})
		}
		if c.Text != old.Text {
			say(said{lines: []string{sayCardEdited(p, c.ID, c.Text)}, cards: []int64{id}})
		}
		if themeID(c) != themeID(old) {
			if _, ok := themes[themeID(c)]; !ok {
				themed = append(themed, themeID(c))
			}
			themes[themeID(c)] = append(themes[themeID(c)], id)
		}
		if c.Parked != old.Parked {
			say(said{lines: []string{sayCardParked(p, c.ID, c.Parked)}, cards: []int64{id}})
		}
		var from []int64
		for _, m := range c.MergedFrom {
			if !slices.Contains(old.MergedFrom, m) {
				from = append(from, m)
			}
		}
		if len(from) > 0 {
			merged = append(merged, from...)
			say(said{lines: []string{sayCardsMerged(p, from, c.ID)}, cards: append(slices.Clone(from), c.ID)})
		}
	}
	for _, t := range themed {
		name := ""
		if c := after[themes[t][0]]; c.Theme != nil {
			name = c.Theme.Name
		}
		say(said{lines: []string{sayCardsThemed(p, themes[t], name)}, cards: themes[t]})
	}
	var gone []int64
	for id := range before {
		if after[id] == nil && !slices.Contains(merged, id) {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		say(said{lines: []string{sayCardRemoved(p, id)}, cards: []int64{id}})
	}
}

func themeID(c *session.CardView) int64 {
	if c.Theme == nil {
		return 0
	}
	return c.Theme.ID
}

// Hands and the floor.

func handsChanged(p printer, was, now *session.View, say func(said)) {
	if s := now.Speaker(); s != "" && s != was.Speaker() {
		say(said{lines: []string{sayFloor(p, s)}, move: true})
	}
	type hand struct {
		name string
		at   time.Time
	}
	up := map[hand]bool{}
	for _, h := range was.Hands() {
		up[hand{h.Name, h.RaisedAt}] = true
	}
	hands := now.Hands()
	for _, h := range hands {
		if !up[hand{h.Name, h.RaisedAt}] {
			say(said{lines: []string{sayHandRaised(p, h.Name, len(hands))}})
		}
	}
}

func yourTurn(p printer, was, now *session.View, say func(said)) {
	if now.HasFloor() && !was.HasFloor() {
		say(said{lines: []string{sayYourTurn(p)}, move: true})
	}
}

func nextToSpeak(p printer, was, now *session.View, say func(said)) {
	if now.MyHand() == 1 && was.MyHand() > 1 {
		say(said{lines: []string{sayYouAreNext(p)}, move: true})
	}
}

// Ballots.

func ballotsChanged(p printer, was, now *session.View, say func(said)) {
	for _, b := range now.Ballots() {
		old, seen := was.FindBallot(b.ID)
		if !seen {
			say(said{lines: ballotOpened(p, b), move: true})
		}
		if !b.Open() && (!seen || old.Open()) {
			say(said{lines: ballotClosed(p, b), move: true})
		}
	}
}

func ballotOpened(p printer, b *session.BallotView) []string {
	lines := []string{sayBallotOpen(p, b.ID, b.Title, len(b.Items), b.Dots, b.MaxPerItem, b.Secret)}
	for _, it := range b.Items {
		lines = append(lines, sayBallotItem(p, it.ID, it.Text, 0))
	}
	return append(lines, sayHowToVote(p, b.ID))
}

func ballotClosed(p printer, b *session.BallotView) []string {
	lines := []string{sayBallotClosed(p, b.ID, b.Title)}
	r := b.Results
	if r == nil {
		return append(lines, sayWithheld(p, b.Why))
	}
	lines = append(lines, sayBallotVoters(p, r.Voters, r.TotalDots))
	var none []int
	for _, it := range r.Items {
		if it.Dots == 0 {
			none = append(none, it.ID)
			continue
		}
		lines = append(lines, sayRanked(p, it.Rank, it.Tied, it.Dots, it.Text, it.Top))
	}
	if len(none) > 0 {
		slices.Sort(none)
		lines = append(lines, sayNoDots(p, none))
	}
	return lines
}

// Statements, their checks and the draft report.

func statementsChanged(p printer, was, now *session.View, say func(said)) {
	for _, s := range now.Statements() {
		old, seen := was.FindStatement(s.ID)
		if !seen {
			say(said{lines: []string{sayStatement(p, s.ID, s.Proposer, themeName(s.Theme), s.Text)}})
			old = &session.StatementView{ID: s.ID, Theme: s.Theme, Revision: s.Revision, Status: "open"}
		}
		statementChanged(p, now, old, s, say)
	}
}

// statementChanged says what changed on one statement: what was said
// about it and its new wording in the order they came, then its check,
// its record and its actions, in the order a statement's life goes.
func statementChanged(p printer, now *session.View, old, s *session.StatementView, say func(said)) {
	about := func(lines ...string) said { return said{lines: lines, statement: s.ID} }
	type timed struct {
		at time.Time
		said
	}
	var words []timed
	if s.Revision != old.Revision {
		at := time.Time{}
		if d, ok := now.Detail(s.ID); ok && len(d.Revisions) > 0 {
			at = d.Revisions[len(d.Revisions)-1].At
		}
		if len(s.RevisedAfter) > len(old.RevisedAfter) {
			r := s.RevisedAfter[len(s.RevisedAfter)-1]
			words = append(words, timed{at, said{lines: []string{sayRevisedAfter(p, s.ID, s.Text, r.Reason)}, move: true, statement: s.ID}})
		} else {
			words = append(words, timed{at, about(sayStatementReads(p, s.ID, s.Text))})
		}
	}
	pending := map[int64]bool{}
	for _, a := range old.Pending {
		pending[a.ID] = true
	}
	for _, a := range s.Pending {
		if !pending[a.ID] {
			words = append(words, timed{a.At, about(sayAmendment(p, a.ID, s.ID, a.Author, a.Text))})
		}
	}
	if s.Comments > old.Comments {
		if d, ok := now.Detail(s.ID); ok {
			for _, c := range d.Comments[min(old.Comments, len(d.Comments)):] {
				words = append(words, timed{c.At, about(sayComment(p, s.ID, c.Author, c.Text))})
			}
		}
	}
	slices.SortStableFunc(words, func(a, b timed) int { return a.at.Compare(b.at) })
	for _, w := range words {
		say(w.said)
	}
	if themeName(s.Theme) != themeName(old.Theme) {
		say(about(sayStatementMoved(p, s.ID, themeName(s.Theme))))
	}
	checkChanged(p, now, old, s, say)
	if s.Status != old.Status {
		say(said{lines: []string{sayRecorded(p, s.ID, s.Status)}, move: true, statement: s.ID})
	}
	actions := map[int64]bool{}
	for _, a := range s.Actions {
		actions[a.ID] = true
	}
	had := map[int64]bool{}
	for _, a := range old.Actions {
		had[a.ID] = true
		if !actions[a.ID] {
			say(said{lines: []string{sayActionRemoved(p, s.ID, a.Text)}, move: true, statement: s.ID})
		}
	}
	for _, a := range s.Actions {
		if !had[a.ID] {
			say(said{lines: []string{sayAction(p, s.ID, a.Text, a.Owners)}, move: true, statement: s.ID})
		}
	}
}

func checkChanged(p printer, now *session.View, old, s *session.StatementView, say func(said)) {
	move := func(lines ...string) said { return said{lines: lines, move: true, statement: s.ID} }
	if c := old.Check; c != nil && (s.Check == nil || s.Check.ID != c.ID) {
		if closed, ok := now.FindCheck(c.ID); ok {
			say(move(checkClosed(p, s.ID, closed)...))
		}
	}
	switch c := s.Check; {
	case c == nil:
	case old.Check == nil || old.Check.ID != c.ID:
		say(move(sayCheckOpen(p, s.ID, s.Text), sayHowToAgree(p, s.ID, c.Scale())))
	case c.Blocked && !old.Check.Blocked:
		say(move(sayBlock(p, s.ID, c.Blockers)))
	}
}

func checkClosed(p printer, statement int64, c *session.CheckView) []string {
	lines := []string{sayCheckClosed(p, statement, c.Responded, c.Blocked)}
	switch {
	case !c.Why.IsZero():
		lines = append(lines, sayWithheld(p, c.Why))
	case len(c.Levels) > 0:
		lines = append(lines, saySpread(p, c.Levels))
	}
	return lines
}

func themeName(t *session.ThemeRef) string {
	if t == nil {
		return ""
	}
	return t.Name
}

func feedbackChanged(p printer, was, now *session.View, say func(said)) {
	all := now.Feedback()
	for _, f := range all[min(len(was.Feedback()), len(all)):] {
		say(said{lines: []string{sayFeedback(p, f.Statement, f.Author, f.Text)}, statement: f.Statement})
	}
}

// Tables.

// tablesMade tells that the room was split into tables, a facilitator's
// move; where each person sits is theirs (yourTable).
func tablesMade(p printer, was, now *session.View, say func(said)) {
	tables := now.CurrentTables()
	if len(tables) > 0 && (len(was.CurrentTables()) == 0 || was.CurrentTables()[0].Set != tables[0].Set) {
		say(said{lines: []string{sayTablesMade(p, len(tables))}, move: true})
	}
}

// seat is the table a person sits at as they see it; ok is false when
// they sit at none.
func seat(v *session.View) (t session.TableView, ok bool) {
	mine := v.MyTable()
	if mine == nil {
		return session.TableView{}, false
	}
	return v.Table(mine), true
}

// othersAt are the names of the people at a table the view names, less
// the viewer's own.
func othersAt(v *session.View, t session.TableView) []string {
	me, _ := v.Me()
	var out []string
	for _, name := range t.Members {
		if name != me.Name {
			out = append(out, name)
		}
	}
	return out
}

// yourTable tells a person where they sit when the room is split, when
// they are moved or seated late, and, at the same table, who comes and
// goes and who reports for it.
func yourTable(p printer, was, now *session.View, say func(said)) {
	old, sat := seat(was)
	t, sits := seat(now)
	switch {
	case !sits:
		if sat {
			say(said{lines: []string{sayUnseated(p, old.Name)}, yours: true})
		}
		return
	case !sat || old.Set != t.Set:
		say(said{lines: seated(p, now, t, false), yours: true})
		return
	case old.ID != t.ID:
		say(said{lines: seated(p, now, t, true), yours: true})
		return
	}
	for _, name := range old.Members {
		if !slices.Contains(t.Members, name) {
			say(said{lines: []string{sayLeftTable(p, name)}, table: t.ID})
		}
	}
	for _, name := range t.Members {
		if !slices.Contains(old.Members, name) {
			say(said{lines: []string{sayJoinedTable(p, name)}, table: t.ID})
		}
	}
	if old.Reporter != t.Reporter || old.HasReporter != t.HasReporter || old.Reporting != t.Reporting {
		say(said{lines: []string{sayReporter(p, t.Reporter, t.HasReporter, t.Reporting)}, yours: true})
	}
}

// seated says where a person sits: the table, who else is there (as the
// view names them), its reporter.
func seated(p printer, v *session.View, t session.TableView, moved bool) []string {
	return []string{sayYourTable(p, t.Name, othersAt(v, t), moved), sayReporter(p, t.Reporter, t.HasReporter, t.Reporting)}
}

// yourTabledStep tells a person who sits at a table that the step now
// begun is worked on at tables.
func yourTabledStep(p printer, was, now *session.View, say func(said)) {
	if was.Step() == now.Step() || now.Stage() != session.Running || !now.Tabled(now.Step()) {
		return
	}
	if t, ok := seat(now); ok {
		say(said{lines: []string{sayTabledStep(p, t.Name)}, yours: true})
	}
}

// tableCards are the cards written at the tables a person sat at, on a
// step at tables, by number: the shared narration has the room's.
func tableCards(v *session.View, sees func(int64) bool) (map[int64]*session.CardView, int64) {
	out := map[int64]*session.CardView{}
	var top int64
	for step := 1; step <= len(v.Forum().Steps); step++ {
		if !v.Tabled(step) {
			continue
		}
		for _, c := range v.StepCards(step) {
			if c.Table != nil && sees(c.Table.ID) {
				out[c.ID] = c
				top = max(top, c.ID)
			}
		}
	}
	return out, top
}

// tableCardsChanged tells a participant the cards of their own table, on
// a step at tables, as the views give them: only of the tables they could
// read before and can read now, so that a move to another table does not
// tell its cards as if they were new. A facilitator hears every table's
// with the room's.
func tableCardsChanged(p printer, was, now *session.View, say func(said)) {
	if now.Facilitator() || now.Viewer() == "" {
		return
	}
	if now.MyTable() == nil && was.MyTable() == nil {
		return // seated at no table, now or before: nothing of a table's to tell
	}
	both := func(id int64) bool { return was.SeesTable(id) && now.SeesTable(id) }
	before, top := tableCards(was, both)
	after, _ := tableCards(now, both)
	if len(before) == 0 && len(after) == 0 {
		return
	}
	_, roomTop := cardsOf(was)
	t, _ := seat(now)
	tellCards(p, before, after, max(top, roomTop), func(s said) {
		s.table = t.ID
		say(s)
	})
}

// broughtBackChanged tells what the tables brought back to the room, and
// what they took back: everyone's to hear.
func broughtBackChanged(p printer, was, now *session.View, say func(said)) {
	for step := 1; step <= len(now.Forum().Steps); step++ {
		if !now.Tabled(step) {
			continue
		}
		before := map[int64]bool{}
		for _, tc := range was.BroughtBack(step) {
			for _, c := range tc.Cards {
				before[c.ID] = true
			}
		}
		after := map[int64]bool{}
		for _, tc := range now.BroughtBack(step) {
			for _, c := range tc.Cards {
				after[c.ID] = true
				if !before[c.ID] {
					say(said{lines: []string{sayBroughtBack(p, tc.Table.Name, c.ID, c.Text)}, cards: []int64{c.ID}, table: tc.Table.ID})
				}
			}
		}
		for _, tc := range was.BroughtBack(step) {
			for _, c := range tc.Cards {
				if _, still := now.FindCard(c.ID); still && !after[c.ID] {
					say(said{lines: []string{sayTakenBack(p, tc.Table.Name, c.ID)}, cards: []int64{c.ID}, table: tc.Table.ID})
				}
			}
		}
	}
}

// Polls.

func pollsChanged(p printer, was, now *session.View, say func(said)) {
	for _, poll := range now.Polls() {
		old, seen := was.FindPoll(poll.ID)
		if !seen {
			say(said{lines: pollOpened(p, poll), move: true})
		}
		if !poll.Open() && (!seen || old.Open()) {
			say(said{lines: pollClosed(p, poll), move: true})
		}
	}
}

// pollOpened says a poll's question, how it is answered and how to
// answer it by a line.
func pollOpened(p printer, poll *session.PollView) []string {
	lines := []string{sayPollOpen(p, poll.ID, poll.Question)}
	switch poll.Kind {
	case session.PollScale:
		lines = append(lines, sayPollScale(p, poll.Points, poll.Labels, poll.Secret))
	case session.PollChoice, session.PollMultiple:
		most := 1
		if poll.Kind == session.PollMultiple {
			most = poll.Max
		}
		lines = append(lines, sayPollChoices(p, poll.Options, most, poll.Secret))
	case session.PollWords:
		lines = append(lines, sayPollWords(p, poll.Words, poll.Secret))
	default:
		lines = append(lines, sayPollOpenAnswer(p, poll.Secret))
	}
	return append(lines, sayHowToAnswer(p, poll.ID, poll.Kind))
}

// pollClosed says a poll's results as sentences, or why there are none.
func pollClosed(p printer, poll *session.PollView) []string {
	lines := []string{sayPollClosed(p, poll.ID, poll.Question)}
	return append(lines, pollResults(p, poll)...)
}

// pollResults are a poll's results as sentences: how many answered, then
// the counts (a scale's mean and spread), the words used most, or how to
// hear the answers.
func pollResults(p printer, poll *session.PollView) []string {
	r := poll.Results
	if r == nil {
		return []string{sayWithheld(p, poll.Why)}
	}
	lines := []string{sayAnswered(p, r.Respondents)}
	if r.Respondents == 0 {
		return lines
	}
	switch {
	case poll.Counted():
		lines = append(lines, sayPollCounts(p, poll.Kind, r.Counts))
		if r.Mean != nil && r.Spread != nil {
			lines = append(lines, sayMeanSpread(p, *r.Mean, *r.Spread))
		}
	case poll.Kind == session.PollWords && len(r.Words) > 0:
		lines = append(lines, sayTopWords(p, r.Words[:min(len(r.Words), topWords)]))
	}
	if !poll.Counted() {
		lines = append(lines, sayHearAnswers(p, poll.ID))
	}
	return lines
}

// topWords is how many of a words poll's words and phrases are told when
// it closes; poll results tells them all.
const topWords = 5

// yourAnswers tells a person their own answer once it is saved, changed
// or taken back.
func yourAnswers(p printer, was, now *session.View, say func(said)) {
	for _, poll := range now.Polls() {
		old, mine := was.MyAnswer(poll.ID), now.MyAnswer(poll.ID)
		switch {
		case mine == nil && old != nil:
			say(said{lines: []string{sayAnswerTakenBack(p, poll.ID)}, yours: true})
		case mine == nil:
		case old == nil || !sameAnswer(old, mine):
			say(said{lines: []string{sayYourAnswer(p, poll.ID, answerWords(p, poll, mine))}, yours: true})
		}
	}
}

func sameAnswer(a, b *session.AnswerView) bool {
	return a.Point == b.Point && slices.Equal(a.Choices, b.Choices) && a.Text == b.Text
}

// answerWords says an answer: a point with its label, the options
// chosen, or the words given.
func answerWords(p printer, poll *session.PollView, a *session.AnswerView) string {
	choices := poll.Choices()
	label := func(n int) string {
		if n >= 1 && n <= len(choices) {
			return choices[n-1]
		}
		return ""
	}
	switch {
	case a.Point > 0:
		return sayChoice(p, a.Point, label(a.Point))
	case len(a.Choices) > 0:
		parts := make([]string, len(a.Choices))
		for i, c := range a.Choices {
			parts[i] = sayChoice(p, c, label(c))
		}
		return p.List(parts)
	}
	return a.Text
}
