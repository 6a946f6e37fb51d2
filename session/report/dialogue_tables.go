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
// small-group rule, naming only people who asked to be named), and each
// step at tables with its cards table by table, what the table brought
// back to the room first.
//
// This file's init runs after dialogue.go's (files initialise in the order
// of their names), so a step's cards come before its polls (polls.go).

func init() {
	builders = append(builders, buildTables)
	forumSections = append(forumSections, tablesSection)
	stepSections[session.Dialogue] = append(stepSections[session.Dialogue], tableCardsSection)
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

func tablesSection(r *Report, w *mdWriter) {
	if len(r.Tables) == 0 {
		return
	}
	w.heading(2, "Tables")
	w.line("Small groups at tables, by size and mix of sectors. Sectors of fewer than the forum's threshold are counted together or not shown, and people are named only if they asked to be.")
	w.blank()
	w.line("| # | Table | People | Sectors | Cards | Brought back | Named |")
	w.line("| ---: | --- | ---: | --- | ---: | ---: | --- |")
	for _, t := range r.Tables {
		name := cell(t.Name)
		if !t.Current {
			name += " _(made before)_"
		}
		sectors := cell(mix(t))
		if sectors == "" {
			sectors = "_not shown_"
		}
		named := make([]string, len(t.Named))
		for i, n := range t.Named {
			named[i] = cell(n)
		}
		w.line(fmt.Sprintf("| %d | %s | %d | %s | %d | %d | %s |", t.ID, name, t.People, sectors, t.Cards, t.BroughtBack, strings.Join(named, ", ")))
	}
	w.blank()
	var notes []string
	for _, t := range r.Tables {
		if t.SectorsNote != "" {
			notes = append(notes, t.Name+": "+t.SectorsNote)
		}
	}
	if len(notes) > 0 {
		w.line("_" + inline(strings.Join(notes, " ")) + "_")
		w.blank()
	}
}

// tableCardsSection draws a step at tables: for each table, what it
// brought back to the room, then the rest of its cards; then the cards
// written for the whole room.
func tableCardsSection(r *Report, s *Step, w *mdWriter) bool {
	if !s.Tabled || len(s.Cards) == 0 {
		return false
	}
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
	for _, ref := range order {
		w.heading(3, fmt.Sprintf("%s (%s)", inline(ref.Name), session.Count(people[ref.ID], "person", "people")))
		var back, rest []session.CardView
		for _, c := range by[ref.ID] {
			if c.BroughtBack {
				back = append(back, c)
			} else {
				rest = append(rest, c)
			}
		}
		if len(back) > 0 {
			w.line("Brought back to the room:")
			w.blank()
			for _, c := range back {
				w.line("- " + inline(c.Text) + " " + tableCardNote(c))
			}
			w.blank()
		}
		if len(rest) > 0 {
			if len(back) > 0 {
				w.line("Also written at the table:")
			} else {
				w.line("Written at the table (nothing was brought back):")
			}
			w.blank()
			for _, c := range rest {
				w.line("- " + inline(c.Text) + " " + tableCardNote(c))
			}
			w.blank()
		}
	}
	if len(room) > 0 {
		w.heading(3, "For the whole room")
		for _, c := range room {
			w.line("- " + inline(c.Text) + " " + tableCardNote(c))
		}
		w.blank()
	}
	return true
}

// tableCardNote is cardNote with the card's theme, which a step at tables
// does not draw as headings.
func tableCardNote(c session.CardView) string {
	note := cardNote(c)
	if c.Theme != nil {
		note = strings.Replace(note, "_(", "_(theme "+inline(c.Theme.Name)+"; ", 1)
	}
	return note
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
