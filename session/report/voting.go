package report

import (
	"fmt"
	"strconv"

	"moot/session"
)

func init() {
	builders = append(builders, buildVoting)
	stepSections[session.Voting] = append(stepSections[session.Voting], ballotsSection)
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

func ballotsSection(r *Report, s *Step, w *mdWriter) bool {
	if len(s.Ballots) == 0 {
		return false
	}
	for _, b := range s.Ballots {
		title := fmt.Sprintf("Ballot %d", b.ID)
		if b.Title != "" {
			title += ": " + inline(b.Title)
		}
		w.heading(3, title)
		rules := fmt.Sprintf("%d dots each", b.Dots)
		if b.MaxPerItem > 0 {
			rules += fmt.Sprintf(", at most %d on one item", b.MaxPerItem)
		}
		res := b.Results
		if res == nil {
			if b.Open() && b.Secret {
				w.line(rules + ". _Still open and secret: its results show once it closes._")
			} else {
				w.line(rules + ". _" + inline(b.Withheld) + "_")
			}
			w.blank()
			continue
		}
		status := "closed"
		if !res.Final {
			status = "still open, so these results may change"
		}
		w.line(fmt.Sprintf("%s; %d voted, %d dots spent; %s. ★ marks the top %d (items tied at the cut-off all kept); tied items share a rank (=).",
			rules, res.Voters, res.TotalDots, status, res.TopK))
		w.blank()
		w.line("| Rank | Item | Dots | Share | Top |")
		w.line("| ---: | --- | ---: | ---: | :---: |")
		for _, x := range res.Items {
			top := ""
			if x.Top {
				top = "★"
			}
			w.line(fmt.Sprintf("| %s | %s | %d | %.0f%% | %s |", x.RankLabel(), cell(x.Text), x.Dots, x.Share*100, top))
		}
		w.blank()
	}
	return true
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
