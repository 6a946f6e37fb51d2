package report

import (
	"strconv"

	"moot/session"
	"moot/session/catalogue"
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
	say := r.say()
	drew := false
	for _, p := range append(append([]session.PollView{}, s.Polls...), evaluationOf(r, s.Number)...) {
		pollSection(say, sec.sub(pollTitle(say, p)), p)
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
	say := r.say()
	sec := &section{Title: say.T("report.polls")}
	for _, s := range r.Steps {
		if len(s.Polls) == 0 {
			continue
		}
		sub := sec.sub(s.Title)
		for _, p := range s.Polls {
			pollSection(say, sub.sub(pollTitle(say, p)), p)
		}
	}
	return sec
}

func evaluationPart(r *Report) *section {
	say := r.say()
	sec := &section{Title: say.T("report.evaluation")}
	for _, p := range r.Evaluation {
		pollSection(say, sec.sub(pollTitle(say, p)), p)
	}
	return sec
}

func pollTitle(say *voice, p session.PollView) string {
	return say.T("report.poll.heading", p.ID, p.Question)
}

// pollKind says what a poll asked for, in a few words.
func pollKind(say *voice, p session.PollView) string {
	switch p.Kind {
	case session.PollScale:
		return say.T("report.poll.scale", p.Points)
	case session.PollChoice:
		return say.T("report.poll.choice")
	case session.PollMultiple:
		return say.T("report.poll.multiple", p.Max)
	case session.PollWords:
		return say.T("report.poll.words", p.Words)
	}
	return say.T("report.poll.open")
}

// pollSection tells one poll and its results: a table of counts for a
// scale or a choice (and by sector), of words and phrases for a words
// poll, a list for open answers.
func pollSection(say *voice, sec *section, p session.PollView) {
	secrecy := say.T("report.poll.secret")
	if !p.Secret {
		secrecy = say.T("report.poll.live")
	}
	about := say.T("report.poll.about", pollKind(say, p), secrecy)
	res := p.Results
	if res == nil {
		if p.Open() && p.Secret {
			sec.add(note(say.then(about, say.T("report.poll.still_open"))))
		} else {
			sec.add(note(say.then(about, say.Text(p.Why))))
		}
		return
	}
	line := say.then(about, say.T("report.poll.answered", res.Respondents))
	if !res.Final {
		line = say.then(line, say.T("report.poll.may_change"))
	}
	if res.Mean != nil {
		line = say.then(line, say.T("report.poll.mean", catalogue.Decimal(*res.Mean, 2), catalogue.Decimal(*res.Spread, 2)))
	}
	sec.add(note(line))
	switch {
	case len(res.Counts) > 0:
		head := say.T("report.poll.option")
		if p.Kind == session.PollScale {
			head = say.T("report.poll.point")
		}
		t := &grid{Caption: say.T("report.poll.caption", pollTitle(say, p)),
			Columns: []column{{Title: head, Numeric: true}, {Title: ""}, {Title: say.T("report.poll.people"), Numeric: true}, {Title: say.T("report.poll.share"), Numeric: true}}}
		for _, c := range res.Counts {
			t.Rows = append(t.Rows, []string{say.num(c.N), c.Label, say.num(c.Count), say.percent(c.Share)})
		}
		sec.add(block{Table: t})
		if len(res.Sectors) > 0 {
			cols := []column{{Title: say.T("report.sector")}, {Title: say.T("report.poll.people"), Numeric: true}}
			if p.Kind == session.PollScale {
				cols = append(cols, column{Title: say.T("report.poll.mean_column"), Numeric: true})
			}
			for i := range res.Counts {
				cols = append(cols, column{Title: say.num(i + 1), Numeric: true})
			}
			bySector := &grid{Caption: say.T("report.poll.caption_sectors", pollTitle(say, p)), RowHeader: true, Columns: cols}
			for _, s := range res.Sectors {
				row := []string{groupLabel(say, s.Sector, s.Pooled), say.num(s.Respondents)}
				if p.Kind == session.PollScale {
					row = append(row, say.decimal(*s.Mean, 2))
				}
				for _, n := range s.Counts {
					row = append(row, say.num(n))
				}
				bySector.Rows = append(bySector.Rows, row)
			}
			sec.add(block{Table: bySector})
		}
		if res.SectorsNote != "" {
			sec.add(note(res.SectorsNote))
		}
	case p.Kind == session.PollWords && len(res.Words) > 0:
		t := &grid{Caption: say.T("report.poll.caption_words", pollTitle(say, p)),
			Columns: []column{{Title: say.T("report.poll.word")}, {Title: say.T("report.poll.answers"), Numeric: true}}}
		for _, w := range res.Words {
			t.Rows = append(t.Rows, []string{w.Text, say.num(w.Count)})
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
