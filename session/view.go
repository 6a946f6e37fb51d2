package session

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"moot/session/catalogue"
)

// Who sees what is decided here, once. A Snapshot is turned into a View for
// one viewer; screens, the commands' text and JSON, the projector and the
// report render views and never reach into the snapshot's raw state. Every
// rule of visibility is applied while a view is built:
//
//   - secret ballots show no count while open (a facilitator, and the
//     room's screen, see how many have voted);
//   - an open check's spread shows to the facilitator, and to everyone
//     where the forum says show_distribution; who blocked, only to the
//     facilitator;
//   - nobody sees who wrote an anonymous card, not even through the
//     credits of a card it was merged into;
//   - hidden cards show only to a facilitator, withdrawn and merged-away
//     ones to nobody;
//   - the small-group rule: a count of people's choices (a ballot's
//     tally, a check's spread, any breakdown of them by sector, the
//     report's tables of people) is shown only when it covers at least
//     the forum's MinGroup people (poolSmallGroups).
//
// Most of a view is the same for everyone in one audience, so it is built
// once per snapshot and audience (and kept across snapshots that differ
// only in who is connected); what is a person's own (their dots, their
// level, whether a card is theirs) is looked up for them on the way out.

// Audience is who a view is drawn for.
type Audience string

const (
	// ForParticipant is a person taking part: what everyone may see, and
	// their own choices.
	ForParticipant Audience = "participant"
	// ForFacilitator is a person steering the forum: besides, the people
	// in the room, how many have voted on a secret ballot, an open check's
	// spread and by sector, and who blocked.
	ForFacilitator Audience = "facilitator"
	// ForProjector is the read-only screen in the room.
	ForProjector Audience = "projector"
	// ForReport is the export, which names nobody.
	ForReport Audience = "report"
)

// Audiences lists every audience, in the order the README's table of who
// sees what has them.
var Audiences = [...]Audience{ForParticipant, ForFacilitator, ForProjector, ForReport}

// The small-group rule's threshold: MinGroup in an agenda.
const (
	DefaultMinGroup = 3
	// LeastMinGroup is the smallest threshold an agenda may set: in a
	// group of two, each would know the other's choice from the total.
	LeastMinGroup = 3
	MostMinGroup  = 100
)

// MinGroupRule says what an agenda's min_group may be, for messages.
var MinGroupRule = catalogue.Msg("session.rule.min_group", LeastMinGroup, MostMinGroup, DefaultMinGroup)

// GroupThreshold is the fewest people a count of choices may cover.
func (f *Forum) GroupThreshold() int {
	if f.MinGroup == 0 {
		return DefaultMinGroup
	}
	return f.MinGroup
}

// viewCache holds what is shared by every view of one audience.
type viewCache struct {
	shared [len(Audiences)]struct {
		once sync.Once
		v    *sharedView
	}
}

func newViewCache() *viewCache { return &viewCache{} }

// sharedView is the part of a view that is the same for everyone in one
// audience. Each part is built the first time a screen or command asks.
type sharedView struct {
	audience Audience
	min      int

	cards         lazy[*cardIndex]
	themes        lazy[[]ThemeView]
	ballots       lazy[[]*BallotView]
	statements    lazy[*statementIndex]
	draft         lazy[[]*DraftStatement]
	feedback      lazy[[]*FeedbackView]
	participation lazy[*Participation]
	tables        lazy[*tableIndex]
	polls         lazy[[]*PollView]
	facilitators  lazy[map[string]bool]

	mu      sync.Mutex
	details map[int64]*StatementDetail
}

// lazy is a value made once, on first use, whoever asks first.
type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}

// View is the forum as one viewer may see it. It is cheap to make: all but
// the viewer's own things are shared with every other view of the same
// snapshot and audience. What it returns is read-only.
type View struct {
	snap   *Snapshot
	shared *sharedView
	// viewer is the key fingerprint of the person; "" for the projector
	// and the report.
	viewer string
}

// ViewFor is the forum as the holder of key id sees it: as a facilitator
// or a participant, by their key.
func (s *Snapshot) ViewFor(id string) *View {
	a := ForParticipant
	if s.Forum.RoleOf(id) == RoleFacilitator {
		a = ForFacilitator
	}
	return &View{snap: s, shared: s.sharedView(a), viewer: id}
}

// ViewAs is the forum as an audience without a person sees it: the
// projector or the report.
func (s *Snapshot) ViewAs(a Audience) *View {
	return &View{snap: s, shared: s.sharedView(a)}
}

func (s *Snapshot) sharedView(a Audience) *sharedView {
	i := slices.Index(Audiences[:], a)
	if i < 0 {
		panic("session: no audience " + string(a))
	}
	cache := s.views
	if cache == nil {
		cache = newViewCache() // a Snapshot made by hand: nothing to share
	}
	slot := &cache.shared[i]
	slot.once.Do(func() {
		slot.v = &sharedView{audience: a, min: s.Forum.GroupThreshold(), details: map[int64]*StatementDetail{}}
	})
	return slot.v
}

// Audience is who the view is for.
func (v *View) Audience() Audience { return v.shared.audience }

// Facilitator tells whether the viewer steers the forum.
func (v *View) Facilitator() bool { return v.shared.audience == ForFacilitator }

// Viewer is the key fingerprint of the person the view is for; "" for the
// projector and the report.
func (v *View) Viewer() string { return v.viewer }

// MinGroup is the fewest people a count of choices in this view covers.
func (v *View) MinGroup() int { return v.shared.min }

// What everyone may know about the forum itself.

func (v *View) Forum() *Forum      { return v.snap.Forum }
func (v *View) Step() int          { return v.snap.Step }
func (v *View) Stage() Stage       { return v.snap.Stage() }
func (v *View) CurrentStep() *Step { return v.snap.CurrentStep() }
func (v *View) Timer() Timer       { return v.snap.Timer }
func (v *View) Now() time.Time     { return v.snap.Now }
func (v *View) Archived() bool     { return v.snap.Archived }
func (v *View) Stopping() bool     { return v.snap.Stopping }
func (v *View) Seq() int64         { return v.snap.Seq }
func (v *View) NamesSeq() int64    { return v.snap.NamesSeq }
func (v *View) Connected() int     { return v.snap.Connected }
func (v *View) PeopleCount() int   { return len(v.snap.Participants) }

// OnlyLater tells whether v is prev at a later clock, for the same viewer:
// only countdowns have moved (Snapshot.Later).
func (v *View) OnlyLater(prev *View) bool {
	return prev != nil && v.viewer == prev.viewer && v.shared == prev.shared && v.snap.OnlyLater(prev.snap)
}

// Me is the viewer as the forum knows them; false before they have given
// a name (and always for the projector and the report).
func (v *View) Me() (ParticipantView, bool) {
	if v.viewer == "" {
		return ParticipantView{}, false
	}
	return v.snap.Participant(v.viewer)
}

// Langs are the languages the viewer reads moot in, the first the
// catalogue has taken: their own choice, then their forum's (see
// catalogue.Printer).
func (v *View) Langs() []string {
	me, _ := v.Me()
	return []string{me.Lang, v.snap.Forum.Lang}
}

// People lists everyone who has given a name, with their sector and
// whether they are connected: for a facilitator only (nil for anyone
// else).
func (v *View) People() []ParticipantView {
	if !v.Facilitator() {
		return nil
	}
	// Made for each call, not shared: who is connected changes without a
	// new event. How someone follows the forum is theirs (mode.go).
	out := make([]ParticipantView, len(v.snap.Participants))
	for i, p := range v.snap.Participants {
		p.Mode, p.Quiet, p.Lang = ModeScreen, false, ""
		out[i] = p
	}
	return out
}

// namesPeople tells whether the view names people: a person's view does;
// the room's screen and the report name nobody.
func (v *View) namesPeople() bool {
	return v.shared.audience == ForParticipant || v.shared.audience == ForFacilitator
}

// name is what the view calls the holder of key id: their display name,
// or nothing where the view names nobody.
func (v *View) name(id string) string {
	if !v.namesPeople() {
		return ""
	}
	return nameIn(v.snap, id)
}

// author is what the view calls the writer of a statement's wording (its
// proposal, an amendment, a revision): a person's view names them, the
// report only if they asked to be named (credit on), the room's screen
// never.
func (v *View) author(id string) string {
	if v.namesPeople() {
		return nameIn(v.snap, id)
	}
	if p, ok := v.snap.Participant(id); ok && p.Credit && v.shared.audience == ForReport {
		return p.Name
	}
	return ""
}

func nameIn(s *Snapshot, id string) string {
	if p, ok := s.Participant(id); ok {
		return p.Name
	}
	return "someone"
}

// Stamp tells two views of a card apart across snapshots: cards with
// equal stamps are drawn alike, so screens remember what they drew by it.
type Stamp struct {
	card  *Card
	names int64
}

// The small-group rule.

// OtherSectors is the group that counts together the sectors too small to
// show on their own.
const OtherSectors = "Other sectors"

// NoSectorLabel is how "" (people who gave no sector) reads in text.
const NoSectorLabel = "No sector given"

// SectorLabel is a sector's name as text shows it.
func SectorLabel(s string) string {
	if s == "" {
		return NoSectorLabel
	}
	return s
}

// SectorText is a sector's name as a message gives it: the sector's own
// name, or the catalogue's words for people who gave none.
func SectorText(s string) any {
	if s == "" {
		return catalogue.Msg("session.sector.none")
	}
	return s
}

// GroupLabel is a group of a breakdown as text names it: a sector, or
// "Other sectors (A, B)" for several counted together.
func GroupLabel(sector string, pooled []string) string {
	if pooled == nil {
		return SectorLabel(sector)
	}
	names := make([]string, len(pooled))
	for i, s := range pooled {
		names[i] = SectorLabel(s)
	}
	return sector + " (" + strings.Join(names, ", ") + ")"
}

// GroupName is GroupLabel as an argument of a message of the catalogue.
func GroupName(sector string, pooled []string) any {
	if pooled == nil {
		return SectorText(sector)
	}
	return catalogue.Msg("session.group.pooled", sectorList[catalogue.Commas](pooled))
}

// sectorList is sectors as a message lists them.
func sectorList[L catalogue.List | catalogue.Commas](sectors []string) L {
	out := make(L, len(sectors))
	for i, s := range sectors {
		out[i] = SectorText(s)
	}
	return out
}

// group is the part of a count that came from one group of people: a
// sector, or several counted together.
type group struct {
	sector string
	// pooled lists the sectors counted together as OtherSectors.
	pooled  []string
	people  int
	counts  []int
	blocked bool
}

// poolSmallGroups applies the small-group rule to a breakdown whose groups
// come in the order they are shown. A group of at least min people is
// shown as it is; smaller ones are counted together as OtherSectors, after
// the others. While that pool is still smaller than min it takes in the
// smallest group shown as well: withheld on its own, it could be told from
// the total less the groups shown. A breakdown of fewer than min people in
// all is withheld whole (shown is nil). Groups of no one are left out.
// note says what was pooled or withheld, and why; people is the key of the
// count of the people counted ("session.count.voters": "3 voters").
func poolSmallGroups(groups []group, min int, people string) (shown []group, note catalogue.Text) {
	total := 0
	for _, g := range groups {
		total += g.people
	}
	fewer := catalogue.Msg(people, min)
	switch {
	case total == 0:
		return nil, catalogue.Text{}
	case total < min:
		return nil, catalogue.Msg("session.pool.too_few", fewer)
	}
	var small []group
	for _, g := range groups {
		switch {
		case g.people == 0:
		case g.people < min:
			small = append(small, g)
		default:
			shown = append(shown, g)
		}
	}
	if len(small) == 0 {
		return shown, catalogue.Text{}
	}
	var tooSmall, absorbed []string
	pool := group{sector: OtherSectors, counts: make([]int, len(small[0].counts))}
	take := func(g group) {
		pool.people += g.people
		pool.blocked = pool.blocked || g.blocked
		for i, n := range g.counts {
			pool.counts[i] += n
		}
		pool.pooled = append(pool.pooled, g.sector)
	}
	for _, g := range small {
		take(g)
		tooSmall = append(tooSmall, g.sector)
	}
	for pool.people < min {
		// The smallest group shown (the last of equals) joins the pool.
		at := 0
		for i, g := range shown {
			if g.people <= shown[at].people {
				at = i
			}
		}
		take(shown[at])
		absorbed = append(absorbed, shown[at].sector)
		shown = slices.Delete(slices.Clone(shown), at, at+1)
	}
	named := sectorList[catalogue.List](tooSmall)
	other := catalogue.Msg("session.group.other_sectors")
	switch {
	case len(shown) == 0:
		// One group of everyone would only repeat the total.
		return nil, catalogue.Msg("session.pool.none_shown", len(tooSmall), named, fewer)
	case len(absorbed) > 0:
		return append(shown, pool), catalogue.Msg("session.pool.together_with", len(tooSmall), named, fewer, sectorList[catalogue.List](absorbed), other)
	}
	return append(shown, pool), catalogue.Msg("session.pool.together", len(tooSmall), named, fewer, other)
}

// english is a message in English as well, for a view's JSON (which is
// data, in English in every language) beside the message itself.
func english(t catalogue.Text) (string, catalogue.Text) { return t.String(), t }

// sectorGroups gathers people's choices by the sector of each, in the
// order breakdowns show them (orderGroups); add puts one person's choice
// into their group's counts, which have width entries.
func sectorGroups[T any](sectors []string, width int, choices map[string]T, sectorOf func(id string) string, add func(g *group, c T)) []group {
	by := map[string]*group{}
	for id, c := range choices {
		s := sectorOf(id)
		g := by[s]
		if g == nil {
			g = &group{sector: s, counts: make([]int, width)}
			by[s] = g
		}
		g.people++
		add(g, c)
	}
	return orderGroups(sectors, by)
}

// orderGroups puts groups in the order breakdowns show them: the forum's
// sectors in order, then sectors no longer in its list (by name), then ""
// for people who gave none.
func orderGroups(sectors []string, by map[string]*group) []group {
	var out []group
	for _, s := range sectors {
		if g := by[s]; g != nil {
			out = append(out, *g)
		}
	}
	var rest []string
	for s := range by {
		if s != "" && !slices.Contains(sectors, s) {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	for _, s := range rest {
		out = append(out, *by[s])
	}
	if g := by[""]; g != nil {
		out = append(out, *g)
	}
	return out
}

// sectorOf is the sector a person gave, as the snapshot has it.
func (s *Snapshot) sectorOf(id string) string {
	p, _ := s.Participant(id)
	return p.Sector
}

// Participation is who took part, counted by sector, and named only if
// they asked to be (credit on). Facilitators are counted apart: they steer
// the forum, and counting them in a sector would tell a reader that sector
// had more voices in the room than it had.
type Participation struct {
	// People counts everyone who gave a name: Participants and
	// Facilitators.
	People       int `json:"people"`
	Participants int `json:"participants"`
	Facilitators int `json:"facilitators"`
	// BySector counts the participants: every sector of the agenda in its
	// order (0 included), then sectors no longer in it, then "" for people
	// who gave none (only if any); sectors of fewer than the forum's
	// min_group people are counted together as OtherSectors, last (Pooled
	// lists them).
	BySector []SectorPeople `json:"by_sector"`
	// BySectorNote says which sectors were counted together, or why there
	// is no breakdown, and why.
	BySectorNote string `json:"by_sector_note,omitempty"`
	// BySectorWhy is BySectorNote as a message of the catalogue.
	BySectorWhy catalogue.Text `json:"-"`
	// Named and NamedFacilitators list, sorted, the participants and the
	// facilitators who agreed to be named.
	Named             []string `json:"named"`
	NamedFacilitators []string `json:"named_facilitators"`
}

// SectorPeople is how many people are in a sector ("" is people who gave
// none), or in several counted together (Pooled lists them).
type SectorPeople struct {
	Sector string   `json:"sector"`
	Pooled []string `json:"pooled,omitempty"`
	People int      `json:"people"`
}

// Participation is who took part, by sector.
func (v *View) Participation() *Participation {
	return v.shared.participation.get(func() *Participation {
		s := v.snap
		p := &Participation{People: len(s.Participants), Named: []string{}, NamedFacilitators: []string{}, BySector: []SectorPeople{}}
		by := map[string]*group{}
		for _, sector := range s.Forum.Sectors {
			by[sector] = &group{sector: sector}
		}
		for _, pv := range s.Participants { // sorted by name
			if s.Forum.RoleOf(pv.ID) == RoleFacilitator {
				p.Facilitators++
				if pv.Credit {
					p.NamedFacilitators = append(p.NamedFacilitators, pv.Name)
				}
				continue
			}
			p.Participants++
			if pv.Credit {
				p.Named = append(p.Named, pv.Name)
			}
			if by[pv.Sector] == nil {
				by[pv.Sector] = &group{sector: pv.Sector}
			}
			by[pv.Sector].people++
		}
		groups := orderGroups(s.Forum.Sectors, by)
		shown, note := poolSmallGroups(groups, v.shared.min, "count.people")
		p.BySectorNote, p.BySectorWhy = english(note)
		if shown == nil && p.Participants > 0 {
			return p
		}
		// In the agenda's order, sectors nobody chose as 0 (a count of no
		// one singles nobody out), the pool last.
		for _, g := range groups {
			i := slices.IndexFunc(shown, func(x group) bool { return x.pooled == nil && x.sector == g.sector })
			switch {
			case i >= 0:
				p.BySector = append(p.BySector, SectorPeople{Sector: g.sector, People: g.people})
			case g.people == 0:
				p.BySector = append(p.BySector, SectorPeople{Sector: g.sector})
			}
		}
		if n := len(shown); n > 0 && shown[n-1].pooled != nil {
			p.BySector = append(p.BySector, SectorPeople{Sector: OtherSectors, Pooled: shown[n-1].pooled, People: shown[n-1].people})
		}
		return p
	})
}

// Countdown writes time left as a clock ("7:05 left", "1:02:00 left"), or
// how long ago it ran out.
func Countdown(d time.Duration) string { return CountdownText(d).String() }

// CountdownText is Countdown as a message of the catalogue.
func CountdownText(d time.Duration) catalogue.Text {
	key := "session.countdown.left"
	if d < 0 {
		d, key = -d, "session.countdown.over"
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	clock := fmt.Sprintf("%d:%02d", m, s)
	if h > 0 {
		clock = fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return catalogue.Msg(key, clock)
}

// Waited writes a wait as people say it: "40s", "3m", "1h05m".
func Waited(d time.Duration) string { return WaitedText(d).String() }

// WaitedText is Waited as a message of the catalogue.
func WaitedText(d time.Duration) catalogue.Text {
	switch {
	case d < time.Minute:
		return catalogue.Msg("session.waited.seconds", int(d.Seconds()))
	case d < time.Hour:
		return catalogue.Msg("session.waited.minutes", int(d.Minutes()))
	}
	return catalogue.Msg("session.waited.hours", int(d.Hours()), fmt.Sprintf("%02d", int(d.Minutes())%60))
}

// withheld says why a count is not shown: in English (the views' JSON, and
// the front ends not yet in the catalogue) and as the catalogue's message.
func withheld(key string, args ...any) (string, catalogue.Text) {
	return english(catalogue.Msg(key, args...))
}
