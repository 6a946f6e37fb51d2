package report

import (
	"fmt"
	"strconv"

	"moot/session"
)

// Polls in the report. In the forum's order each step tells the polls
// asked on it (the evaluation's on its own step). In the agreed order the
// polls are gathered by step under "Quick polls", and the evaluation's in
// a section of their own, "Evaluation". Results are as the report may see
// them: no one's answer, the small-group rule kept.

func init() {
	builders = append(builders, buildPolls)
	parts = append(parts,
		part{agreed: 35, draw: pollsPart},
		part{agreed: 55, draw: evaluationPart})
	tables = append(tables, table{"polls", pollsTable})
}

func buildPolls(r *Report, src source) {
	r.Evaluation = []session.PollView{}
	for i := range r.Steps {
		step := &r.Steps[i]
		step.Polls = []session.PollView{}
		for _, p := range src.view.PollsOf(step.Number) {
			if p.Evaluation {
				r.Evaluation = append(r.Evaluation, *p)
			} else {
				step.Polls = append(step.Polls, *p)
			}
		}
	}
}

// stepPolls tells a step's polls in the forum's order, the evaluation's
// among them, after what the step's phase tells (layout.go).
func stepPolls(r *Report, s *Step, sec *section) bool {
	drew := false
	for _, p := range append(append([]session.PollView{}, s.Polls...), evaluationOf(r, s.Number)...) {
		pollSection(sec.sub(pollTitle(p)), p)
		drew = true
	}
	return drew
}

func evaluationOf(r *Report, step int) []session.PollView {
	var out []session.PollView
	for _, p := range r.Evaluation {
		if p.Step == step {
			out = append(out, p)
		}
	}
	return out
}

// pollsPart gathers the polls asked on the steps, by step.
func pollsPart(r *Report) *section {
	sec := &section{Title: "Quick polls"}
	for _, s := range r.Steps {
		if len(s.Polls) == 0 {
			continue
		}
		sub := sec.sub(s.Title)
		for _, p := range s.Polls {
			pollSection(sub.sub(pollTitle(p)), p)
		}
	}
	return sec
}

func evaluationPart(r *Report) *section {
	sec := &section{Title: "Evaluation"}
	for _, p := range r.Evaluation {
		pollSection(sec.sub(pollTitle(p)), p)
	}
	return sec
}

func pollTitle(p session.PollView) string { return fmt.Sprintf("Poll %d: %s", p.ID, p.Question) }

// pollKind says what a poll asked for, in a few words.
func pollKind(p session.PollView) string {
	switch p.Kind {
	case session.PollScale:
		return fmt.Sprintf("A scale of %d points", p.Points)
	case session.PollChoice:
		return "One of the options"
	case session.PollMultiple:
		return fmt.Sprintf("Up to %d of the options", p.Max)
	case session.PollWords:
		return "Up to " + session.Count(p.Words, "word", "words")
	}
	return "An answer in one's own words"
}

// pollSection tells one poll and its results: a table of counts for a
// scale or a choice (and by sector), of words and phrases for a words
// poll, a list for open answers.
func pollSection(sec *section, p session.PollView) {
	secrecy := "secret until it closed"
	if !p.Secret {
		secrecy = "its results shown as people answered"
	}
	res := p.Results
	if res == nil {
		if p.Open() && p.Secret {
			sec.add(note(pollKind(p) + ", " + secrecy + ". It was still open when this report was made: its results show once it closes."))
		} else {
			sec.add(note(pollKind(p) + ", " + secrecy + ". " + p.Withheld))
		}
		return
	}
	line := fmt.Sprintf("%s, %s. %s.", pollKind(p), secrecy, session.Count(res.Respondents, "person answered", "people answered"))
	if !res.Final {
		line += " It was still open when this report was made, so these results may change."
	}
	if res.Mean != nil {
		line += fmt.Sprintf(" Mean %.2f, spread %.2f (standard deviation).", *res.Mean, *res.Spread)
	}
	sec.add(note(line))
	switch {
	case len(res.Counts) > 0:
		head := "Option"
		if p.Kind == session.PollScale {
			head = "Point"
		}
		t := &grid{Caption: pollTitle(p) + " — answers", Columns: []column{{Title: head, Numeric: true}, {Title: ""}, {Title: "People", Numeric: true}, {Title: "Share", Numeric: true}}}
		for _, c := range res.Counts {
			t.Rows = append(t.Rows, []string{strconv.Itoa(c.N), c.Label, strconv.Itoa(c.Count), fmt.Sprintf("%.0f%%", c.Share*100)})
		}
		sec.add(block{Table: t})
		if len(res.Sectors) > 0 {
			cols := []column{{Title: "Sector"}, {Title: "People", Numeric: true}}
			if p.Kind == session.PollScale {
				cols = append(cols, column{Title: "Mean", Numeric: true})
			}
			for i := range res.Counts {
				cols = append(cols, column{Title: strconv.Itoa(i + 1), Numeric: true})
			}
			bySector := &grid{Caption: pollTitle(p) + " — by sector", RowHeader: true, Columns: cols}
			for _, s := range res.Sectors {
				row := []string{session.GroupLabel(s.Sector, s.Pooled), strconv.Itoa(s.Respondents)}
				if p.Kind == session.PollScale {
					row = append(row, fmt.Sprintf("%.2f", *s.Mean))
				}
				for _, n := range s.Counts {
					row = append(row, strconv.Itoa(n))
				}
				bySector.Rows = append(bySector.Rows, row)
			}
			sec.add(block{Table: bySector})
		}
		if res.SectorsNote != "" {
			sec.add(note(res.SectorsNote))
		}
	case p.Kind == session.PollWords && len(res.Words) > 0:
		t := &grid{Caption: pollTitle(p) + " — the most frequent words and phrases", Columns: []column{{Title: "Word or phrase"}, {Title: "Answers", Numeric: true}}}
		for _, w := range res.Words {
			t.Rows = append(t.Rows, []string{w.Text, strconv.Itoa(w.Count)})
		}
		sec.add(block{Table: t})
	case len(res.Answers) > 0:
		var items [][]span
		for _, a := range res.Answers {
			items = append(items, []span{text(a.Text)})
		}
		sec.add(list(items...))
	}
}

func pollsTable(r *Report) [][]string {
	rows := [][]string{{"step", "poll_id", "question", "kind", "status", "evaluation", "respondents", "mean", "spread", "row", "n", "text", "count", "share"}}
	var all []session.PollView
	for _, s := range r.Steps {
		all = append(all, s.Polls...)
	}
	all = append(all, r.Evaluation...)
	for _, p := range all {
		res := p.Results
		if res == nil {
			continue
		}
		mean, spread := "", ""
		if res.Mean != nil {
			mean, spread = strconv.FormatFloat(*res.Mean, 'f', 2, 64), strconv.FormatFloat(*res.Spread, 'f', 2, 64)
		}
		row := func(kind, n, text, count, share string) {
			rows = append(rows, []string{strconv.Itoa(p.Step), itoa(p.ID), p.Question, string(p.Kind), p.Status, strconv.FormatBool(p.Evaluation),
				strconv.Itoa(res.Respondents), mean, spread, kind, n, text, count, share})
		}
		for _, c := range res.Counts {
			kind := "option"
			if p.Kind == session.PollScale {
				kind = "point"
			}
			row(kind, strconv.Itoa(c.N), c.Label, strconv.Itoa(c.Count), strconv.FormatFloat(c.Share, 'f', 4, 64))
		}
		for _, w := range res.Words {
			kind := "word"
			if w.Phrase {
				kind = "phrase"
			}
			row(kind, "", w.Text, strconv.Itoa(w.Count), "")
		}
		if p.Kind == session.PollOpen {
			for _, a := range res.Answers {
				row("answer", "", a.Text, "", "")
			}
		}
	}
	return rows
}
