package session_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"moot/session"
)

// The README's table of who sees what is what the views give: each cell is
// worked out here from views of a forum where each case happens, and the
// table must be the README's, word for word.
func TestWhoSeesWhatTableIsTheReadme(t *testing.T) {
	plain, shown := whoSeesWhatForum(t, false), whoSeesWhatForum(t, true)
	tp := tablesAndPollsForum(t)
	audiences := []struct {
		a      session.Audience
		column string
	}{{session.ForParticipant, "Participant"}, {session.ForFacilitator, "Facilitator"}, {session.ForProjector, "Room's screen"}, {session.ForReport, "Report"}}
	// view is the forum as an audience sees it: Ada for a participant.
	view := func(h *session.Hub, a session.Audience) *session.View {
		switch a {
		case session.ForParticipant:
			return h.Snapshot().ViewFor(ada)
		case session.ForFacilitator:
			return h.Snapshot().ViewFor(facilitator)
		}
		return h.Snapshot().ViewAs(a)
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	ballot := func(v *session.View, id int64) *session.BallotView { b, _ := v.FindBallot(id); return b }
	check := func(v *session.View, id int64) *session.CheckView { c, _ := v.FindCheck(id); return c }
	card := func(v *session.View, id int64) *session.CardView { c, _ := v.FindCard(id); return c }
	poll := func(v *session.View, id int64) session.PollView { p, _ := v.FindPoll(id); return v.Poll(p) }
	// fromMin: shown when min_group people or more chose, never when fewer.
	fromMin := func(enough, few bool, words string) string {
		switch {
		case enough && !few:
			return words
		case enough && few:
			return "yes, whatever the number"
		}
		return "no"
	}
	groups := func(n int, pooled bool) string {
		if n == 0 {
			return "no"
		}
		if !pooled {
			return "yes, unpooled"
		}
		return "groups of min_group or more"
	}
	rows := []struct {
		what string
		cell func(a session.Audience) string
	}{
		{"The dots on an open secret ballot", func(a session.Audience) string {
			b := ballot(view(plain, a), 1)
			return yes(b.Results != nil || b.Items[0].Dots != nil)
		}},
		{"How many have voted on an open secret ballot", func(a session.Audience) string {
			return yes(ballot(view(plain, a), 1).Voters != nil)
		}},
		{"A ballot's tally, once closed (a live ballot's, while open)", func(a session.Audience) string {
			v := view(plain, a)
			return fromMin(ballot(v, 2).Results != nil, ballot(v, 3).Results != nil, "if min_group or more voted")
		}},
		{"A ballot's tally by sector", func(a session.Audience) string {
			r := ballot(view(plain, a), 2).Results
			pooled := false
			for _, s := range r.Sectors {
				pooled = pooled || s.Pooled != nil
			}
			return groups(len(r.Sectors), pooled)
		}},
		{"One's own dots", func(a session.Audience) string {
			v := view(plain, a)
			if v.Viewer() == "" {
				return "—"
			}
			return yes(v.Ballot(ballot(v, 1)).Items[0].Mine != nil)
		}},
		{"How many have responded to an open check", func(a session.Audience) string {
			return yes(check(view(plain, a), 2).Responded == 7)
		}},
		{"An open check's spread", func(a session.Audience) string {
			if check(view(plain, a), 2).Levels != nil {
				return fromMin(true, check(view(plain, a), 1).Levels != nil, "once min_group have responded")
			}
			if check(view(shown, a), 2).Levels != nil {
				return "with show_distribution, " + fromMin(true, check(view(shown, a), 1).Levels != nil, "once min_group have responded")
			}
			return "no"
		}},
		{"Whether an open check is blocked", func(a session.Audience) string {
			if check(view(plain, a), 2).Blocked {
				return "yes"
			}
			if check(view(shown, a), 2).Blocked {
				return "with show_distribution"
			}
			return "no"
		}},
		{"Who blocked", func(a session.Audience) string {
			return yes(len(check(view(plain, a), 2).Blockers) > 0 || len(check(view(plain, a), 3).Blockers) > 0)
		}},
		{"An open check by sector", func(a session.Audience) string {
			c := check(view(shown, a), 2)
			pooled := false
			for _, s := range c.BySector {
				pooled = pooled || s.Pooled != nil
			}
			return groups(len(c.BySector), pooled)
		}},
		{"A closed check's spread", func(a session.Audience) string {
			v := view(plain, a)
			return fromMin(check(v, 3).Levels != nil, check(v, 4).Levels != nil, "if min_group or more responded")
		}},
		{"A closed check by sector", func(a session.Audience) string {
			c := check(view(plain, a), 3)
			pooled := false
			for _, s := range c.BySector {
				pooled = pooled || s.Pooled != nil
			}
			return groups(len(c.BySector), pooled)
		}},
		{"One's own level", func(a session.Audience) string {
			v := view(plain, a)
			if v.Viewer() == "" {
				return "—"
			}
			return yes(v.Check(check(v, 3)).Mine != 0)
		}},
		{"Who wrote a card", func(a session.Audience) string {
			return yes(card(view(plain, a), 1).Author != "")
		}},
		{"Who wrote an anonymous card", func(a session.Audience) string {
			v := view(plain, a)
			c := card(v, 2)
			if c.Author != "" || len(c.Credits) != 0 {
				return "yes"
			}
			if v.Mine(c) && !plain.Snapshot().ViewFor(bob).Mine(c) {
				return "only its author"
			}
			return "no"
		}},
		{"Who wrote a statement's wording", func(a session.Audience) string {
			d, _ := view(plain, a).Detail(1)
			credited, uncredited := d.Amendments[0].Author != "", d.Amendments[1].Author != ""
			switch {
			case credited && uncredited:
				return "yes"
			case credited:
				return "if they asked to be named"
			}
			return "no"
		}},
		{"Hidden cards, with the reason", func(a session.Audience) string {
			h := view(plain, a).HiddenCards(1)
			return yes(len(h) == 1 && h[0].Reason != "")
		}},
		{"Withdrawn and merged-away cards", func(a session.Audience) string {
			v := view(plain, a)
			_, withdrawn := v.FindCard(4)
			_, merged := v.FindCard(5)
			return yes(withdrawn || merged)
		}},
		{"The people in the room, with their sectors", func(a session.Audience) string {
			return yes(view(plain, a).People() != nil)
		}},
		{"How someone follows the forum (line mode, quiet)", func(a session.Audience) string {
			v := view(plain, a)
			for _, p := range v.People() {
				if p.ID == bob && (p.Mode != session.ModeScreen || p.Quiet) {
					return "yes"
				}
			}
			if me, ok := v.Me(); ok && me.Mode == session.ModeLine && me.Quiet {
				return "only their own"
			}
			return "no"
		}},
		{"Who gave feedback", func(a session.Audience) string {
			return yes(view(plain, a).Feedback()[0].Author != "")
		}},
		{"How many people are in each sector", func(a session.Audience) string {
			p := view(plain, a).Participation()
			pooled := false
			for _, s := range p.BySector {
				pooled = pooled || s.Pooled != nil
			}
			return groups(len(p.BySector), pooled)
		}},
		{"The answers to an open secret poll", func(a session.Audience) string {
			return yes(poll(view(tp, a), 1).Results != nil)
		}},
		{"How many have answered an open secret poll", func(a session.Audience) string {
			return yes(poll(view(tp, a), 1).Respondents != nil)
		}},
		{"A poll's results, once closed (a live poll's, while open)", func(a session.Audience) string {
			v := view(tp, a)
			return fromMin(poll(v, 2).Results != nil, poll(v, 3).Results != nil, "if min_group or more answered")
		}},
		{"A poll's results by sector", func(a session.Audience) string {
			r := poll(view(tp, a), 2).Results
			pooled := false
			for _, s := range r.Sectors {
				pooled = pooled || s.Pooled != nil
			}
			return groups(len(r.Sectors), pooled)
		}},
		{"One's own answer", func(a session.Audience) string {
			v := view(tp, a)
			if v.Viewer() == "" {
				return "—"
			}
			return yes(poll(v, 1).Mine != nil)
		}},
		{"Who gave a text answer", func(a session.Audience) string {
			b, _ := json.Marshal(poll(view(tp, a), 4))
			for _, p := range room {
				if strings.Contains(string(b), p.name) || strings.Contains(string(b), p.id) {
					return "yes"
				}
			}
			return "no"
		}},
		{"Hidden answers, with the reason", func(a session.Audience) string {
			for _, ans := range poll(view(tp, a), 4).Results.Answers {
				if ans.Hidden && ans.Reason != "" {
					return "yes"
				}
			}
			return "no"
		}},
		{"Who sits at which table", func(a session.Audience) string {
			v := view(tp, a)
			own, other, named := 0, 0, 0
			for _, t := range v.CurrentTables() {
				tv := v.Table(t)
				switch {
				case len(tv.Members) > 0 && tv.Mine:
					own++
				case len(tv.Members) > 0:
					other++
				}
				named += len(tv.Named)
			}
			switch {
			case other > 0:
				return "yes"
			case own > 0:
				return "their own table"
			case named > 0:
				return "those who asked to be named"
			}
			return "no"
		}},
		{"The cards at a table, on a step at tables", func(a session.Audience) string {
			v := view(tp, a)
			tables := map[int64]bool{}
			for _, c := range v.StepCards(1) {
				if c.Table != nil {
					tables[c.Table.ID] = true
				}
			}
			switch len(tables) {
			case 0:
				return "no"
			case 1:
				return "their own table's"
			}
			return "every table's"
		}},
		{"What the tables brought back", func(a session.Audience) string {
			return yes(len(view(tp, a).BroughtBack(1)) == 2)
		}},
		{"A table's mix of sectors", func(a session.Audience) string {
			n, pooled := 0, false
			for _, t := range view(tp, a).CurrentTables() {
				n += len(t.Sectors)
				for _, s := range t.Sectors {
					pooled = pooled || s.Pooled != nil
				}
			}
			return groups(n, pooled)
		}},
	}
	var b strings.Builder
	b.WriteString("| |")
	for _, a := range audiences {
		b.WriteString(" " + a.column + " |")
	}
	b.WriteString("\n|---|---|---|---|---|\n")
	for _, r := range rows {
		b.WriteString("| " + r.what + " |")
		for _, a := range audiences {
			b.WriteString(" " + r.cell(a.a) + " |")
		}
		b.WriteString("\n")
	}
	want := b.String()

	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## What each person sees\n")
	if !ok {
		t.Fatalf("the README has no section \"What each person sees\"; its table should be:\n%s", want)
	}
	var table []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "|") {
			table = append(table, line)
		} else if len(table) > 0 {
			break
		}
	}
	if got := strings.Join(table, "\n") + "\n"; got != want {
		t.Errorf("the README's table of who sees what is not what the views give; it should be:\n%s\nit is:\n%s", want, got)
	}
}

// tablesAndPollsForum is the room of ten with its first step at tables
// and polls on the second:
//   - two tables: Cy, Bob, Eve, Hal, Jo and Dee at table 1 (Community
//     three of six), Ada, Gus and Ivy at table 2; Ada reports for hers;
//     each table writes a card and brings it back; Hal asked to be named;
//   - poll 1 a secret scale, open, five answered (Ada and Fran among
//     them); poll 2 a choice, closed, all ten answered; poll 3 closed, two
//     answered; poll 4 open answers, closed, one hidden.
func tablesAndPollsForum(t *testing.T) *session.Hub {
	h := roomHub(t, func(f *session.Forum) { f.Steps[0].Tables = true })
	do(t, h, facilitator, session.MakeTables{Count: 2})
	for _, p := range room[1:] {
		table := int64(1)
		if p.id == ada || p.id == gus || p.id == ivy {
			table = 2
		}
		do(t, h, facilitator, session.MoveToTable{Person: p.id, Table: table})
	}
	do(t, h, hal, session.SetCredit{On: true})
	do(t, h, facilitator, session.NextStep{})
	do(t, h, bob, session.AddCard{Text: "Buses stop at six"})
	do(t, h, ada, session.AddCard{Text: "Nobody hears back"})
	do(t, h, bob, session.NameReporter{Person: bob})
	do(t, h, ada, session.NameReporter{Person: ada})
	do(t, h, bob, session.BringBack{Cards: []int64{1}, Back: true})
	do(t, h, ada, session.BringBack{Cards: []int64{2}, Back: true})
	do(t, h, facilitator, session.NextStep{})
	scale := session.PollSpec{Question: "How far?", Kind: session.PollScale}
	choice := session.PollSpec{Question: "Which?", Kind: session.PollChoice, Options: []string{"Buses", "Jargon"}}
	for _, spec := range []session.PollSpec{scale, choice, choice, {Question: "Anything else?", Kind: session.PollOpen}} {
		do(t, h, facilitator, session.OpenPoll{Spec: spec})
	}
	for i, p := range room {
		if i < 5 {
			do(t, h, p.id, session.AnswerPoll{Poll: 1, Point: 1 + i%5})
		}
		do(t, h, p.id, session.AnswerPoll{Poll: 2, Choices: []int{1 + i%2}})
		if p.id == ada || p.id == bob {
			do(t, h, p.id, session.AnswerPoll{Poll: 3, Choices: []int{1}})
		}
		if i < 4 {
			do(t, h, p.id, session.AnswerPoll{Poll: 4, Text: fmt.Sprintf("A thought, number %d", i)})
		}
	}
	for id := int64(2); id <= 4; id++ {
		do(t, h, facilitator, session.ClosePoll{Poll: id})
	}
	fac, _ := h.Snapshot().ViewFor(facilitator).FindPoll(4)
	do(t, h, facilitator, session.ModerateAnswer{Poll: 4, N: fac.Results.Answers[0].N, Hidden: true, Reason: "names someone"})
	return h
}

// whoSeesWhatForum is the room of ten (view_test.go) with each case the
// table tells of:
//   - ballot 1 secret and open, five voted; ballot 2 closed, all ten
//     voted; ballot 3 closed, two voted;
//   - check 1 open, two responded (Gus blocked); check 2 open, seven
//     responded (Gus blocked); check 3 closed, nine responded (Gus
//     blocked); check 4 closed, two responded; check 5 closed and agreed;
//   - card 1 Bob's, card 2 Ada's and anonymous, card 3 hidden, card 4
//     withdrawn, card 5 merged into card 1;
//   - amendments to statement 1 from Ada, who asked to be named, and Bob;
//   - feedback from Bob on the agreed statement.
func whoSeesWhatForum(t *testing.T, showDistribution bool) *session.Hub {
	h := roomHub(t, func(f *session.Forum) { f.ShowDistribution = showDistribution })
	do(t, h, facilitator, session.NextStep{})
	do(t, h, bob, session.AddCard{Text: "Meetings in working hours"})
	do(t, h, ada, session.AddCard{Text: "Nobody hears back", Anonymous: true})
	do(t, h, cy, session.AddCard{Text: "spam"})
	do(t, h, dee, session.AddCard{Text: "I take this back"})
	do(t, h, eve, session.AddCard{Text: "Meetings clash with work"})
	do(t, h, facilitator, session.HideCard{ID: 3, Reason: "spam"})
	do(t, h, dee, session.WithdrawCard{ID: 4})
	do(t, h, facilitator, session.MergeCards{Into: 1, From: []int64{5}})

	do(t, h, facilitator, session.NextStep{})
	for id := int64(1); id <= 3; id++ {
		do(t, h, facilitator, session.OpenBallot{Texts: []string{"Buses", "Jargon"}})
	}
	for i, p := range room {
		dots := map[int]int{1 + i%2: 2}
		if i < 5 {
			do(t, h, p.id, session.CastVote{Ballot: 1, Dots: dots})
		}
		do(t, h, p.id, session.CastVote{Ballot: 2, Dots: dots})
		if p.id == ada || p.id == bob {
			do(t, h, p.id, session.CastVote{Ballot: 3, Dots: dots})
		}
	}
	do(t, h, facilitator, session.CloseBallot{Ballot: 2})
	do(t, h, facilitator, session.CloseBallot{Ballot: 3})

	do(t, h, facilitator, session.NextStep{})
	agree := func(statement int64, who []string, level int) {
		for _, id := range who {
			do(t, h, id, session.Agree{Statement: statement, Level: level})
		}
	}
	community := []string{ada, bob, dee, eve}
	for s := int64(1); s <= 5; s++ {
		do(t, h, facilitator, session.ProposeStatement{Text: "A statement"})
		do(t, h, facilitator, session.OpenCheck{Statement: s})
	}
	// Ada asks to be named; she and Bob each propose new wording.
	do(t, h, ada, session.SetCredit{On: true})
	do(t, h, ada, session.ProposeAmendment{Statement: 1, Text: "A better statement"})
	do(t, h, bob, session.ProposeAmendment{Statement: 1, Text: "Another statement"})
	agree(1, []string{ada}, 1)
	agree(1, []string{gus}, 5)
	agree(2, community, 2)
	agree(2, []string{gus}, 5)
	agree(2, []string{hal, ivy}, 3)
	agree(3, community, 1)
	agree(3, []string{gus}, 5)
	agree(3, []string{facilitator, cy, hal, ivy}, 2)
	do(t, h, facilitator, session.CloseCheck{Statement: 3})
	agree(4, []string{ada, bob}, 1)
	do(t, h, facilitator, session.CloseCheck{Statement: 4})
	agree(5, community, 1)
	do(t, h, facilitator, session.RecordStatement{Statement: 5, Outcome: session.Agreed})
	do(t, h, facilitator, session.NextStep{})
	do(t, h, bob, session.GiveFeedback{Statement: 5, Text: "Say when"})
	// Ada, Bob and the facilitator follow in line mode, quietly.
	for _, id := range []string{ada, bob, facilitator} {
		do(t, h, id, session.ChooseMode{Mode: session.ModeLine})
		do(t, h, id, session.ChooseQuiet{Quiet: true})
	}
	return h
}
