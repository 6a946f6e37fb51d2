package session

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"moot/session/catalogue"
)

// Tables: small-group discussion inside a large forum. The facilitator
// splits the people into tables (a number of tables, a size, or the names
// the agenda gives, balanced by sector where asked); on a dialogue step
// marked for tables each person writes and reads the cards of their own
// table, with their table's own queue of hands; a table's reporter marks
// the cards to bring back to the plenary. Tables stay until they are made
// again: each making is a new set, and the tables of earlier sets are kept
// (with who sat at them) for the cards written there and for the report.
// Facilitators are not seated: they see every table.

// Limits of tables.
const (
	MaxTables      = 50
	MaxTableName   = 40
	LeastTableSize = 2
	MostTableSize  = 100
)

// tableWord names the tables a split numbers: Table 1, Table 2...
const tableWord = "Table"

// TablesSpec is what an agenda says about tables: how `tables make` splits
// the room when told nothing else. One of Names, Count or Size.
type TablesSpec struct {
	Names    []string `json:"names,omitempty"`
	Count    int      `json:"count,omitempty"`
	Size     int      `json:"size,omitempty"`
	BySector bool     `json:"by_sector,omitempty"`
}

// Check reports what is wrong with the spec, for the agenda and moot check.
func (t *TablesSpec) Check() error {
	ways := 0
	for _, given := range []bool{len(t.Names) > 0, t.Count != 0, t.Size != 0} {
		if given {
			ways++
		}
	}
	switch {
	case ways > 1:
		return catalogue.Err("session.tables.one_way")
	case t.Count != 0 && (t.Count < 1 || t.Count > MaxTables):
		return catalogue.Err("session.tables.count", t.Count, MaxTables)
	case t.Size != 0 && (t.Size < LeastTableSize || t.Size > MostTableSize):
		return catalogue.Err("session.tables.size", t.Size, LeastTableSize, MostTableSize)
	}
	_, err := tableNames(t.Names)
	return err
}

// tableNames checks names given to tables: cleaned, not empty, not too
// long, none twice, not too many.
func tableNames(names []string) ([]string, error) {
	if len(names) > MaxTables {
		return nil, catalogue.Err("session.tables.too_many_names", MaxTables, len(names))
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		name := CleanLine(n)
		switch {
		case name == "":
			return nil, catalogue.Err("session.table.name_empty")
		case utf8.RuneCountInString(name) > MaxTableName:
			return nil, catalogue.Err("session.table.name_too_long", MaxTableName, name)
		case slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, name) }):
			return nil, catalogue.Err("session.table.name_twice", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// Table is one small group. Like cards, tables are never modified in
// place: a change puts a new *Table in the state.
type Table struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Set is the making the table belongs to (1 for the first `tables
	// make`); only the tables of the latest set seat people.
	Set int `json:"set"`
	// Members are the key fingerprints of the people at the table, in the
	// order they were seated.
	Members []string `json:"members"`
	// Reporter marks the cards the table brings back to the plenary.
	Reporter string `json:"reporter,omitempty"`
	// Speaker is the person the table last called to speak.
	Speaker string `json:"speaker,omitempty"`
}

// Seats tells whether the person sits at the table.
func (t *Table) Seats(id string) bool { return slices.Contains(t.Members, id) }

// TablesMade: the facilitator split the room into a new set of tables.
// Any queue of hands at the tables before ends.
type TablesMade struct {
	Set int `json:"set"`
	// How the room was split: count, size, names.
	How      string  `json:"how"`
	BySector bool    `json:"by_sector,omitempty"`
	Tables   []Table `json:"tables"`
}

// TableSeated: a person was put at a table: moved there by a facilitator,
// or (Late) placed there on joining after the tables were made. From is
// the table they left, 0 if none.
type TableSeated struct {
	Person string `json:"person"`
	Table  int64  `json:"table"`
	From   int64  `json:"from,omitempty"`
	Late   bool   `json:"late,omitempty"`
}

// TableReporterNamed: a table has a reporter (none when Reporter is "").
type TableReporterNamed struct {
	Table    int64  `json:"table"`
	Reporter string `json:"reporter"`
}

func (TablesMade) Kind() string         { return "tables.made" }
func (TableSeated) Kind() string        { return "table.seated" }
func (TableReporterNamed) Kind() string { return "table.reporter" }

func init() {
	registerEvent[TablesMade]()
	registerEvent[TableSeated]()
	registerEvent[TableReporterNamed]()
}

func (e TablesMade) apply(st *State) {
	for _, t := range e.Tables {
		t.Members = slices.Clone(t.Members)
		if int(t.ID) != len(st.Tables)+1 {
			panic(fmt.Sprintf("table #%d follows %d tables", t.ID, len(st.Tables)))
		}
		st.Tables = append(st.Tables, &t)
	}
	st.TableSet = e.Set
	st.Hands = slices.DeleteFunc(slices.Clone(st.Hands), func(h Hand) bool { return h.Table != 0 })
}

func (e TableSeated) apply(st *State) {
	if e.From != 0 {
		old := *st.Tables[e.From-1]
		old.Members = slices.DeleteFunc(slices.Clone(old.Members), func(id string) bool { return id == e.Person })
		if old.Reporter == e.Person {
			old.Reporter = ""
		}
		if old.Speaker == e.Person {
			old.Speaker = ""
		}
		st.Tables[e.From-1] = &old
		st.Hands = slices.DeleteFunc(slices.Clone(st.Hands), func(h Hand) bool { return h.ID == e.Person && h.Table == e.From })
	}
	t := *st.Tables[e.Table-1]
	t.Members = append(slices.Clone(t.Members), e.Person)
	st.Tables[e.Table-1] = &t
}

func (e TableReporterNamed) apply(st *State) {
	t := *st.Tables[e.Table-1]
	t.Reporter = e.Reporter
	st.Tables[e.Table-1] = &t
}

// currentTables are the tables of the latest set: the ones people sit at.
func (st *State) currentTables() []*Table { return currentTables(st.Tables, st.TableSet) }

func currentTables(all []*Table, set int) []*Table {
	// Sets are made one after another, so the latest is at the end.
	i := len(all)
	for i > 0 && all[i-1].Set == set {
		i--
	}
	return all[i:]
}

// seatOf is the table the person sits at now, or nil.
func (st *State) seatOf(id string) *Table {
	for _, t := range st.currentTables() {
		if t.Seats(id) {
			return t
		}
	}
	return nil
}

func (st *State) table(id int64) (*Table, error) {
	if id < 1 || int(id) > len(st.Tables) {
		return nil, catalogue.Err("session.table.no_such", id)
	}
	return st.Tables[id-1], nil
}

// currentTable finds a table people sit at now.
func (st *State) currentTable(id int64) (*Table, error) {
	t, err := st.table(id)
	if err != nil {
		return nil, err
	}
	if t.Set != st.TableSet {
		return nil, catalogue.Err("session.table.made_before", t.ID, t.Name)
	}
	return t, nil
}

// tabledStep tells whether the forum is on a dialogue step marked for
// tables.
func tabledStep(st *State) bool {
	return StageOf(st.Step, len(st.Forum.Steps)) == Running && st.Forum.Steps[st.Step-1].Tables
}

// MakeTables splits everyone who has given a name, facilitators aside,
// into a new set of tables: Count tables, tables of Size, or one table for
// each of Names; with Agenda, as the agenda's tables say. BySector spreads
// each sector over the tables as evenly as the room allows.
type MakeTables struct {
	Count    int
	Size     int
	Names    []string
	BySector bool
	Agenda   bool
}

func (c MakeTables) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.make_tables"); err != nil {
		return nil, err
	}
	if c.Agenda {
		spec := st.Forum.Tables
		if spec == nil {
			return nil, catalogue.Err("session.tables.agenda_none")
		}
		c.Count, c.Size, c.Names, c.BySector = spec.Count, spec.Size, spec.Names, c.BySector || spec.BySector
	}
	spec := TablesSpec{Names: c.Names, Count: c.Count, Size: c.Size}
	if err := spec.Check(); err != nil {
		return nil, err
	}
	var people []*Participant
	for _, p := range st.Participants {
		if st.Forum.RoleOf(p.ID) != RoleFacilitator {
			people = append(people, p)
		}
	}
	if len(people) == 0 {
		return nil, catalogue.Err("session.tables.nobody")
	}
	slices.SortFunc(people, func(x, y *Participant) int {
		return cmp.Or(x.JoinedAt.Compare(y.JoinedAt), cmp.Compare(x.ID, y.ID))
	})
	names, _ := tableNames(c.Names)
	how, count := "count", c.Count
	switch {
	case len(names) > 0:
		how, count = "names", len(names)
	case c.Size != 0:
		how, count = "size", (len(people)+c.Size-1)/c.Size
	case c.Count == 0:
		return nil, catalogue.Err("session.tables.how_many")
	}
	if count > len(people) {
		return nil, catalogue.Err("session.tables.cannot_fill", len(people), catalogue.Msg("count.tables", count))
	}
	if c.BySector {
		people = bySector(people, st.Forum.Sectors)
	}
	tables := make([]Table, count)
	for i := range tables {
		tables[i] = Table{ID: int64(len(st.Tables) + i + 1), Set: st.TableSet + 1, Name: fmt.Sprintf("%s %d", tableWord, i+1)}
		if len(names) > 0 {
			tables[i].Name = names[i]
		}
	}
	// Dealt round the tables in turn: sizes differ by one at most, and a
	// sector dealt in one run is spread over the tables as evenly as it
	// can be.
	for i, p := range people {
		t := &tables[i%count]
		t.Members = append(t.Members, p.ID)
	}
	return []Event{TablesMade{Set: st.TableSet + 1, How: how, BySector: c.BySector, Tables: tables}}, nil
}

// bySector orders people sector by sector, the largest sector first (in
// the forum's order among equals, no sector last), each in the order
// given.
func bySector(people []*Participant, sectors []string) []*Participant {
	groups := map[string][]*Participant{}
	var order []string
	for _, p := range people {
		if _, ok := groups[p.Sector]; !ok {
			order = append(order, p.Sector)
		}
		groups[p.Sector] = append(groups[p.Sector], p)
	}
	rank := func(s string) int {
		if s == "" {
			return len(sectors) + 1
		}
		if i := slices.Index(sectors, s); i >= 0 {
			return i
		}
		return len(sectors)
	}
	slices.SortStableFunc(order, func(x, y string) int {
		return cmp.Or(cmp.Compare(len(groups[y]), len(groups[x])), cmp.Compare(rank(x), rank(y)), cmp.Compare(x, y))
	})
	out := make([]*Participant, 0, len(people))
	for _, s := range order {
		out = append(out, groups[s]...)
	}
	return out
}

// placeLate seats someone who joins after the tables were made at the
// table that keeps sizes and balance best: the smallest, then the one
// with fewest of their sector, then the first.
func (st *State) placeLate(id, sector string) (TableSeated, bool) {
	var best *Table
	bestOfSector := 0
	for _, t := range st.currentTables() {
		same := 0
		for _, m := range t.Members {
			if p, ok := st.Participants[m]; ok && p.Sector == sector {
				same++
			}
		}
		if best == nil || len(t.Members) < len(best.Members) || (len(t.Members) == len(best.Members) && same < bestOfSector) {
			best, bestOfSector = t, same
		}
	}
	if best == nil {
		return TableSeated{}, false
	}
	return TableSeated{Person: id, Table: best.ID, Late: true}, true
}

// MoveToTable seats a person at another table of the current set.
type MoveToTable struct {
	Person string
	Table  int64
}

func (c MoveToTable) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.move_people"); err != nil {
		return nil, err
	}
	if _, ok := st.Participants[c.Person]; !ok {
		return nil, catalogue.Err("session.table.nobody_by_key")
	}
	to, err := st.currentTable(c.Table)
	if err != nil {
		return nil, err
	}
	e := TableSeated{Person: c.Person, Table: to.ID}
	if from := st.seatOf(c.Person); from != nil {
		if from.ID == to.ID {
			return nil, nil
		}
		e.From = from.ID
	}
	return []Event{e}, nil
}

// NameReporter names the reporter of a table: the person who marks the
// cards it brings back. A facilitator names anyone at any table (Table
// required); a participant names someone at their own table, themselves
// included (Table 0 or theirs). Person "" leaves the table without one,
// which a participant may do only when they are its reporter.
type NameReporter struct {
	Table  int64
	Person string
}

func (c NameReporter) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	var t *Table
	if a.Role == RoleFacilitator {
		if c.Table == 0 {
			return nil, catalogue.Err("session.table.which")
		}
		var err error
		if t, err = st.currentTable(c.Table); err != nil {
			return nil, err
		}
	} else {
		t = st.seatOf(a.ID)
		switch {
		case t == nil:
			return nil, Forbidden("session.table.not_seated")
		case c.Table != 0 && c.Table != t.ID:
			return nil, Forbidden("session.table.own_reporter_only")
		case c.Person == "" && t.Reporter != a.ID:
			return nil, Forbidden("session.table.stand_down")
		}
	}
	if c.Person != "" && !t.Seats(c.Person) {
		return nil, catalogue.Err("session.table.they_are_not_at", t.Name)
	}
	if t.Reporter == c.Person {
		return nil, nil
	}
	return []Event{TableReporterNamed{Table: t.ID, Reporter: c.Person}}, nil
}

// BringBack marks cards a table brings back to the plenary (Back false
// takes the mark off). The table's reporter marks its cards; a facilitator
// may mark any table's.
type BringBack struct {
	Cards []int64
	Back  bool
}

func (c BringBack) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	cards, err := shownCards(st, c.Cards)
	if err != nil {
		return nil, err
	}
	var events []Event
	for _, old := range cards {
		if old.Table == 0 {
			return nil, catalogue.Err("session.table.card_not_at_table", old.ID)
		}
		t := st.Tables[old.Table-1]
		if a.Role != RoleFacilitator && t.Reporter != a.ID {
			return nil, Forbidden("session.table.bring_reporter_only", old.ID, t.Name)
		}
		if old.Brought == c.Back {
			continue
		}
		card := *old
		card.Brought = c.Back
		change := "brought"
		if !c.Back {
			change = "unbrought"
		}
		events = append(events, CardChanged{Change: change, Card: card})
	}
	return events, nil
}
