package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
	"moot/session/catalogue"
)

// Projector is the read-only view for a screen in the room (ssh
// SLUG+screen@host): the current step's question and its live work, in
// large, spaced print. It has no hub: it can never act, only draw the
// room's view of the snapshots it is given. q or Ctrl+C closes it.
type Projector struct {
	styles *Styles
	// catalogue has the languages the server speaks (nil: the ones moot
	// ships); pr prints in the forum's, chosen once for each snapshot.
	catalogue *catalogue.Catalogue
	pr        *printer
	// join is the command that takes part in the forum, for the room.
	join   string
	view   *session.View
	width  int
	height int
}

// NewProjector builds the projector view from a first snapshot; join is
// the command that takes part in the forum (ssh -p 2222 demo@host).
func NewProjector(snap *session.Snapshot, styles *Styles, join string, width, height int) *Projector {
	p := &Projector{styles: styles, view: snap.ViewAs(session.ForProjector), join: join, width: width, height: height}
	p.pr = printerOf(p.catalogue.Printer(p.view.Langs()...))
	return p
}

// SetCatalogue gives the projector the languages the server speaks.
func (p *Projector) SetCatalogue(c *catalogue.Catalogue) {
	p.catalogue = c
	p.pr = printerOf(c.Printer(p.view.Langs()...))
}

func (p *Projector) Init() tea.Cmd { return nil }

func (p *Projector) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		p.view = msg.Snapshot.ViewAs(session.ForProjector)
		p.pr = printerOf(p.catalogue.Printer(p.view.Langs()...))
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC || (msg.Type == tea.KeyRunes && strings.ContainsRune(string(msg.Runes), 'q')) {
			return p, tea.Quit
		}
	}
	return p, nil
}

// phaseProjectors draws a phase's own work on the projector; each phase
// may register one. Phases without one show a plain notice.
var phaseProjectors = map[session.Phase]func(p *Projector, width, height int) string{
	session.Dialogue: projectDialogue,
}

func (p *Projector) View() string {
	s, v, pr := p.styles, p.view, p.pr
	width, height := max(p.width, 20), max(p.height, 8)
	key := headerKey{title: v.Forum().Title, mid: stepLabel(pr, v), short: stepLabel(pr, v), width: width}
	if v.Timer().Running() && !v.Archived() {
		key.timer, key.clock, key.late = countdown(pr, v.Timer().Remaining(v.Now()))
	}
	header := bar(s, key)
	// How to take part is what the room must be able to read; the rest
	// gives way to it where the screen is narrow.
	join := " " + pr.T("tui.projector.join", p.join)
	if lipgloss.Width(join) > width {
		join = " " + p.join // the command itself, whole, before its words
	}
	about := pr.T("tui.projector.about", v.Connected()) + " "
	footer := s.Strong.Render(join)
	if gap := width - lipgloss.Width(join) - lipgloss.Width(about); gap >= 2 {
		footer += strings.Repeat(" ", gap) + s.Muted.Render(s.text(about))
	}

	inner := width - 6
	var b strings.Builder
	switch {
	case v.Stage() == session.Lobby:
		b.WriteString(big(s, v.Forum().Title, inner) + "\n\n")
		if v.Forum().Purpose != "" {
			b.WriteString(s.Prompt.Width(inner).Render(v.Forum().Purpose) + "\n\n")
		}
		b.WriteString(s.Muted.Width(inner).Render(pr.T("tui.projector.waiting")) + "\n")
	case v.Stage() == session.Closed:
		b.WriteString(big(s, pr.T("tui.closed.title"), inner) + "\n\n")
		b.WriteString(s.Prompt.Width(inner).Render(pr.T("tui.projector.thanks")) + "\n")
	default:
		st := v.CurrentStep()
		b.WriteString(big(s, st.Title, inner) + "\n\n")
		if st.Prompt != "" {
			b.WriteString(s.Strong.Width(inner).Render(st.Prompt) + "\n\n")
		}
		used := lipgloss.Height(b.String())
		rest := height - 4 - used
		if extra, ok := p.extras(inner, max(rest, 1)); ok {
			b.WriteString(extra) // a poll, the tables (projector_extras.go)
		} else if draw, ok := phaseProjectors[st.Phase]; ok {
			b.WriteString(draw(p, inner, max(rest, 1)))
		} else {
			b.WriteString(s.Muted.Width(inner).Render(pr.T("tui.projector.results_here", session.PhaseWord(st.Phase))))
		}
	}
	if v.Archived() {
		b.WriteString("\n\n" + s.Muted.Width(inner).Render(pr.T("tui.projector.archived")))
	}
	bodyHeight := height - 2
	body := lipgloss.NewStyle().Padding(1, 3, 0, 3).Width(width).Height(bodyHeight).MaxHeight(bodyHeight).Render(b.String())
	return lipgloss.JoinVertical(lipgloss.Left, header, body, footer)
}

// big is a heading meant to be read from the back of the room: bold,
// spaced out when it fits.
func big(s *Styles, text string, width int) string {
	spaced := strings.Join(strings.Split(strings.ToUpper(text), ""), " ")
	if lipgloss.Width(spaced) <= width {
		text = spaced
	}
	return s.Title.Width(width).Render(text)
}

// projectDialogue shows the step's live cards by theme, newest kept in view
// when they do not all fit.
func projectDialogue(p *Projector, width, height int) string {
	s, v := p.styles, p.view
	cards := v.StepCards(v.Step())
	if len(cards) == 0 {
		return s.Muted.Render(p.pr.T("tui.projector.no_cards"))
	}
	var lines []string
	group := int64(-3)
	for _, c := range cards {
		if g := groupOf(c); g != group {
			group = g
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, s.Selected.Render(truncate(strings.ToUpper(groupHeading(p.pr, v, g)), width)))
		}
		text := lipgloss.NewStyle().Width(max(width-4, 10)).Render(c.Text)
		lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, "  "+s.sym.item+" ", s.text(text)), "\n")...)
	}
	if len(lines) > height {
		lines = append([]string{s.Muted.Render(s.text(truncate(s.sym.up+" "+p.pr.T("tui.projector.cards_above", len(cards)), width)))}, lines[len(lines)-height+1:]...)
	}
	return strings.Join(lines, "\n")
}

func init() {
	phaseProjectors[session.Voting] = projectVoting
	phaseProjectors[session.Deliberation] = projectDeliberation
	phaseProjectors[session.Feedback] = projectFeedback
}

// projectVoting shows the step's newest open ballot (else its newest
// closed one): an open ballot's items and how many have voted, never a
// count on an item while it is secret; a closed (or live) one's ranked
// results as a bar chart.
func projectVoting(p *Projector, width, height int) string {
	s, v, pr := p.styles, p.view, p.pr
	ballots := v.BallotsOf(v.Step())
	if len(ballots) == 0 {
		return s.Muted.Render(pr.T("tui.projector.no_ballot"))
	}
	b := ballots[len(ballots)-1]
	for _, x := range ballots {
		if x.Open() {
			b = x
		}
	}
	title := pr.T("tui.vote.ballot", b.ID)
	if b.Title != "" {
		title = pr.T("tui.vote.ballot_titled", b.ID, b.Title)
	}
	lines := []string{s.Selected.Render(strings.ToUpper(title))}
	res := b.Results
	if res == nil {
		voted := ""
		if b.Voters != nil {
			voted = s.sym.sep + pr.T("tui.projector.have_voted", *b.Voters)
		}
		if b.Open() && b.Secret {
			line := pr.T("tui.projector.ballot_open", b.Dots) + voted + s.sym.sep + pr.T("tui.projector.results_at_close")
			lines = append(lines, s.Strong.Render(s.text(line)), "")
		} else {
			state := pr.T("tui.projector.ballot_closed")
			if b.Open() {
				state = pr.T("tui.projector.ballot_live")
			}
			lines = append(lines, s.Strong.Render(s.text(state+voted)),
				s.Muted.Width(max(width-4, 10)).Render(pr.Text(b.Why)), "")
		}
		for _, it := range b.Items {
			lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, fmt.Sprintf("%3d. ", it.ID),
				lipgloss.NewStyle().Width(max(width-5, 10)).Render(it.Text)), "\n")...)
		}
		return clip(s, p.pr, lines, height)
	}
	most := 0
	for _, r := range res.Items {
		most = max(most, r.Dots)
	}
	status := pr.T("tui.projector.results")
	if !res.Final {
		status = pr.T("tui.projector.live_results")
	}
	lines = append(lines, s.Strong.Render(s.text(status+s.sym.sep+pr.T("tui.projector.tally", res.Voters, catalogue.Msg("count.dots", res.TotalDots), res.TopK))), "")
	// The bar takes what it needs to be read from the back of the room;
	// the items' text takes the rest.
	barW := min(max((width-12)/3, 4), 40)
	textW := max(width-12-barW, 8)
	for _, r := range res.Items {
		star := " "
		if r.Top {
			star = s.sym.star
		}
		n := 0
		if most > 0 {
			n = r.Dots * barW / most
		}
		bar := strings.Repeat(s.sym.block, n) + strings.Repeat(" ", barW-n)
		lines = append(lines, fmt.Sprintf("%4s %s %s %s %3d", r.RankLabel(), star, pad(s.text(truncate(oneLine(r.Text), textW)), textW), s.Selected.Render(bar), r.Dots))
	}
	return clip(s, p.pr, lines, height)
}

// projectDeliberation shows the statement being checked (the newest open
// check) with how many have responded, the spread only where the forum
// shows it to everyone; then the agreed statements.
func projectDeliberation(p *Projector, width, height int) string {
	s, v, pr := p.styles, p.view, p.pr
	wrap := lipgloss.NewStyle().Width(max(width-4, 10))
	var lines []string
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	var checking *session.StatementView
	for _, st := range v.Statements() {
		if st.Check != nil && (checking == nil || st.Check.ID > checking.Check.ID) {
			checking = st
		}
	}
	if checking != nil {
		c := checking.Check
		add(s.Selected.Render(truncate(strings.ToUpper(pr.T("tui.projector.checking", checking.ID)), width)))
		add(s.Title.Width(max(width-4, 10)).Render(checking.Text))
		line := pr.T("tui.projector.responded", c.Responded)
		if c.Levels != nil {
			line += s.sym.sep + levelCounts(c.Levels)
		}
		add(s.Strong.Render(line))
		add(s.Muted.Width(max(width-4, 10)).Render(session.ScaleHelp(c.Scale())))
		add("")
	}
	agreed := 0
	for _, st := range v.Statements() {
		if st.Status != string(session.Agreed) {
			continue
		}
		if agreed == 0 {
			add(s.Selected.Render(strings.ToUpper(pr.T("tui.projector.agreed"))))
		}
		agreed++
		add(lipgloss.JoinHorizontal(lipgloss.Top, s.Agreed.Render(fmt.Sprintf("  %s #%d ", s.sym.agreed, st.ID)), wrap.Render(s.text(st.Text))))
	}
	if checking == nil && agreed == 0 {
		if n := len(v.Statements()); n == 0 {
			return s.Muted.Render(pr.T("tui.statements.none"))
		} else {
			add(s.Muted.Width(max(width-4, 10)).Render(pr.T("tui.projector.drafts", n)))
		}
	}
	return clip(s, p.pr, lines, height)
}

// projectFeedback shows the draft report: the agreed statements with
// their actions and how much feedback each has had.
func projectFeedback(p *Projector, width, height int) string {
	s, v, pr := p.styles, p.view, p.pr
	draft := v.Draft()
	if len(draft) == 0 {
		return s.Muted.Width(max(width-4, 10)).Render(pr.T("tui.projector.draft_empty"))
	}
	wrap := lipgloss.NewStyle().Width(max(width-6, 10))
	var lines []string
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	add(s.Selected.Render(truncate(s.text(strings.ToUpper(pr.T("tui.projector.draft", len(draft), catalogue.Msg("count.feedback", len(v.Feedback()))))), width)))
	for _, d := range draft {
		add("")
		add(lipgloss.JoinHorizontal(lipgloss.Top, s.Agreed.Render(fmt.Sprintf("%s #%d ", s.sym.agreed, d.ID)), wrap.Render(s.text(d.Text))))
		if n := len(d.RevisedAfter); n > 0 {
			add(s.Muted.Render(truncate("     "+pr.T("tui.projector.revised", d.RevisedAfter[n-1].Reason), width)))
		}
		for _, a := range d.Actions {
			add(wrap.Render(s.text("     " + pr.T("tui.action.line", a.Text, catalogue.Commas(anys(a.Owners))))))
		}
		if n := len(d.Feedback); n > 0 {
			add(s.Muted.Render("     " + pr.T("tui.projector.feedback", n)))
		}
	}
	return clip(s, p.pr, lines, height)
}

// clip keeps what fits, saying how much was left out.
func clip(s *Styles, p *printer, lines []string, height int) string {
	if len(lines) > height {
		lines = append(lines[:max(height-1, 0)], s.Muted.Render(s.sym.down+" "+p.T("tui.projector.more_lines", len(lines)-height+1)))
	}
	return strings.Join(lines, "\n")
}
