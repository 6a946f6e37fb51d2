package report

import (
	"slices"
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
// steps are gathered under a heading (title, the catalogue's key of it)
// at rank agreed (0: the phase is told by parts instead, and its steps
// only in "How the forum ran").
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
	say := r.say()
	d := &document{Lang: say.Lang(), Title: r.Forum.Title, Lead: r.lead(), Contents: true, ContentsTitle: say.T("report.contents")}
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
				sec = &section{Title: say.T(sp.title)}
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
	say := r.say()
	sec := &section{Title: say.T("report.step.heading", s.Number, s.Title)}
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
		sec.add(note(say.T("report.step.not_reached")))
	default:
		sec.add(note(say.T("report.step.nothing")))
	}
	return sec
}

// lead is what the report says under its title: the forum's date, where
// the forum stood if it was not over, and its purpose.
func (r *Report) lead() []block {
	say := r.say()
	var out []block
	if d := forumDate(say, r.Forum.Date); d != "" {
		out = append(out, block{Spans: []span{text(d)}, Class: "lead"})
	}
	n := len(r.Steps)
	switch {
	case r.Stage == session.Lobby:
		out = append(out, note(say.T("report.lead.before")))
	case r.Stage == session.Running && r.Archived:
		out = append(out, note(say.T("report.lead.stopped", r.CurrentStep, n, r.Steps[r.CurrentStep-1].Title)))
	case r.Stage == session.Running:
		out = append(out, note(say.T("report.lead.draft", r.CurrentStep, n, r.Steps[r.CurrentStep-1].Title)))
	}
	return append(out, paragraphs(r.Forum.Purpose, func(p string) block { return para(text(p)) })...)
}

// forumDate writes the agenda's date as people write it: "5 December
// 2026", "December 2026" or "2026" (a year alone as the agenda gives it).
func forumDate(say *voice, date string) string {
	if t, err := time.Parse("2006-01-02", date); err == nil {
		return say.T(dayKeys[t.Month()-1], t.Day(), t.Year())
	}
	if t, err := time.Parse("2006-01", date); err == nil {
		return say.T(monthKeys[t.Month()-1], t.Year())
	}
	return date
}

// dayKeys and monthKeys are a date's messages by month: a language may
// write a month's name one way after a day and another alone.
var (
	dayKeys = [12]string{"report.day.january", "report.day.february", "report.day.march", "report.day.april", "report.day.may", "report.day.june",
		"report.day.july", "report.day.august", "report.day.september", "report.day.october", "report.day.november", "report.day.december"}
	monthKeys = [12]string{"report.month.january", "report.month.february", "report.month.march", "report.month.april", "report.month.may", "report.month.june",
		"report.month.july", "report.month.august", "report.month.september", "report.month.october", "report.month.november", "report.month.december"}
)

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
	say := r.say()
	sec := &section{Title: say.T("report.people")}
	p := r.Participation
	if p.People == 0 {
		sec.add(para(text(say.T("report.people.nobody_joined"))))
		return sec
	}
	if p.Participants == 0 {
		sec.add(para(text(say.T("report.people.nobody_took_part"))))
	} else {
		sec.add(para(text(say.T("report.people.took_part", p.Participants))))
	}
	if len(p.Named) > 0 {
		sec.add(para(text(say.T("report.people.named", say.joined(p.Named)))))
	}
	if p.Facilitators > 0 {
		line := say.T("report.facilitators", p.Facilitators)
		switch named := say.List(p.NamedFacilitators); {
		case len(p.NamedFacilitators) == p.Facilitators:
			line = say.T("report.facilitators.named", p.Facilitators, named)
		case named != "":
			line = say.T("report.facilitators.among", p.Facilitators, named)
		}
		sec.add(para(text(line)))
	}
	if len(p.BySector) > 0 {
		t := &grid{Caption: say.T("report.people.caption"), RowHeader: true,
			Columns: []column{{Title: say.T("report.sector")}, {Title: say.T("report.people.participants"), Numeric: true}}}
		for _, s := range p.BySector {
			t.Rows = append(t.Rows, []string{groupLabel(say, s.Sector, s.Pooled), say.num(s.People)})
		}
		sec.add(block{Table: t})
	}
	if p.BySectorNote != "" {
		sec.add(note(p.BySectorNote))
	}
	return sec
}

// groupLabel names a group of a breakdown by sector: a sector, or "Other
// sectors (A, B)" for several counted together.
func groupLabel(say *voice, sector string, pooled []string) string {
	name := func(s string) string {
		if s == "" {
			return say.T("report.sector.none")
		}
		return s
	}
	if pooled == nil {
		return name(sector)
	}
	names := make([]string, len(pooled))
	for i, s := range pooled {
		names[i] = name(s)
	}
	return say.T("report.sector.pooled", say.joined(names))
}

func stepsPart(r *Report) *section {
	say := r.say()
	sec := &section{Title: say.T("report.steps")}
	t := &grid{Caption: say.T("report.steps.caption"), RowHeader: true,
		Columns: []column{{Title: say.T("report.steps.step")}, {Title: say.T("report.steps.kind")}, {Title: say.T("report.steps.reached")}}}
	for _, s := range r.Steps {
		reached := say.T("report.steps.no")
		switch {
		case s.Number == r.CurrentStep && r.Stage == session.Running:
			reached = say.T("report.steps.under_way")
		case s.StartedAt != nil:
			reached = say.T("report.steps.yes")
		}
		t.Rows = append(t.Rows, []string{say.T("report.steps.numbered", s.Number, s.Title), phaseName(say, s.Phase), reached})
	}
	sec.add(block{Table: t})
	return sec
}

// phaseName is the kind of work a step does, as a table names it.
func phaseName(say *voice, p session.Phase) string {
	switch p {
	case session.Dialogue:
		return say.T("report.phase.dialogue")
	case session.Voting:
		return say.T("report.phase.voting")
	case session.Deliberation:
		return say.T("report.phase.deliberation")
	case session.Feedback:
		return say.T("report.phase.feedback")
	case session.Polling:
		return say.T("report.phase.poll")
	}
	return string(p)
}
