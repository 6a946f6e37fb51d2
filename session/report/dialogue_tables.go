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
func mix(t session.TableView) string {
	var parts []string
	for _, s := range t.Sectors {
		parts = append(parts, fmt.Sprintf("%s %d", session.GroupLabel(s.Sector, s.Pooled), s.People))
	}
	return strings.Join(parts, " · ")
}

func tablesPart(r *Report) *section {
	if len(r.Tables) == 0 {
		return nil
	}
	sec := &section{Title: "Tables"}
	sec.add(para(text("The room met in small groups at tables. Sectors of fewer than the forum's threshold are counted together or not shown, and people are named only if they asked to be.")))
	t := &grid{Caption: "The tables, by size and mix of sectors", RowHeader: true, Columns: []column{{Title: "Table"}, {Title: "People", Numeric: true},
		{Title: "Sectors"}, {Title: "Points raised", Numeric: true}, {Title: "Brought back", Numeric: true}, {Title: "Named"}}}
	// Tables of a like size often share one note: it is said once.
	var notes []string
	notedFor := map[string][]string{}
	for _, tv := range r.Tables {
		name := tv.Name
		if !tv.Current {
			name += " (made before)"
		}
		sectors := mix(tv)
		if sectors == "" {
			sectors = "not shown"
		}
		t.Rows = append(t.Rows, []string{name, strconv.Itoa(tv.People), sectors, strconv.Itoa(tv.Cards), strconv.Itoa(tv.BroughtBack), strings.Join(tv.Named, ", ")})
		if tv.SectorsNote != "" {
			if notedFor[tv.SectorsNote] == nil {
				notes = append(notes, tv.SectorsNote)
			}
			notedFor[tv.SectorsNote] = append(notedFor[tv.SectorsNote], tv.Name)
		}
	}
	sec.add(block{Table: t})
	for _, n := range notes {
		sec.add(note(joinAnd(notedFor[n]) + ": " + n))
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
			about = append(about, "theme "+c.Theme.Name)
		}
		if c.People > 1 {
			about = append(about, fmt.Sprintf("%d people", c.People))
		}
		if b, ok := voted[c.ID]; ok {
			about = append(about, "put to the vote in “"+b+"”")
		}
		if len(about) > 0 {
			out = append(out, text(" "), em("("+strings.Join(about, "; ")+")"))
		}
		return out
	}
	for _, ref := range order {
		sub := sec.sub(fmt.Sprintf("%s (%s)", ref.Name, session.Count(people[ref.ID], "person", "people")))
		var back, rest [][]span
		for _, c := range by[ref.ID] {
			if c.BroughtBack {
				back = append(back, item(c))
			} else {
				rest = append(rest, item(c))
			}
		}
		if len(back) > 0 {
			sub.add(para(strong("Brought back to the room:")), list(back...))
		}
		switch {
		case len(rest) > 0 && len(back) > 0:
			sub.add(para(text("Also written at the table:")), list(rest...))
		case len(rest) > 0:
			sub.add(para(text("Written at the table (nothing was brought back):")), list(rest...))
		}
	}
	if len(room) > 0 {
		sub := sec.sub("For the whole room")
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
