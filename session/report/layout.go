package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"moot/session"
)

// The report to read, laid out in one of two orders (Order). Each phase
// registers, in its own file, what it draws: parts about the whole forum
// (placed by rank in each order) and what came of each of its steps.

// A part is a section about the whole forum. Its ranks place it among the
// sections of each order; 0 leaves it out of that order. draw returns nil
// when there is nothing to say. The ranks given so far, agreed order:
// agreed statements 10, priorities 20, themes 25, what people raised 30,
// statements not agreed 40, feedback 50, who took part 60, how the forum
// ran 70; the forum's order: who took part 10, themes 20, the steps 50.
type part struct {
	agreed, forum int
	draw          func(r *Report) *section
}

// A stepPart draws what came of one step of its phase into the step's
// section, and says whether anything did. In the forum's order every step
// is a section of its own, at stepsRank; in the agreed order a phase's
// steps are gathered under title at rank agreed (0: the phase is told by
// parts instead, and its steps only in "How the forum ran").
type stepPart struct {
	title  string
	agreed int
	draw   func(r *Report, s *Step, sec *section) bool
}

var (
	parts = []part{
		{agreed: 60, forum: 10, draw: participationPart},
		{agreed: 70, draw: stepsPart},
	}
	stepParts = map[session.Phase]stepPart{}
)

// stepsRank is where the steps go in the forum's order.
const stepsRank = 50

// document lays the report out to read.
func (r *Report) document() *document {
	d := &document{Lang: "en", Title: r.Forum.Title, Lead: r.lead(), Contents: true}
	type placed struct {
		rank int
		sec  *section
	}
	var all []placed
	for _, p := range parts {
		rank := p.agreed
		if r.Order == ForumOrder {
			rank = p.forum
		}
		if rank == 0 {
			continue
		}
		if s := p.draw(r); s != nil && !s.empty() {
			all = append(all, placed{rank, s})
		}
	}
	if r.Order == ForumOrder {
		for i := range r.Steps {
			all = append(all, placed{stepsRank, r.stepSection(&r.Steps[i])})
		}
	} else {
		gathered := map[session.Phase]*section{}
		var phases []session.Phase
		for i := range r.Steps {
			s := &r.Steps[i]
			sp, ok := stepParts[s.Phase]
			if !ok || sp.agreed == 0 {
				continue
			}
			sec := gathered[s.Phase]
			if sec == nil {
				sec = &section{Title: sp.title}
				gathered[s.Phase] = sec
				phases = append(phases, s.Phase)
			}
			sub := &section{Title: s.Title}
			sub.add(paragraphs(s.Prompt, quote)...)
			if sp.draw(r, s, sub) {
				sec.Sections = append(sec.Sections, sub)
			}
		}
		for _, p := range phases {
			if sec := gathered[p]; !sec.empty() {
				all = append(all, placed{stepParts[p].agreed, sec})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b placed) int { return a.rank - b.rank })
	for _, p := range all {
		d.Sections = append(d.Sections, p.sec)
	}
	d.anchors()
	return d
}

// stepSection is one step, in the forum's order.
func (r *Report) stepSection(s *Step) *section {
	sec := &section{Title: fmt.Sprintf("Step %d: %s", s.Number, s.Title)}
	sec.add(paragraphs(s.Prompt, quote)...)
	drew := false
	if sp, ok := stepParts[s.Phase]; ok {
		drew = sp.draw(r, s, sec)
	}
	if stepPolls(r, s, sec) { // polls.go
		drew = true
	}
	switch {
	case drew:
	case s.StartedAt == nil:
		sec.add(note("The forum did not reach this step."))
	default:
		sec.add(note("Nothing was recorded on this step."))
	}
	return sec
}

// lead is what the report says under its title: the forum's date, where
// the forum stood if it was not over, and its purpose.
func (r *Report) lead() []block {
	var out []block
	if d := forumDate(r.Forum.Date); d != "" {
		out = append(out, block{Spans: []span{text(d)}, Class: "lead"})
	}
	n := len(r.Steps)
	switch {
	case r.Stage == session.Lobby:
		out = append(out, note("This report was made before the forum began."))
	case r.Stage == session.Running && r.Archived:
		out = append(out, note(fmt.Sprintf("The forum stopped at step %d of %d (%s).", r.CurrentStep, n, r.Steps[r.CurrentStep-1].Title)))
	case r.Stage == session.Running:
		out = append(out, note(fmt.Sprintf("A draft: this report was made while the forum was under way, at step %d of %d (%s).", r.CurrentStep, n, r.Steps[r.CurrentStep-1].Title)))
	}
	return append(out, paragraphs(r.Forum.Purpose, func(p string) block { return para(text(p)) })...)
}

// forumDate writes the agenda's date as people write it: "5 December
// 2026", "December 2026" or "2026".
func forumDate(date string) string {
	for _, f := range []struct{ in, out string }{{"2006-01-02", "2 January 2006"}, {"2006-01", "January 2006"}, {"2006", "2006"}} {
		if t, err := time.Parse(f.in, date); err == nil {
			return t.Format(f.out)
		}
	}
	return date
}

// firstReached is the number of the first step of a phase the forum
// reached; 0 if none. Work that belongs to a phase rather than to one of
// its steps (statements, feedback) is told there in the forum's order.
func firstReached(r *Report, phase session.Phase) int {
	for _, s := range r.Steps {
		if s.Phase == phase && s.StartedAt != nil {
			return s.Number
		}
	}
	return 0
}

func participationPart(r *Report) *section {
	sec := &section{Title: "Who took part"}
	p := r.Participation
	if p.People == 0 {
		sec.add(para(text("Nobody has joined yet.")))
		return sec
	}
	if p.Participants == 0 {
		sec.add(para(text("Nobody has taken part yet.")))
	} else {
		sec.add(para(text(session.Count(p.Participants, "person took part", "people took part") +
			". They are counted by the sector they chose, and named only if they asked to be.")))
	}
	if len(p.Named) > 0 {
		sec.add(para(text("Named at their request: " + strings.Join(p.Named, ", ") + ".")))
	}
	if p.Facilitators > 0 {
		line := "The forum had " + session.Count(p.Facilitators, "facilitator", "facilitators")
		switch named := joinAnd(p.NamedFacilitators); {
		case len(p.NamedFacilitators) == p.Facilitators:
			line += " (" + named + ")"
		case named != "":
			line += " (among them " + named + ")"
		}
		sec.add(para(text(line + ", counted apart from those taking part.")))
	}
	if len(p.BySector) > 0 {
		t := &grid{Caption: "Participants by sector", RowHeader: true, Columns: []column{{Title: "Sector"}, {Title: "Participants", Numeric: true}}}
		for _, s := range p.BySector {
			t.Rows = append(t.Rows, []string{session.GroupLabel(s.Sector, s.Pooled), fmt.Sprint(s.People)})
		}
		sec.add(block{Table: t})
	}
	if p.BySectorNote != "" {
		sec.add(note(p.BySectorNote))
	}
	return sec
}

func stepsPart(r *Report) *section {
	sec := &section{Title: "How the forum ran"}
	t := &grid{Caption: "The forum's steps", RowHeader: true, Columns: []column{{Title: "Step"}, {Title: "Kind of work"}, {Title: "Reached"}}}
	for _, s := range r.Steps {
		reached := "no"
		switch {
		case s.Number == r.CurrentStep && r.Stage == session.Running:
			reached = "under way"
		case s.StartedAt != nil:
			reached = "yes"
		}
		t.Rows = append(t.Rows, []string{fmt.Sprintf("%d. %s", s.Number, s.Title), s.Phase.Title(), reached})
	}
	sec.add(block{Table: t})
	return sec
}

// joinAnd lists names as English does: "A", "A and B", "A, B and C".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
