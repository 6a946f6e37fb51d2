package session_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"moot/session"
)

// votingHub is a hub on its voting step (2) with a ballot of three typed
// items, 5 dots each, at most 3 on one item.
func votingHub(t *testing.T, secret bool) (*session.Hub, func() *session.Hub) {
	h, reopen := dialogueHub(t)
	do(t, h, facilitator, session.NextStep{})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"Working hours", "Jargon", "No feedback"}, MaxPerItem: 3, Secret: &secret})
	return h, reopen
}

func TestVotingRules(t *testing.T) {
	h, _ := votingHub(t, true)
	b, _ := h.Snapshot().Ballot(1)
	if b.Dots != 5 || b.TopK != 4 || !b.Secret || len(b.Items) != 3 || b.Items[2].Text != "No feedback" {
		t.Fatalf("ballot: %+v", b)
	}
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 2}})
	before := h.Snapshot().Seq
	refused(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 3}}, "that is 6 dots; you have 5")
	refused(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 4}}, "at most 3 dots on one item")
	refused(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{4: 1}}, "no item 4")
	refused(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: -1}}, "negative")
	refused(t, h, ada, session.CastVote{Ballot: 2, Dots: map[int]int{1: 1}}, "no ballot #2")
	refused(t, h, "SHA256:stranger", session.CastVote{Ballot: 1, Dots: map[int]int{1: 1}}, "give your name first")
	refused(t, h, ada, session.CloseBallot{Ballot: 1}, "only a facilitator")
	refused(t, h, ada, session.OpenBallot{Texts: []string{"a", "b"}}, "only a facilitator")
	if got := h.Snapshot().Seq; got != before {
		t.Errorf("refused votes changed the forum: seq %d -> %d", before, got)
	}
	if got := h.Snapshot().ViewFor(ada).MyAllocation(1); got.Total() != 5 || got.On(1) != 3 {
		t.Errorf("Ada's allocation after refusals: %+v", got)
	}
	// Secret: no counts while open, for anyone.
	for _, v := range []*session.View{h.Snapshot().ViewFor(ada), h.Snapshot().ViewFor(facilitator),
		h.Snapshot().ViewAs(session.ForProjector), h.Snapshot().ViewAs(session.ForReport)} {
		if counts(v, 1) != nil {
			t.Errorf("a secret ballot's counts were given to the %s while it is open", v.Audience())
		}
	}
	// A new vote replaces the old one whole; facilitators vote like anyone.
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{3: 1}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{3: 2, 2: 3}})
	do(t, h, facilitator, session.CastVote{Ballot: 1, Dots: map[int]int{2: 3, 1: 2}})
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	refused(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 1}}, "closed")
	refused(t, h, facilitator, session.CloseBallot{Ballot: 1}, "already closed")
	got := counts(h.Snapshot().ViewFor(ada), 1)
	if fmt.Sprint(got) != "[2 6 3]" {
		t.Fatalf("counts after close: %v", got)
	}
	ranked := session.Rank(b, got)
	if ranked[0].Item.ID != 2 || ranked[0].Rank != 1 || ranked[1].Item.ID != 3 || ranked[2].Rank != 3 || !ranked[2].Top {
		t.Errorf("ranking: %+v", ranked)
	}
}

// counts is the dots on each item of a ballot as a view shows them; nil
// where it shows none.
func counts(v *session.View, ballot int64) []int {
	b, ok := v.FindBallot(ballot)
	if !ok || b.Results == nil {
		for _, it := range b.Items {
			if it.Dots != nil {
				return []int{-1} // a count shown without results
			}
		}
		return nil
	}
	out := make([]int, len(b.Items))
	for i, it := range b.Items {
		out[i] = *it.Dots
	}
	return out
}

func TestTiesAreShared(t *testing.T) {
	b := &session.Ballot{TopK: 2, Items: []session.BallotItem{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}, {ID: 5}}}
	r := session.Rank(b, []int{3, 5, 3, 3, 0})
	var got []string
	for _, x := range r {
		got = append(got, fmt.Sprintf("%d:%d:%v:%v", x.Item.ID, x.Rank, x.Tied, x.Top))
	}
	want := "2:1:false:true 1:2:true:true 3:2:true:true 4:2:true:true 5:5:false:false"
	if strings.Join(got, " ") != want {
		t.Errorf("ranks\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestBallotsSurviveRestart(t *testing.T) {
	h, reopen := votingHub(t, false)
	do(t, h, ada, session.CastVote{Ballot: 1, Dots: map[int]int{1: 2}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{1: 1, 3: 3}})
	do(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3}})
	do(t, h, facilitator, session.CastVote{Ballot: 1, Dots: map[int]int{2: 1}})
	do(t, h, facilitator, session.OpenBallot{Texts: []string{"x", "y"}})
	h = reopen()
	v := h.Snapshot().ViewFor(bob)
	if b, _ := v.FindBallot(1); fmt.Sprint(counts(v, 1)) != "[5 1 0]" || b.Voters == nil || *b.Voters != 3 {
		t.Fatalf("live counts after restart: %v, %+v", counts(v, 1), b)
	}
	if got := v.MyAllocation(1); got.Total() != 3 || got.On(1) != 3 {
		t.Errorf("Bob's allocation after restart: %+v", got)
	}
	// Taking every dot back, then closing.
	do(t, h, ada, session.CastVote{Ballot: 1})
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	h = reopen()
	b, _ := h.Snapshot().Ballot(1)
	if b.Open() || b.Results == nil || b.Results.Voters != 2 || fmt.Sprint(b.Results.Dots) != "[3 1 0]" {
		t.Fatalf("closed ballot after restart: %+v", b)
	}
	if b2, _ := h.Snapshot().Ballot(2); !b2.Open() || len(b2.Items) != 2 {
		t.Errorf("second ballot after restart: %+v", b2)
	}
	refused(t, h, bob, session.CastVote{Ballot: 1, Dots: map[int]int{2: 1}}, "closed")
}

func TestBallotFromCardsAndThemes(t *testing.T) {
	h, _ := dialogueHub(t)
	do(t, h, ada, session.AddCard{Text: "Meetings in working hours"})
	do(t, h, bob, session.AddCard{Text: "Too much jargon"})
	do(t, h, bob, session.AddCard{Text: "Nobody hears back"})
	do(t, h, facilitator, session.AddTheme{Name: "Access"})
	do(t, h, facilitator, session.AssignCards{Theme: 1, Cards: []int64{1, 3}})
	refused(t, h, facilitator, session.OpenBallot{FromStep: 1}, "not one")
	do(t, h, facilitator, session.NextStep{})
	refused(t, h, facilitator, session.OpenBallot{FromStep: 2}, "not a dialogue step")
	refused(t, h, facilitator, session.OpenBallot{}, "needs items")
	refused(t, h, facilitator, session.OpenBallot{Texts: []string{"only one"}}, "at least two")
	refused(t, h, facilitator, session.OpenBallot{Texts: []string{"a", "b"}, Dots: 5, MaxPerItem: 6}, "most dots on one item")
	do(t, h, facilitator, session.OpenBallot{FromStep: 1, Themes: []int64{1}})
	b, _ := h.Snapshot().Ballot(1)
	if len(b.Items) != 2 || b.Items[0].Ref != 1 || b.Items[1].Ref != 3 || b.Items[0].Source != session.FromCard {
		t.Fatalf("items from theme Access: %+v", b.Items)
	}
	// Editing a card later does not change what is voted on.
	do(t, h, facilitator, session.PreviousStep{})
	do(t, h, ada, session.EditCard{ID: 1, Text: "changed"})
	if b, _ := h.Snapshot().Ballot(1); b.Items[0].Text != "Meetings in working hours" {
		t.Errorf("ballot item followed a card edit: %q", b.Items[0].Text)
	}
}

// Many people voting at once: every accepted vote is in the tally, and
// only those.
func TestConcurrentVotesTallyExactly(t *testing.T) {
	h, reopen := votingHub(t, true)
	var wg sync.WaitGroup
	var mu sync.Mutex
	want := make([]int, 3)
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("SHA256:v%d", i)
			ctx := context.Background()
			if err := h.Do(ctx, id, session.Register{Name: fmt.Sprintf("V%d", i)}); err != nil {
				t.Error(err)
				return
			}
			// Over budget: refused.
			if err := h.Do(ctx, id, session.CastVote{Ballot: 1, Dots: map[int]int{1: 3, 2: 3}}); err == nil {
				t.Error("over budget vote accepted")
			}
			dots := map[int]int{1 + i%3: 1 + i%3, 1 + (i+1)%3: 1}
			if err := h.Do(ctx, id, session.CastVote{Ballot: 1, Dots: dots}); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			for item, n := range dots {
				want[item-1] += n
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	do(t, h, facilitator, session.CloseBallot{Ballot: 1})
	h = reopen()
	b, _ := h.Snapshot().Ballot(1)
	if fmt.Sprint(b.Results.Dots) != fmt.Sprint(want) || b.Results.Voters != 60 {
		t.Errorf("tally %v voters %d, want %v and 60", b.Results.Dots, b.Results.Voters, want)
	}
}

func TestBallotNeedsVotingStep(t *testing.T) {
	h, _ := dialogueHub(t)
	err := h.Do(context.Background(), facilitator, session.OpenBallot{Texts: []string{"a", "b"}})
	if err == nil || errors.Is(err, session.ErrForbidden) {
		t.Errorf("ballot on a dialogue step: %v", err)
	}
}
