package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	phaseModels[session.Deliberation] = func(m *Model) phaseModel { return &deliberation{m: m} }
}

// Keys of a deliberation step.
var (
	keyPropose = bind("w", "w", "tui.key.propose", "tui.key.propose.help", "w")
	keyComment = bind("c", "c", "tui.key.comment", "tui.key.comment.help", "c")
	keyAmend   = bind("a", "a", "tui.key.amend", "tui.key.amend.help", "a")
	keyAgree   = bind("1-9", "1-9", "tui.key.agree", "tui.key.agree.help",
		"1", "2", "3", "4", "5", "6", "7", "8", "9")
	keyCheck       = steer("o", "o", "tui.key.check", "tui.key.check.help", "o")
	keyAccept      = steer("A", "A", "tui.key.accept", "tui.key.accept.help", "A")
	keyRecord      = steer("r", "r", "tui.key.record", "tui.key.record.help", "r")
	keyReopen      = steer("u", "u", "tui.key.reopen", "tui.key.reopen.help", "u")
	keyAction      = steer("W", "W", "tui.key.action", "tui.key.action.help", "W")
	keyOrder       = steer("O", "O", "tui.key.order", "tui.key.order.help", "O")
	keyThemeTab    = bind("Tab", "Tab", "tui.key.theme_tab", "tui.key.theme_tab.help", "tab")
	deliberateKeys = []*keyDef{keyAgree, keyCheck, keyRecord, keyComment, keyAmend, keyPropose, keyAccept, keyAction, keyReopen, keyOrder, keyNewTheme}
)

// deliberation shows the statements by theme, agreed ones set apart, with
// any open check of agreement; people move to a statement and agree on it
// with a number key, comment, or propose new wording; facilitators open
// and close checks, accept amendments, record outcomes and add actions.
type deliberation struct {
	m *Model
	// selected is the statement moved to; 0 picks the first.
	selected int64
	// details, open, shows the selected statement's history instead of
	// the list.
	details
	// composer is open while the person writes a statement, a comment or
	// an amendment (mode says which, on statement target).
	composer *textinput.Model
	mode     string
	target   int64
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

func (d *deliberation) keys() []*keyDef {
	switch {
	case d.composer != nil && d.mode == "propose" && len(d.m.view.Themes()) > 1:
		return []*keyDef{keySend, keyCancel, keyThemeTab}
	case d.composer != nil:
		return []*keyDef{keySend, keyCancel}
	case d.showing:
		return pagerKeys
	}
	keys := deliberateKeys
	if !d.m.facilitator() && !d.m.view.Forum().ParticipantsPropose {
		keys = slices.DeleteFunc(slices.Clone(keys), func(k *keyDef) bool { return k == keyPropose })
	}
	return append(slices.Clone(keys), d.details.keys()...)
}

// helpText is the scale of the open check on the selected statement, for
// the help.
func (d *deliberation) helpText() string {
	if cur := d.current(); cur != nil && cur.Check != nil {
		return d.m.p.T("tui.statement.agree_how", cur.ID, session.ScaleHelp(cur.Check.Scale()))
	}
	return ""
}

func (d *deliberation) draft() *draft {
	if d.composer == nil {
		return nil
	}
	return &draft{mode: d.mode, target: d.target, theme: d.theme, text: d.composer.Value()}
}

func (d *deliberation) restore(k *draft) {
	d.selected, d.theme = k.target, k.theme
	d.open(k.mode, k.text)
}

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
			d.note, d.failed = d.m.p.Error(msg.err), true
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
	m := d.m
	if d.details.key(m, msg, d.move) {
		return nil, true
	}
	cur := d.current()
	needs := func() bool {
		if cur == nil {
			d.note, d.failed = m.p.T("tui.statement.none_yet"), true
		}
		return cur == nil
	}
	switch {
	case m.pressed(msg, keyAgree):
		if needs() {
			return nil, true
		}
		if cur.Check == nil {
			d.note, d.failed = m.p.T("tui.statement.no_check", cur.ID), true
			return nil, true
		}
		id, level, scale := cur.ID, int(msg.Runes[0]-'0'), cur.Check.Scale()
		return m.do(session.Agree{Statement: id, Level: level}, func(p *printer, _ *session.View) string {
			return p.T("tui.statement.your_level", id, level, scale.Label(level))
		}), true
	case m.pressed(msg, keyPropose):
		if !m.facilitator() && !m.view.Forum().ParticipantsPropose {
			d.note, d.failed = m.p.T("tui.statement.facilitator_proposes"), true
			return nil, true
		}
		d.theme = 0
		if cur != nil && cur.Theme != nil {
			d.theme = cur.Theme.ID
		} else if ts := m.view.Themes(); cur == nil && len(ts) > 0 {
			d.theme = ts[0].ID
		}
		d.open("propose", "")
	case m.pressed(msg, keyNewTheme):
		m.openInput("theme add ")
	case (m.pressed(msg, keyComment) || m.pressed(msg, keyAmend) || m.pressed(msg, keyCheck) || m.pressed(msg, keyAccept) ||
		m.pressed(msg, keyRecord) || m.pressed(msg, keyReopen) || m.pressed(msg, keyAction) || m.pressed(msg, keyOrder)) && needs():
	case m.pressed(msg, keyComment):
		d.target = cur.ID
		d.open("comment", "")
	case m.pressed(msg, keyAmend):
		d.target = cur.ID
		d.open("amend", cur.Text)
	case m.pressed(msg, keyCheck):
		id := cur.ID
		if cur.Check != nil {
			return m.do(session.CloseCheck{Statement: id}, func(p *printer, _ *session.View) string {
				return p.T("tui.check.closed", id)
			}), true
		}
		return m.do(session.OpenCheck{Statement: id}, func(p *printer, v *session.View) string {
			if s, ok := v.FindStatement(id); ok && s.Check != nil {
				return p.T("tui.check.opened", s.Check.ID, id, s.Check.Revision, session.ScaleHelp(s.Check.Scale()))
			}
			return p.T("tui.check.open", id)
		}), true
	case m.pressed(msg, keyAccept):
		line := "accept "
		if n := len(cur.Pending); n > 0 {
			line = fmt.Sprintf("accept %d", cur.Pending[n-1].ID)
		}
		m.openInput(line)
	case m.pressed(msg, keyRecord):
		m.openInput(fmt.Sprintf("record %d ", cur.ID))
	case m.pressed(msg, keyReopen):
		id := cur.ID
		return m.do(session.RecordStatement{Statement: id, Outcome: session.Open}, func(p *printer, _ *session.View) string {
			return p.T("tui.statement.reopened", id)
		}), true
	case m.pressed(msg, keyAction):
		m.openInput(fmt.Sprintf("action add %d  --who ", cur.ID))
		m.input.SetCursor(len(fmt.Sprintf("action add %d ", cur.ID)))
	case m.pressed(msg, keyOrder):
		m.openInput(fmt.Sprintf("statement order %d ", cur.ID))
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
		d.composer.Placeholder = d.m.p.T("tui.statement.placeholder")
	case "comment":
		d.composer.Placeholder = d.m.p.T("tui.comment.placeholder")
		d.composer.CharLimit = session.MaxCommentLength
	case "amend":
		d.composer.Placeholder = d.m.p.T("tui.wording.placeholder")
	}
	d.mode, d.note = mode, ""
}

func (d *deliberation) compose(msg tea.KeyMsg) tea.Cmd {
	switch {
	case d.m.pressed(msg, keyCancel):
		d.composer, d.note = nil, ""
		return nil
	case d.m.pressed(msg, keyThemeTab):
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
	case d.m.pressed(msg, keySend):
		hub, ctx, id, text, p := d.m.hub, d.m.ctx, d.m.identity, d.composer.Value(), d.m.p
		switch d.mode {
		case "propose":
			cmd := session.ProposeStatement{Text: text, Theme: d.theme}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return delibSavedMsg{err: err}
				}
				return delibSavedMsg{note: p.T("tui.statement.proposed", events[0].(session.StatementProposed).Statement.ID)}
			}
		case "comment":
			cmd := session.CommentOn{Statement: d.target, Text: text}
			return func() tea.Msg { return delibSavedMsg{note: p.T("tui.comment.added"), err: hub.Do(ctx, id, cmd)} }
		case "amend":
			cmd := session.ProposeAmendment{Statement: d.target, Text: text}
			return func() tea.Msg {
				events, err := hub.Apply(ctx, id, cmd)
				if err != nil {
					return delibSavedMsg{err: err}
				}
				return delibSavedMsg{note: p.T("tui.amendment.proposed", events[0].(session.AmendmentProposed).ID)}
			}
		}
		return nil
	}
	ti, cmd := d.composer.Update(msg)
	d.composer = &ti
	return cmd
}

func (d *deliberation) view(width, height int) string {
	s, v, p := d.m.styles, d.m.view, d.m.p
	all := d.statements()
	cur := d.current()

	agreed := 0
	for _, st := range all {
		if st.Status == string(session.Agreed) {
			agreed++
		}
	}
	var top []string
	top = append(top, s.once(&s.Muted, truncate(p.T("tui.statements.count", len(all), agreed), width)))
	for _, st := range all {
		// Only a facilitator's view names who blocked.
		if st.Check != nil && len(st.Check.Blockers) > 0 {
			top = append(top, s.once(&s.Error, truncate(p.T("tui.statement.blocked_by", st.ID, catalogue.Commas(anys(st.Check.Blockers))), width)))
		}
	}

	var bottom []string
	if cur != nil && cur.Check != nil && d.composer == nil && !d.showing {
		agree := s.wrap(&s.Strong, width, p.T("tui.statement.agree_how", cur.ID, session.ScaleHelp(cur.Check.Scale())))
		if lipgloss.Height(agree) > 3 || height < 14 {
			agree = s.wrap(&s.Strong, width, p.T("tui.statement.agree_short", cur.ID, len(cur.Check.Scale().Labels)))
		}
		bottom = append(bottom, agree)
	}
	if d.note != "" {
		style := &s.Muted
		if d.failed {
			style = &s.Error
		}
		bottom = append(bottom, s.wrap(style, width, d.note))
	}
	if d.composer != nil {
		label := ""
		switch d.mode {
		case "propose":
			label = p.T("tui.statement.new")
			if t, ok := v.FindTheme(d.theme); ok {
				label = p.T("tui.statement.new_under", truncate(t.Name, max(width/2, 12)))
			}
		case "comment":
			label = p.T("tui.comment.on", d.target)
		case "amend":
			label = p.T("tui.wording.for", d.target)
		}
		d.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, truncate(label, width)), d.composer.View())
	}
	bottomText := strings.Join(bottom, "\n")
	listHeight := max(height-len(top)-lipgloss.Height(bottomText), 1)
	if bottomText == "" {
		listHeight = max(height-len(top), 1)
	}
	var body string
	if d.showing && cur != nil {
		body = d.history(cur, width, listHeight)
	} else {
		body = d.list(all, cur, width, listHeight)
	}
	out := strings.Join(top, "\n") + "\n" + body
	if bottomText != "" {
		out += "\n" + bottomText
	}
	return out
}

// list lays the statements out under their themes, keeping the selected
// one in view.
func (d *deliberation) list(all []*session.StatementView, cur *session.StatementView, width, height int) string {
	s, p := d.m.styles, d.m.p
	if len(all) == 0 {
		msg := p.T("tui.statements.none")
		if d.m.facilitator() || d.m.view.Forum().ParticipantsPropose {
			msg = p.T("tui.statements.none_propose")
		}
		msg = s.wrap(&s.Muted, width, msg)
		return msg + strings.Repeat("\n", max(height-lipgloss.Height(msg), 0))
	}
	var lines []string
	starts := make([]int, 0, len(all))
	start, end := 0, 0
	group := "-"
	for _, st := range all {
		g := p.T("tui.statements.no_theme")
		if st.Theme != nil {
			g = st.Theme.Name
		}
		if g != group {
			group = g
			lines = append(lines, s.once(&s.Strong, truncate(g, width)))
		}
		starts = append(starts, len(lines))
		if cur != nil && st.ID == cur.ID {
			start = len(lines)
		}
		lines = append(lines, strings.Split(d.block(st, cur != nil && st.ID == cur.ID, width), "\n")...)
		if cur != nil && st.ID == cur.ID {
			end = len(lines)
		}
	}
	return s.window(d.m.p, lines, starts, start, end, height)
}

// block draws one statement: its number and standing, its wording, its
// open check and, once agreed, its actions.
func (d *deliberation) block(st *session.StatementView, selected bool, width int) string {
	s, p := d.m.styles, d.m.p
	marker := "  "
	if selected {
		marker = s.markSelected
	}
	inner := max(width-4, 10)
	var head string
	text := s.wrap(&s.Plain, inner, st.Text)
	switch st.Status {
	case string(session.Agreed):
		head = s.once(&s.Agreed, p.T("tui.statement.agreed", st.ID)) + s.once(&s.Muted, " "+truncate(p.T("tui.statement.revision", st.Revision), inner-textWidth(p.T("tui.statement.agreed", st.ID))-1))
		text = s.wrap(&s.Agreed, inner, st.Text)
	case string(session.NotAgreed):
		head = s.once(&s.NotAgreed, p.T("tui.statement.not_agreed", st.ID)) + s.once(&s.Muted, " "+truncate(p.T("tui.statement.revision", st.Revision), inner-textWidth(p.T("tui.statement.not_agreed", st.ID))-1))
	default:
		head = d.m.mutedNames(inner, p.T("tui.statement.draft_by", st.ID, st.Revision)+" ", []string{st.RevisionAuthor}, "")
	}
	lines := []string{head, text}
	if st.Check != nil {
		lines = append(lines, s.wrap(&s.Selected, inner, d.checkSummary(st.Check)))
	}
	if st.Status == string(session.Agreed) {
		if c := st.Result; c != nil {
			line := p.T("tui.check.responded", c.ID, c.Responded)
			if c.Levels != nil {
				line = p.T("tui.check.responded_levels", c.ID, c.Responded, levelCounts(c.Levels))
			}
			lines = append(lines, s.wrap(&s.Muted, inner, line))
		}
		for _, a := range st.Actions {
			lines = append(lines, s.wrap(&s.Plain, inner, p.T("tui.action.line", a.Text, catalogue.Commas(anys(a.Owners)))))
		}
	}
	var extra []string
	if n := len(st.Pending); n > 0 {
		extra = append(extra, p.T("tui.statement.amendments_waiting", n))
	}
	if st.Comments > 0 {
		extra = append(extra, p.T("tui.statement.comments", st.Comments))
	}
	if len(extra) > 0 {
		lines = append(lines, s.once(&s.Muted, truncate(strings.Join(extra, s.sym.sep), inner)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, marker, strings.Join(lines, "\n"))
}

// checkSummary is an open check as the viewer may see it.
func (d *deliberation) checkSummary(c *session.CheckView) string {
	p, sep := d.m.p, d.m.styles.sym.sep
	line := p.T("tui.check.open_responded", c.Responded)
	if c.Levels != nil {
		line += sep + levelCounts(c.Levels)
	}
	if mine := d.m.view.MyLevel(c); mine != 0 {
		line += sep + p.T("tui.check.yours", mine, c.Scale().Label(mine))
	} else {
		line += sep + p.T("tui.check.not_yours")
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
	s, p := d.m.styles, d.m.p
	det, _ := d.m.view.Detail(st.ID)
	wrap := lipgloss.NewStyle().Width(max(width-2, 10))
	var out []string
	add := func(text string) { out = append(out, strings.Split(text, "\n")...) }
	add(s.once(&s.Strong, truncate(statementHeading(p, st), max(width-2, 10))))
	if det.Theme != nil {
		add(s.wrap(&s.Muted, max(width-2, 10), p.T("tui.statement.theme", det.Theme.Name)))
	}
	add(wrap.Render(st.Text))
	if len(det.Actions) > 0 {
		add(s.once(&s.Strong, p.T("tui.statement.actions")))
		for _, a := range det.Actions {
			add(wrap.Render(p.T("tui.action.who", a.ID, a.Text, catalogue.Commas(anys(a.Owners)))))
		}
	}
	add(s.once(&s.Strong, p.T("tui.statement.revisions")))
	for _, r := range det.Revisions {
		add(s.wrap(&s.Muted, max(width-2, 10), p.T("tui.statement.revision_line", r.N, r.HowText(), r.At.Local().Format("15:04"))))
		if r.Changes != nil {
			add(wrap.Render(d.diff(r.Changes)))
		} else {
			add(wrap.Render(r.Text))
		}
	}
	if len(det.Pending) > 0 {
		add(s.once(&s.Strong, p.T("tui.statement.amendments")))
		for _, a := range det.Pending {
			add(wrap.Render(p.T("tui.amendment.by", a.ID, d.m.who(a.Author), d.diff(session.DiffWords(st.Text, a.Text)))))
		}
	}
	if len(det.Checks) > 0 {
		add(s.once(&s.Strong, p.T("tui.statement.checks")))
		for _, c := range det.Checks {
			line := p.T("tui.check.closed_line", c.ID, c.Revision, c.Responded)
			if c.Open {
				line = p.T("tui.check.open_line", c.ID, c.Revision, c.Responded)
			}
			if c.Levels != nil {
				line += s.sym.sep + levelCounts(c.Levels)
			}
			if c.Blocked {
				line += s.sym.sep + p.T("tui.check.blocked")
			}
			add(wrap.Render(line))
			for _, sc := range c.BySector {
				line := p.T("tui.check.sector", session.GroupName(sc.Sector, sc.Pooled), sc.Responded, countsLine(sc.Counts))
				if sc.Blocked {
					line += s.sym.sep + p.T("tui.check.block")
				}
				add(indent(s.wrap(&s.Muted, max(width-5, 10), line)))
			}
			for _, note := range []catalogue.Text{c.BySectorWhy, c.Why} {
				if !note.IsZero() {
					add(indent(s.wrap(&s.Muted, max(width-5, 10), p.Text(note))))
				}
			}
		}
	}
	if len(det.Comments) > 0 {
		add(s.once(&s.Strong, p.T("tui.statement.comments_heading")))
		for _, c := range det.Comments {
			add(wrap.Render(p.T("tui.comment.line", d.m.who(c.Author), c.Revision, c.Text)))
		}
	}
	return d.draw(s, d.m.p, out, width, height)
}

// statementHeading names a statement and where it stands.
func statementHeading(p *printer, st *session.StatementView) string {
	switch st.Status {
	case string(session.Agreed):
		return p.T("tui.statement.heading_agreed", st.ID)
	case string(session.NotAgreed):
		return p.T("tui.statement.heading_not_agreed", st.ID)
	}
	return p.T("tui.statement.heading_open", st.ID)
}

// anys are strings as the items of a catalogue.List or Commas: people's
// own words, which are not translated.
func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
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
