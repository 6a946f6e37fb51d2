package report

import (
	"strconv"

	"moot/session"
)

func init() {
	builders = append(builders, buildVoting)
	stepParts[session.Voting] = stepPart{title: "report.priorities", agreed: 20, draw: ballotsPart}
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
	return r.say().T("report.ballot.untitled", b.ID)
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
	say := r.say()
	rules := say.T("report.ballot.rules", b.Dots)
	if b.MaxPerItem > 0 {
		rules = say.T("report.ballot.rules_most", b.Dots, b.MaxPerItem)
	}
	res := b.Results
	if res == nil {
		if b.Open() && b.Secret {
			return []block{note(say.then(rules, say.T("report.ballot.under_way")))}
		}
		return []block{note(say.then(rules, say.Text(b.Why)))}
	}
	line := say.then(rules, say.T("report.ballot.voted", res.Voters, say.T("count.dots", res.TotalDots)))
	if !res.Final {
		line = say.then(line, say.T("report.ballot.may_change"))
	}
	line = say.then(line, say.T("report.ballot.key", res.TopK))
	withThemes := false
	for _, x := range res.Items {
		if x.Source == session.FromCard && themes[x.Ref] != "" {
			withThemes = true
		}
	}
	cols := []column{{Title: say.T("report.ballot.rank"), Numeric: true}, {Title: say.T("report.ballot.item")}}
	if withThemes {
		cols = append(cols, column{Title: say.T("report.ballot.theme")})
	}
	cols = append(cols, column{Title: say.T("report.ballot.dots"), Numeric: true}, column{Title: say.T("report.ballot.share"), Numeric: true}, column{Title: say.T("report.ballot.top")})
	t := &grid{Caption: say.T("report.ballot.caption", ballotTitle(r, b)), Columns: cols}
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
		t.Rows = append(t.Rows, append(row, say.num(x.Dots), say.percent(x.Share), top))
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
