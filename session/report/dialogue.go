package report

import (
	"fmt"
	"strconv"
	"strings"

	"moot/session"
)

func init() {
	builders = append(builders, buildDialogue)
	forumSections = append(forumSections, themesSection)
	stepSections[session.Dialogue] = append(stepSections[session.Dialogue], cardsSection)
	tables = append(tables, table{"themes", themesTable}, table{"cards", cardsTable})
}

func buildDialogue(r *Report, src source) {
	for i := range r.Steps {
		step := &r.Steps[i]
		// In the order screens show them: by theme, no theme, parked.
		for _, c := range src.view.StepCards(step.Number) {
			step.Cards = append(step.Cards, *c)
		}
	}
	r.Themes = append(r.Themes, src.view.Themes()...)
}

// themesSection lists the forum's themes, agreed ones marked.
func themesSection(r *Report, w *mdWriter) {
	if len(r.Themes) == 0 {
		return
	}
	w.heading(2, "Themes")
	w.line("| # | Theme | Agreed by the room | Cards |")
	w.line("| ---: | --- | --- | ---: |")
	for _, t := range r.Themes {
		agreed := ""
		if t.Agreed {
			agreed = "agreed"
		}
		w.line(fmt.Sprintf("| %d | %s | %s | %d |", t.Position, cell(t.Name), agreed, t.Cards))
	}
	w.blank()
}

func cardsSection(r *Report, s *Step, w *mdWriter) bool {
	if len(s.Cards) == 0 || s.Tabled {
		return false // a step at tables is drawn table by table (tables.go)
	}
	agreed := map[int64]bool{}
	for _, t := range r.Themes {
		agreed[t.ID] = t.Agreed
	}
	group := ""
	for _, c := range s.Cards {
		g, heading := "none", "No theme"
		switch {
		case c.Parked:
			g, heading = "parked", "Parking lot (kept for later)"
		case c.Theme != nil:
			g, heading = strconv.FormatInt(c.Theme.ID, 10), inline(c.Theme.Name)
			if agreed[c.Theme.ID] {
				heading += " (agreed)"
			}
		}
		if g != group {
			if group != "" {
				w.blank()
			}
			group = g
			w.heading(3, heading)
		}
		w.line("- " + inline(c.Text) + " " + cardNote(c))
	}
	w.blank()
	return true
}

// cardNote is the card's number and what else a reader should know.
func cardNote(c session.CardView) string {
	parts := []string{"#" + strconv.FormatInt(c.ID, 10)}
	if len(c.MergedFrom) > 0 {
		ids := make([]string, len(c.MergedFrom))
		for i, id := range c.MergedFrom {
			ids[i] = "#" + strconv.FormatInt(id, 10)
		}
		parts = append(parts, "merged with "+strings.Join(ids, ", "))
	}
	if c.People > 1 {
		parts = append(parts, fmt.Sprintf("%d people", c.People))
	}
	if c.Parked {
		parts = append(parts, "parked")
	}
	return "_(" + strings.Join(parts, "; ") + ")_"
}

func themesTable(r *Report) [][]string {
	rows := [][]string{{"theme_id", "position", "name", "agreed", "cards"}}
	for _, t := range r.Themes {
		rows = append(rows, []string{itoa(t.ID), strconv.Itoa(t.Position), t.Name, strconv.FormatBool(t.Agreed), strconv.Itoa(t.Cards)})
	}
	return rows
}

func cardsTable(r *Report) [][]string {
	rows := [][]string{{"step", "step_title", "card_id", "theme_id", "theme", "parked", "text", "people", "merged_from", "anonymous", "created_at", "table_id", "table", "brought_back"}}
	for _, s := range r.Steps {
		for _, c := range s.Cards {
			themeID, theme := "", ""
			if c.Theme != nil {
				themeID, theme = itoa(c.Theme.ID), c.Theme.Name
			}
			merged := make([]string, len(c.MergedFrom))
			for i, id := range c.MergedFrom {
				merged[i] = itoa(id)
			}
			tableID, table := "", ""
			if c.Table != nil {
				tableID, table = itoa(c.Table.ID), c.Table.Name
			}
			rows = append(rows, []string{strconv.Itoa(s.Number), s.Title, itoa(c.ID), themeID, theme, strconv.FormatBool(c.Parked),
				c.Text, strconv.Itoa(c.People), strings.Join(merged, " "), strconv.FormatBool(c.Anonymous), c.CreatedAt.Format("2006-01-02T15:04:05Z07:00"),
				tableID, table, strconv.FormatBool(c.BroughtBack)})
		}
	}
	return rows
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
