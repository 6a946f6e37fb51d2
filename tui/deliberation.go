package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"moot/session"
)

func init() {
	phaseModels[session.Deliberation] = func(m *Model) phaseModel { return &deliberation{m: m} }
}

// deliberation shows the statements by theme, agreed ones set apart, with
// any open check of agreement; people move to a statement and agree on it
// with a number key, comment, or propose new wording; facilitators open
// and close checks, accept amendments, record outcomes and add actions.
type deliberation struct {
	m *Model
	// selected is the statement moved to; 0 picks the first.
	selected int64
	// pager's detail shows the selected statement's history instead of
	// the list.
	pager
	// composer is open while the person writes a statement, a comment or
	// an amendment (mode says which).
	composer *textinput.Model
	mode     string
	theme    int64 // the theme a new statement goes under
	note     string
	failed   bool
}

// delibSavedMsg answers what the composer sent.
type delibSavedMsg struct {
	note string
	err  error
}

func (d *deliberation) typing() bool { return d.composer != nil }

func (d *deliberation) statements() []*session.StatementView { return d.m.view.Statements() }

// current is the selected statement, or the first when none is.
func (d *deliberation) current() *session.StatementView {
	all := d.statements()
	if at := selectedIndex(all, statementID, d.selected); at >= 0 {
		return all[at]
	}
	return nil
}

func statementID(s *session.StatementView) int64 { return s.ID }

func (d *deliberation) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		return nil, true
	case delibSavedMsg:
		if msg.err != nil {
			d.note, d.failed = msg.err.Error(), true
			return nil, true
		}
		d.note, d.failed = msg.note, false
		d.composer = nil
		return nil, true
	case tea.KeyMsg:
		if d.composer != nil {
			return d.compose(msg), true
		}
		return d.key(msg)
	}
	return nil, false
}

func (d *deliberation) move(by int) {
	if next, ok := stepFrom(d.statements(), statementID, d.selected, by); ok {
		d.selected = next
	}
}

func (d *deliberation) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	d.note, d.failed = "", false
	if d.pager.key(msg, d.move) {
		return nil, true
	}
	switch msg.Type {
	case tea.KeyEsc:
		d.note = ""
		return nil, false
	case tea.KeyRunes:
	default:
		return nil, false
	}
	if len(msg.Runes) != 1 {
		return nil, false
	}
	facilitator := d.m.facilitator()
	cur := d.current()
	r := msg.Runes[0]
	if r >= '1' && r <= '9' {
		if cur == nil {
			return nil, true
		}
		if cur.Check == nil {
			d.note, d.failed = fmt.Sprintf("no check of agreement is open on statement #%d", cur.ID), true
			return nil, true
		}
		id, level, scale := cur.ID, int(r-'0'), cur.Check.Scale()
		return d.m.do(session.Agree{Statement: id, Level: level}, func(*session.View) string {
			return fmt.Sprintf("your level on statement #%d: %d %s (you may change it until the check closes)", id, level, scale.Label(level))
		}), true
	}
	switch {
	case r == 'k':
		d.move(-1)
	case r == 'j':
		d.move(1)
	case r == 'v':
		d.detail, d.scroll = !d.detail, 0
	case r == 'w':
		if !facilitator && !d.m.view.Forum().ParticipantsPropose {
			d.note, d.failed = "in this forum the facilitator proposes statements; c comments, a proposes new wording", true
			return nil, true
		}
		d.theme = 0
		if cur != nil && cur.Theme != nil {
			d.theme = cur.Theme.ID
		} else if ts := d.m.view.Themes(); cur == nil && len(ts) > 0 {
			d.theme = ts[0].ID
		}
		d.open("propose", "")
	case r == 'c' && cur != nil:
		d.open("comment", "")
	case r == 'a' && cur != nil:
		d.open("amend", cur.Text)
	case facilitator && cur != nil && r == 'o':
		id := cur.ID
		if cur.Check != nil {
			return d.m.do(session.CloseCheck{Statement: id}, func(v *session.View) string {
				return fmt.Sprintf("the check on statement #%d is closed", id)
			}), true
		}
		return d.m.do(session.OpenCheck{Statement: id}, func(v *session.View) string {
			if s, ok := v.FindStatement(id); ok && s.Check != nil {
				return fmt.Sprintf("check #%d open on statement #%d, revision %d: %s", s.Check.ID, id, s.Check.Revision, session.ScaleHelp(s.Check.Scale()))
			}
			return fmt.Sprintf("a check is open on statement #%d", id)
		}), true
	case facilitator && cur != nil && r == 'A':
		line := "accept "
		if n := len(cur.Pending); n > 0 {
			line = fmt.Sprintf("accept %d", cur.Pending[n-1].ID)
		}
		d.m.openInput(line)
	case facilitator && cur != nil && r == 'r':
		d.m.openInput(fmt.Sprintf("record %d ", cur.ID))
	case facilitator && cur != nil && r == 'u':
		id := cur.ID
		return d.m.do(session.RecordStatement{Statement: id, Outcome: session.Open}, func(*session.View) string {
			return fmt.Sprintf("statement #%d reopened", id)
		}), true
	case facilitator && cur != nil && r == 'W':
		d.m.openInput(fmt.Sprintf("action add %d  --who ", cur.ID))
		d.m.input.SetCursor(len(fmt.Sprintf("action add %d ", cur.ID)))
	case facilitator && cur != nil && r == 'O':
		d.m.openInput(fmt.Sprintf("statement order %d ", cur.ID))
	case facilitator && r == 'T':
		d.m.openInput("theme add ")
	default:
		return nil, false
	}
	return nil, true
}

func (d *deliberation) open(mode, text string) {
	d.m.openInput(text)
	d.composer, d.m.input = d.m.input, nil
	d.composer.Prompt = "› "
	d.composer.CharLimit = session.MaxStatementLength
	switch mode {
	case "propose":
		d.composer.Placeholder = "a statement everyone could support"
	case "comment":
		d.composer.Placeholder = "your comment"
		d.composer.CharLimit = session.MaxCommentLength
	case "amend":
		d.composer.Placeholder = "the new wording"
	}
	d.mode, d.note = mode, ""
}

func (d *deliberation) compose(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		d.composer, d.note = nil, ""
		return nil
	case tea.KeyTab:
		if ts := d.m.view.Themes(); d.mode == "propose" && len(ts) > 0 {
			next := ts[0].ID
			for i, t := range ts {
				if t.ID == d.theme && i+1 < len(ts) {
					next = ts[i+1].ID
				}
			}
			d.theme = next
		}
		return nil
	case tea.KeyEnter:
		hub, ctx, id, text := d.m.hub, d.m.ctx, d.m.identity, d.composer.Value()
		cur := d.current()
		switch d.mode {
		case "propose":
			cmd := session.ProposeStatement{Text: text, Theme: d.theme}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return delibSavedMsg{err: err}
				}
				return delibSavedMsg{note: fmt.Sprintf("proposed: statement #%d", events[0].(session.StatementProposed).Statement.ID)}
			}
		case "comment":
			cmd := session.CommentOn{Statement: cur.ID, Text: text}
			return func() tea.Msg { return delibSavedMsg{note: "comment added", err: hub.Do(ctx, id, cmd)} }
		case "amend":
			cmd := session.ProposeAmendment{Statement: cur.ID, Text: text}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return delibSavedMsg{err: err}
				}
				return delibSavedMsg{note: fmt.Sprintf("proposed: amendment #%d", events[0].(session.AmendmentProposed).ID)}
			}
		}
		return nil
	}
	ti, cmd := d.composer.Update(msg)
	d.composer = &ti
	return cmd
}

func (d *deliberation) view(width, height int) string {
	s, v := d.m.styles, d.m.view
	all := d.statements()
	cur := d.current()
	facilitator := d.m.facilitator()

	agreed := 0
	for _, st := range all {
		if st.Status == string(session.Agreed) {
			agreed++
		}
	}
	var top []string
	top = append(top, s.once(&s.Muted, session.Count(len(all), "statement", "statements")+fmt.Sprintf(" · %d agreed", agreed)))
	for _, st := range all {
		// Only a facilitator's view names who blocked.
		if st.Check != nil && len(st.Check.Blockers) > 0 {
			top = append(top, s.once(&s.Error, fmt.Sprintf("BLOCK on statement #%d by %s", st.ID, strings.Join(st.Check.Blockers, ", "))))
		}
	}

	var bottom []string
	if cur != nil && cur.Check != nil && d.composer == nil {
		bottom = append(bottom, s.wrap(&s.Strong, width, fmt.Sprintf("Agree on #%d: press %s", cur.ID, session.ScaleHelp(cur.Check.Scale()))))
	}
	if d.note != "" {
		style := s.Muted
		if d.failed {
			style = s.Error
		}
		bottom = append(bottom, style.Width(width).Render(d.note))
	}
	if d.composer != nil {
		label := ""
		switch d.mode {
		case "propose":
			label = "New statement"
			if t, ok := v.FindTheme(d.theme); ok {
				label += " under " + truncate(t.Name, max(width/2, 12))
				if len(v.Themes()) > 1 {
					label += " (Tab: another theme)"
				}
			}
		case "comment":
			label = fmt.Sprintf("Comment on #%d", cur.ID)
		case "amend":
			label = fmt.Sprintf("New wording for #%d", cur.ID)
		}
		d.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, label)+" "+s.once(&s.Muted, "Enter sends · Esc cancels"), d.composer.View())
	} else {
		keys := "c comment · a amend · 1-9 agree · Enter history"
		if v.Forum().ParticipantsPropose {
			keys = "w propose · " + keys
		}
		if facilitator {
			keys = "w propose · o check · A accept · r record · u reopen · W action · O order · Enter history"
		}
		bottom = append(bottom, s.wrap(&s.Muted, width, keys))
	}
	bottomText := strings.Join(bottom, "\n")
	listHeight := max(height-len(top)-lipgloss.Height(bottomText)-1, 1)
	var body string
	if d.detail && cur != nil {
		body = d.history(cur, width, listHeight)
	} else {
		body = d.list(all, cur, width, listHeight)
	}
	return strings.Join(top, "\n") + "\n" + body + "\n" + bottomText
}

// list lays the statements out under their themes, keeping the selected
// one in view.
func (d *deliberation) list(all []*session.StatementView, cur *session.StatementView, width, height int) string {
	s := d.m.styles
	if len(all) == 0 {
		msg := "No statements yet."
		if d.m.facilitator() || d.m.view.Forum().ParticipantsPropose {
			msg += " Press w to propose the first."
		}
		return s.once(&s.Muted, msg) + strings.Repeat("\n", height-1)
	}
	var lines []string
	start, end := 0, 0
	group := "-"
	for _, st := range all {
		g := "No theme"
		if st.Theme != nil {
			g = st.Theme.Name
		}
		if g != group {
			group = g
			lines = append(lines, s.once(&s.Strong, truncate(g, width)))
		}
		if cur != nil && st.ID == cur.ID {
			start = len(lines)
		}
		lines = append(lines, strings.Split(d.block(st, cur != nil && st.ID == cur.ID, width), "\n")...)
		if cur != nil && st.ID == cur.ID {
			end = len(lines)
		}
	}
	return fill(window(lines, start, end, height), height)
}

// block draws one statement: its number and standing, its wording, its
// open check and, once agreed, its actions.
func (d *deliberation) block(st *session.StatementView, selected bool, width int) string {
	s := d.m.styles
	marker := "  "
	if selected {
		marker = s.once(&s.Selected, "› ")
	}
	inner := max(width-4, 10)
	var head string
	text := s.wrap(&s.Plain, inner, st.Text)
	switch st.Status {
	case string(session.Agreed):
		head = s.once(&s.Agreed, fmt.Sprintf("#%d ✔ AGREED", st.ID)) + s.once(&s.Muted, fmt.Sprintf(" (revision %d)", st.Revision))
		text = s.wrap(&s.Agreed, inner, st.Text)
	case string(session.NotAgreed):
		head = s.once(&s.NotAgreed, fmt.Sprintf("#%d ✗ not agreed", st.ID)) + s.once(&s.Muted, fmt.Sprintf(" (revision %d)", st.Revision))
	default:
		head = s.once(&s.Muted, fmt.Sprintf("#%d draft, revision %d by %s", st.ID, st.Revision, st.RevisionAuthor))
	}
	lines := []string{head, text}
	if st.Check != nil {
		lines = append(lines, s.wrap(&s.Selected, inner, d.checkSummary(st.Check)))
	}
	if st.Status == string(session.Agreed) {
		if c := st.Result; c != nil {
			line := fmt.Sprintf("check #%d: %d responded", c.ID, c.Responded)
			if c.Levels != nil {
				line += ", " + levelCounts(c.Levels)
			}
			lines = append(lines, s.wrap(&s.Muted, inner, line))
		}
		for _, a := range st.Actions {
			lines = append(lines, s.wrap(&s.Plain, inner, fmt.Sprintf("→ %s — %s", a.Text, strings.Join(a.Owners, ", "))))
		}
	}
	var extra []string
	if n := len(st.Pending); n > 0 {
		extra = append(extra, fmt.Sprintf("%d amendment(s) waiting", n))
	}
	if st.Comments > 0 {
		extra = append(extra, fmt.Sprintf("%d comment(s)", st.Comments))
	}
	if len(extra) > 0 {
		lines = append(lines, s.once(&s.Muted, strings.Join(extra, " · ")))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, marker, strings.Join(lines, "\n"))
}

// checkSummary is an open check as the viewer may see it.
func (d *deliberation) checkSummary(c *session.CheckView) string {
	line := fmt.Sprintf("Check open: %d responded", c.Responded)
	if c.Levels != nil {
		line += " · " + levelCounts(c.Levels)
	}
	if mine := d.m.view.MyLevel(c); mine != 0 {
		line += fmt.Sprintf(" · yours: %d %s", mine, c.Scale().Label(mine))
	} else {
		line += " · you have not responded"
	}
	return line
}

// levelCounts writes how many chose each level: "1:2 2:0 3:1".
func levelCounts(levels []session.LevelCount) string {
	parts := make([]string, len(levels))
	for i, l := range levels {
		parts[i] = fmt.Sprintf("%d:%d", l.Level, l.Count)
	}
	return strings.Join(parts, " ")
}

// history draws one statement in full: its revisions with what changed,
// amendments waiting, every check (by sector where the viewer may see
// it), actions and comments.
func (d *deliberation) history(st *session.StatementView, width, height int) string {
	s := d.m.styles
	det, _ := d.m.view.Detail(st.ID)
	wrap := lipgloss.NewStyle().Width(max(width-2, 10))
	var out []string
	add := func(text string) { out = append(out, strings.Split(text, "\n")...) }
	add(s.once(&s.Strong, fmt.Sprintf("Statement #%d, %s", st.ID, st.Status)) + s.once(&s.Muted, " (Enter or Esc: back to the list)"))
	if det.Theme != nil {
		add(s.wrap(&s.Muted, max(width-2, 10), "Theme: "+det.Theme.Name))
	}
	add(wrap.Render(st.Text))
	if len(det.Actions) > 0 {
		add(s.once(&s.Strong, "Actions"))
		for _, a := range det.Actions {
			add(wrap.Render(fmt.Sprintf("#%d %s — who: %s", a.ID, a.Text, strings.Join(a.Owners, ", "))))
		}
	}
	add(s.once(&s.Strong, "Revisions"))
	for _, r := range det.Revisions {
		add(s.wrap(&s.Muted, max(width-2, 10), fmt.Sprintf("%d. %s, %s", r.N, r.How(), r.At.Local().Format("15:04"))))
		if r.Changes != nil {
			add(wrap.Render(d.diff(r.Changes)))
		} else {
			add(wrap.Render(r.Text))
		}
	}
	if len(det.Pending) > 0 {
		add(s.once(&s.Strong, "Amendments waiting"))
		for _, a := range det.Pending {
			add(wrap.Render(fmt.Sprintf("#%d by %s: %s", a.ID, a.Author, d.diff(session.DiffWords(st.Text, a.Text)))))
		}
	}
	if len(det.Checks) > 0 {
		add(s.once(&s.Strong, "Checks"))
		for _, c := range det.Checks {
			state := "closed"
			if c.Open {
				state = "open"
			}
			line := fmt.Sprintf("#%d on revision %d, %s: %d responded", c.ID, c.Revision, state, c.Responded)
			if c.Levels != nil {
				line += " · " + levelCounts(c.Levels)
			}
			if c.Blocked {
				line += " · BLOCKED"
			}
			add(wrap.Render(line))
			for _, sc := range c.BySector {
				mark := ""
				if sc.Blocked {
					mark = " · block"
				}
				add(indent(s.wrap(&s.Muted, max(width-5, 10), fmt.Sprintf("%s: %d responded, %s%s", session.GroupLabel(sc.Sector, sc.Pooled), sc.Responded, countsLine(sc.Counts), mark))))
			}
			for _, note := range []string{c.BySectorNote, c.Withheld} {
				if note != "" {
					add(indent(s.wrap(&s.Muted, max(width-5, 10), note)))
				}
			}
		}
	}
	if len(det.Comments) > 0 {
		add(s.once(&s.Strong, "Comments"))
		for _, c := range det.Comments {
			add(wrap.Render(fmt.Sprintf("%s (revision %d): %s", c.Author, c.Revision, c.Text)))
		}
	}
	d.scroll = min(d.scroll, max(0, len(out)-height))
	visible := out[d.scroll:min(len(out), d.scroll+height)]
	for len(visible) < height {
		visible = append(visible, "")
	}
	return strings.Join(visible, "\n")
}

// indent sets lines of text in by three cells, under what they belong to.
func indent(text string) string {
	return "   " + strings.ReplaceAll(text, "\n", "\n   ")
}

func countsLine(counts []int) string {
	parts := make([]string, len(counts))
	for i, n := range counts {
		parts[i] = fmt.Sprintf("%d:%d", i+1, n)
	}
	return strings.Join(parts, " ")
}

// diff draws what changed: removed words struck through in red, added
// ones underlined in green; on a terminal without styles, [-old-] and
// {+new+} marks.
func (d *deliberation) diff(parts []session.DiffPart) string { return renderDiff(d.m.styles, parts) }

// renderDiff draws a word diff in a screen's styles.
func renderDiff(s *Styles, parts []session.DiffPart) string {
	if s.renderer.ColorProfile() == termenv.Ascii {
		return session.DiffMarked(parts)
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		switch p.Op {
		case session.Removed:
			out[i] = s.once(&s.DiffRemoved, p.Text)
		case session.Added:
			out[i] = s.once(&s.DiffAdded, p.Text)
		default:
			out[i] = p.Text
		}
	}
	return strings.Join(out, " ")
}
