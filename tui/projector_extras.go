package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

// What the room's screen shows over a step's own work: a poll while it is
// open, and its results once it closes, until the step moves on to other
// work (a card, a ballot, a check); on a step at tables, the tables and
// what each brought back; on a dialogue or deliberation step after one,
// what the tables brought back until the step has work of its own.

func init() {
	phaseProjectors[session.Polling] = func(p *Projector, width, height int) string {
		ps := p.view.PollsOf(p.view.Step())
		if len(ps) == 0 {
			return p.styles.Muted.Render(p.pr.T("tui.projector.no_poll"))
		}
		return projectPoll(p, shownPoll(ps), width, height)
	}
}

// extras draws what takes the room's screen over the step's own work, and
// whether anything does.
func (p *Projector) extras(width, height int) (string, bool) {
	v := p.view
	st := v.CurrentStep()
	if ps := v.PollsOf(v.Step()); len(ps) > 0 && st.Phase != session.Polling {
		shown := shownPoll(ps)
		if shown.Open() || !workSince(v, *shown.ClosedAt) {
			return projectPoll(p, shown, width, height), true
		}
	}
	switch plenary := v.PlenaryStep(v.Step()); {
	case plenary == 0:
		return "", false
	case plenary == v.Step():
		return projectTables(p, width, height), true
	case st.Phase == session.Dialogue && len(v.StepCards(v.Step())) > 0:
		return "", false
	case st.Phase == session.Deliberation && deliberating(v):
		return "", false
	}
	return projectBrought(p, v.PlenaryStep(v.Step()), width, height), true
}

// shownPoll is the poll the room sees of a step's: the newest open one,
// else the newest.
func shownPoll(ps []*session.PollView) *session.PollView {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Open() {
			return ps[i]
		}
	}
	return ps[len(ps)-1]
}

// workSince tells whether the step has had work of its own since t: a
// card, a ballot opened or closed, a check opened or closed, feedback.
// Times are kept to the millisecond: work in the same one counts as since.
func workSince(v *session.View, t time.Time) bool {
	step := v.Step()
	for _, c := range v.StepCards(step) {
		if !c.CreatedAt.Before(t) {
			return true
		}
	}
	for _, b := range v.BallotsOf(step) {
		if !b.OpenedAt.Before(t) || (b.ClosedAt != nil && !b.ClosedAt.Before(t)) {
			return true
		}
	}
	if v.CurrentStep().Phase == session.Deliberation {
		for _, st := range v.Statements() {
			for _, c := range []*session.CheckView{st.Check, st.Result} {
				if c != nil && (!c.OpenedAt.Before(t) || (c.ClosedAt != nil && !c.ClosedAt.Before(t))) {
					return true
				}
			}
		}
	}
	if v.CurrentStep().Phase == session.Feedback {
		for _, f := range v.Feedback() {
			if !f.At.Before(t) {
				return true
			}
		}
	}
	return false
}

// deliberating tells whether a deliberation step has something of its own
// to show the room: a check open, or a statement agreed.
func deliberating(v *session.View) bool {
	for _, st := range v.Statements() {
		if st.Check != nil || st.Status == string(session.Agreed) {
			return true
		}
	}
	return false
}

// projectPoll shows a poll: its question, and while it is secret and open
// its choices and how many have answered, never a count on one; once its
// results may be shown, they are, as bars.
func projectPoll(p *Projector, c *session.PollView, width, height int) string {
	s, pr := p.styles, p.pr
	var lines []string
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	add(s.Selected.Render(truncate(s.text(strings.ToUpper(pr.T("tui.poll.number", c.ID)+s.sym.sep+pollStatus(pr, c))), width)))
	add(s.Title.Width(max(width-4, 10)).Render(s.text(c.Question)))
	if c.Respondents != nil && c.Results == nil {
		add(s.Strong.Render(truncate(pr.T("tui.poll.respondents", *c.Respondents), width)))
	}
	add("")
	switch {
	case c.Results != nil:
		for _, l := range pollResults(s, pr, c, nil, width, false, p.view.Seq()) {
			add(l)
		}
	case c.Open() && c.Counted():
		for i, label := range c.Choices() {
			add(fmt.Sprintf("%3d  %s", i+1, truncate(oneLine(label), max(width-6, 10))))
		}
	case c.Open():
		add(s.Muted.Width(max(width-4, 10)).Render(pr.T("tui.projector.answer_yourself")))
	default:
		add(s.Muted.Width(max(width-4, 10)).Render(pr.Text(c.Why)))
	}
	return clip(s, p.pr, lines, height)
}

// projectTables shows a step at tables: each table with its size and
// activity, then what each brought back.
func projectTables(p *Projector, width, height int) string {
	s, v := p.styles, p.view
	tables := v.CurrentTables()
	if len(tables) == 0 {
		return projectDialogue(p, width, height)
	}
	var lines []string
	for _, tv := range tables {
		line := fmt.Sprintf("%-*s %s · %s", min(max(width/4, 8), 24), truncate(tv.Name, 24), p.pr.T("count.people", tv.People), p.pr.T("count.cards", tv.Cards))
		if tv.BroughtBack > 0 {
			line += " · " + p.pr.T("tui.tables.brought_count", tv.BroughtBack)
		}
		lines = append(lines, truncate(s.text(line), width))
	}
	brought := projectBrought(p, v.Step(), width, max(height-len(lines)-1, 1))
	return clip(s, p.pr, append(append(lines, ""), strings.Split(brought, "\n")...), height)
}

// projectBrought shows what the tables brought back from a step, by table.
func projectBrought(p *Projector, step, width, height int) string {
	s, v := p.styles, p.view
	groups := v.BroughtBack(step)
	if len(groups) == 0 {
		return s.Muted.Width(max(width-4, 10)).Render(p.pr.T("tui.projector.brought_here"))
	}
	lines := []string{s.Selected.Render(truncate(strings.ToUpper(p.pr.T("tui.projector.brought")), width))}
	wrap := lipgloss.NewStyle().Width(max(width-4, 10))
	for _, g := range groups {
		lines = append(lines, s.Strong.Render(truncate(g.Table.Name, width)))
		for _, c := range g.Cards {
			lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, "  "+s.sym.star+" ", wrap.Render(s.text(c.Text))), "\n")...)
		}
	}
	return clip(s, p.pr, lines, height)
}
