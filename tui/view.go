package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"moot/session"
)

// panelWidth is the width of the facilitator's list of people, shown beside
// the step when the terminal is wide enough.
const panelWidth = 30

// panelRoom is the cells a line of the panel may take: the screen's
// margin takes one of its width.
const panelRoom = panelWidth - 1

// badge marks a facilitator wherever a name is shown, in the reader's
// language. No name can hold it: session.Name refuses square brackets and
// their look-alikes.
func badge(p *printer) string { return p.T("tui.badge") }

// named is a person's name as screens show it, with the badge where the
// view says they facilitate.
func (m *Model) named(name string) string {
	if m.view.Facilitates(name) {
		return name + " " + m.styles.once(&m.styles.Badge, badge(m.p))
	}
	return name
}

// who is a person's name as plain text, the badge after a facilitator's,
// for lines that are wrapped as a whole.
func (m *Model) who(name string) string {
	if m.view.Facilitates(name) {
		return name + " " + badge(m.p)
	}
	return name
}

// mutedNames writes names in the muted style, between before and after,
// each facilitator's with the badge, in width cells: where they do not
// fit, as plain text cut to the width.
func (m *Model) mutedNames(width int, before string, names []string, after string) string {
	s := m.styles
	plain := before
	for i, n := range names {
		if i > 0 {
			plain += ", "
		}
		plain += m.who(n)
	}
	if plain += after; textWidth(plain) > width {
		return s.Muted.Render(s.text(truncate(plain, width)))
	}
	var b strings.Builder
	text := before
	for i, n := range names {
		if i > 0 {
			text += ", "
		}
		text += n
		if m.view.Facilitates(n) {
			b.WriteString(s.Muted.Render(s.text(text)) + " " + s.once(&s.Badge, badge(m.p)))
			text = ""
		}
	}
	b.WriteString(s.Muted.Render(s.text(text + after)))
	return b.String()
}

// The screen, from the top: the bar (forum, step, timer), a blank line,
// the body (the step, or a page), what is being typed and the latest
// message, a line of keys, and a status line.
func (m *Model) View() string {
	width, height := max(m.width, 20), max(m.height, 8)
	s := m.styles
	late := m.timeUp()
	if m.clockOnly && m.drawn != "" && late == m.drawnLate {
		return m.header(width) + m.drawn
	}
	var bottom []string
	if late {
		bottom = append(bottom, strings.Split(s.wrap(&s.BarLate, width-2, m.p.T("tui.time_up")), "\n")...)
	}
	if m.rejoinPinned && m.onboarding == nil {
		bottom = append(bottom, strings.Split(m.rejoinBox(width-2), "\n")...)
	}
	if m.input != nil {
		bottom = append(bottom, m.input.View())
	}
	if m.output != "" && m.outputStep == m.view.Step() {
		style := &s.Muted
		if m.failed {
			style = &s.Error
		} else if m.confirm != nil {
			style = &s.Selected
		}
		lines := strings.Split(s.wrap(style, width-2, m.output), "\n")
		bottom = append(bottom, lines[:min(len(lines), maxMessageLines)]...)
	}
	// The screen is laid out line by line rather than by lipgloss boxes
	// around the whole of it: every line is drawn once, and the Painter
	// clears what is left of each, so nothing needs padding to the width.
	bodyHeight := max(height-4-len(bottom), 2)
	mainWidth := width - 2
	showPanel := m.facilitator() && width >= 80 && m.onboarding == nil && m.page == nil
	if showPanel {
		mainWidth = width - panelWidth - 3
	}
	// The body is head's lines, then main's: the step's head is not joined
	// to the phase's view, as every screen would do at every change.
	var head, main string
	switch {
	case m.onboarding != nil:
		main = m.onboarding.view(mainWidth, bodyHeight)
	case m.page != nil:
		main = m.pageView(mainWidth, bodyHeight)
	default:
		head, main = m.stepView(mainWidth, bodyHeight)
	}
	var body []string
	if showPanel {
		body = besidePanel(strings.Split(head+main, "\n"), strings.Split(m.peoplePanel(bodyHeight), "\n"), mainWidth+1, s.once(&s.Muted, s.sym.rule)+" ")
	}
	// Written straight into one string: every screen does this at every
	// change.
	header, keys, status := m.header(width), s.keyLine(m.p, m.keys(), width-1, !m.typing()), m.status(width)
	var b strings.Builder
	b.Grow(len(header) + len(head) + len(main) + len(keys) + len(status) + 2*height + 64*len(bottom) + 8)
	b.WriteString(header)
	b.WriteString("\n\n")
	// The lines not yet written, taken in turn: rest's, then next's.
	rest, next, more := main, "", true
	if head != "" {
		rest, next = head, main
	}
	for i := 0; i < bodyHeight; i++ {
		var line string
		has := false
		switch {
		case showPanel:
			if i < len(body) {
				line, has = body[i], true
			}
		case more:
			if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
				line, rest = rest[:nl], rest[nl+1:]
				if rest == "" && next != "" {
					rest, next = next, ""
				}
			} else {
				line, more = rest, false
			}
			has = true
		}
		if has {
			b.WriteString(" ")
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	for _, l := range bottom {
		b.WriteString(" ")
		b.WriteString(l)
		b.WriteString("\n")
	}
	b.WriteString(" ")
	b.WriteString(keys)
	b.WriteString("\n")
	b.WriteString(status)
	screen := b.String()
	m.drawn, m.drawnLate = screen[len(header):], late
	return screen
}

// rejoinBox is the rejoin code in a box, kept on screen until the person
// says they have it.
func (m *Model) rejoinBox(width int) string {
	s := m.styles
	text := m.p.T("tui.rejoin.notice", m.rejoin)
	if m.onboarding == nil {
		text = m.p.T("tui.rejoin.pinned", text)
	}
	return s.Notice.Width(min(width, 76) - s.Notice.GetHorizontalBorderSize()).Render(s.text(text))
}

// pageView draws the open page: its title, then the pager.
func (m *Model) pageView(width, height int) string {
	s := m.styles
	title, lines := m.page.title, []string(nil)
	if m.page.help {
		title, lines = m.p.T("tui.help.title"), m.helpLines(width)
	} else {
		title = ": " + title
		lines = strings.Split(s.wrap(&s.Plain, width, m.page.text), "\n")
	}
	return s.once(&s.Strong, truncate(title, width)) + "\n" + m.page.draw(s, m.p, lines, width, height-1)
}

// helpLines is the help: every key of the screen as it stands, for this
// person's role, then the keys of every screen, what the marks mean, and
// the step's question in full.
func (m *Model) helpLines(width int) []string {
	s := m.styles
	var out []string
	add := func(text string) { out = append(out, strings.Split(text, "\n")...) }
	if m.phase != nil && m.view.Stage() == session.Running {
		if rows := s.helpRows(m.p, m.mine(m.phase.keys()), width); len(rows) > 0 {
			add(s.once(&s.Strong, m.p.T("tui.help.this_step")))
			out = append(out, rows...)
			if h, ok := m.phase.(interface{ helpText() string }); ok && h.helpText() != "" {
				add(s.wrap(&s.Plain, width, h.helpText()))
			}
			add("")
		}
	}
	add(s.once(&s.Strong, m.p.T("tui.help.every_screen")))
	out = append(out, s.helpRows(m.p, m.mine(append(append([]*keyDef{}, screenKeys...), keyHelp)), width)...)
	add("")
	add(s.once(&s.Strong, m.p.T("tui.help.marks")))
	add(s.wrap(&s.Plain, width, m.p.T("tui.help.badge", badge(m.p))))
	add(s.wrap(&s.Plain, width, m.p.T("tui.help.symbols")))
	if st := m.view.CurrentStep(); st != nil {
		add("")
		add(s.once(&s.Strong, m.p.T("tui.help.step", st.Title)))
		if st.Prompt != "" {
			add(s.wrap(&s.Plain, width, st.Prompt))
		}
	}
	return out
}

// besidePanel sets the panel's lines to the right of the main lines, the
// main column padded to width.
func besidePanel(main, panel []string, width int, border string) []string {
	n := max(len(main), len(panel))
	out := make([]string, n)
	for i := range out {
		l := ""
		if i < len(main) {
			l = main[i]
		}
		if w := ansi.StringWidth(l); w < width {
			l += strings.Repeat(" ", width-w)
		} else if w > width {
			l = ansi.Truncate(l, width, "")
		}
		p := ""
		if i < len(panel) {
			p = panel[i]
		}
		out[i] = l + border + p
	}
	return out
}

// headerKey is everything the header shows. Keys hold values, never the
// snapshot itself, so that remembered renderings do not keep old snapshots
// (and their lists of participants) alive.
type headerKey struct {
	title                    string
	mid, short, timer, clock string
	late                     bool
	width                    int
}

func (m *Model) header(width int) string {
	v := m.view
	key := headerKey{title: v.Forum().Title, width: width}
	switch v.Stage() {
	case session.Lobby:
		key.mid = m.p.T("tui.bar.lobby")
		key.short = key.mid
	case session.Closed:
		key.mid = m.p.T("tui.bar.closed")
		key.short = key.mid
	default:
		key.mid, key.short = m.where(v.Step(), len(v.Forum().Steps), v.CurrentStep().Phase)
	}
	if v.Archived() {
		key.mid = m.p.T("tui.bar.archived", key.mid)
		key.short = m.p.T("tui.bar.archived_short", key.short)
	}
	if v.Timer().Running() {
		key.timer, key.clock, key.late = countdown(m.p, v.Timer().Remaining(v.Now()))
	}
	return bar(m.styles, key)
}

// whereKey names how the bar says where the forum is, in a language.
type whereKey struct {
	p           *printer
	step, steps int
	phase       session.Phase
}

// where is how the bar says which step the forum is on, at length and in
// short: made once for each step and language, as every screen shows it
// at every change.
func (m *Model) where(step, steps int, phase session.Phase) (mid, short string) {
	w := m.styles.wheres.get(whereKey{m.p, step, steps, phase}, func() [2]string {
		title := phaseTitle(m.p, phase)
		return [2]string{m.p.T("tui.bar.step", step, steps, title), m.p.T("tui.bar.step_short", step, steps, title)}
	})
	return w[0], w[1]
}

// countdown is the time left (or over) as the bar says it, and the clock
// alone for where the bar is short.
func countdown(p *printer, left time.Duration) (text, clock string, late bool) {
	t := session.CountdownText(left)
	return p.Text(t), t.Args[0].(string), left < 0
}

// phaseTitle is a phase's name as a heading gives it.
func phaseTitle(p *printer, phase session.Phase) string {
	switch phase {
	case session.Dialogue:
		return p.T("tui.phase.dialogue")
	case session.Voting:
		return p.T("tui.phase.voting")
	case session.Deliberation:
		return p.T("tui.phase.deliberation")
	case session.Feedback:
		return p.T("tui.phase.feedback")
	case session.Polling:
		return p.T("tui.phase.poll")
	}
	return string(phase)
}

// bar draws the top bar: the forum's title, where the forum is, and its
// timebox. Where the width is short, the title gives way first (shortened
// at a word), then the longer ways of saying where and how long.
func bar(s *Styles, key headerKey) string {
	return s.bars.get(key, func() string {
		timer := s.BarTimer
		if key.late {
			timer = s.BarLate
		}
		inner := key.width - 2
		title := s.text(key.title)
		mids := []string{s.text(key.mid), s.text(key.short)}
		timers := []string{"", ""}
		if key.timer != "" {
			timers = []string{s.sym.timer + key.timer, key.clock}
		}
		for _, t := range timers {
			for _, mid := range mids {
				room := inner - textWidth(mid) - textWidth(t) - 4
				if key.timer == "" {
					room += 2
				}
				if room >= min(textWidth(title), 12) {
					return spread(s, key.width, s.BarTitle.Render(shorten(title, room)), s.BarStep.Render(mid), timer.Render(t))
				}
			}
		}
		return spread(s, key.width, "", s.BarStep.Render(truncate(mids[1], inner-textWidth(timers[1])-1)), timer.Render(timers[1]))
	})
}

// spread lays three pieces out across a bar of width cells: left, centre,
// right. Each piece ends its own styles, so the bar's background is drawn
// again in every gap between them.
func spread(s *Styles, width int, left, mid, right string) string {
	gap := width - 2 - lipgloss.Width(left) - lipgloss.Width(mid) - lipgloss.Width(right)
	lgap := max(gap/2, 1)
	if left == "" {
		lgap = 0
	}
	rgap := max(gap-lgap, 0)
	fillGap := func(n int) string { return s.BarStep.Render(strings.Repeat(" ", n)) }
	return fillGap(1) + left + fillGap(lgap) + mid + fillGap(rgap) + right + fillGap(1)
}

// shorten cuts text to width cells at a word where it can, marking the
// cut.
func shorten(text string, width int) string {
	if textWidth(text) <= width {
		return text
	}
	cut := truncate(text, width)
	if i := strings.LastIndex(strings.TrimSuffix(cut, "…"), " "); i > width/2 {
		return strings.TrimRight(cut[:i], " ,;:·-") + "…"
	}
	return cut
}

// statusKey is everything the status line shows.
type statusKey struct {
	styles            *Styles
	p                 *printer
	width, connected  int
	name, sector      string
	known, facilitate bool
}

// status is the last line: how many are here and who you are. A screen
// keeps the one it drew last, which most changes leave as it was.
func (m *Model) status(width int) string {
	s, v := m.styles, m.view
	me, known := v.Me()
	key := statusKey{styles: s, p: m.p, width: width, connected: v.Connected(), name: me.Name, sector: me.Sector, known: known, facilitate: m.facilitator()}
	if m.statusLine != "" && key == m.statusKey {
		return m.statusLine
	}
	p := m.p
	connected := p.T("tui.status.connected", v.Connected())
	var tries []string
	if known {
		who := me.Name
		if m.facilitator() {
			who += " " + badge(p)
		}
		you := p.T("tui.status.you", who)
		if me.Sector != "" {
			tries = append(tries, connected+s.sym.sep+p.T("tui.status.you_sector", who, me.Sector))
		}
		tries = append(tries, connected+s.sym.sep+you, you, who)
	} else {
		tries = []string{connected + s.sym.sep + p.T("tui.status.no_name"), p.T("tui.status.no_name"), connected}
	}
	line := tries[len(tries)-1]
	for _, t := range tries {
		if textWidth(t) <= width {
			line = t
			break
		}
	}
	// Drawn without lipgloss: the line differs on every screen and
	// changes with every arrival, so it is worth keeping cheap.
	m.statusKey, m.statusLine = key, s.mutedOpen+truncate(s.text(line), width)+s.mutedClose
	return m.statusLine
}

// textWidth is the cells plain text takes. Most text here is ASCII or
// Latin, with a middle dot between its parts: one cell a character, which
// is settled without measuring graphemes.
func textWidth(text string) int {
	if n, ok := narrowWidth(text); ok {
		return n
	}
	return ansi.StringWidth(text)
}

// narrowWidth is the width of text made only of printable characters below
// U+0300 and no escapes, each of which takes one cell; ok is false for any
// other text, which must be measured.
func narrowWidth(text string) (n int, ok bool) {
	for _, r := range text {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xad || r >= 0x300 {
			return 0, false
		}
		n++
	}
	return n, true
}

// stepView is what the current step shows, in width by height cells: its
// head (title and question, the same on every screen) and the phase's
// view below it. head ends with a line feed where body follows.
func (m *Model) stepView(width, height int) (head, body string) {
	v := m.view
	// The question may take at most a third of a short screen; the help
	// gives it in full.
	promptLines := max(height/4, 2)
	gap := height >= 14
	head = m.styles.heads.get(stepHeadKey{v.Forum(), m.p, v.Step(), width, promptLines, gap}, func() string {
		return m.stepHead(width, promptLines, gap)
	})
	if v.Stage() != session.Running || m.phase == nil {
		return head, ""
	}
	return head, m.phase.view(width, max(height-lipgloss.Height(head), 3))
}

type stepHeadKey struct {
	forum       *session.Forum
	p           *printer
	step, width int
	promptLines int
	gap         bool
}

// stepHead is the part of a step's screen that is the same for everyone:
// the lobby, the closing words, or the step's title and question (each
// phase draws its own work below it).
func (m *Model) stepHead(width, promptLines int, gap bool) string {
	s, v := m.styles, m.view
	var b strings.Builder
	switch v.Stage() {
	case session.Lobby:
		b.WriteString(s.once(&s.Title, m.p.T("tui.lobby.title")) + "\n\n")
		if v.Forum().Purpose != "" && gap {
			b.WriteString(s.wrap(&s.Prompt, width, v.Forum().Purpose) + "\n\n")
		}
		b.WriteString(s.once(&s.Strong, m.p.T("tui.lobby.agenda")) + "\n")
		for i, st := range v.Forum().Steps {
			b.WriteString(s.once(&s.Plain, truncate("  "+m.p.T("tui.lobby.step", i+1, st.Title, session.PhaseWord(st.Phase)), width)) + "\n")
		}
		b.WriteString("\n" + s.wrap(&s.Muted, width, m.p.T("tui.lobby.waiting")))
	case session.Closed:
		b.WriteString(s.once(&s.Title, m.p.T("tui.closed.title")) + "\n\n")
		b.WriteString(s.wrap(&s.Prompt, width, m.p.T("tui.closed.thanks")))
	default:
		st := v.CurrentStep()
		b.WriteString(s.once(&s.Title, truncate(st.Title, width)) + "\n")
		if st.Prompt != "" {
			lines := strings.Split(s.wrap(&s.Prompt, width, st.Prompt), "\n")
			if len(lines) > promptLines {
				lines = lines[:promptLines]
				last := strings.TrimRight(ansi.Strip(lines[promptLines-1]), " ")
				more := m.p.T("tui.prompt.more")
				lines[promptLines-1] = s.text(shorten(last+" ", width-1-textWidth(more)) + " " + more)
			}
			b.WriteString(strings.Join(lines, "\n") + "\n")
		}
		if gap {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (m *Model) peoplePanel(height int) string {
	s, v := m.styles, m.view
	var b strings.Builder
	hands, speaker := v.Hands(), v.Speaker()
	if len(hands) > 0 || speaker != "" {
		p := m.p
		b.WriteString(s.PanelTitle.Render(truncate(p.T("tui.panel.hands", len(hands)), panelRoom)) + "\n")
		if speaker != "" {
			b.WriteString(s.Online.Render(s.text(truncate(p.T("tui.panel.speaking", speaker), panelRoom))) + "\n")
		}
		for i, h := range hands {
			if i == 5 {
				b.WriteString(s.Muted.Render(truncate(s.sym.down+" "+p.T("tui.panel.more_hands", len(hands)-i), panelRoom)) + "\n")
				break
			}
			line := fmt.Sprintf("%d. %s ", h.Position, s.text(truncate(h.Name, 16)))
			b.WriteString(line + s.Muted.Render(truncate(p.T("tui.panel.since", h.RaisedAt.Local().Format("15:04")), panelRoom-textWidth(line))) + "\n")
		}
		b.WriteString("\n")
		height -= lipgloss.Height(b.String())
	}
	people := v.People()
	b.WriteString(s.PanelTitle.Render(truncate(m.p.T("tui.panel.people", v.Connected(), v.PeopleCount()), panelRoom)) + "\n")
	shown := 0
	for _, p := range people {
		if shown >= height-2 {
			b.WriteString(s.Muted.Render(truncate(s.sym.down+" "+m.p.T("tui.panel.more_people", len(people)-shown), panelRoom)))
			break
		}
		dot := s.Offline.Render(s.sym.off)
		if p.Connected {
			dot = s.Online.Render(s.sym.on)
		}
		line := dot + " " + s.text(truncate(p.Name, 14))
		if p.Sector != "" {
			line += " " + s.Muted.Render(s.text(truncate(p.Sector, panelWidth-19)))
		}
		b.WriteString(line + "\n")
		shown++
	}
	return b.String()
}

func truncate(s string, n int) string {
	if w, ok := narrowWidth(s); ok && w <= n {
		return s
	}
	if lipgloss.Width(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
