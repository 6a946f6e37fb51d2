package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"moot/session"
)

// Tables in the report: the tables by size and mix of sectors (under the
// small-group rule, naming only the people at them who asked to be named),
// and each step at tables told table by table, what the table brought
// back to the room first.

func init() {
	builders = append(builders, buildTables)
	parts = append(parts, part{agreed: 65, forum: 15, draw: tablesPart})
	tables = append(tables, table{"tables", tablesTable})
}

func buildTables(r *Report, src source) {
	r.Tables = []session.TableView{}
	for _, t := range src.view.Tables() {
		r.Tables = append(r.Tables, *t)
	}
	for i := range r.Steps {
		r.Steps[i].Tabled = src.view.Tabled(r.Steps[i].Number)
	}
}

// mix is a table's sectors on one line: "Community 3 · Other sectors
// (Public body, Third sector) 3".
func mix(say *voice, t session.TableView) string {
	var parts []string
	for _, s := range t.Sectors {
		parts = append(parts, say.T("report.tables.sector", groupLabel(say, s.Sector, s.Pooled), s.People))
	}
	return strings.Join(parts, " · ")
}

func tablesPart(r *Report) *section {
	if len(r.Tables) == 0 {
		return nil
	}
	say := r.say()
	sec := &section{Title: say.T("report.tables")}
	sec.add(para(text(say.T("report.tables.about"))))
	t := &grid{Caption: say.T("report.tables.caption"), RowHeader: true, Columns: []column{{Title: say.T("report.tables.table")}, {Title: say.T("report.tables.people"), Numeric: true},
		{Title: say.T("report.tables.sectors")}, {Title: say.T("report.themes.points"), Numeric: true}, {Title: say.T("report.tables.brought_back"), Numeric: true}, {Title: say.T("report.tables.named")}}}
	// Tables of a like size often share one note: it is said once.
	var notes []string
	notedFor := map[string][]string{}
	for _, tv := range r.Tables {
		name := tv.Name
		if !tv.Current {
			name = say.T("report.tables.made_before", tv.Name)
		}
		sectors := mix(say, tv)
		if sectors == "" {
			sectors = say.T("report.tables.not_shown")
		}
		t.Rows = append(t.Rows, []string{name, say.num(tv.People), sectors, say.num(tv.Cards), say.num(tv.BroughtBack), say.joined(tv.Named)})
		if tv.SectorsNote != "" {
			if notedFor[tv.SectorsNote] == nil {
				notes = append(notes, tv.SectorsNote)
			}
			notedFor[tv.SectorsNote] = append(notedFor[tv.SectorsNote], name)
		}
	}
	sec.add(block{Table: t})
	for _, n := range notes {
		sec.add(note(say.T("report.tables.note", say.List(notedFor[n]), n)))
	}
	return sec
}

// tableCardsPart tells a step at tables: for each table, what it brought
// back to the room, then the rest of its cards; then the cards written
// for the whole room.
func tableCardsPart(r *Report, s *Step, sec *section) bool {
	if len(s.Cards) == 0 {
		return false
	}
	say := r.say()
	voted := votedCards(r)
	by := map[int64][]session.CardView{}
	var order []session.TableRef
	var room []session.CardView
	for _, c := range s.Cards {
		if c.Table == nil {
			room = append(room, c)
			continue
		}
		if _, seen := by[c.Table.ID]; !seen {
			order = append(order, *c.Table)
		}
		by[c.Table.ID] = append(by[c.Table.ID], c)
	}
	slices.SortFunc(order, func(x, y session.TableRef) int { return cmp.Compare(x.ID, y.ID) })
	people := map[int64]int{}
	for _, t := range r.Tables {
		people[t.ID] = t.People
	}
	item := func(c session.CardView) []span {
		out := []span{text(c.Text)}
		var about []string
		if c.Theme != nil {
			about = append(about, say.T("report.card.theme", c.Theme.Name))
		}
		if c.People > 1 {
			about = append(about, say.T("count.people", c.People))
		}
		if b, ok := voted[c.ID]; ok {
			about = append(about, say.T("report.card.voted", say.T("report.quoted", b)))
		}
		if len(about) > 0 {
			out = append(out, text(" "), em(say.T("report.parens", strings.Join(about, say.T("sep.semicolon")))))
		}
		return out
	}
	for _, ref := range order {
		sub := sec.sub(say.T("report.table.heading", people[ref.ID], ref.Name))
		var back, rest [][]span
		for _, c := range by[ref.ID] {
			if c.BroughtBack {
				back = append(back, item(c))
			} else {
				rest = append(rest, item(c))
			}
		}
		if len(back) > 0 {
			sub.add(para(strong(say.T("report.table.brought_back"))), list(back...))
		}
		switch {
		case len(rest) > 0 && len(back) > 0:
			sub.add(para(text(say.T("report.table.also"))), list(rest...))
		case len(rest) > 0:
			sub.add(para(text(say.T("report.table.nothing_back"))), list(rest...))
		}
	}
	if len(room) > 0 {
		sub := sec.sub(say.T("report.table.whole_room"))
		var items [][]span
		for _, c := range room {
			items = append(items, item(c))
		}
		sub.add(list(items...))
	}
	return true
}

func tablesTable(r *Report) [][]string {
	rows := [][]string{{"table_id", "set", "name", "current", "people", "sectors", "sectors_note", "cards", "brought_back", "named"}}
	for _, t := range r.Tables {
		var sectors []string
		for _, s := range t.Sectors {
			sectors = append(sectors, fmt.Sprintf("%s: %d", session.GroupLabel(s.Sector, s.Pooled), s.People))
		}
		rows = append(rows, []string{itoa(t.ID), strconv.Itoa(t.Set), t.Name, strconv.FormatBool(t.Current), strconv.Itoa(t.People),
			strings.Join(sectors, "; "), t.SectorsNote, strconv.Itoa(t.Cards), strconv.Itoa(t.BroughtBack), strings.Join(t.Named, "; ")})
	}
	return rows
}
