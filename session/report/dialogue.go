package report

import (
	"strconv"
	"strings"

	"moot/session"
)

func init() {
	builders = append(builders, buildDialogue)
	parts = append(parts, part{agreed: 25, forum: 20, draw: themesPart})
	stepParts[session.Dialogue] = stepPart{title: "report.raised", agreed: 30, draw: cardsPart}
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

// themesPart lists the forum's themes, those the room agreed marked.
func themesPart(r *Report) *section {
	if len(r.Themes) == 0 {
		return nil
	}
	say := r.say()
	sec := &section{Title: say.T("report.themes")}
	t := &grid{Caption: say.T("report.themes.caption"), RowHeader: true,
		Columns: []column{{Title: say.T("report.themes.theme")}, {Title: say.T("report.themes.agreed_by_room")}, {Title: say.T("report.themes.points"), Numeric: true}}}
	for _, th := range r.Themes {
		agreed := ""
		if th.Agreed {
			agreed = say.T("report.themes.agreed")
		}
		t.Rows = append(t.Rows, []string{th.Name, agreed, say.num(th.Cards)})
	}
	sec.add(block{Table: t})
	return sec
}

// cardsPart lists a dialogue step's cards under their themes, then those
// with no theme, then the parking lot. Cards put to a vote whose results
// the report shows are listed there, with their dots, and not again here.
// A step at tables is told table by table (dialogue_tables.go).
func cardsPart(r *Report, s *Step, sec *section) bool {
	if s.Tabled {
		return tableCardsPart(r, s, sec)
	}
	if len(s.Cards) == 0 {
		return false
	}
	say := r.say()
	voted := votedCards(r)
	agreed := map[int64]bool{}
	for _, t := range r.Themes {
		agreed[t.ID] = t.Agreed
	}
	var group *section
	key := ""
	ballots := map[string]bool{}
	var ballotTitles []string
	left := 0
	for _, c := range s.Cards {
		if b, ok := voted[c.ID]; ok {
			if !ballots[b] {
				ballots[b] = true
				ballotTitles = append(ballotTitles, say.T("report.quoted", b))
			}
			continue
		}
		left++
		k, title := "none", say.T("report.theme.none")
		switch {
		case c.Parked:
			k, title = "parked", say.T("report.theme.parked")
		case c.Theme != nil:
			k, title = strconv.FormatInt(c.Theme.ID, 10), c.Theme.Name
			if agreed[c.Theme.ID] {
				title = say.T("report.theme.agreed", c.Theme.Name)
			}
		}
		if k != key {
			key = k
			group = sec.sub(title)
			group.add(list())
		}
		item := []span{text(c.Text)}
		if c.People > 1 {
			item = append(item, text(" "), em(say.T("report.parens", say.T("count.people", c.People))))
		}
		// A group's one block is its list.
		group.Blocks[0].Items = append(group.Blocks[0].Items, item)
	}
	if n := len(s.Cards) - left; n > 0 {
		sec.add(note(say.T("report.cards.voted", n, say.List(ballotTitles))))
	}
	return true
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
