package report

import (
	"fmt"
	"strconv"

	"moot/session"
)

func init() {
	builders = append(builders, buildVoting)
	stepParts[session.Voting] = stepPart{title: "Priorities", agreed: 20, draw: ballotsPart}
	tables = append(tables, table{"ballots", ballotsTable})
}

func buildVoting(r *Report, src source) {
	for i := range r.Steps {
		step := &r.Steps[i]
		for _, b := range src.view.BallotsOf(step.Number) {
			step.Ballots = append(step.Ballots, *b)
		}
	}
}

// ballotTitle is what the report calls a ballot: its title, or else the
// title of its step.
func ballotTitle(r *Report, b *session.BallotView) string {
	if b.Title != "" {
		return b.Title
	}
	if b.Step >= 1 && b.Step <= len(r.Steps) {
		return r.Steps[b.Step-1].Title
	}
	return fmt.Sprintf("Ballot %d", b.ID)
}

// votedCards maps each card that is a row of a ballot's results in the
// report to the ballot's title: the report lists it there, with its dots,
// and not again among the cards.
func votedCards(r *Report) map[int64]string {
	out := map[int64]string{}
	for _, s := range r.Steps {
		for i := range s.Ballots {
			b := &s.Ballots[i]
			if b.Results == nil {
				continue
			}
			for _, x := range b.Results.Items {
				if x.Source == session.FromCard {
					if _, ok := out[x.Ref]; !ok {
						out[x.Ref] = ballotTitle(r, b)
					}
				}
			}
		}
	}
	return out
}

// ballotsPart gives each ballot of a voting step its ranked results: the
// priorities, with their dots.
func ballotsPart(r *Report, s *Step, sec *section) bool {
	if len(s.Ballots) == 0 {
		return false
	}
	themes := cardThemes(r)
	for i := range s.Ballots {
		b := &s.Ballots[i]
		into := sec
		if len(s.Ballots) > 1 {
			into = sec.sub(ballotTitle(r, b))
		} else if b.Title != "" && b.Title != s.Title {
			into.add(para(strong(b.Title)))
		}
		into.add(ballotBlocks(r, b, themes)...)
	}
	return true
}

func ballotBlocks(r *Report, b *session.BallotView, themes map[int64]string) []block {
	rules := fmt.Sprintf("Each person had %s to spend", session.Count(b.Dots, "dot", "dots"))
	if b.MaxPerItem > 0 {
		rules += fmt.Sprintf(", at most %d on one item", b.MaxPerItem)
	}
	res := b.Results
	if res == nil {
		if b.Open() && b.Secret {
			return []block{note(rules + ". Voting was still under way when this report was made: the results show once it ends.")}
		}
		return []block{note(rules + ". " + b.Withheld)}
	}
	line := fmt.Sprintf("%s. %s, spending %s.", rules, session.Count(res.Voters, "person voted", "people voted"), session.Count(res.TotalDots, "dot", "dots"))
	if !res.Final {
		line += " Voting was still under way when this report was made, so these results may change."
	}
	line += fmt.Sprintf(" ★ marks the top %d (items tied at the cut-off are all kept); tied items share a rank (=).", res.TopK)
	withThemes := false
	for _, x := range res.Items {
		if x.Source == session.FromCard && themes[x.Ref] != "" {
			withThemes = true
		}
	}
	cols := []column{{Title: "Rank", Numeric: true}, {Title: "Item"}}
	if withThemes {
		cols = append(cols, column{Title: "Theme"})
	}
	cols = append(cols, column{Title: "Dots", Numeric: true}, column{Title: "Share", Numeric: true}, column{Title: "Top"})
	t := &grid{Caption: ballotTitle(r, b) + " — results, most dots first", Columns: cols}
	for _, x := range res.Items {
		top := ""
		if x.Top {
			top = "★"
		}
		row := []string{x.RankLabel(), x.Text}
		if withThemes {
			theme := ""
			if x.Source == session.FromCard {
				theme = themes[x.Ref]
			}
			row = append(row, theme)
		}
		t.Rows = append(t.Rows, append(row, strconv.Itoa(x.Dots), fmt.Sprintf("%.0f%%", x.Share*100), top))
	}
	return []block{note(line), {Table: t}}
}

// cardThemes maps each card the report shows to its theme's name.
func cardThemes(r *Report) map[int64]string {
	out := map[int64]string{}
	for _, s := range r.Steps {
		for _, c := range s.Cards {
			if c.Theme != nil {
				out[c.ID] = c.Theme.Name
			}
		}
	}
	return out
}

func ballotsTable(r *Report) [][]string {
	rows := [][]string{{"step", "ballot_id", "ballot_title", "status", "voters", "rank", "tied", "top", "item_id", "item_text", "source", "ref", "dots", "share"}}
	for _, s := range r.Steps {
		for _, b := range s.Ballots {
			if b.Results == nil {
				continue
			}
			for _, x := range b.Results.Items {
				ref := ""
				if x.Ref != 0 {
					ref = itoa(x.Ref)
				}
				rows = append(rows, []string{strconv.Itoa(s.Number), itoa(b.ID), b.Title, b.Status, strconv.Itoa(b.Results.Voters),
					strconv.Itoa(x.Rank), strconv.FormatBool(x.Tied), strconv.FormatBool(x.Top), strconv.Itoa(x.ID), x.Text, string(x.Source), ref,
					strconv.Itoa(x.Dots), strconv.FormatFloat(x.Share, 'f', 4, 64)})
			}
		}
	}
	return rows
}
