package report

import (
	"fmt"
	"strconv"
	"strings"

	"moot/session"
)

// Polls in the report: under each step the polls asked on it, with their
// results as the report may see them (no one's answer, the small-group
// rule kept); the polls of the evaluation in a section of their own after
// the steps.

func init() {
	builders = append(builders, buildPolls)
	for _, phase := range session.Phases {
		stepSections[phase] = append(stepSections[phase], pollsSection)
	}
	closingSections = append(closingSections, evaluationSection)
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

func pollsSection(r *Report, s *Step, w *mdWriter) bool {
	evaluation := false
	for _, p := range r.Evaluation {
		evaluation = evaluation || p.Step == s.Number
	}
	if evaluation {
		w.line("_The polls of this step are the forum's evaluation: see Evaluation below._")
		w.blank()
	}
	for _, p := range s.Polls {
		pollSection(p, w)
	}
	return evaluation || len(s.Polls) > 0
}

func evaluationSection(r *Report, w *mdWriter) {
	if len(r.Evaluation) == 0 {
		return
	}
	w.heading(2, "Evaluation")
	for _, p := range r.Evaluation {
		pollSection(p, w)
	}
}

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
	return "An open answer"
}

// pollSection draws one poll and its results: a table of counts for a
// scale or a choice (and by sector), of words and phrases for a words
// poll, a list for open answers.
func pollSection(p session.PollView, w *mdWriter) {
	w.heading(3, fmt.Sprintf("Poll %d: %s", p.ID, inline(p.Question)))
	secrecy := "secret until it closed"
	if !p.Secret {
		secrecy = "live"
	}
	res := p.Results
	if res == nil {
		if p.Open() && p.Secret {
			w.line(pollKind(p) + ", " + secrecy + ". _Still open and secret: its results show once it closes._")
		} else {
			w.line(pollKind(p) + ", " + secrecy + ". _" + inline(p.Withheld) + "_")
		}
		w.blank()
		return
	}
	status := "closed"
	if !res.Final {
		status = "still open, so these results may change"
	}
	line := fmt.Sprintf("%s, %s; %d answered; %s.", pollKind(p), secrecy, res.Respondents, status)
	if res.Mean != nil {
		line += fmt.Sprintf(" Mean %.2f, spread %.2f (standard deviation).", *res.Mean, *res.Spread)
	}
	w.line(line)
	w.blank()
	switch {
	case len(res.Counts) > 0:
		head := "Option"
		if p.Kind == session.PollScale {
			head = "Point"
		}
		w.line(fmt.Sprintf("| %s | | People | Share |", head))
		w.line("| ---: | --- | ---: | ---: |")
		for _, c := range res.Counts {
			w.line(fmt.Sprintf("| %d | %s | %d | %.0f%% |", c.N, cell(c.Label), c.Count, c.Share*100))
		}
		w.blank()
		if len(res.Sectors) > 0 {
			cols := make([]string, len(res.Counts))
			for i := range cols {
				cols[i] = strconv.Itoa(i + 1)
			}
			head := "| Sector | People | " + strings.Join(cols, " | ") + " |"
			if p.Kind == session.PollScale {
				head = "| Sector | People | Mean | " + strings.Join(cols, " | ") + " |"
			}
			w.line(head)
			w.line("| --- |" + strings.Repeat(" ---: |", strings.Count(head, "|")-2))
			for _, s := range res.Sectors {
				row := []string{cell(session.GroupLabel(s.Sector, s.Pooled)), strconv.Itoa(s.Respondents)}
				if p.Kind == session.PollScale {
					row = append(row, fmt.Sprintf("%.2f", *s.Mean))
				}
				for _, n := range s.Counts {
					row = append(row, strconv.Itoa(n))
				}
				w.line("| " + strings.Join(row, " | ") + " |")
			}
			w.blank()
		}
		if res.SectorsNote != "" {
			w.line("_" + inline(res.SectorsNote) + "_")
			w.blank()
		}
	case p.Kind == session.PollWords && len(res.Words) > 0:
		w.line("| Word or phrase | Answers |")
		w.line("| --- | ---: |")
		for _, word := range res.Words {
			w.line(fmt.Sprintf("| %s | %d |", cell(word.Text), word.Count))
		}
		w.blank()
	case len(res.Answers) > 0:
		for _, a := range res.Answers {
			w.line("- " + inline(a.Text))
		}
		w.blank()
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
		for _, word := range res.Words {
			kind := "word"
			if word.Phrase {
				kind = "phrase"
			}
			row(kind, "", word.Text, strconv.Itoa(word.Count), "")
		}
		if p.Kind == session.PollOpen {
			for _, a := range res.Answers {
				row("answer", "", a.Text, "", "")
			}
		}
	}
	return rows
}
