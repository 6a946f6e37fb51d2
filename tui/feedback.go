package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
)

func init() {
	phaseModels[session.Feedback] = func(m *Model) phaseModel { return &feedback{m: m} }
}

// feedback shows the draft report: the agreed statements by theme with
// their actions, any rewording since the forum agreed them (with the
// reason), and the feedback on each. People move to a statement and
// comment on it; a facilitator revises one, giving the reason.
type feedback struct {
	m        *Model
	selected int64
	pager
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

// draft is the agreed statements as the draft report shows them.
func (f *feedback) draft() []*session.DraftStatement { return f.m.view.Draft() }

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
			f.note, f.failed = msg.err.Error(), true
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
	if next, ok := stepFrom(f.draft(), draftID, f.selected, by); ok {
		f.selected = next
	}
}

func (f *feedback) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	f.note, f.failed = "", false
	if f.pager.key(msg, f.move) {
		return nil, true
	}
	switch msg.Type {
	case tea.KeyEsc:
		return nil, false
	case tea.KeyRunes:
	default:
		return nil, false
	}
	if len(msg.Runes) != 1 {
		return nil, false
	}
	cur := f.current(f.draft())
	switch r := msg.Runes[0]; {
	case r == 'k':
		f.move(-1)
	case r == 'j':
		f.move(1)
	case r == 'v':
		f.detail, f.scroll = !f.detail, 0
	case (r == 'c' || r == 'w') && cur != nil:
		f.open("comment", "")
	case r == 'R' && cur != nil && f.m.facilitator():
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
		f.composer.Placeholder = "your feedback on this statement"
		f.composer.CharLimit = session.MaxFeedbackLength
	case "revise":
		f.composer.Placeholder = "the new wording"
		f.composer.CharLimit = session.MaxStatementLength
	case "reason":
		f.composer.Placeholder = "why it is revised, e.g. in response to feedback #2"
		f.composer.CharLimit = session.MaxReasonLength
	}
	f.mode, f.note = mode, ""
}

func (f *feedback) compose(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		f.composer, f.note = nil, ""
		return nil
	case tea.KeyEnter:
		cur := f.current(f.draft())
		if cur == nil {
			f.composer = nil
			return nil
		}
		hub, ctx, id, text := f.m.hub, f.m.ctx, f.m.identity, f.composer.Value()
		switch f.mode {
		case "comment":
			cmd := session.GiveFeedback{Statement: cur.ID, Text: text}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return feedbackSavedMsg{err: err}
				}
				return feedbackSavedMsg{note: fmt.Sprintf("feedback #%d saved", events[0].(session.FeedbackGiven).ID)}
			}
		case "revise":
			if strings.TrimSpace(text) == "" || text == cur.Text {
				f.note, f.failed = "write the new wording, or Esc", true
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
				return feedbackSavedMsg{note: fmt.Sprintf("statement #%d revised: revision %d", cmd.Statement, events[0].(session.StatementRevised).Revision.N)}
			}
		}
		return nil
	}
	ti, cmd := f.composer.Update(msg)
	f.composer = &ti
	return cmd
}

func (f *feedback) view(width, height int) string {
	s := f.m.styles
	all := f.draft()
	cur := f.current(all)
	given := len(f.m.view.Feedback())
	noun := "statements"
	if len(all) == 1 {
		noun = "statement"
	}
	top := s.once(&s.Muted, fmt.Sprintf("Draft report: %d agreed %s · %d feedback", len(all), noun, given))

	var bottom []string
	if f.note != "" {
		style := s.Muted
		if f.failed {
			style = s.Error
		}
		bottom = append(bottom, style.Width(width).Render(f.note))
	}
	if f.composer != nil && cur != nil {
		label := map[string]string{
			"comment": fmt.Sprintf("Feedback on #%d", cur.ID),
			"revise":  fmt.Sprintf("New wording for #%d", cur.ID),
			"reason":  fmt.Sprintf("Why #%d is revised", cur.ID),
		}[f.mode]
		f.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, label)+" "+s.once(&s.Muted, "Enter sends · Esc cancels"), f.composer.View())
	} else {
		keys := "c feedback · ↑/↓ move · Enter details"
		if f.m.facilitator() {
			keys = "c feedback · R revise · ↑/↓ move · Enter details"
		}
		bottom = append(bottom, s.wrap(&s.Muted, width, keys))
	}
	bottomText := strings.Join(bottom, "\n")
	listHeight := max(height-1-lipgloss.Height(bottomText)-1, 1)
	var body string
	if f.detail && cur != nil {
		body = f.history(cur, width, listHeight)
	} else {
		body = f.list(all, cur, width, listHeight)
	}
	return top + "\n" + body + "\n" + bottomText
}

func (f *feedback) list(all []*session.DraftStatement, cur *session.DraftStatement, width, height int) string {
	s := f.m.styles
	if len(all) == 0 {
		return s.wrap(&s.Muted, width, "No statement has been recorded as agreed, so the draft report is empty.") + strings.Repeat("\n", height-1)
	}
	var lines []string
	start, end := 0, 0
	group := "-"
	for _, d := range all {
		g := "No theme"
		if d.Theme != nil {
			g = d.Theme.Name
		}
		if g != group {
			group = g
			lines = append(lines, s.once(&s.Strong, truncate(g, width)))
		}
		selected := cur != nil && d.ID == cur.ID
		if selected {
			start = len(lines)
		}
		lines = append(lines, strings.Split(f.block(d, selected, width), "\n")...)
		if selected {
			end = len(lines)
		}
	}
	return fill(window(lines, start, end, height), height)
}

func (f *feedback) block(d *session.DraftStatement, selected bool, width int) string {
	s := f.m.styles
	marker := "  "
	if selected {
		marker = s.once(&s.Selected, "› ")
	}
	inner := max(width-4, 10)
	head := s.once(&s.Agreed, fmt.Sprintf("#%d ✔ AGREED", d.ID))
	if d.Result != nil {
		head += s.once(&s.Muted, fmt.Sprintf(" · %d responded, no block", d.Result.Responded))
	}
	lines := []string{head, s.wrap(&s.Plain, inner, d.Text)}
	if n := len(d.RevisedAfter); n > 0 {
		lines = append(lines, s.wrap(&s.Selected, inner, fmt.Sprintf("revised after the forum, reason: %s", d.RevisedAfter[n-1].Reason)))
	}
	for _, a := range d.Actions {
		lines = append(lines, s.wrap(&s.Plain, inner, fmt.Sprintf("→ %s — %s", a.Text, strings.Join(a.Owners, ", "))))
	}
	if n := len(d.Feedback); n > 0 {
		last := d.Feedback[n-1]
		lines = append(lines, s.wrap(&s.Muted, inner, fmt.Sprintf("%d feedback · latest, %s: %s", n, last.Author, last.Text)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, marker, strings.Join(lines, "\n"))
}

// history shows one statement in full: the wording agreed, each revision
// since with what changed and why, its actions and all its feedback.
func (f *feedback) history(d *session.DraftStatement, width, height int) string {
	s := f.m.styles
	wrap := lipgloss.NewStyle().Width(max(width-2, 10))
	var out []string
	add := func(text string) { out = append(out, strings.Split(text, "\n")...) }
	add(s.once(&s.Strong, fmt.Sprintf("Statement #%d", d.ID)) + s.once(&s.Muted, " (Enter or Esc: back to the draft)"))
	if d.Theme != nil {
		add(s.wrap(&s.Muted, max(width-2, 10), "Theme: "+d.Theme.Name))
	}
	add(wrap.Render(d.Text))
	add(s.once(&s.Strong, fmt.Sprintf("Agreed by the forum (revision %d)", d.RecordedRevision)))
	add(wrap.Render(d.RecordedText))
	if c := d.Result; c != nil {
		line := fmt.Sprintf("check #%d: %d responded", c.ID, c.Responded)
		if c.Levels != nil {
			line += " · " + levelCounts(c.Levels)
		} else if c.Withheld != "" {
			line += " · " + c.Withheld
		}
		add(s.wrap(&s.Muted, max(width-2, 10), line))
	}
	if len(d.RevisedAfter) > 0 {
		add(s.once(&s.Strong, "Revised after the forum"))
		for _, r := range d.RevisedAfter {
			add(s.wrap(&s.Muted, max(width-2, 10), fmt.Sprintf("%d. by %s, %s — reason: %s", r.N, r.Author, r.At.Local().Format("15:04"), r.Reason)))
			add(wrap.Render(renderDiff(s, r.Changes)))
		}
	}
	if len(d.Actions) > 0 {
		add(s.once(&s.Strong, "Actions"))
		for _, a := range d.Actions {
			add(wrap.Render(fmt.Sprintf("#%d %s — who: %s", a.ID, a.Text, strings.Join(a.Owners, ", "))))
		}
	}
	add(s.once(&s.Strong, fmt.Sprintf("Feedback (%d)", len(d.Feedback))))
	if len(d.Feedback) == 0 {
		add(s.once(&s.Muted, "none yet: press c to give some"))
	}
	for _, fb := range d.Feedback {
		add(wrap.Render(fmt.Sprintf("#%d %s (revision %d): %s", fb.ID, fb.Author, fb.Revision, fb.Text)))
	}
	f.scroll = min(f.scroll, max(0, len(out)-height))
	visible := out[f.scroll:min(len(out), f.scroll+height)]
	for len(visible) < height {
		visible = append(visible, "")
	}
	return strings.Join(visible, "\n")
}
