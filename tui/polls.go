package tui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	phaseModels[session.Polling] = func(m *Model) phaseModel { return newPollPanel(m, true) }
}

// Keys of a poll.
var (
	keyAnswer     = bind("Enter", "Enter", "tui.key.answer", "tui.key.answer.help", "enter")
	keyPick       = bind("space", "space", "tui.key.pick", "tui.key.pick.help", " ")
	keyAnswerN    = bind("1-9", "", "", "tui.key.answer_n.help", "1", "2", "3", "4", "5", "6", "7", "8", "9")
	keyWriteReply = bind("Enter/w", "Enter", "tui.key.write_reply", "tui.key.write_reply.help", "enter", "w")
	keyPolls      = bind("[ ]", "[ ]", "tui.key.polls", "tui.key.polls.help", "[", "]")
	keyAskPoll    = steer("O", "O", "tui.key.ask_poll", "tui.key.ask_poll.help", "O")
	keyClosePoll  = steer("C", "C", "tui.key.close_poll", "tui.key.close_poll.help", "C")

	choiceKeys   = []*keyDef{keyAnswer, keyDown, keyClosePoll, keyAnswerN, keyPolls, keyAskPoll, keyUp, keyListTop, keyListEnd}
	multipleKeys = []*keyDef{keyPick, keyAnswer, keyDown, keyClosePoll, keyAnswerN, keyPolls, keyAskPoll, keyUp, keyListTop, keyListEnd}
	textKeys     = []*keyDef{keyWriteReply, keyClosePoll, keyPolls, keyAskPoll}
	resultKeys   = []*keyDef{keySectors, keyPolls, keyAskPoll}
	noPollKeys   = []*keyDef{keyAskPoll}
	answerKeys   = []*keyDef{keySend, keyCancel}
)

// pollPanel shows the polls of the current step, one at a time: while a
// poll is open, its question and the reader's answer, which they choose
// with the keyboard (or type, for words and open answers); once it may be
// shown, its results as a bar chart. It is a poll step's screen, and on
// any other step the screen a poll takes over (extras.go).
type pollPanel struct {
	m *Model
	// step: on a poll step of its own, after an answer the next open poll
	// not yet answered comes up.
	step bool
	// poll is the one shown; 0 until the step has one.
	poll   int64
	cursor int
	// picked is a multiple choice being made, not yet saved.
	picked   map[int]bool
	composer *textinput.Model
	inflight bool
	note     string
	failed   bool
	bySector bool
	// confirm is the poll whose closing waits for a second C.
	confirm int64
}

// pollSavedMsg answers an answer sent from the screen; snap is the forum
// as it stood once the answer was committed.
type pollSavedMsg struct {
	poll int64
	err  error
	snap *session.Snapshot
}

func newPollPanel(m *Model, step bool) *pollPanel {
	p := &pollPanel{m: m, step: step}
	p.pick()
	return p
}

func (p *pollPanel) typing() bool { return p.composer != nil }

func (p *pollPanel) keys() []*keyDef {
	c := p.current()
	var keys []*keyDef
	switch {
	case p.composer != nil:
		return answerKeys
	case c == nil:
		return noPollKeys
	case !c.Open():
		keys = resultKeys
	case c.Kind == session.PollMultiple:
		keys = multipleKeys
	case c.Counted():
		keys = choiceKeys
	default:
		keys = textKeys
	}
	// Keys for what the screen does not have (other polls, a breakdown)
	// are left out.
	others := len(p.polls()) > 1
	sectors := c.Results != nil && len(c.Results.Sectors) > 0
	return slices.DeleteFunc(slices.Clone(keys), func(k *keyDef) bool {
		return (k == keyPolls && !others) || (k == keySectors && !sectors)
	})
}

// draft is an answer being written; it comes back with its step, to the
// same poll if it is still open.
func (p *pollPanel) draft() *draft {
	if p.composer == nil {
		return nil
	}
	return &draft{mode: "answer", target: p.poll, text: p.composer.Value()}
}

func (p *pollPanel) restore(d *draft) {
	if d.mode != "answer" {
		return
	}
	p.show(d.target)
	if c := p.current(); c != nil && c.Open() && !c.Counted() {
		p.open(c)
		p.composer.SetValue(d.text)
		p.composer.CursorEnd()
	}
}

func (p *pollPanel) polls() []*session.PollView { return p.m.view.PollsOf(p.m.view.Step()) }

// pick shows the first open poll of the step the reader has not answered,
// else the newest open one, else the newest.
func (p *pollPanel) pick() {
	ps := p.polls()
	if len(ps) == 0 {
		p.poll = 0
		return
	}
	for _, x := range ps {
		if x.Open() && p.m.view.MyAnswer(x.ID) == nil {
			p.show(x.ID)
			return
		}
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Open() {
			p.show(ps[i].ID)
			return
		}
	}
	p.show(ps[len(ps)-1].ID)
}

func (p *pollPanel) show(id int64) {
	if p.poll != id {
		p.poll, p.picked, p.composer, p.confirm, p.note = id, nil, nil, 0, ""
		p.cursor = 0
		if c := p.current(); c != nil {
			if mine := p.m.view.MyAnswer(id); mine != nil && mine.Point > 0 {
				p.cursor = mine.Point - 1
			} else if mine != nil && len(mine.Choices) > 0 {
				p.cursor = mine.Choices[0] - 1
			}
		}
	}
}

func (p *pollPanel) current() *session.PollView {
	c, ok := p.m.view.FindPoll(p.poll)
	if !ok || c.Step != p.m.view.Step() {
		return nil
	}
	return c
}

func (p *pollPanel) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		c := p.current()
		ps := p.polls()
		// A poll opened since, on this step, takes the screen.
		if len(ps) > 0 && (c == nil || (ps[len(ps)-1].Open() && ps[len(ps)-1].ID > p.poll && !c.Open())) {
			p.pick()
		}
		if c := p.current(); c != nil && !c.Open() && (p.picked != nil || p.composer != nil || p.confirm != 0 || (p.note != "" && !p.failed)) {
			// Closed: what was said about answering it no longer applies.
			p.picked, p.composer, p.confirm, p.note = nil, nil, 0, ""
		}
		return nil, true
	case pollSavedMsg:
		p.inflight = false
		if msg.snap != nil && msg.snap.Seq > p.m.view.Seq() {
			p.m.setSnapshot(msg.snap)
		}
		if msg.err != nil {
			p.note, p.failed = p.m.p.Error(msg.err), true
			return nil, true
		}
		p.note, p.failed, p.picked, p.composer = p.m.p.T("tui.vote.saved"), false, nil, nil
		if p.step {
			// On a step of polls (an evaluation), on to the next.
			before := p.poll
			p.pick()
			if p.poll != before {
				p.note = p.m.p.T("tui.poll.saved", before)
			}
		}
		return nil, true
	case tea.KeyMsg:
		if p.composer != nil {
			return p.compose(msg), true
		}
		return p.key(msg)
	}
	return nil, false
}

func (p *pollPanel) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	confirm := p.confirm
	p.confirm = 0
	c := p.current()
	m := p.m
	switch {
	case m.pressed(msg, keyPolls):
		p.cycle(map[bool]int{true: -1, false: 1}[msg.String() == "["])
		return nil, true
	case c != nil && c.Results != nil && !c.Open() && m.pressed(msg, keySectors):
		p.bySector = !p.bySector
		return nil, true
	case m.pressed(msg, keyAskPoll):
		m.openInput("poll open ")
		return nil, true
	case c != nil && c.Open() && m.pressed(msg, keyClosePoll):
		if confirm != c.ID {
			p.confirm = c.ID
			p.note, p.failed = m.p.T("tui.poll.confirm_close", c.ID), false
			return nil, true
		}
		id := c.ID
		return m.do(session.ClosePoll{Poll: id}, func(p *printer, _ *session.View) string { return p.T("tui.poll.closed", id) }), true
	}
	if c == nil || !c.Open() {
		return nil, false
	}
	if !c.Counted() {
		if m.pressed(msg, keyWriteReply) {
			p.open(c)
			return nil, true
		}
		return nil, false
	}
	n := len(c.Choices())
	switch {
	case m.pressed(msg, keyUp):
		p.cursor = max(p.cursor-1, 0)
	case m.pressed(msg, keyDown):
		p.cursor = min(p.cursor+1, n-1)
	case m.pressed(msg, keyListTop):
		p.cursor = 0
	case m.pressed(msg, keyListEnd):
		p.cursor = n - 1
	case c.Kind == session.PollMultiple && m.pressed(msg, keyPick):
		p.toggle(c)
	case m.pressed(msg, keyAnswer):
		return p.send(p.answerAt(c)), true
	case m.pressed(msg, keyAnswerN) && int(msg.Runes[0]-'0') <= n:
		p.cursor = int(msg.Runes[0] - '1')
		if c.Kind == session.PollMultiple {
			p.toggle(c)
			return nil, true
		}
		return p.send(p.answerAt(c)), true
	default:
		return nil, false
	}
	return nil, true
}

// toggle picks or unpicks the option under the cursor of a multiple choice.
func (p *pollPanel) toggle(c *session.PollView) {
	if p.picked == nil {
		p.picked = map[int]bool{}
		if mine := p.m.view.MyAnswer(c.ID); mine != nil {
			for _, ch := range mine.Choices {
				p.picked[ch] = true
			}
		}
	}
	at := p.cursor + 1
	if !p.picked[at] && len(p.picked) >= c.Max {
		p.note, p.failed = p.m.p.T("tui.poll.most", c.Max), true
		return
	}
	if p.picked[at] {
		delete(p.picked, at)
	} else {
		p.picked[at] = true
	}
	p.note, p.failed = p.m.p.T("tui.poll.enter_saves"), false
}

// answerAt is the answer the cursor (or the options picked) make.
func (p *pollPanel) answerAt(c *session.PollView) session.AnswerPoll {
	a := session.AnswerPoll{Poll: c.ID}
	switch {
	case c.Kind == session.PollScale:
		a.Point = p.cursor + 1
	case c.Kind == session.PollMultiple && p.picked != nil:
		a.Choices = slices.Sorted(maps.Keys(p.picked))
	default:
		a.Choices = []int{p.cursor + 1}
	}
	return a
}

func (p *pollPanel) send(a session.AnswerPoll) tea.Cmd {
	if p.inflight {
		p.note, p.failed = p.m.p.T("tui.vote.saving"), false
		return nil
	}
	p.inflight, p.note, p.failed = true, p.m.p.T("tui.vote.saving"), false
	hub, ctx, id := p.m.hub, p.m.ctx, p.m.identity
	return func() tea.Msg {
		err := hub.Do(ctx, id, a)
		return pollSavedMsg{poll: a.Poll, err: err, snap: hub.Snapshot()}
	}
}

func (p *pollPanel) open(c *session.PollView) {
	text := ""
	if mine := p.m.view.MyAnswer(c.ID); mine != nil {
		text = mine.Text
	}
	p.m.openInput(text)
	p.composer, p.m.input = p.m.input, nil
	p.composer.Prompt = "› "
	p.composer.Placeholder = p.m.p.T("tui.poll.placeholder")
	p.composer.CharLimit = session.MaxCardLength
	if c.Kind == session.PollWords {
		p.composer.Placeholder = p.m.p.T("tui.poll.words_placeholder", c.Words)
		p.composer.CharLimit = session.MaxWordsAnswer
	}
	p.note = ""
}

func (p *pollPanel) compose(msg tea.KeyMsg) tea.Cmd {
	switch {
	case p.m.pressed(msg, keyCancel):
		p.composer, p.note = nil, ""
		return nil
	case p.m.pressed(msg, keySend):
		return p.send(session.AnswerPoll{Poll: p.poll, Text: p.composer.Value()})
	}
	ti, cmd := p.composer.Update(msg)
	p.composer = &ti
	return cmd
}

func (p *pollPanel) cycle(by int) {
	ps := p.polls()
	if len(ps) == 0 {
		return
	}
	at := 0
	for i, x := range ps {
		if x.ID == p.poll {
			at = i
		}
	}
	p.show(ps[(at+by+len(ps))%len(ps)].ID)
}

func (p *pollPanel) view(width, height int) string {
	s, v, pr := p.m.styles, p.m.view, p.m.p
	c := p.current()
	if c == nil {
		msg := pr.T("tui.poll.none")
		if p.m.facilitator() {
			msg = pr.T("tui.poll.none_ask_one")
		}
		return s.wrap(&s.Muted, width, msg)
	}
	ps := p.polls()
	status := pollStatus(pr, c)
	if c.Open() && c.Kind == session.PollMultiple {
		status += s.sym.sep + pr.T("tui.poll.pick_up_to", c.Max)
	}
	if len(ps) > 1 {
		status += s.sym.sep + pr.T("tui.poll.count", len(ps))
	}
	top := []string{s.once(&s.Muted, truncate(s.text(pr.T("tui.poll.number", c.ID)+s.sym.sep+status), width))}
	top = append(top, strings.Split(s.wrap(&s.Strong, width, s.text(c.Question)), "\n")...)

	var bottom []string
	if p.m.facilitator() && c.Open() && c.Respondents != nil && c.Results == nil {
		bottom = append(bottom, s.once(&s.OK, truncate(pr.T("tui.poll.respondents", *c.Respondents), width)))
	}
	if p.note != "" {
		style := &s.Muted
		if p.failed {
			style = &s.Error
		}
		bottom = append(bottom, strings.Split(s.wrap(style, width, s.text(p.note)), "\n")...)
	}
	if p.composer != nil {
		p.composer.Width = max(10, width-4)
		bottom = append(bottom, s.once(&s.Strong, truncate(pr.T("tui.poll.your_answer"), width)), p.composer.View())
	}
	h := max(height-len(top)-len(bottom), 1)
	mine := v.MyAnswer(c.ID)
	var body string
	switch {
	case c.Open() && c.Counted():
		lines := p.choices(c, mine, width)
		starts := make([]int, len(lines))
		for i := range starts {
			starts[i] = i
		}
		if !c.Secret {
			// A live poll: its results, or why they do not show yet.
			lines = append(append(lines, ""), pollResults(s, pr, c, mine, width, p.bySector, v.Seq())...)
		}
		body = s.window(p.m.p, lines, starts, p.cursor, p.cursor+1, h)
	default:
		var lines []string
		if c.Open() {
			lines = p.ownText(c, mine, width)
			if !c.Secret {
				lines = append(lines, "")
			}
		}
		if !c.Secret || !c.Open() {
			lines = append(lines, pollResults(s, pr, c, mine, width, p.bySector, v.Seq())...)
		}
		if len(lines) > h {
			typed := fmt.Sprintf("poll results %d", c.ID)
			if p.bySector {
				typed += " --by-sector"
			}
			more := s.sym.ellipsis + " " + pr.T("tui.poll.all_with", typed)
			lines = append(lines[:max(h-1, 0)], s.once(&s.Muted, truncate(more, width)))
		}
		body = fill(lines, h)
	}
	out := strings.Join(top, "\n") + "\n" + body
	if len(bottom) > 0 {
		out += "\n" + strings.Join(bottom, "\n")
	}
	return out
}

// pollStatus says where a poll stands, in a few words.
func pollStatus(p *printer, c *session.PollView) string {
	switch {
	case !c.Open():
		return p.T("tui.vote.closed_final")
	case !c.Secret:
		return p.T("tui.poll.open_live")
	}
	return p.T("tui.vote.open_secret")
}

// choices lists a scale's points or a choice's options, the reader's own
// marked, the cursor on one.
func (p *pollPanel) choices(c *session.PollView, mine *session.AnswerView, width int) []string {
	s := p.m.styles
	chosen := map[int]bool{}
	if mine != nil {
		if mine.Point > 0 {
			chosen[mine.Point] = true
		}
		for _, ch := range mine.Choices {
			chosen[ch] = true
		}
	}
	if p.picked != nil {
		chosen = p.picked
	}
	var lines []string
	for i, label := range c.Choices() {
		n := i + 1
		marker := "  "
		if i == p.cursor {
			marker = s.markSelected
		}
		box := "( )"
		if c.Kind == session.PollMultiple {
			box = "[ ]"
		}
		if chosen[n] {
			box = strings.NewReplacer(" ", s.sym.on).Replace(box)
		}
		text := fmt.Sprintf("%s %2d  %s", box, n, label)
		if chosen[n] && p.picked == nil {
			text += "  " + p.m.p.T("tui.poll.yours")
		}
		text = truncate(s.text(oneLine(text)), max(width-2, 10))
		if i == p.cursor {
			text = s.Strong.Render(text)
		}
		lines = append(lines, marker+text)
	}
	return lines
}

// ownText shows a words or open poll's answer the reader gave.
func (p *pollPanel) ownText(c *session.PollView, mine *session.AnswerView, width int) []string {
	s, pr := p.m.styles, p.m.p
	if mine == nil {
		return strings.Split(s.wrap(&s.Muted, width, pr.T("tui.poll.not_answered")), "\n")
	}
	out := []string{s.once(&s.Muted, truncate(pr.T("tui.poll.your_answer_is"), width))}
	text := mine.Text
	if mine.Hidden {
		text = pr.T("tui.poll.hidden_yours", text)
	}
	return append(out, strings.Split(s.wrap(&s.Plain, max(width-2, 10), s.text(text)), "\n")...)
}

// pollResultsKey is everything a poll's drawn results show: the poll as
// of a snapshot (its results are the same for everyone who may see them)
// and the reader's own choice, marked on their screen. It holds values
// only, so that what is remembered keeps no snapshot alive.
type pollResultsKey struct {
	p         *printer
	poll, seq int64
	width     int
	bySector  bool
	mine      string
}

// pollResults draws a poll's results as bars scaled to the width: a
// scale's points (with the mean and spread) or a choice's options, by
// sector with s; a words poll's words and phrases; an open poll's
// answers. The room's screen draws them too. Counts and words, a few
// lines, are drawn once for every screen of a snapshot that shows them
// alike; a list of open answers, which may be long, is drawn for each.
func pollResults(s *Styles, p *printer, c *session.PollView, mine *session.AnswerView, width int, bySector bool, seq int64) []string {
	r := c.Results
	if r == nil {
		return strings.Split(s.wrap(&s.Muted, width, p.Text(c.Why)), "\n")
	}
	if c.Kind == session.PollOpen {
		return drawPollResults(s, p, c, mine, width, bySector)
	}
	key := pollResultsKey{p: p, poll: c.ID, seq: seq, width: width, bySector: bySector}
	if mine != nil && c.Counted() {
		key.mine = fmt.Sprint(mine.Point, mine.Choices)
	}
	drawn := s.drawn.get(key, func() string { return strings.Join(drawPollResults(s, p, c, mine, width, bySector), "\n") })
	return strings.Split(drawn, "\n")
}

func drawPollResults(s *Styles, p *printer, c *session.PollView, mine *session.AnswerView, width int, bySector bool) []string {
	r := c.Results
	var lines []string
	summary := p.T("tui.poll.answered", r.Respondents)
	if r.Mean != nil {
		summary += s.sym.sep + p.T("tui.poll.mean", catalogue.Decimal(*r.Mean, 1)) + s.sym.sep + p.T("tui.poll.spread", catalogue.Decimal(*r.Spread, 1))
	}
	lines = append(lines, s.once(&s.Muted, truncate(summary, width)))
	textW := min(max(width*2/5, 10), 32)
	barW := max(width-textW-4-10, 4)
	bar := func(n, most int) string {
		w := 0
		if most > 0 {
			w = (n*barW + most - 1) / most
		}
		return pad(strings.Repeat(s.sym.bar, w), barW)
	}
	switch {
	case len(r.Counts) > 0 && !bySector:
		most := 0
		for _, x := range r.Counts {
			most = max(most, x.Count)
		}
		for _, x := range r.Counts {
			label := fmt.Sprintf("%2d %s", x.N, x.Label)
			line := pad(truncate(oneLine(label), textW), textW) + " " + s.Selected.Render(bar(x.Count, most)) + fmt.Sprintf(" %3d %3.0f%%", x.Count, x.Share*100)
			if mine != nil && (mine.Point == x.N || slices.Contains(mine.Choices, x.N)) {
				line += s.Muted.Render(" " + p.T("tui.poll.you"))
			}
			lines = append(lines, line)
		}
	case len(r.Counts) > 0:
		// Scaled to the most of all together, so that groups compare.
		most := 0
		for _, x := range r.Counts {
			most = max(most, x.Count)
		}
		for _, g := range r.Sectors {
			head := p.T("tui.poll.sector", session.GroupName(g.Sector, g.Pooled), g.Respondents)
			if g.Mean != nil {
				head += s.sym.sep + p.T("tui.poll.mean", catalogue.Decimal(*g.Mean, 1))
			}
			lines = append(lines, strings.Split(s.wrap(&s.Strong, width, head), "\n")...)
			for i, n := range g.Counts {
				if n > 0 {
					label := fmt.Sprintf("%2d %s", i+1, r.Counts[i].Label)
					lines = append(lines, pad(truncate(oneLine(label), textW), textW)+" "+s.Selected.Render(bar(n, most))+fmt.Sprintf(" %3d", n))
				}
			}
		}
		if !r.SectorsWhy.IsZero() {
			lines = append(lines, strings.Split(s.wrap(&s.Muted, width, p.Text(r.SectorsWhy)), "\n")...)
		}
	case c.Kind == session.PollWords:
		most := 0
		for _, w := range r.Words {
			most = max(most, w.Count)
		}
		for _, w := range r.Words {
			lines = append(lines, pad(truncate(w.Text, textW), textW)+" "+s.Selected.Render(bar(w.Count, most))+fmt.Sprintf(" %3d", w.Count))
		}
	default:
		for _, a := range r.Answers {
			text := a.Text
			if a.Hidden {
				text = p.T("tui.poll.hidden", a.Reason, text)
			}
			if a.N != 0 {
				text = fmt.Sprintf("%d. %s", a.N, text)
			}
			body := s.wrap(&s.Plain, max(width-2, 10), s.text(text))
			for j, l := range strings.Split(body, "\n") {
				lead := s.sym.item + " "
				if j > 0 {
					lead = "  "
				}
				lines = append(lines, lead+l)
			}
		}
	}
	return lines
}
