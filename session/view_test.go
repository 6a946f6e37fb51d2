package session_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/store"
)

// The rules of who sees what, one by one, as views give them.

// A forum of ten: Fran (facilitator) and Cy in Local government, Ada, Bob,
// Dee and Eve in Community, Gus alone in Public body, Hal and Ivy in Third
// sector, Jo with no sector.
const (
	cy  = "SHA256:cy"
	dee = "SHA256:dee"
	eve = "SHA256:eve"
	gus = "SHA256:gus"
	hal = "SHA256:hal"
	ivy = "SHA256:ivy"
	jo  = "SHA256:jo"
)

var room = []struct{ id, name, sector string }{
	{facilitator, "Fran", "Local government"}, {cy, "Cy", "Local government"},
	{ada, "Ada", "Community"}, {bob, "Bob", "Community"}, {dee, "Dee", "Community"}, {eve, "Eve", "Community"},
	{gus, "Gus", "Public body"}, {hal, "Hal", "Third sector"}, {ivy, "Ivy", "Third sector"}, {jo, "Jo", ""},
}

func roomHub(t *testing.T, change func(f *session.Forum)) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := testForum()
	f.Sectors = []string{"Local government", "Public body", "Third sector", "Community"}
	f.AnonymousCards = true
	if change != nil {
		change(f)
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	for _, p := range room {
		do(t, h, p.id, session.Register{Name: p.name, Sector: p.sector})
	}
	return h
}

// everyone is a view for each audience: a participant (Ada), the
// facilitator, the room's screen, the report.
func everyone(h *session.Hub) []*session.View {
	s := h.Snapshot()
	return []*session.View{s.ViewFor(ada), s.ViewFor(facilitator), s.ViewAs(session.ForProjector), s.ViewAs(session.ForReport)}
}

func ballotOf(t *testing.T, v *session.View, id int64) *session.BallotView {
	t.Helper()
	b, ok := v.FindBallot(id)
	if !ok {
		t.Fatalf("no ballot %d in the %s's view", id, v.Audience())
	}
	return b
}

func TestSecretBallotShowsNoCountWhileOpen(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.GoToStep{To: 2})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	for _, p := range room[:5] {
		do(t, h, p.id, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 2}})
	}
	for _, v := range everyone(h) {
		b := ballotOf(t, v, 1)
		if b.Results != nil || b.Items[0].Dots != nil || b.Withheld != "It is secret until it closes." {
			t.Errorf("the %s sees a count of an open secret ballot: %+v", v.Audience(), b)
		}
		// How many have voted: the facilitator, and the room, who can see
		// when everyone is done; not a participant, not the report.
		counted := v.Audience() == session.ForFacilitator || v.Audience() == session.ForProjector
		if (b.Voters != nil) != counted || (counted && *b.Voters != 5) {
			t.Errorf("the %s is told how many voted: %v", v.Audience(), b.Voters)
		}
	}
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, v := range everyone(h) {
		if b := ballotOf(t, v, 1); b.Results == nil || b.Results.Voters != 5 || b.Results.TotalDots != 25 || *b.Items[0].Dots != 15 {
			t.Errorf("the %s does not see the closed ballot's results: %+v", v.Audience(), b)
		}
	}
}

func TestTallyOfTooFewIsWithheld(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.GoToStep{To: 2})
	live := false
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}, Secret: &live})
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 5}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 5}})
	for _, v := range everyone(h) {
		b := ballotOf(t, v, 1)
		if b.Results != nil || b.Items[0].Dots != nil || !strings.Contains(b.Withheld, "once 3 people have voted") {
			t.Errorf("a live ballot of two voters shows its tally to the %s: %+v", v.Audience(), b)
		}
		if b.Voters == nil || *b.Voters != 2 {
			t.Errorf("a live ballot does not say how many voted to the %s", v.Audience())
		}
	}
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, v := range everyone(h) {
		if b := ballotOf(t, v, 1); b.Results != nil || !strings.Contains(b.Withheld, "Fewer than 3 people voted") {
			t.Errorf("a closed ballot of two voters shows its tally to the %s: %+v", v.Audience(), b)
		}
	}
	// A ballot nobody voted on says so: a tally of no one singles nobody out.
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"A", "B"}})
	do(t, h, facilitator, session.CloseBallot{Ballot: 2})
	if b := ballotOf(t, h.Snapshot().ViewFor(ada), 2); b.Results == nil || b.Results.Voters != 0 {
		t.Errorf("an empty ballot: %+v", b)
	}
}

func TestMinGroupFromTheAgenda(t *testing.T) {
	h := roomHub(t, func(f *session.Forum) { f.MinGroup = 4 })
	do(t, h, facilitator, session.GoToStep{To: 2})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	for _, p := range room[:3] {
		do(t, h, p.id, session.CastVote{Ballot: 1, Dots: map[int]int{1: 1}})
	}
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	if b := ballotOf(t, h.Snapshot().ViewFor(ada), 1); b.Results != nil || !strings.Contains(b.Withheld, "Fewer than 4") {
		t.Errorf("three voters under min_group 4: %+v", b)
	}
}

// Results by sector, as everyone (the facilitator too) sees them: the
// four of Community on their own; Fran and Cy (Local government), Gus
// alone in Public body, Hal and Ivy (Third sector) and Jo with none, each
// fewer than three, counted together.
func TestResultsBySectorPoolSmallSectors(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.GoToStep{To: 2})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	for i, p := range room {
		do(t, h, p.id, session.CastVote{Ballot: 1, Dots: map[int]int{1 + i%2: 1 + i%3}})
	}
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	for _, v := range everyone(h) {
		r := ballotOf(t, v, 1).Results
		var got []string
		for _, s := range r.Sectors {
			got = append(got, fmt.Sprintf("%s %d %v", session.GroupLabel(s.Sector, s.Pooled), s.Voters, s.Dots))
		}
		// Community: Ada 1=3, Bob 2=1, Dee 1=2, Eve 2=3. The pool: Fran
		// 1=1, Cy 2=2, Gus 1=1, Hal 2=2, Ivy 1=3, Jo 2=1.
		want := "Community 4 [5 4]; Other sectors (Local government, Public body, Third sector, No sector given) 6 [5 5]"
		if strings.Join(got, "; ") != want {
			t.Errorf("the %s sees\n %s\nwant\n %s", v.Audience(), strings.Join(got, "; "), want)
		}
		if r.SectorsNote != "Local government, Public body, Third sector and No sector given each have fewer than 3 voters, so they are counted together as Other sectors." {
			t.Errorf("note: %q", r.SectorsNote)
		}
	}
}

func TestCheckSpreadByAudience(t *testing.T) {
	for _, showDistribution := range []bool{false, true} {
		h := roomHub(t, func(f *session.Forum) { f.ShowDistribution = showDistribution })
		do(t, h, facilitator, session.GoToStep{To: 3})
		do(t, h, facilitator, session.ProposeStatement{Text: "Meet in the evening"})
		do(t, h, facilitator, session.OpenCheck{Statement: 1})
		do(t, h, gus, session.Agree{Statement: 1, Level: 5}) // Gus, alone in his sector, blocks
		do(t, h, ada, session.Agree{Statement: 1, Level: 1})
		look := func(when string, want map[session.Audience]string) {
			t.Helper()
			for _, v := range everyone(h) {
				c, _ := v.FindCheck(1)
				got := fmt.Sprintf("responded %d levels %v blocked %v blockers %v sectors %d", c.Responded, c.Levels != nil, c.Blocked, c.Blockers, len(c.BySector))
				if got != want[v.Audience()] {
					t.Errorf("show_distribution %v, %s, the %s sees %q, want %q (withheld %q)", showDistribution, when, v.Audience(), got, want[v.Audience()], c.Withheld)
				}
			}
		}
		hidden := "responded 2 levels false blocked false blockers [] sectors 0"
		blockedOnly := "responded 2 levels false blocked true blockers [] sectors 0"
		others := hidden
		if showDistribution {
			others = blockedOnly
		}
		// Two responses: the spread would tell each the other's level.
		look("two responses", map[session.Audience]string{
			session.ForParticipant: others, session.ForProjector: others, session.ForReport: others,
			session.ForFacilitator: "responded 2 levels false blocked true blockers [Gus] sectors 0"})
		for _, p := range []string{bob, dee, eve, cy} {
			do(t, h, p, session.Agree{Statement: 1, Level: 2})
		}
		spread := "responded 6 levels true blocked true blockers [] sectors 0"
		if !showDistribution {
			spread = "responded 6 levels false blocked false blockers [] sectors 0"
		}
		// By sector while open, the facilitator only: Community (four) and
		// Gus and Cy, too few to count together, so Community would join
		// them and the breakdown would be everyone: none is given.
		look("six responses, open", map[session.Audience]string{
			session.ForParticipant: spread, session.ForProjector: spread, session.ForReport: spread,
			session.ForFacilitator: "responded 6 levels true blocked true blockers [Gus] sectors 0"})
		for _, p := range []string{hal, ivy, jo} {
			do(t, h, p, session.Agree{Statement: 1, Level: 3})
		}
		do(t, h, facilitator, session.CloseCheck{Statement: 1})
		closed := "responded 9 levels true blocked true blockers [] sectors 2"
		look("nine responses, closed", map[session.Audience]string{
			session.ForParticipant: closed, session.ForProjector: closed, session.ForReport: closed,
			session.ForFacilitator: "responded 9 levels true blocked true blockers [Gus] sectors 2"})
		d, _ := h.Snapshot().ViewFor(ada).Detail(1)
		if c := d.Checks[0]; c.Mine != 1 || c.BySector[0].Sector != "Community" || c.BySector[0].Responded != 4 ||
			c.BySector[1].Sector != session.OtherSectors || c.BySector[1].Responded != 5 || !c.BySector[1].Blocked {
			t.Errorf("closed check as Ada sees it: %+v", c)
		}
	}
}

func TestAnonymousAuthorsStayAnonymous(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	do(t, h, bob, session.AddCard{Text: "Meetings in working hours"})                 // 1, named
	do(t, h, ada, session.AddCard{Text: "Meetings clash with work", Anonymous: true}) // 2, anonymous
	do(t, h, cy, session.AddCard{Text: "Nobody hears back", Anonymous: true})         // 3, anonymous
	do(t, h, dee, session.AddCard{Text: "Nobody ever answers"})                       // 4, named
	for _, v := range everyone(h) {
		c, _ := v.FindCard(2)
		if c.Author != "" || len(c.Credits) != 0 || !c.Anonymous || (v.Viewer() == ada) != v.Mine(c) {
			t.Errorf("the %s sees who wrote an anonymous card: %+v, mine %v", v.Audience(), c, v.Mine(c))
		}
	}
	// Merged into a named card, an anonymous author is counted, not named;
	// a named author merged into an anonymous card is not named either.
	do(t, h, facilitator, session.MergeCards{Into: 1, From: []int64{2}})
	do(t, h, facilitator, session.MergeCards{Into: 3, From: []int64{4}})
	for _, v := range everyone(h) {
		c1, _ := v.FindCard(1)
		c3, _ := v.FindCard(3)
		want := "Bob [Bob]"
		if v.Viewer() == "" { // the room's screen and the report name nobody
			want = " []"
		}
		if got := fmt.Sprint(c1.Author, " ", c1.Credits); got != want || c1.People != 2 || fmt.Sprint(c1.MergedFrom) != "[2]" {
			t.Errorf("the %s sees card 1 as %q (%+v), want %q", v.Audience(), got, c1, want)
		}
		if c3.Author != "" || len(c3.Credits) != 0 || c3.People != 2 {
			t.Errorf("the %s sees names on anonymous card 3: %+v", v.Audience(), c3)
		}
		if _, ok := v.FindCard(2); ok {
			t.Errorf("the %s still sees merged-away card 2", v.Audience())
		}
	}
}

func TestHiddenAndWithdrawnCards(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	do(t, h, ada, session.AddCard{Text: "spam"})
	do(t, h, bob, session.AddCard{Text: "I take this back"})
	do(t, h, cy, session.AddCard{Text: "A real point"})
	do(t, h, facilitator, session.HideCard{ID: 1, Reason: "spam"})
	do(t, h, bob, session.WithdrawCard{ID: 2})
	for _, v := range everyone(h) {
		if cards := v.StepCards(1); len(cards) != 1 || cards[0].ID != 3 {
			t.Errorf("the %s sees cards %v on the step", v.Audience(), cards)
		}
		hidden := v.HiddenCards(1)
		if v.Facilitator() != (len(hidden) == 1) || (len(hidden) == 1 && (hidden[0].ID != 1 || hidden[0].Reason != "spam")) {
			t.Errorf("the %s sees hidden cards %+v", v.Audience(), hidden)
		}
		if _, ok := v.FindCard(2); ok {
			t.Errorf("the %s sees a withdrawn card", v.Audience())
		}
	}
}

func TestOwnChoicesOnly(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.GoToStep{To: 2})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 2}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 4}})
	snap := h.Snapshot()
	for id, want := range map[string]string{ada: "2 0 spent 2 left 3", bob: "0 4 spent 4 left 1", facilitator: "0 0 spent 0 left 5"} {
		v := snap.ViewFor(id)
		b, _ := v.FindBallot(1)
		own := v.Ballot(b)
		if got := fmt.Sprintf("%d %d spent %d left %d", *own.Items[0].Mine, *own.Items[1].Mine, *own.Spent, *own.Left); got != want {
			t.Errorf("%s's own dots: %s, want %s", id, got, want)
		}
	}
	for _, a := range []session.Audience{session.ForProjector, session.ForReport} {
		v := snap.ViewAs(a)
		b, _ := v.FindBallot(1)
		if own := v.Ballot(b); own.Spent != nil || own.Items[0].Mine != nil || v.MyAllocation(1) != nil {
			t.Errorf("the %s has someone's dots: %+v", a, own)
		}
	}
	if v := snap.ViewFor(ada); v.People() != nil {
		t.Errorf("a participant is given the list of people: %v", v.People())
	}
	if v := snap.ViewFor(facilitator); len(v.People()) != len(room) {
		t.Errorf("the facilitator's list of people: %v", v.People())
	}
}

func TestTheRoomAndTheReportNameNobody(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	do(t, h, ada, session.AddCard{Text: "A point"})
	do(t, h, bob, session.RaiseHand{Raise: true})
	do(t, h, facilitator, session.GoToStep{To: 3})
	do(t, h, facilitator, session.ProposeStatement{Text: "Meet in the evening"})
	do(t, h, bob, session.CommentOn{Statement: 1, Text: "Which evening?"})
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	for _, p := range room[:4] {
		do(t, h, p.id, session.Agree{Statement: 1, Level: 1})
	}
	do(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})
	do(t, h, facilitator, session.GoToStep{To: 4})
	do(t, h, cy, session.GiveFeedback{Statement: 1, Text: "Say which"})
	for _, a := range []session.Audience{session.ForProjector, session.ForReport} {
		v := h.Snapshot().ViewAs(a)
		c, _ := v.FindCard(1)
		st, _ := v.FindStatement(1)
		d, _ := v.Detail(1)
		fb := v.Feedback()
		if c.Author != "" || st.Proposer != "" || st.RevisionAuthor != "" || st.RecordedBy != "" || d.Revisions[0].Author != "" ||
			d.Comments[0].Author != "" || fb[0].Author != "" || v.Hands() != nil || v.Speaker() != "" {
			t.Errorf("the %s names someone: card %+v, statement %+v, detail %+v, feedback %+v", a, c, st, d, fb[0])
		}
		if p := v.Participation(); p.People != len(room) || len(p.Named) != 0 {
			t.Errorf("participation: %+v", p)
		}
	}
	if fb := h.Snapshot().ViewFor(ada).Feedback(); fb[0].Author != "Cy" {
		t.Errorf("a participant is not told who gave feedback: %+v", fb[0])
	}
}

// Participation by sector keeps the rule too: four in Community, and the
// five other participants counted together. Fran, who facilitates, is
// counted apart, not in Local government.
func TestParticipationBySector(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.SetCredit{On: true})
	do(t, h, cy, session.SetCredit{On: true})
	p := h.Snapshot().ViewAs(session.ForReport).Participation()
	var got []string
	for _, s := range p.BySector {
		got = append(got, fmt.Sprintf("%s %d", session.GroupLabel(s.Sector, s.Pooled), s.People))
	}
	if want := "Community 4; Other sectors (Local government, Public body, Third sector, No sector given) 5"; strings.Join(got, "; ") != want {
		t.Errorf("participation by sector: %s, want %s", strings.Join(got, "; "), want)
	}
	if p.People != 10 || p.Participants != 9 || p.Facilitators != 1 || strings.Join(p.Named, ",") != "Cy" || strings.Join(p.NamedFacilitators, ",") != "Fran" {
		t.Errorf("participation: %+v, want 9 participants (Cy named) and 1 facilitator (Fran named)", p)
	}
}

// Views are cheap: what is the same for everyone in an audience is made
// once per snapshot, and kept while only who is connected changes.
func TestViewsAreShared(t *testing.T) {
	h := roomHub(t, nil)
	do(t, h, facilitator, session.NextStep{})
	do(t, h, ada, session.AddCard{Text: "A point"})
	a, b := h.Snapshot().ViewFor(ada), h.Snapshot().ViewFor(bob)
	if a.StepCards(1)[0] != b.StepCards(1)[0] {
		t.Error("two participants' views of one snapshot built the cards twice")
	}
	if h.Snapshot().ViewFor(facilitator).StepCards(1)[0] == a.StepCards(1)[0] {
		t.Error("the facilitator's view shares the participants' cards")
	}
	before := h.Snapshot()
	sub, err := h.Subscribe(context.Background(), cy)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	after := h.Snapshot()
	if after == before || after.Connected == before.Connected {
		t.Fatal("subscribing made no new snapshot")
	}
	if after.ViewFor(bob).StepCards(1)[0] != a.StepCards(1)[0] {
		t.Error("a snapshot that changed only who is connected built the cards again")
	}
	do(t, h, bob, session.AddCard{Text: "Another"})
	next := h.Snapshot().ViewFor(ada).StepCards(1)
	if next[0] == a.StepCards(1)[0] || next[0].Stamp() != a.StepCards(1)[0].Stamp() {
		t.Error("after a change the views are not built again, or an unchanged card's stamp moved")
	}
}
