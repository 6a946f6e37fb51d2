package session

import (
	"fmt"
	"slices"
	"time"

	"moot/session/catalogue"
)

// Views of the voting phase: ballots, their results, and a person's own
// dots.

// BallotView is a ballot as a viewer may see it. While a secret ballot is
// open no count is in it (Voters only for a facilitator and the room's
// screen); once the tally may be shown it is in Results, unless fewer than
// the forum's min_group people voted (Withheld says so).
type BallotView struct {
	ID         int64            `json:"id"`
	Step       int              `json:"step"`
	Title      string           `json:"title"`
	Status     string           `json:"status"` // open or closed
	Secret     bool             `json:"secret"`
	Dots       int              `json:"dots"`
	MaxPerItem int              `json:"max_per_item"`
	TopK       int              `json:"top_k"`
	OpenedAt   time.Time        `json:"opened_at"`
	ClosedAt   *time.Time       `json:"closed_at"`
	Items      []BallotItemView `json:"items"`
	// Voters is how many have put dots on it, where the viewer may know.
	Voters *int `json:"voters,omitempty"`
	// Spent and Left are the viewer's own dots (absent for the projector
	// and the report).
	Spent *int `json:"spent,omitempty"`
	Left  *int `json:"left,omitempty"`
	// Results is the ranked tally, by sector too; null while it may not be
	// shown, and Withheld says why.
	Results  *ResultsView `json:"results"`
	Withheld string       `json:"withheld,omitempty"`
	// Why is Withheld as a message of the catalogue, for a reader in
	// another language.
	Why catalogue.Text `json:"-"`
}

// Open tells whether votes are still taken.
func (b *BallotView) Open() bool { return b.Status == "open" }

// BallotItemView is one item of a ballot, with its dots where the tally
// may be shown, and the viewer's own.
type BallotItemView struct {
	ID     int        `json:"id"`
	Text   string     `json:"text"`
	Source ItemSource `json:"source"`
	Ref    int64      `json:"ref,omitempty"`
	Dots   *int       `json:"dots,omitempty"`
	Mine   *int       `json:"mine,omitempty"`
}

// ResultsView is a ballot's ranked tally: what `results --json` prints.
type ResultsView struct {
	Ballot int64  `json:"ballot"`
	Title  string `json:"title"`
	Status string `json:"status"`
	// Final is true once the ballot has closed; a live ballot's results
	// may still change.
	Final     bool             `json:"final"`
	Voters    int              `json:"voters"`
	TotalDots int              `json:"total_dots"`
	TopK      int              `json:"top_k"`
	Items     []RankedItemView `json:"items"`
	// Sectors break the tally down by the voters' sectors (as they stood
	// at the close), under the small-group rule; SectorsNote says what was
	// counted together or left out, and why.
	Sectors     []SectorView `json:"sectors,omitempty"`
	SectorsNote string       `json:"sectors_note,omitempty"`
	// SectorsWhy is SectorsNote as a message of the catalogue.
	SectorsWhy catalogue.Text `json:"-"`
}

// RankedItemView is one item in ranked order: most dots first; Rank is
// shared by items with the same dots (Tied), never broken; Top marks the
// items that lead (within top_k, ties at the cut-off kept, at least one
// dot).
type RankedItemView struct {
	Rank   int        `json:"rank"`
	Tied   bool       `json:"tied"`
	Top    bool       `json:"top"`
	ID     int        `json:"id"`
	Text   string     `json:"text"`
	Source ItemSource `json:"source"`
	Ref    int64      `json:"ref,omitempty"`
	Dots   int        `json:"dots"`
	Share  float64    `json:"share"` // of all dots spent, 0..1
}

// RankLabel writes a rank as results show it: "=2" for a tie.
func (r RankedItemView) RankLabel() string {
	if r.Tied {
		return fmt.Sprintf("=%d", r.Rank)
	}
	return fmt.Sprint(r.Rank)
}

// SectorView is the part of a tally from one sector ("" is people who gave
// none), or from several counted together as OtherSectors (Pooled lists
// them); Dots[i] is on item i+1.
type SectorView struct {
	Sector string   `json:"sector"`
	Pooled []string `json:"pooled,omitempty"`
	Voters int      `json:"voters"`
	Dots   []int    `json:"dots"`
}

// MyVoteView is the viewer's own dots on a ballot: `myvote --json`.
type MyVoteView struct {
	Ballot int64        `json:"ballot"`
	Status string       `json:"status"`
	Dots   int          `json:"dots"`
	Spent  int          `json:"spent"`
	Left   int          `json:"left"`
	Items  []MyVoteItem `json:"items"`
}

// MyVoteItem is one item the viewer put dots on.
type MyVoteItem struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
	Dots int    `json:"dots"`
}

// Ballots lists every ballot, in order of number.
func (v *View) Ballots() []*BallotView {
	return v.shared.ballots.get(func() []*BallotView {
		out := make([]*BallotView, len(v.snap.Ballots))
		for i, b := range v.snap.Ballots {
			out[i] = v.buildBallot(b)
		}
		return out
	})
}

func (v *View) buildBallot(b *Ballot) *BallotView {
	s, min := v.snap, v.shared.min
	bv := &BallotView{ID: b.ID, Step: b.Step, Title: b.Title, Status: "open", Secret: b.Secret, Dots: b.Dots,
		MaxPerItem: b.MaxPerItem, TopK: b.TopK, OpenedAt: b.OpenedAt.UTC(), Items: make([]BallotItemView, len(b.Items))}
	for i, it := range b.Items {
		bv.Items[i] = BallotItemView{ID: it.ID, Text: it.Text, Source: it.Source, Ref: it.Ref}
	}
	t := s.tallies[b.ID-1]
	voters, counts := t.voters, t.counts
	var sectors []group
	if b.Results != nil {
		at := b.ClosedAt.UTC()
		bv.Status, bv.ClosedAt = "closed", &at
		voters, counts = b.Results.Voters, b.Results.Dots
		for _, st := range b.Results.Sectors {
			sectors = append(sectors, group{sector: st.Sector, people: st.Voters, counts: st.Dots})
		}
	} else if !b.Secret {
		sectors = sectorGroups(s.Forum.Sectors, len(b.Items), t.alloc, s.sectorOf, func(g *group, a *Allocation) {
			for _, d := range *a {
				g.counts[d.Item-1] += d.Dots
			}
		})
	}
	shown := b.Results != nil || !b.Secret
	if shown || v.shared.audience == ForFacilitator || v.shared.audience == ForProjector {
		bv.Voters = &voters
	}
	switch {
	case !shown:
		bv.Withheld, bv.Why = withheld("withheld.secret")
		return bv
	case voters > 0 && voters < min:
		if b.Open() {
			bv.Withheld, bv.Why = withheld("withheld.ballot.too_few_yet", min)
		} else {
			bv.Withheld, bv.Why = withheld("withheld.ballot.too_few", min)
		}
		return bv
	}
	r := &ResultsView{Ballot: b.ID, Title: b.Title, Status: bv.Status, Final: b.Results != nil, Voters: voters, TopK: b.TopK, Items: []RankedItemView{}}
	for _, n := range counts {
		r.TotalDots += n
	}
	for i := range bv.Items {
		n := counts[i]
		bv.Items[i].Dots = &n
	}
	for _, x := range Rank(b, counts) {
		share := 0.0
		if r.TotalDots > 0 {
			share = float64(x.Dots) / float64(r.TotalDots)
		}
		r.Items = append(r.Items, RankedItemView{Rank: x.Rank, Tied: x.Tied, Top: x.Top, ID: x.Item.ID, Text: x.Item.Text,
			Source: x.Item.Source, Ref: x.Item.Ref, Dots: x.Dots, Share: share})
	}
	groups, note := poolSmallGroups(sectors, min, "session.count.voters")
	r.SectorsNote, r.SectorsWhy = english(note)
	for _, g := range groups {
		r.Sectors = append(r.Sectors, SectorView{Sector: g.sector, Pooled: g.pooled, Voters: g.people, Dots: slices.Clone(g.counts)})
	}
	bv.Results = r
	return bv
}

// FindBallot finds a ballot by its number.
func (v *View) FindBallot(id int64) (*BallotView, bool) {
	bs := v.Ballots()
	if id < 1 || int(id) > len(bs) {
		return nil, false
	}
	return bs[id-1], true
}

// BallotsOf lists the ballots opened on a step.
func (v *View) BallotsOf(step int) []*BallotView {
	var out []*BallotView
	for _, b := range v.Ballots() {
		if b.Step == step {
			out = append(out, b)
		}
	}
	return out
}

// MyAllocation is the viewer's own dots on a ballot: the only person's
// dots any view holds, and only theirs.
func (v *View) MyAllocation(ballot int64) Allocation {
	if v.viewer == "" || ballot < 1 || int(ballot) > len(v.snap.tallies) {
		return nil
	}
	if a := v.snap.tallies[ballot-1].alloc[v.viewer]; a != nil {
		return *a
	}
	return nil
}

// Ballot is a ballot as the viewer sees it, with their own dots.
func (v *View) Ballot(b *BallotView) BallotView {
	out := *b
	if v.viewer == "" {
		return out
	}
	mine := v.MyAllocation(b.ID)
	spent, left := mine.Total(), b.Dots-mine.Total()
	out.Spent, out.Left = &spent, &left
	out.Items = slices.Clone(b.Items)
	for i := range out.Items {
		n := mine.On(out.Items[i].ID)
		out.Items[i].Mine = &n
	}
	return out
}

// MyVote is the viewer's own dots on a ballot.
func (v *View) MyVote(b *BallotView) MyVoteView {
	mine := v.MyAllocation(b.ID)
	out := MyVoteView{Ballot: b.ID, Status: b.Status, Dots: b.Dots, Spent: mine.Total(), Left: b.Dots - mine.Total(), Items: []MyVoteItem{}}
	for _, d := range mine {
		if d.Item >= 1 && d.Item <= len(b.Items) {
			out.Items = append(out.Items, MyVoteItem{ID: d.Item, Text: b.Items[d.Item-1].Text, Dots: d.Dots})
		}
	}
	return out
}
