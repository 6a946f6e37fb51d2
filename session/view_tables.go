package session

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"moot/session/catalogue"
)

// Views of tables: who sits where, each table's cards and queue of hands,
// and what the tables brought back to the plenary.
//
//   - Everyone sees every table's name, size, activity and whether it has
//     a reporter; a person's view names the reporters, and the people at
//     their own tables; a facilitator's names everyone at every table.
//   - A table's mix of sectors is exact for a facilitator (who sees each
//     person's sector anyway) and under the small-group rule for everyone
//     else: the room's screen and the report name nobody's sector.
//   - On a step of tables a participant's cards are their table's (and
//     any written for the whole room); the cards the tables brought back
//     are everyone's, by table.
//   - The report names the people at a table only if they asked to be
//     named (credit on).

// TableRef names a table.
type TableRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TableView is a table as a viewer may see it: what `tables --json`
// prints.
type TableView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Set is the making the table belongs to; Current tells whether people
	// sit at it now (its set is the latest).
	Set     int  `json:"set"`
	Current bool `json:"current"`
	People  int  `json:"people"`
	// Members are the names of the people at the table: for a facilitator
	// at every table, for a participant at their own (Mine).
	Members []string `json:"members,omitempty"`
	// Named are the people at the table who asked to be named in the
	// report (the report only).
	Named []string `json:"named,omitempty"`
	Mine  bool     `json:"mine"`
	// Reporter is the reporter's name where the view names people;
	// HasReporter says whether the table has one at all.
	Reporter    string `json:"reporter,omitempty"`
	HasReporter bool   `json:"has_reporter"`
	// Speaker is the person the table last called to speak, where the
	// view names people.
	Speaker string `json:"speaker,omitempty"`
	// Activity: cards written at the table (shown ones), how many of them
	// it brought back, when the last was written, hands up in its queue.
	Cards       int        `json:"cards"`
	BroughtBack int        `json:"brought_back"`
	LastCardAt  *time.Time `json:"last_card_at"`
	Hands       int        `json:"hands"`
	// Connected counts the people at the table with a screen open (a
	// facilitator's view only).
	Connected *int `json:"connected,omitempty"`
	// Sectors is the table's mix of sectors: exact for a facilitator,
	// under the small-group rule for everyone else (SectorsNote says what
	// was counted together or why there is none).
	Sectors     []SectorPeople `json:"sectors"`
	SectorsNote string         `json:"sectors_note,omitempty"`
	// SectorsWhy is SectorsNote as a message of the catalogue.
	SectorsWhy catalogue.Text `json:"-"`

	// Reporting tells whether the viewer reports for the table.
	Reporting bool `json:"reporting"`

	members  []string // key fingerprints
	names    []string
	reporter string
}

// Ref names the table.
func (t *TableView) Ref() TableRef { return TableRef{ID: t.ID, Name: t.Name} }

// TableCards is what one table brought back to the plenary.
type TableCards struct {
	Table TableRef    `json:"table"`
	Cards []*CardView `json:"cards"`
}

// tableIndex is every table an audience may see.
type tableIndex struct {
	all     []*TableView
	current []*TableView
	// memberOf lists the tables each person sits or sat at; seat is the
	// table each sits at now.
	memberOf map[string][]int64
	seat     map[string]int64
	// hands are the queues, the room's under 0, each with positions.
	hands map[int64][]*HandView
	// cards caches a step's cards as seen at a set of tables (a person's),
	// and brought what the tables brought back from each step.
	mu      sync.Mutex
	cards   map[tableCardsKey][]*CardView
	brought map[int][]TableCards
}

type tableCardsKey struct {
	step   int
	tables string
}

func (v *View) tables() *tableIndex {
	return v.shared.tables.get(func() *tableIndex {
		s := v.snap
		idx := &tableIndex{memberOf: map[string][]int64{}, seat: map[string]int64{}, hands: map[int64][]*HandView{},
			cards: map[tableCardsKey][]*CardView{}, brought: map[int][]TableCards{}}
		type activity struct {
			cards, brought int
			last           time.Time
		}
		act := map[int64]*activity{}
		for _, c := range s.Cards {
			if c.Table == 0 || !c.Shown() {
				continue
			}
			a := act[c.Table]
			if a == nil {
				a = &activity{}
				act[c.Table] = a
			}
			a.cards++
			if c.Brought {
				a.brought++
			}
			if c.CreatedAt.After(a.last) {
				a.last = c.CreatedAt
			}
		}
		for _, h := range s.Hands {
			hv := &HandView{Position: len(idx.hands[h.Table]) + 1, Name: v.name(h.ID), RaisedAt: h.RaisedAt.UTC(), id: h.ID}
			idx.hands[h.Table] = append(idx.hands[h.Table], hv)
		}
		for _, t := range s.Tables {
			tv := &TableView{ID: t.ID, Name: t.Name, Set: t.Set, Current: t.Set == s.TableSet, People: len(t.Members),
				HasReporter: t.Reporter != "", Hands: len(idx.hands[t.ID]), members: t.Members, reporter: t.Reporter}
			if t.Reporter != "" {
				tv.Reporter = v.name(t.Reporter)
			}
			if t.Speaker != "" {
				tv.Speaker = v.name(t.Speaker)
			}
			if a := act[t.ID]; a != nil {
				tv.Cards, tv.BroughtBack = a.cards, a.brought
				last := a.last.UTC()
				tv.LastCardAt = &last
			}
			for _, id := range t.Members {
				idx.memberOf[id] = append(idx.memberOf[id], t.ID)
				if tv.Current {
					idx.seat[id] = t.ID
				}
				if v.namesPeople() {
					tv.names = append(tv.names, nameIn(s, id))
				}
				if p, ok := s.Participant(id); ok && p.Credit && v.shared.audience == ForReport {
					tv.Named = append(tv.Named, p.Name)
				}
			}
			slices.Sort(tv.Named)
			if v.Facilitator() {
				tv.Members = tv.names
			}
			var note catalogue.Text
			tv.Sectors, note = v.tableSectors(t)
			tv.SectorsNote, tv.SectorsWhy = english(note)
			idx.all = append(idx.all, tv)
			if tv.Current {
				idx.current = append(idx.current, tv)
			}
		}
		return idx
	})
}

// tableSectors is a table's mix of sectors as the view may show it.
func (v *View) tableSectors(t *Table) ([]SectorPeople, catalogue.Text) {
	by := map[string]*group{}
	for _, id := range t.Members {
		sector := v.snap.sectorOf(id)
		if by[sector] == nil {
			by[sector] = &group{sector: sector}
		}
		by[sector].people++
	}
	groups := orderGroups(v.snap.Forum.Sectors, by)
	var note catalogue.Text
	if !v.Facilitator() {
		groups, note = poolSmallGroups(groups, v.shared.min, "count.people")
	}
	out := []SectorPeople{}
	for _, g := range groups {
		out = append(out, SectorPeople{Sector: g.sector, Pooled: g.pooled, People: g.people})
	}
	return out, note
}

// Tables lists every table ever made, in order of number; CurrentTables
// those people sit at now.
func (v *View) Tables() []*TableView        { return v.tables().all }
func (v *View) CurrentTables() []*TableView { return v.tables().current }

// FindTable finds a table by its number.
func (v *View) FindTable(id int64) (*TableView, bool) {
	all := v.Tables()
	if id < 1 || int(id) > len(all) {
		return nil, false
	}
	return all[id-1], true
}

// MyTable is the table the viewer sits at now; nil if none.
func (v *View) MyTable() *TableView {
	if v.viewer == "" {
		return nil
	}
	id, ok := v.tables().seat[v.viewer]
	if !ok {
		return nil
	}
	t, _ := v.FindTable(id)
	return t
}

// Table is a table as the viewer sees it: whether they sit at it (then
// with the names of the people there), and for a facilitator how many at
// it are connected.
func (v *View) Table(t *TableView) TableView {
	out := *t
	if v.viewer != "" && slices.Contains(t.members, v.viewer) {
		out.Mine, out.Members = true, t.names
	}
	out.Reporting = v.viewer != "" && t.reporter == v.viewer
	if v.Facilitator() {
		n := 0
		for _, id := range t.members {
			if p, ok := v.snap.Participant(id); ok && p.Connected {
				n++
			}
		}
		out.Connected = &n
	}
	return out
}

// Tabled tells whether a step is a step of tables.
func (v *View) Tabled(step int) bool {
	steps := v.snap.Forum.Steps
	return step >= 1 && step <= len(steps) && steps[step-1].Tables
}

// atTable is the table whose queue and cards the viewer has now: theirs,
// on a step of tables; 0 for the room's.
func (v *View) atTable() int64 {
	if v.viewer == "" || v.Stage() != Running || !v.Tabled(v.Step()) {
		return 0
	}
	return v.tables().seat[v.viewer]
}

// TableCards lists a step's cards as the people at a table see them: the
// table's, and those written for the whole room. A participant may look
// only into the tables they sat at (nil for any other).
func (v *View) TableCards(step int, table int64) []*CardView {
	if !v.SeesTable(table) {
		return nil
	}
	return v.cardsAt(step, []int64{table})
}

// SeesTable tells whether the viewer may read a table's cards: a
// facilitator, the room's screen and the report every table's, a
// participant those of the tables they sat at.
func (v *View) SeesTable(table int64) bool {
	return v.shared.audience != ForParticipant || slices.Contains(v.tables().memberOf[v.viewer], table)
}

// cardsAt lists a step's shown cards written at any of tables, or for the
// whole room, in screen order; kept for the snapshot.
func (v *View) cardsAt(step int, tables []int64) []*CardView {
	idx := v.tables()
	key := tableCardsKey{step: step}
	for _, t := range tables {
		key.tables += strconv.FormatInt(t, 10) + ","
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if cards, ok := idx.cards[key]; ok {
		return cards
	}
	var out []*CardView
	for _, c := range v.cards().steps[step] {
		if c.Table == nil || slices.Contains(tables, c.Table.ID) {
			out = append(out, c)
		}
	}
	idx.cards[key] = out
	return out
}

// BroughtBack lists what each table brought back from a step, by table
// in the tables' order, each table's cards in screen order: the plenary.
// Everyone sees it.
func (v *View) BroughtBack(step int) []TableCards {
	idx := v.tables()
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if b, ok := idx.brought[step]; ok {
		return b
	}
	by := map[int64][]*CardView{}
	for _, c := range v.cards().steps[step] {
		if c.BroughtBack && c.Table != nil {
			by[c.Table.ID] = append(by[c.Table.ID], c)
		}
	}
	out := []TableCards{}
	for _, t := range v.tables().all {
		if cards := by[t.ID]; len(cards) > 0 {
			out = append(out, TableCards{Table: t.Ref(), Cards: cards})
		}
	}
	idx.brought[step] = out
	return out
}

// PlenaryStep is the step of tables whose points a step brings back to
// the room: the step itself if it is one, else the nearest before it, for
// a dialogue or deliberation step; 0 if none.
func (v *View) PlenaryStep(step int) int {
	steps := v.snap.Forum.Steps
	if step < 1 || step > len(steps) {
		return 0
	}
	if p := steps[step-1].Phase; p != Dialogue && p != Deliberation {
		return 0
	}
	for s := step; s >= 1; s-- {
		if steps[s-1].Tables {
			return s
		}
	}
	return 0
}

// TableHands is a table's queue to speak (0: the room's), in order; none
// where the view names nobody.
func (v *View) TableHands(table int64) []*HandView {
	if !v.namesPeople() {
		return nil
	}
	return v.tables().hands[table]
}
