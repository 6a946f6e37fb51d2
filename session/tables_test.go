package session_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"moot/session"
	"moot/store"
)

// tabledRoom is the room of ten (view_test.go) with its first step, a
// dialogue, marked for tables.
func tabledRoom(t *testing.T, change func(f *session.Forum)) *session.Hub {
	return roomHub(t, func(f *session.Forum) {
		f.Steps[0].Tables = true
		if change != nil {
			change(f)
		}
	})
}

// seatOf is the table a person sits at, as their own view says.
func seatOf(h *session.Hub, id string) string {
	if t := h.Snapshot().ViewFor(id).MyTable(); t != nil {
		return t.Name
	}
	return ""
}

// Twenty-four people in four sectors of six split into four tables
// balanced by sector: six at each, every sector at every table, none with
// more than two of one sector; facilitators are not seated.
func TestTablesBalancedBySector(t *testing.T) {
	h, fac := bigRoom(t, 24)
	do(t, h, fac, session.MakeTables{Count: 4, BySector: true})
	v := h.Snapshot().ViewFor(fac)
	tables := v.CurrentTables()
	if len(tables) != 4 {
		t.Fatalf("%d tables", len(tables))
	}
	for _, tv := range tables {
		if tv.People != 6 || len(tv.Members) != 6 {
			t.Errorf("%s has %d people: %v", tv.Name, tv.People, tv.Members)
		}
		if len(tv.Sectors) != 4 {
			t.Errorf("%s has sectors %+v, want all four", tv.Name, tv.Sectors)
		}
		for _, s := range tv.Sectors {
			if s.People < 1 || s.People > 2 {
				t.Errorf("%s has %d from %s", tv.Name, s.People, s.Sector)
			}
		}
	}
	if v.MyTable() != nil {
		t.Errorf("the facilitator is seated at %s", v.MyTable().Name)
	}
	// Without balance, in the order people joined: tables of six still.
	do(t, h, fac, session.MakeTables{Size: 5})
	var sizes []int
	for _, tv := range h.Snapshot().ViewFor(fac).CurrentTables() {
		sizes = append(sizes, tv.People)
	}
	if fmt.Sprint(sizes) != "[5 5 5 5 4]" {
		t.Errorf("tables of five from 24: %v", sizes)
	}
	if n := len(h.Snapshot().ViewFor(fac).Tables()); n != 9 {
		t.Errorf("%d tables kept in all, want the 4 before and the 5 now", n)
	}
}

// bigRoom is a forum of n people in four sectors, taken in turn, and a
// facilitator, with its first step marked for tables.
func bigRoom(t *testing.T, n int) (*session.Hub, string) {
	t.Helper()
	sectors := []string{"Local government", "Public body", "Third sector", "Community"}
	h := hubWith(t, func(f *session.Forum) {
		f.Sectors = sectors
		f.Steps[0].Tables = true
	})
	do(t, h, facilitator, session.Register{Name: "Fran"})
	for i := range n {
		do(t, h, fmt.Sprintf("SHA256:p%02d", i), session.Register{Name: fmt.Sprintf("P%02d", i), Sector: sectors[i%4]})
	}
	return h, facilitator
}

// On a step of tables each person reads and writes their own table's
// cards; the facilitator sees every table's; a reporter brings cards back,
// and everyone sees what each table brought back.
func TestTableCardsAndReporters(t *testing.T) {
	h := tabledRoom(t, nil)
	do(t, h, facilitator, session.MakeTables{Count: 2})
	do(t, h, facilitator, session.NextStep{})
	snap := h.Snapshot()
	mine, theirs := snap.ViewFor(ada).MyTable(), (*session.TableView)(nil)
	for _, tv := range snap.ViewFor(ada).CurrentTables() {
		if tv.ID != mine.ID {
			theirs = tv
		}
	}
	var other string // someone at the other table
	for _, p := range room[1:] {
		if seatOf(h, p.id) == theirs.Name {
			other = p.id
			break
		}
	}
	do(t, h, ada, session.AddCard{Text: "Buses stop at six"})
	do(t, h, other, session.AddCard{Text: "Nobody hears back"})
	do(t, h, facilitator, session.AddCard{Text: "Coffee at eleven"})
	texts := func(cards []*session.CardView) []string {
		var out []string
		for _, c := range cards {
			out = append(out, c.Text)
		}
		slices.Sort(out)
		return out
	}
	snap = h.Snapshot()
	if got := texts(snap.ViewFor(ada).StepCards(1)); fmt.Sprint(got) != "[Buses stop at six Coffee at eleven]" {
		t.Errorf("Ada sees %q", got)
	}
	if got := texts(snap.ViewFor(other).StepCards(1)); fmt.Sprint(got) != "[Coffee at eleven Nobody hears back]" {
		t.Errorf("the other table sees %q", got)
	}
	if got := texts(snap.ViewFor(facilitator).StepCards(1)); len(got) != 3 {
		t.Errorf("the facilitator sees %q", got)
	}
	if got := texts(snap.ViewFor(facilitator).TableCards(1, theirs.ID)); fmt.Sprint(got) != "[Coffee at eleven Nobody hears back]" {
		t.Errorf("the facilitator looking into %s sees %q", theirs.Name, got)
	}
	if c, _ := snap.ViewFor(facilitator).FindCard(1); c.Table == nil || c.Table.ID != mine.ID {
		t.Errorf("card 1's table: %+v", c.Table)
	}

	// Reporters: a participant names someone at their own table, and only
	// the reporter brings its cards back.
	refused(t, h, ada, session.BringBack{Cards: []int64{1}, Back: true}, "only its reporter")
	refused(t, h, ada, session.NameReporter{Person: other}, "not at")
	refused(t, h, ada, session.NameReporter{Table: theirs.ID, Person: ada}, "your own table")
	do(t, h, ada, session.NameReporter{Person: ada})
	refused(t, h, ada, session.BringBack{Cards: []int64{2}, Back: true}, "only its reporter")
	refused(t, h, ada, session.BringBack{Cards: []int64{3}, Back: true}, "not written at a table")
	do(t, h, ada, session.BringBack{Cards: []int64{1}, Back: true})
	do(t, h, facilitator, session.BringBack{Cards: []int64{2}, Back: true})
	for _, v := range everyone(h) {
		b := v.BroughtBack(1)
		if len(b) != 2 || len(b[0].Cards) != 1 || len(b[1].Cards) != 1 || b[0].Table.ID > b[1].Table.ID {
			t.Errorf("%s: brought back %+v", v.Audience(), b)
		}
	}
	tv, _ := h.Snapshot().ViewFor(bob).FindTable(mine.ID)
	if !tv.HasReporter || tv.Reporter != "Ada" || tv.BroughtBack != 1 {
		t.Errorf("Ada's table, as Bob sees it: %+v", tv)
	}
	if pv, _ := h.Snapshot().ViewAs(session.ForProjector).FindTable(mine.ID); pv.Reporter != "" || !pv.HasReporter || len(pv.Members) != 0 {
		t.Errorf("the room's screen names people at a table: %+v", pv)
	}
	// A ballot on the cards of a step of tables takes what was brought back.
	do(t, h, facilitator, session.NextStep{})
	events, err := h.Apply(context.Background(), facilitator, session.OpenBallot{FromStep: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := events[0].(session.BallotOpened).Ballot
	if len(b.Items) != 2 || b.Items[0].Ref != 1 || b.Items[1].Ref != 2 {
		t.Errorf("ballot items %+v", b.Items)
	}
}

// Each table has its own queue of hands on a step of tables; its reporter
// calls the next speaker there; the queues end with the step.
func TestTableHands(t *testing.T) {
	h := tabledRoom(t, nil)
	do(t, h, facilitator, session.MakeTables{Count: 2})
	do(t, h, facilitator, session.NextStep{})
	var same, other string
	for _, p := range room[1:] {
		if p.id == ada {
			continue
		}
		if seatOf(h, p.id) == seatOf(h, ada) && same == "" {
			same = p.id
		} else if seatOf(h, p.id) != seatOf(h, ada) && other == "" {
			other = p.id
		}
	}
	do(t, h, same, session.RaiseHand{Raise: true})
	do(t, h, other, session.RaiseHand{Raise: true})
	snap := h.Snapshot()
	if hands := snap.ViewFor(ada).Hands(); len(hands) != 1 || hands[0].Position != 1 {
		t.Errorf("Ada's table's queue: %+v", hands)
	}
	if hands := snap.ViewFor(facilitator).Hands(); len(hands) != 0 {
		t.Errorf("the room's queue: %+v", hands)
	}
	refused(t, h, ada, session.CallNextSpeaker{}, "reporter")
	do(t, h, ada, session.NameReporter{Person: ada})
	do(t, h, ada, session.CallNextSpeaker{})
	snap = h.Snapshot()
	if v := snap.ViewFor(same); !v.HasFloor() || v.Speaker() == "" {
		t.Errorf("the person called at Ada's table: floor %v, speaker %q", v.HasFloor(), v.Speaker())
	}
	if v := snap.ViewFor(other); v.Speaker() != "" || len(v.Hands()) != 1 {
		t.Errorf("the other table: speaker %q, hands %d", v.Speaker(), len(v.Hands()))
	}
	do(t, h, facilitator, session.NextStep{})
	if n := len(h.Snapshot().Hands); n != 0 {
		t.Errorf("%d hands left at the tables after their step", n)
	}
}

// Someone who joins after the tables were made sits at the smallest table,
// and among those at the one with fewest of their sector.
func TestLateJoinerKeepsSizesAndBalance(t *testing.T) {
	h, fac := bigRoom(t, 23)
	do(t, h, fac, session.MakeTables{Count: 4, BySector: true})
	var smallest *session.TableView
	for _, tv := range h.Snapshot().ViewFor(fac).CurrentTables() {
		if smallest == nil || tv.People < smallest.People {
			smallest = tv
		}
	}
	late := "SHA256:late"
	do(t, h, late, session.Register{Name: "Late", Sector: "Community"})
	if got := seatOf(h, late); got != smallest.Name {
		t.Errorf("the 24th person sits at %q, want the table of five, %q", got, smallest.Name)
	}
	// Then four more of one sector: each to a table with fewest of it.
	for i := range 4 {
		do(t, h, fmt.Sprintf("SHA256:late%d", i), session.Register{Name: fmt.Sprintf("Late%d", i), Sector: "Public body"})
	}
	for _, tv := range h.Snapshot().ViewFor(fac).CurrentTables() {
		if tv.People != 7 {
			t.Errorf("%s has %d people", tv.Name, tv.People)
		}
		for _, s := range tv.Sectors {
			if s.Sector == "Public body" && s.People > 3 {
				t.Errorf("%s has %d from Public body", tv.Name, s.People)
			}
		}
	}
	// A facilitator joining is not seated, nor is a rename a new seat.
	do(t, h, late, session.Register{Name: "Late L", Sector: "Community"})
	if got := seatOf(h, late); got != smallest.Name {
		t.Errorf("after a rename the person sits at %q", got)
	}
}

// The facilitator moves people; participants cannot make, move or look
// into other tables' cards; a bad split is refused with nothing changed.
func TestMovingAndRefusals(t *testing.T) {
	h := tabledRoom(t, func(f *session.Forum) {
		f.Tables = &session.TablesSpec{Names: []string{"Housing", "Transport", "Parks"}, BySector: true}
	})
	refused(t, h, ada, session.MakeTables{Count: 2}, "only a facilitator")
	refused(t, h, facilitator, session.MakeTables{Count: 20}, "9 people cannot fill 20 tables")
	refused(t, h, facilitator, session.MakeTables{Count: 2, Size: 3}, "give one of")
	refused(t, h, facilitator, session.MakeTables{Size: 1}, "from 2 to 100")
	refused(t, h, facilitator, session.MakeTables{}, "say how many")
	refused(t, h, facilitator, session.MakeTables{Count: session.MaxTables + 1}, "from 1 to 50 tables")
	refused(t, h, facilitator, session.MakeTables{Names: []string{"A", strings.Repeat("x", session.MaxTableName+1)}}, "at most 40 characters")
	refused(t, h, facilitator, session.MakeTables{Names: []string{"Housing", "housing"}}, "given twice")
	refused(t, h, facilitator, session.MakeTables{Names: []string{"A", " \x1b[31m "}}, "cannot be empty")
	if n := len(h.Snapshot().Tables); n != 0 {
		t.Fatalf("%d tables after refusals", n)
	}
	do(t, h, facilitator, session.MakeTables{Agenda: true})
	v := h.Snapshot().ViewFor(facilitator)
	var names []string
	for _, tv := range v.CurrentTables() {
		names = append(names, tv.Name)
	}
	if fmt.Sprint(names) != "[Housing Transport Parks]" {
		t.Errorf("the agenda's tables: %v", names)
	}
	to := v.CurrentTables()[0]
	if seatOf(h, ada) == to.Name {
		to = v.CurrentTables()[1]
	}
	refused(t, h, ada, session.MoveToTable{Person: ada, Table: to.ID}, "only a facilitator")
	do(t, h, facilitator, session.MoveToTable{Person: ada, Table: to.ID})
	if got := seatOf(h, ada); got != to.Name {
		t.Errorf("Ada sits at %q after the move, want %q", got, to.Name)
	}
	refused(t, h, facilitator, session.MoveToTable{Person: ada, Table: 99}, "no table #99")
	err := h.Do(context.Background(), bob, session.CallNextSpeaker{Table: to.ID})
	if !errors.Is(err, session.ErrForbidden) {
		t.Errorf("a participant calling another table's speaker: %v", err)
	}
}

// A table's mix of sectors is exact for the facilitator and under the
// small-group rule for everyone else.
func TestTableSectorsKeepTheSmallGroupRule(t *testing.T) {
	h := tabledRoom(t, nil)
	do(t, h, facilitator, session.MakeTables{Count: 1})
	exact := h.Snapshot().ViewFor(facilitator).CurrentTables()[0]
	if len(exact.Sectors) != 5 || exact.SectorsNote != "" { // Local government, Public body, Third sector, Community, none
		t.Errorf("the facilitator's mix: %+v %q", exact.Sectors, exact.SectorsNote)
	}
	for _, v := range []*session.View{h.Snapshot().ViewFor(ada), h.Snapshot().ViewAs(session.ForProjector), h.Snapshot().ViewAs(session.ForReport)} {
		tv := v.CurrentTables()[0]
		for _, s := range tv.Sectors {
			if s.People < 3 {
				t.Errorf("%s: %s shows %d people", v.Audience(), session.GroupLabel(s.Sector, s.Pooled), s.People)
			}
		}
		if tv.SectorsNote == "" {
			t.Errorf("%s: no note on what was counted together", v.Audience())
		}
	}
}

// hubWith starts a Hub on a real SQLite file with the test forum, changed,
// and nobody in it yet.
func hubWith(t *testing.T, change func(f *session.Forum)) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := testForum()
	change(f)
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	return h
}
