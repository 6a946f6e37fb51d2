package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	phaseModels[session.Feedback] = func(m *Model) phaseModel { return &feedback{m: m} }
}

// Keys of a feedback step.
var (
	keyFeedback  = bind("c/w", "c", "tui.key.feedback", "tui.key.feedback.help", "c", "w")
	keyRevise    = steer("R", "R", "tui.key.revise", "tui.key.revise.help", "R")
	feedbackKeys = []*keyDef{keyFeedback, keyRevise}
)

// feedback shows the draft report: the agreed statements by theme with
// their actions, any rewording since the forum agreed them (with the
// reason), and the feedback on each. People move to a statement and
// comment on it; a facilitator revises one, giving the reason.
type feedback struct {
	m        *Model
	selected int64
	details
	// composer is open while the person writes feedback ("comment"), or a
	// facilitator a new wording ("revise") and then its reason ("reason").
	composer *textinput.Model
	mode     string
	wording  string
	note     string
	failed   bool
}

type feedbackSavedMsg struct {
	note string
	err  error
}

func (f *feedback) typing() bool { return f.composer != nil }

func (f *feedback) keys() []*keyDef {
	switch {
	case f.composer != nil:
		return []*keyDef{keySend, keyCancel}
	case f.showing:
		return pagerKeys
	}
	return append(append([]*keyDef{}, feedbackKeys...), f.details.keys()...)
}

func (f *feedback) draft() *draft {
	if f.composer == nil {
		return nil
	}
	return &draft{mode: f.mode, target: f.selected, text: f.composer.Value(), wording: f.wording}
}

func (f *feedback) restore(k *draft) {
	f.selected, f.wording = k.target, k.wording
	f.open(k.mode, k.text)
}

// report is the agreed statements as the draft report shows them.
func (f *feedback) report() []*session.DraftStatement { return f.m.view.Draft() }

func (f *feedback) current(all []*session.DraftStatement) *session.DraftStatement {
	if at := selectedIndex(all, draftID, f.selected); at >= 0 {
		return all[at]
	}
	return nil
}

func draftID(d *session.DraftStatement) int64 { return d.ID }

func (f *feedback) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		return nil, true
	case feedbackSavedMsg:
		if msg.err != nil {
			f.note, f.failed = f.m.p.Error(msg.err), true
			return nil, true
		}
		f.note, f.failed, f.composer = msg.note, false, nil
		return nil, true
	case tea.KeyMsg:
		if f.composer != nil {
			return f.compose(msg), true
		}
		return f.key(msg)
	}
	return nil, false
}

func (f *feedback) move(by int) {
	if next, ok := stepFrom(f.report(), draftID, f.selected, by); ok {
		f.selected = next
	}
}

func (f *feedback) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	f.note, f.failed = "", false
	m := f.m
	if f.details.key(m, msg, f.move) {
		return nil, true
	}
	all := f.report()
	cur := f.current(all)
	switch {
	case (m.pressed(msg, keyFeedback) || m.pressed(msg, keyRevise)) && cur == nil:
		f.note, f.failed = m.p.T("tui.feedback.nothing"), true
	case m.pressed(msg, keyFeedback):
		f.selected = cur.ID
		f.open("comment", "")
	case m.pressed(msg, keyRevise):
		f.selected = cur.ID
		f.open("revise", cur.Text)
	default:
		return nil, false
	}
	return nil, true
}

func (f *feedback) open(mode, text string) {
	f.m.openInput(text)
	f.composer, f.m.input = f.m.input, nil
	f.composer.Prompt = "› "
	switch mode {
	case "comment":
		f.composer.Placeholder = f.m.p.T("tui.feedback.placeholder")
		f.composer.CharLimit = session.MaxFeedbackLength
	case "revise":
		f.composer.Placeholder = f.m.p.T("tui.wording.placeholder")
		f.composer.CharLimit = session.MaxStatementLength
	case "reason":
		f.composer.Placeholder = f.m.p.T("tui.feedback.reason_placeholder")
		f.composer.CharLimit = session.MaxReasonLength
	}
	f.mode, f.note = mode, ""
}

func (f *feedback) compose(msg tea.KeyMsg) tea.Cmd {
	switch {
	case f.m.pressed(msg, keyCancel):
		f.composer, f.note = nil, ""
		return nil
	case f.m.pressed(msg, keySend):
		cur := f.current(f.report())
		if cur == nil {
			f.composer = nil
			return nil
		}
		hub, ctx, id, text, p := f.m.hub, f.m.ctx, f.m.identity, f.composer.Value(), f.m.p
		switch f.mode {
		case "comment":
			cmd := session.GiveFeedback{Statement: cur.ID, Text: text}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return feedbackSavedMsg{err: err}
				}
				return feedbackSavedMsg{note: p.T("tui.feedback.saved", events[0].(session.FeedbackGiven).ID)}
			}
		case "revise":
			if strings.TrimSpace(text) == "" || text == cur.Text {
				f.note, f.failed = p.T("tui.feedback.write_wording"), true
				return nil
			}
			f.wording = text
			f.open("reason", "")
			return nil
		case "reason":
			cmd := session.ReviseStatement{Statement: cur.ID, Text: f.wording, Reason: text}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return feedbackSavedMsg{err: err}
				}
				return feedbackSavedMsg{note: p.T("tui.feedback.revised", cmd.Statement, events[0].(session.StatementRevised).Revision.N)}
			}
		}
		return nil
	}
	ti, cmd := f.composer.Update(msg)
	f.composer = &ti
	return cmd
}

func (f *feedback) view(width, height int) string {
	s, p := f.m.styles, f.m.p
	all := f.report()
	cur := f.current(all)
	given := len(f.m.view.Feedback())
	top := s.once(&s.Muted, truncate(p.T("tui.feedback.summary", len(all), catalogue.Msg("count.feedback", given)), width))

	var bottom []string
	if f.note != "" {
		style := &s.Muted
		if f.failed {
			style = &s.Error
		}
		bottom = append(bottom, s.wrap(style, width, f.note))
	}
	if f.composer != nil && cur != nil {
		label := ""
		switch f.mode {
		case "comment":
			label = p.T("tui.feedback.on", cur.ID)
		case "revise":
			label = p.T("tui.wording.for", cur.ID)
		case "reason":
			label = p.T("tui.feedback.why_revised", cur.ID)
		}
		f.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, truncate(label, width)), f.composer.View())
	}
	bottomText := strings.Join(bottom, "\n")
	listHeight := max(height-1-lipgloss.Height(bottomText), 1)
	if bottomText == "" {
		listHeight = max(height-1, 1)
	}
	var body string
	if f.showing && cur != nil {
		body = f.history(cur, width, listHeight)
	} else {
		body = f.list(all, cur, width, listHeight)
	}
	if bottomText == "" {
		return top + "\n" + body
	}
	return top + "\n" + body + "\n" + bottomText
}

func (f *feedback) list(all []*session.DraftStatement, cur *session.DraftStatement, width, height int) string {
	s, p := f.m.styles, f.m.p
	if len(all) == 0 {
		msg := s.wrap(&s.Muted, width, p.T("tui.feedback.empty"))
		return msg + strings.Repeat("\n", max(height-lipgloss.Height(msg), 0))
	}
	var lines []string
	starts := make([]int, 0, len(all))
	start, end := 0, 0
	group := "-"
	for _, d := range all {
		g := p.T("tui.statements.no_theme")
		if d.Theme != nil {
			g = d.Theme.Name
		}
		if g != group {
			group = g
			lines = append(lines, s.once(&s.Strong, truncate(g, width)))
		}
		selected := cur != nil && d.ID == cur.ID
		starts = append(starts, len(lines))
		if selected {
			start = len(lines)
		}
		lines = append(lines, strings.Split(f.block(d, selected, width), "\n")...)
		if selected {
			end = len(lines)
		}
	}
	return s.window(f.m.p, lines, starts, start, end, height)
}

func (f *feedback) block(d *session.DraftStatement, selected bool, width int) string {
	s, p := f.m.styles, f.m.p
	marker := "  "
	if selected {
		marker = s.markSelected
	}
	inner := max(width-4, 10)
	agreed := p.T("tui.statement.agreed", d.ID)
	head := s.once(&s.Agreed, agreed)
	if d.Result != nil {
		head += s.once(&s.Muted, truncate(s.sym.sep+p.T("tui.feedback.no_block", d.Result.Responded), width-2-textWidth(agreed)))
	}
	lines := []string{head, s.wrap(&s.Plain, inner, d.Text)}
	if n := len(d.RevisedAfter); n > 0 {
		lines = append(lines, s.wrap(&s.Selected, inner, p.T("tui.feedback.revised_after", d.RevisedAfter[n-1].Reason)))
	}
	for _, a := range d.Actions {
		lines = append(lines, s.wrap(&s.Plain, inner, p.T("tui.action.line", a.Text, catalogue.Commas(anys(a.Owners)))))
	}
	if n := len(d.Feedback); n > 0 {
		last := d.Feedback[n-1]
		lines = append(lines, s.wrap(&s.Muted, inner, p.T("tui.feedback.latest", n, f.m.who(last.Author), last.Text)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, marker, strings.Join(lines, "\n"))
}

// history shows one statement in full: the wording agreed, each revision
// since with what changed and why, its actions and all its feedback.
func (f *feedback) history(d *session.DraftStatement, width, height int) string {
	s, p := f.m.styles, f.m.p
	wrap := lipgloss.NewStyle().Width(max(width-2, 10))
	var out []string
	add := func(text string) { out = append(out, strings.Split(text, "\n")...) }
	add(s.once(&s.Strong, truncate(p.T("tui.feedback.statement", d.ID), max(width-2, 10))))
	if d.Theme != nil {
		add(s.wrap(&s.Muted, max(width-2, 10), p.T("tui.statement.theme", d.Theme.Name)))
	}
	add(wrap.Render(d.Text))
	add(s.once(&s.Strong, truncate(p.T("tui.feedback.agreed_revision", d.RecordedRevision), max(width-2, 10))))
	add(wrap.Render(d.RecordedText))
	if c := d.Result; c != nil {
		line := p.T("tui.check.responded", c.ID, c.Responded)
		if c.Levels != nil {
			line += s.sym.sep + levelCounts(c.Levels)
		} else if !c.Why.IsZero() {
			line += s.sym.sep + p.Text(c.Why)
		}
		add(s.wrap(&s.Muted, max(width-2, 10), line))
	}
	if len(d.RevisedAfter) > 0 {
		add(s.once(&s.Strong, truncate(p.T("tui.feedback.revised_heading"), max(width-2, 10))))
		for _, r := range d.RevisedAfter {
			add(s.wrap(&s.Muted, max(width-2, 10), p.T("tui.feedback.revision_line", r.N, f.m.who(r.Author), r.At.Local().Format("15:04"), r.Reason)))
			add(wrap.Render(renderDiff(s, r.Changes)))
		}
	}
	if len(d.Actions) > 0 {
		add(s.once(&s.Strong, p.T("tui.statement.actions")))
		for _, a := range d.Actions {
			add(wrap.Render(p.T("tui.action.who", a.ID, a.Text, catalogue.Commas(anys(a.Owners)))))
		}
	}
	add(s.once(&s.Strong, p.T("tui.feedback.heading", len(d.Feedback))))
	if len(d.Feedback) == 0 {
		add(s.wrap(&s.Muted, max(width-2, 10), p.T("tui.feedback.none_yet")))
	}
	for _, fb := range d.Feedback {
		add(wrap.Render(p.T("tui.feedback.line", fb.ID, f.m.who(fb.Author), fb.Revision, fb.Text)))
	}
	return f.draw(s, f.m.p, out, width, height)
}
