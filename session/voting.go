package session

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"time"
	"unicode/utf8"

	"moot/session/catalogue"
)

// Limits of the voting phase.
const (
	MaxBallotItems    = 100
	MaxBallotDots     = 100
	MaxBallotTitle    = 200
	DefaultBallotDots = 5
	DefaultBallotTopK = 4
)

// ItemSource says where a ballot item came from. Statements (deliberation)
// are expected to become another source.
type ItemSource string

const (
	FromCard   ItemSource = "card"   // Ref is the card's number
	FromText   ItemSource = "text"   // typed in when the ballot was opened
	FromAgenda ItemSource = "agenda" // listed under the step in the agenda
)

// BallotSpec is what an agenda says about a voting step's ballot. Zero
// values take the defaults.
type BallotSpec struct {
	Dots       int      `json:"dots,omitempty"`
	MaxPerItem int      `json:"max_per_item,omitempty"`
	TopK       int      `json:"top_k,omitempty"`
	Secret     *bool    `json:"secret,omitempty"`
	Items      []string `json:"items,omitempty"`
}

// BallotItem is one thing people spend dots on. Its text is copied in when
// the ballot opens, so later edits to a card do not change what was voted on.
type BallotItem struct {
	ID     int        `json:"id"` // 1..n within its ballot
	Text   string     `json:"text"`
	Source ItemSource `json:"source"`
	Ref    int64      `json:"ref,omitempty"`
}

// Ballot is a dot vote on a voting step. Like cards, ballots are never
// modified in place: closing one puts a new *Ballot in the state.
type Ballot struct {
	ID    int64        `json:"id"`
	Step  int          `json:"step"`
	Title string       `json:"title"`
	Items []BallotItem `json:"items"`
	// Dots is each person's budget; MaxPerItem the most one person may put
	// on one item (0: no cap, dots stack freely).
	Dots       int       `json:"dots"`
	MaxPerItem int       `json:"max_per_item"`
	TopK       int       `json:"top_k"`
	Secret     bool      `json:"secret"`
	OpenedAt   time.Time `json:"opened_at"`
	ClosedAt   time.Time `json:"closed_at,omitempty"`
	// Results is set when the ballot closes, and final.
	Results *Results `json:"results,omitempty"`
}

// Open tells whether votes are still taken.
func (b *Ballot) Open() bool { return b.ClosedAt.IsZero() }

// Item finds an item by its number.
func (b *Ballot) Item(id int) (BallotItem, bool) {
	if id < 1 || id > len(b.Items) {
		return BallotItem{}, false
	}
	return b.Items[id-1], true
}

// Results is the final tally of a closed ballot.
type Results struct {
	Voters int `json:"voters"`
	// Dots[i] is the dots on item i+1.
	Dots []int `json:"dots"`
	// Sectors break the tally down by the voters' sector at close, in the
	// forum's order of sectors, "" (no sector given) last; sectors nobody
	// voted from are left out.
	Sectors []SectorTally `json:"sectors"`
}

// SectorTally is the part of a tally that came from one sector.
type SectorTally struct {
	Sector string `json:"sector"`
	Voters int    `json:"voters"`
	Dots   []int  `json:"dots"`
}

// ItemDots is some dots on one item.
type ItemDots struct {
	Item int `json:"item"`
	Dots int `json:"dots"`
}

// Allocation is one person's dots on one ballot, sorted by item. It is
// never modified once made: a new vote makes a new one.
type Allocation []ItemDots

// Total is the dots spent.
func (a Allocation) Total() int {
	n := 0
	for _, d := range a {
		n += d.Dots
	}
	return n
}

// On is the dots on one item.
func (a Allocation) On(item int) int {
	for _, d := range a {
		if d.Item == item {
			return d.Dots
		}
	}
	return 0
}

// tally is the running count of one ballot, owned by the Hub. alloc is
// copied before a change once a snapshot shares it, so each publication
// copies at most one map of pointers per ballot that changed, never the
// allocations themselves.
type tally struct {
	alloc  map[string]*Allocation
	counts []int
	shared bool
	pub    *Tally
}

// Tally is a published, read-only picture of a ballot's count.
type Tally struct {
	counts []int
	voters int
	alloc  map[string]*Allocation
}

func (t *tally) publish() *Tally {
	if t.pub == nil {
		t.pub = &Tally{counts: slices.Clone(t.counts), voters: len(t.alloc), alloc: t.alloc}
		t.shared = true
	}
	return t.pub
}

func (t *tally) set(voter string, a Allocation) {
	if t.shared {
		t.alloc = maps.Clone(t.alloc)
		t.shared = false
	}
	t.pub = nil
	if old := t.alloc[voter]; old != nil {
		for _, d := range *old {
			t.counts[d.Item-1] -= d.Dots
		}
	}
	if len(a) == 0 {
		delete(t.alloc, voter)
		return
	}
	for _, d := range a {
		t.counts[d.Item-1] += d.Dots
	}
	t.alloc[voter] = &a
}

// BallotOpened: a facilitator opened a ballot.
type BallotOpened struct {
	Ballot Ballot `json:"ballot"`
}

// VoteCast: a person's whole allocation on a ballot is now Dots (empty:
// they took their dots back).
type VoteCast struct {
	Ballot int64      `json:"ballot"`
	Voter  string     `json:"voter"`
	Dots   Allocation `json:"dots"`
}

// BallotClosed: a facilitator closed a ballot; Results is its final tally.
type BallotClosed struct {
	Ballot  int64     `json:"ballot"`
	At      time.Time `json:"at"`
	Results Results   `json:"results"`
}

func (BallotOpened) Kind() string { return "ballot.opened" }
func (VoteCast) Kind() string     { return "vote.cast" }

// quiet: while a secret ballot is open, a vote shows on no screen but as
// the facilitator's count of voters.
func (e VoteCast) quiet(st *State) bool {
	b, err := st.ballot(e.Ballot)
	return err == nil && b.Secret && b.Open()
}
func (BallotClosed) Kind() string { return "ballot.closed" }

func init() {
	registerEvent[BallotOpened]()
	registerEvent[VoteCast]()
	registerEvent[BallotClosed]()
}

func (e BallotOpened) apply(st *State) { st.RestoreBallot(e.Ballot) }

func (e VoteCast) apply(st *State) { st.RestoreVote(e.Ballot, e.Voter, e.Dots) }

func (e BallotClosed) apply(st *State) {
	b := *st.Ballots[e.Ballot-1]
	r := e.Results
	b.ClosedAt, b.Results = e.At, &r
	st.Ballots[e.Ballot-1] = &b
}

// RestoreBallot puts a ballot into the state, as a store does when it loads
// a forum. Ballots must come in order of ID.
func (st *State) RestoreBallot(b Ballot) {
	st.Ballots = append(st.Ballots, &b)
	st.tallies = append(st.tallies, &tally{alloc: map[string]*Allocation{}, counts: make([]int, len(b.Items))})
}

// RestoreVote sets one person's allocation on a ballot already restored.
func (st *State) RestoreVote(ballot int64, voter string, a Allocation) {
	st.tallies[ballot-1].set(voter, a)
}

func (st *State) ballot(id int64) (*Ballot, error) {
	if id < 1 || int(id) > len(st.Ballots) {
		return nil, catalogue.Err("session.ballot.no_such", id)
	}
	return st.Ballots[id-1], nil
}

// OpenBallot opens a ballot on the current voting step. Its items come
// from any of: the cards of a dialogue step (FromStep; only those under
// Themes if any are named), Texts typed in, and the items the agenda lists
// for the step (Agenda). Zero settings take the agenda's, then the
// defaults.
type OpenBallot struct {
	Title      string
	FromStep   int
	Themes     []int64
	Texts      []string
	Agenda     bool
	Dots       int
	MaxPerItem int
	TopK       int
	Secret     *bool
}

func (c OpenBallot) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.open_ballots"); err != nil {
		return nil, err
	}
	if StageOf(st.Step, len(st.Forum.Steps)) != Running || st.Forum.Steps[st.Step-1].Phase != Voting {
		return nil, catalogue.Err("session.ballot.off_step")
	}
	step := st.Forum.Steps[st.Step-1]
	spec := BallotSpec{}
	if step.Ballot != nil {
		spec = *step.Ballot
	}
	b := Ballot{ID: int64(len(st.Ballots) + 1), Step: st.Step, OpenedAt: now,
		Dots: cmp.Or(c.Dots, spec.Dots, DefaultBallotDots), MaxPerItem: cmp.Or(c.MaxPerItem, spec.MaxPerItem),
		TopK: cmp.Or(c.TopK, spec.TopK, DefaultBallotTopK), Secret: true}
	if spec.Secret != nil {
		b.Secret = *spec.Secret
	}
	if c.Secret != nil {
		b.Secret = *c.Secret
	}
	switch {
	case b.Dots < 1 || b.Dots > MaxBallotDots:
		return nil, catalogue.Err("session.ballot.dots", MaxBallotDots)
	case b.MaxPerItem < 0 || b.MaxPerItem > b.Dots:
		return nil, catalogue.Err("session.ballot.max", b.Dots)
	case b.TopK < 1 || b.TopK > MaxBallotItems:
		return nil, catalogue.Err("session.ballot.top", MaxBallotItems)
	}
	b.Title = CleanLine(c.Title)
	if b.Title == "" {
		b.Title = step.Title
	}
	if utf8.RuneCountInString(b.Title) > MaxBallotTitle {
		return nil, catalogue.Err("session.ballot.title_too_long", MaxBallotTitle)
	}

	add := func(text string, src ItemSource, ref int64) error {
		t := CleanText(text)
		if t == "" {
			return catalogue.Err("session.ballot.item_empty")
		}
		if n := utf8.RuneCountInString(t); n > MaxCardLength {
			return catalogue.Err("session.ballot.item_too_long", MaxCardLength, n)
		}
		b.Items = append(b.Items, BallotItem{ID: len(b.Items) + 1, Text: t, Source: src, Ref: ref})
		return nil
	}
	if c.FromStep != 0 {
		if c.FromStep < 1 || c.FromStep > len(st.Forum.Steps) || st.Forum.Steps[c.FromStep-1].Phase != Dialogue {
			return nil, catalogue.Err("session.ballot.not_dialogue", c.FromStep)
		}
		for _, id := range c.Themes {
			if _, err := st.theme(id); err != nil {
				return nil, err
			}
		}
		pos := map[int64]int{}
		for i, t := range st.Themes {
			pos[t.ID] = i
		}
		// From a step of tables, what the tables brought back.
		tabled := st.Forum.Steps[c.FromStep-1].Tables
		var cards []*Card
		for _, cd := range st.Cards {
			if cd.Step == c.FromStep && cd.Shown() && !cd.Parked && (len(c.Themes) == 0 || slices.Contains(c.Themes, cd.Theme)) && (!tabled || cd.Brought) {
				cards = append(cards, cd)
			}
		}
		rank := func(cd *Card) int {
			if cd.Theme == 0 {
				return len(st.Themes)
			}
			return pos[cd.Theme]
		}
		sort.SliceStable(cards, func(i, j int) bool { return rank(cards[i]) < rank(cards[j]) })
		if len(cards) == 0 && tabled {
			return nil, catalogue.Err("session.ballot.none_brought", c.FromStep)
		}
		if len(cards) == 0 {
			return nil, catalogue.Err("session.ballot.no_cards", c.FromStep)
		}
		for _, cd := range cards {
			if err := add(cd.Text, FromCard, cd.ID); err != nil {
				return nil, err
			}
		}
	} else if len(c.Themes) > 0 {
		return nil, catalogue.Err("session.ballot.themes_step")
	}
	for _, t := range c.Texts {
		if err := add(t, FromText, 0); err != nil {
			return nil, err
		}
	}
	if c.Agenda {
		if len(spec.Items) == 0 {
			return nil, catalogue.Err("session.ballot.agenda_none")
		}
		for _, t := range spec.Items {
			if err := add(t, FromAgenda, 0); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case len(b.Items) == 0:
		return nil, catalogue.Err("session.ballot.no_items")
	case len(b.Items) < 2:
		return nil, catalogue.Err("session.ballot.two_items")
	case len(b.Items) > MaxBallotItems:
		return nil, catalogue.Err("session.ballot.too_many_items", MaxBallotItems, len(b.Items))
	}
	return []Event{BallotOpened{Ballot: b}}, nil
}

// CastVote replaces the actor's whole allocation on a ballot with Dots
// (item number to dots; 0 or no entry leaves an item without dots). An
// empty map takes all the actor's dots back.
type CastVote struct {
	Ballot int64
	Dots   map[int]int
}

func (c CastVote) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if _, ok := st.Participants[a.ID]; !ok {
		return nil, ErrNameFirst
	}
	b, err := st.ballot(c.Ballot)
	if err != nil {
		return nil, err
	}
	if !b.Open() {
		return nil, catalogue.Err("session.ballot.closed", b.ID)
	}
	alloc, err := b.allocation(c.Dots)
	if err != nil {
		return nil, err
	}
	old := st.tallies[b.ID-1].alloc[a.ID]
	if (old == nil && len(alloc) == 0) || (old != nil && slices.Equal(*old, alloc)) {
		return nil, nil
	}
	return []Event{VoteCast{Ballot: b.ID, Voter: a.ID, Dots: alloc}}, nil
}

// allocation checks dots against the ballot's rules and sorts them by item.
func (b *Ballot) allocation(dots map[int]int) (Allocation, error) {
	alloc := make(Allocation, 0, len(dots))
	total := 0
	for item, n := range dots {
		if _, ok := b.Item(item); !ok {
			return nil, catalogue.Err("session.vote.no_item", b.ID, item, len(b.Items))
		}
		switch {
		case n < 0:
			return nil, catalogue.Err("session.vote.negative", item)
		case n == 0:
			continue
		case b.MaxPerItem > 0 && n > b.MaxPerItem:
			return nil, catalogue.Err("session.vote.max", item, b.MaxPerItem)
		case n > b.Dots:
			return nil, catalogue.Err("session.vote.item_over", item, catalogue.Msg("count.dots", b.Dots))
		}
		total += n
		alloc = append(alloc, ItemDots{Item: item, Dots: n})
	}
	if total > b.Dots {
		return nil, catalogue.Err("session.vote.over", total, b.Dots)
	}
	slices.SortFunc(alloc, func(x, y ItemDots) int { return cmp.Compare(x.Item, y.Item) })
	return alloc, nil
}

// CloseBallot ends a ballot; its tally, by sector too, becomes final.
type CloseBallot struct{ Ballot int64 }

func (c CloseBallot) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.close_ballots"); err != nil {
		return nil, err
	}
	b, err := st.ballot(c.Ballot)
	if err != nil {
		return nil, err
	}
	if !b.Open() {
		return nil, catalogue.Err("session.ballot.closed_already", b.ID)
	}
	t := st.tallies[b.ID-1]
	sectorOf := func(id string) string {
		if p, ok := st.Participants[id]; ok {
			return p.Sector
		}
		return ""
	}
	r := Results{Voters: len(t.alloc), Dots: slices.Clone(t.counts), Sectors: sectorTallies(st.Forum.Sectors, len(b.Items), t.alloc, sectorOf)}
	return []Event{BallotClosed{Ballot: b.ID, At: now, Results: r}}, nil
}

func sectorTallies(sectors []string, items int, alloc map[string]*Allocation, sectorOf func(string) string) []SectorTally {
	by := map[string]*SectorTally{}
	for voter, a := range alloc {
		s := sectorOf(voter)
		t := by[s]
		if t == nil {
			t = &SectorTally{Sector: s, Dots: make([]int, items)}
			by[s] = t
		}
		t.Voters++
		for _, d := range *a {
			t.Dots[d.Item-1] += d.Dots
		}
	}
	out := []SectorTally{}
	for _, s := range append(slices.Clone(sectors), "") {
		if t := by[s]; t != nil {
			out = append(out, *t)
			delete(by, s)
		}
	}
	// Sectors no longer in the forum's list, by name.
	rest := slices.Sorted(maps.Keys(by))
	for _, s := range rest {
		out = append(out, *by[s])
	}
	return out
}

// Ranked is an item's place in a tally.
type Ranked struct {
	Item BallotItem
	Dots int
	// Rank is shared by items with the same dots (1, 2, 2, 4); Tied says
	// another item has the same.
	Rank int
	Tied bool
	// Top marks the items that lead the report: rank within top-k, with
	// ties at the cut-off all kept, and at least one dot.
	Top bool
}

// Rank orders a ballot's items by dots, most first; ties keep item order
// and share a rank, and are never broken.
func Rank(b *Ballot, dots []int) []Ranked {
	out := make([]Ranked, len(b.Items))
	for i, it := range b.Items {
		out[i] = Ranked{Item: it, Dots: dots[i]}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Dots > out[j].Dots })
	for i := range out {
		if i > 0 && out[i].Dots == out[i-1].Dots {
			out[i].Rank = out[i-1].Rank
			out[i].Tied, out[i-1].Tied = true, true
		} else {
			out[i].Rank = i + 1
		}
	}
	for i := range out {
		out[i].Top = out[i].Rank <= b.TopK && out[i].Dots > 0
	}
	return out
}

// BallotsOf lists the ballots opened on a step.
func (s *Snapshot) BallotsOf(step int) []*Ballot {
	var out []*Ballot
	for _, b := range s.Ballots {
		if b.Step == step {
			out = append(out, b)
		}
	}
	return out
}

// Ballot finds a ballot by number.
func (s *Snapshot) Ballot(id int64) (*Ballot, bool) {
	if id < 1 || int(id) > len(s.Ballots) {
		return nil, false
	}
	return s.Ballots[id-1], true
}

// clone is a copy of the tally for a copy of the state (State.clone): the
// two share the allocations until either changes one.
func (t *tally) clone() *tally {
	t.shared = true
	c := *t
	c.counts = slices.Clone(t.counts)
	return &c
}
