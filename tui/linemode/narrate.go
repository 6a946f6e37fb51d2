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
	// whoever wrote one of the cards or proposed the statement.
	cards     []int64
	statement int64
}

// A change is one kind of change line mode tells: it compares how an
// audience saw the forum with how it sees it now and says what is new,
// in order. Telling a new kind of change (a poll, a table) is one more
// function in the list.
type change func(was, now *session.View, say func(said))

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
}

// ownChanges are about the viewer alone; they are worked out for each
// person, from their own views.
var ownChanges = []change{
	yourTurn,
	nextToSpeak,
}

// narrate is what changed between two views of one audience.
func narrate(was, now *session.View) []said {
	var out []said
	say := func(s said) { out = append(out, s) }
	if was.Seq() == now.Seq() {
		// Only the clock moved (or who is connected).
		timeboxChanged(was, now, say)
		return out
	}
	for _, c := range changes {
		c(was, now, say)
	}
	return out
}

// narrateOwn is what changed for the viewer alone.
func narrateOwn(was, now *session.View) []said {
	var out []said
	if was.Seq() == now.Seq() {
		return nil
	}
	for _, c := range ownChanges {
		c(was, now, func(s said) { out = append(out, s) })
	}
	return out
}

// Narrator tells one forum's changes to its line sessions. What it says to
// an audience (participants, facilitators) is the same for everyone in it,
// so it is worked out once for each pair of snapshots and audience, and
// shared: a room of people in line mode costs one narration per snapshot,
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
	once     sync.Once
	said     []said
}

// NewNarrator makes the narrator of one forum.
func NewNarrator() *Narrator { return &Narrator{} }

// shared is what changed between two snapshots, as audience a sees them.
func (n *Narrator) shared(from, to *session.Snapshot, a session.Audience) []said {
	n.mu.Lock()
	var e *narration
	for _, r := range n.recent {
		if r.from == from && r.to == to && r.audience == a {
			e = r
			break
		}
	}
	if e == nil {
		e = &narration{from: from, to: to, audience: a}
		n.recent = slices.Insert(n.recent, 0, e)
		if len(n.recent) > narrations {
			n.recent[narrations] = nil
			n.recent = n.recent[:narrations]
		}
	}
	n.mu.Unlock()
	e.once.Do(func() { e.said = narrate(from.ViewAs(a), to.ViewAs(a)) })
	return e.said
}

// Where the forum is.

func stepChanged(was, now *session.View, say func(said)) {
	if was.Step() != now.Step() {
		say(said{lines: where(now), move: true})
	}
}

// where says the step the forum is on, its prompt and what a person can
// do on it.
func where(v *session.View) []string {
	steps := len(v.Forum().Steps)
	switch v.Stage() {
	case session.Lobby:
		return []string{sayLobby(steps)}
	case session.Closed:
		return []string{sayClosed()}
	}
	st := v.CurrentStep()
	lines := []string{sayStep(v.Step(), steps, st.Title, st.Phase)}
	if p := sayPrompt(st.Prompt); p != "" {
		lines = append(lines, p)
	}
	if hint := sayPhaseHint(st.Phase, v.Forum().ParticipantsPropose || v.Facilitator()); hint != "" {
		lines = append(lines, hint)
	}
	return lines
}

// timeMarks are the times left at which a running timebox is told, the
// smallest first; besides, its start, a change and time up. Never more:
// a screen reader that spoke every second would drown the forum out.
var timeMarks = []time.Duration{time.Minute, 5 * time.Minute}

func timeboxChanged(was, now *session.View, say func(said)) {
	wt, nt := was.Timer(), now.Timer()
	left := nt.Remaining(now.Now())
	switch {
	case was.Step() != now.Step():
		// A step begins with no timebox; one started with it is told.
		if nt.Running() {
			say(said{lines: []string{sayTimeboxStarted(left)}, move: true})
		}
	case !nt.Running():
		if wt.Running() {
			say(said{lines: []string{sayTimeboxStopped()}, move: true})
		}
	case !wt.Running():
		say(said{lines: []string{sayTimeboxStarted(left)}, move: true})
	case !wt.EndsAt.Equal(nt.EndsAt):
		say(said{lines: []string{sayTimeboxChanged(left)}, move: true})
	default:
		before := wt.Remaining(was.Now())
		if before > 0 && left <= 0 {
			lines := []string{sayTimeUp()}
			if now.Facilitator() {
				lines = append(lines, sayHowToExtend())
			}
			say(said{lines: lines, move: true})
			return
		}
		// When several marks passed between two snapshots, only the
		// last one passed is still true.
		for _, mark := range timeMarks {
			if before > mark && left <= mark {
				say(said{lines: []string{sayTimeLeft(mark)}, move: true})
				return
			}
		}
	}
}

func archivedChanged(was, now *session.View, say func(said)) {
	if was.Archived() != now.Archived() {
		say(said{lines: []string{sayArchived(now.Archived())}, move: true})
	}
}

// Themes and cards.

func themesChanged(was, now *session.View, say func(said)) {
	before := map[int64]session.ThemeView{}
	for _, t := range was.Themes() {
		before[t.ID] = t
	}
	for _, t := range now.Themes() {
		old, ok := before[t.ID]
		switch {
		case !ok:
			say(said{lines: []string{sayTheme(t.Name)}, move: true})
		case old.Name != t.Name:
			say(said{lines: []string{sayThemeRenamed(old.Name, t.Name)}, move: true})
		}
		if t.Agreed && !old.Agreed || ok && old.Agreed && !t.Agreed {
			say(said{lines: []string{sayThemeAgreed(t.Name, t.Agreed)}, move: true})
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

func cardsChanged(was, now *session.View, say func(said)) {
	before, top := cardsOf(was)
	after, _ := cardsOf(now)
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
			say(said{lines: []string{sayCard(c.ID, c.Author, c.Anonymous, c.Text)}})
			// What happened to it since it was posted is told as for any
			// card: as posted, it had no theme and was shown.
			old = &session.CardView{ID: id, Text: c.Text, Status: session.CardVisible, MergedFrom: []int64{}}
			if c.Status == session.CardHidden {
				say(said{lines: []string{sayCardHidden(c.ID, c.Reason)}, cards: []int64{id}})
				old.Status = c.Status
			}
		case old == nil || old.Status == session.CardHidden && c.Status != session.CardHidden:
			say(said{lines: []string{sayCardBack(c.ID, c.Text)}, cards: []int64{id}})
			continue
		case c.Status == session.CardHidden && old.Status != session.CardHidden:
			say(said{lines: []string{sayCardHidden(c.ID, c.Reason)}, cards: []int64{id}})
		}
		if c.Text != old.Text {
			say(said{lines: []string{sayCardEdited(c.ID, c.Text)}, cards: []int64{id}})
		}
		if themeID(c) != themeID(old) {
			if _, ok := themes[themeID(c)]; !ok {
				themed = append(themed, themeID(c))
			}
			themes[themeID(c)] = append(themes[themeID(c)], id)
		}
		if c.Parked != old.Parked {
			say(said{lines: []string{sayCardParked(c.ID, c.Parked)}, cards: []int64{id}})
		}
		var from []int64
		for _, m := range c.MergedFrom {
			if !slices.Contains(old.MergedFrom, m) {
				from = append(from, m)
			}
		}
		if len(from) > 0 {
			merged = append(merged, from...)
			say(said{lines: []string{sayCardsMerged(from, c.ID)}, cards: append(slices.Clone(from), c.ID)})
		}
	}
	for _, t := range themed {
		name := ""
		if c := after[themes[t][0]]; c.Theme != nil {
			name = c.Theme.Name
		}
		say(said{lines: []string{sayCardsThemed(themes[t], name)}, cards: themes[t]})
	}
	var gone []int64
	for id := range before {
		if after[id] == nil && !slices.Contains(merged, id) {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		say(said{lines: []string{sayCardRemoved(id)}, cards: []int64{id}})
	}
}

func themeID(c *session.CardView) int64 {
	if c.Theme == nil {
		return 0
	}
	return c.Theme.ID
}

// Hands and the floor.

func handsChanged(was, now *session.View, say func(said)) {
	if s := now.Speaker(); s != "" && s != was.Speaker() {
		say(said{lines: []string{sayFloor(s)}, move: true})
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
			say(said{lines: []string{sayHandRaised(h.Name, len(hands))}})
		}
	}
}

func yourTurn(was, now *session.View, say func(said)) {
	if now.HasFloor() && !was.HasFloor() {
		say(said{lines: []string{sayYourTurn()}, move: true})
	}
}

func nextToSpeak(was, now *session.View, say func(said)) {
	if now.MyHand() == 1 && was.MyHand() > 1 {
		say(said{lines: []string{sayYouAreNext()}, move: true})
	}
}

// Ballots.

func ballotsChanged(was, now *session.View, say func(said)) {
	for _, b := range now.Ballots() {
		old, seen := was.FindBallot(b.ID)
		if !seen {
			say(said{lines: ballotOpened(b), move: true})
		}
		if !b.Open() && (!seen || old.Open()) {
			say(said{lines: ballotClosed(b), move: true})
		}
	}
}

func ballotOpened(b *session.BallotView) []string {
	lines := []string{sayBallotOpen(b.ID, b.Title, len(b.Items), b.Dots, b.MaxPerItem, b.Secret)}
	for _, it := range b.Items {
		lines = append(lines, sayBallotItem(it.ID, it.Text, 0))
	}
	return append(lines, sayHowToVote(b.ID))
}

func ballotClosed(b *session.BallotView) []string {
	lines := []string{sayBallotClosed(b.ID, b.Title)}
	r := b.Results
	if r == nil {
		return append(lines, sayWithheld(b.Withheld))
	}
	lines = append(lines, sayBallotVoters(r.Voters, r.TotalDots))
	var none []int
	for _, it := range r.Items {
		if it.Dots == 0 {
			none = append(none, it.ID)
			continue
		}
		lines = append(lines, sayRanked(it.Rank, it.Tied, it.Dots, it.Text, it.Top))
	}
	if len(none) > 0 {
		slices.Sort(none)
		lines = append(lines, sayNoDots(none))
	}
	return lines
}

// Statements, their checks and the draft report.

func statementsChanged(was, now *session.View, say func(said)) {
	for _, s := range now.Statements() {
		old, seen := was.FindStatement(s.ID)
		if !seen {
			say(said{lines: []string{sayStatement(s.ID, s.Proposer, themeName(s.Theme), s.Text)}})
			old = &session.StatementView{ID: s.ID, Theme: s.Theme, Revision: s.Revision, Status: "open"}
		}
		statementChanged(now, old, s, say)
	}
}

// statementChanged says what changed on one statement: what was said
// about it and its new wording in the order they came, then its check,
// its record and its actions, in the order a statement's life goes.
func statementChanged(now *session.View, old, s *session.StatementView, say func(said)) {
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
			words = append(words, timed{at, said{lines: []string{sayRevisedAfter(s.ID, s.Text, r.Reason)}, move: true, statement: s.ID}})
		} else {
			words = append(words, timed{at, about(sayStatementReads(s.ID, s.Text))})
		}
	}
	pending := map[int64]bool{}
	for _, a := range old.Pending {
		pending[a.ID] = true
	}
	for _, a := range s.Pending {
		if !pending[a.ID] {
			words = append(words, timed{a.At, about(sayAmendment(a.ID, s.ID, a.Author, a.Text))})
		}
	}
	if s.Comments > old.Comments {
		if d, ok := now.Detail(s.ID); ok {
			for _, c := range d.Comments[min(old.Comments, len(d.Comments)):] {
				words = append(words, timed{c.At, about(sayComment(s.ID, c.Author, c.Text))})
			}
		}
	}
	slices.SortStableFunc(words, func(a, b timed) int { return a.at.Compare(b.at) })
	for _, w := range words {
		say(w.said)
	}
	if themeName(s.Theme) != themeName(old.Theme) {
		say(about(sayStatementMoved(s.ID, themeName(s.Theme))))
	}
	checkChanged(now, old, s, say)
	if s.Status != old.Status {
		say(said{lines: []string{sayRecorded(s.ID, s.Status)}, move: true, statement: s.ID})
	}
	actions := map[int64]bool{}
	for _, a := range s.Actions {
		actions[a.ID] = true
	}
	had := map[int64]bool{}
	for _, a := range old.Actions {
		had[a.ID] = true
		if !actions[a.ID] {
			say(said{lines: []string{sayActionRemoved(s.ID, a.Text)}, move: true, statement: s.ID})
		}
	}
	for _, a := range s.Actions {
		if !had[a.ID] {
			say(said{lines: []string{sayAction(s.ID, a.Text, a.Owners)}, move: true, statement: s.ID})
		}
	}
}

func checkChanged(now *session.View, old, s *session.StatementView, say func(said)) {
	move := func(lines ...string) said { return said{lines: lines, move: true, statement: s.ID} }
	if c := old.Check; c != nil && (s.Check == nil || s.Check.ID != c.ID) {
		if closed, ok := now.FindCheck(c.ID); ok {
			say(move(checkClosed(s.ID, closed)...))
		}
	}
	switch c := s.Check; {
	case c == nil:
	case old.Check == nil || old.Check.ID != c.ID:
		say(move(sayCheckOpen(s.ID, s.Text), sayHowToAgree(s.ID, c.Scale())))
	case c.Blocked && !old.Check.Blocked:
		say(move(sayBlock(s.ID, c.Blockers)))
	}
}

func checkClosed(statement int64, c *session.CheckView) []string {
	lines := []string{sayCheckClosed(statement, c.Responded, c.Blocked)}
	switch {
	case c.Withheld != "":
		lines = append(lines, sayWithheld(c.Withheld))
	case len(c.Levels) > 0:
		lines = append(lines, saySpread(c.Levels))
	}
	return lines
}

func themeName(t *session.ThemeRef) string {
	if t == nil {
		return ""
	}
	return t.Name
}

func feedbackChanged(was, now *session.View, say func(said)) {
	all := now.Feedback()
	for _, f := range all[min(len(was.Feedback()), len(all)):] {
		say(said{lines: []string{sayFeedback(f.Statement, f.Author, f.Text)}, statement: f.Statement})
	}
}
