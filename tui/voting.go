package tui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	phaseModels[session.Voting] = func(m *Model) phaseModel { return newVoting(m) }
}

// Keys of a voting step.
var (
	keyAddDot   = bind("→/l/space", "→", "tui.key.add_dot", "tui.key.add_dot.help", "right", "l", " ")
	keyTakeDot  = bind("←/h", "←", "tui.key.take_dot", "tui.key.take_dot.help", "left", "h", "backspace", "delete")
	keySetDots  = bind("0-9", "0-9", "tui.key.set_dots", "tui.key.set_dots.help", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
	keyBallots  = bind("[ ]", "[ ]", "tui.key.ballots", "tui.key.ballots.help", "[", "]")
	keySectors  = bind("s", "s", "tui.key.sectors", "tui.key.sectors.help", "s")
	keyOpenVote = steer("O", "O", "tui.key.open_vote", "tui.key.open_vote.help", "O")
	keyCloseVot = steer("C", "C", "tui.key.close_vot", "tui.key.close_vot.help", "C")
	openKeys    = []*keyDef{keyAddDot, keyTakeDot, keyDown, keyCloseVot, keySetDots, keyOpenVote, keyBallots, keyUp, keyListTop, keyListEnd}
	closedKeys  = []*keyDef{keySectors, keyDown, keyBallots, keyOpenVote, keyUp, keyListTop, keyListEnd}
	noBallot    = []*keyDef{keyOpenVote}
)

// voting shows the ballots of a voting step: while one is open, its items
// and the reader's own dots, which they move with the keyboard; once it is
// closed, the ranked results as a bar chart.
type voting struct {
	m *Model
	// ballot is the one shown; 0 until the step has one.
	ballot int64
	cursor int // index into the ballot's items
	// pending is the allocation the reader has asked for and that is not
	// yet confirmed saved; nil shows what the forum has.
	pending  map[int]int
	inflight bool
	dirty    bool
	note     string
	failed   bool
	bySector bool
	// confirm is the ballot whose closing waits for a second C.
	confirm int64
}

// voteSavedMsg answers a vote sent from the screen; snap is the forum as
// it stood once the vote was committed.
type voteSavedMsg struct {
	sent map[int]int
	err  error
	snap *session.Snapshot
}

func newVoting(m *Model) *voting {
	v := &voting{m: m}
	v.pick()
	return v
}

func (v *voting) typing() bool   { return false }
func (v *voting) draft() *draft  { return nil }
func (v *voting) restore(*draft) {}

func (v *voting) keys() []*keyDef {
	b := v.current()
	switch {
	case b == nil:
		return noBallot
	case b.Open():
		return openKeys
	}
	return closedKeys
}

func (v *voting) ballots() []*session.BallotView { return v.m.view.BallotsOf(v.m.view.Step()) }

// pick shows the newest open ballot of the step, else the newest closed one.
func (v *voting) pick() {
	bs := v.ballots()
	if len(bs) == 0 {
		v.ballot = 0
		return
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Open() {
			v.show(bs[i].ID)
			return
		}
	}
	v.show(bs[len(bs)-1].ID)
}

func (v *voting) show(id int64) {
	if v.ballot != id {
		v.ballot, v.cursor, v.pending, v.dirty, v.confirm = id, 0, nil, false, 0
	}
}

func (v *voting) current() *session.BallotView {
	b, ok := v.m.view.FindBallot(v.ballot)
	if !ok || b.Step != v.m.view.Step() {
		return nil
	}
	return b
}

// mine is the reader's allocation as the screen shows it.
func (v *voting) mine() map[int]int {
	if v.pending != nil {
		return v.pending
	}
	out := map[int]int{}
	for _, d := range v.m.view.MyAllocation(v.ballot) {
		out[d.Item] = d.Dots
	}
	return out
}

func (v *voting) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		b := v.current()
		// A ballot opened since, on this step, takes the screen.
		if bs := v.ballots(); len(bs) > 0 && (b == nil || (bs[len(bs)-1].Open() && bs[len(bs)-1].ID > v.ballot && !b.Open())) {
			v.pick()
		}
		if b := v.current(); b != nil && !b.Open() && (v.pending != nil || v.confirm != 0 || v.note != "") {
			// Closed: what was said about voting on it no longer applies.
			v.pending, v.dirty, v.confirm, v.note = nil, false, 0, ""
		}
		return nil, true
	case voteSavedMsg:
		return v.saved(msg), true
	case tea.KeyMsg:
		return v.key(msg)
	}
	return nil, false
}

func (v *voting) saved(msg voteSavedMsg) tea.Cmd {
	v.inflight = false
	if msg.snap != nil && msg.snap.Seq > v.m.view.Seq() {
		v.m.setSnapshot(msg.snap)
	}
	if msg.err != nil {
		v.note, v.failed = msg.err.Error(), true
		v.pending, v.dirty = nil, false
		return nil
	}
	if v.dirty {
		// The reader changed their dots again while this was saving.
		return v.send()
	}
	v.pending = nil
	if !v.failed {
		// A refusal of a later key press stays in view.
		v.note = v.m.p.T("tui.vote.saved")
	}
	return nil
}

// send saves the draft; one vote is in flight at a time, so that votes are
// committed in the order they were made.
func (v *voting) send() tea.Cmd {
	v.inflight, v.dirty = true, false
	v.note, v.failed = v.m.p.T("tui.vote.saving"), false
	hub, ctx, id, ballot, sent := v.m.hub, v.m.ctx, v.m.identity, v.ballot, maps.Clone(v.pending)
	return func() tea.Msg {
		err := hub.Do(ctx, id, session.CastVote{Ballot: ballot, Dots: sent})
		return voteSavedMsg{sent: sent, err: err, snap: hub.Snapshot()}
	}
}

// change asks for dots on the item under the cursor.
func (v *voting) change(b *session.BallotView, item, dots int) tea.Cmd {
	mine := v.mine()
	have := mine[item]
	spent := 0
	for _, n := range mine {
		spent += n
	}
	switch {
	case dots < 0 || dots == have:
		return nil
	case dots > have && spent-have+dots > b.Dots:
		if left := b.Dots - spent; left > 0 {
			v.note, v.failed = v.m.p.T("tui.vote.only_left", left), true
		} else {
			v.note, v.failed = v.m.p.T("tui.vote.all_spent", b.Dots), true
		}
		return nil
	case b.MaxPerItem > 0 && dots > b.MaxPerItem:
		v.note, v.failed = v.m.p.T("tui.vote.most_per_item", b.MaxPerItem), true
		return nil
	}
	next := maps.Clone(mine)
	if dots == 0 {
		delete(next, item)
	} else {
		next[item] = dots
	}
	v.pending, v.dirty = next, true
	if v.inflight {
		v.note, v.failed = v.m.p.T("tui.vote.saving"), false
		return nil
	}
	return v.send()
}

func (v *voting) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	confirm := v.confirm
	v.confirm = 0
	b := v.current()
	m := v.m
	switch {
	case m.pressed(msg, keyBallots):
		v.cycle(map[bool]int{true: -1, false: 1}[msg.String() == "["])
		return nil, true
	case m.pressed(msg, keySectors):
		v.bySector = !v.bySector
		return nil, true
	case m.pressed(msg, keyOpenVote):
		m.openInput("ballot open ")
		return nil, true
	case m.pressed(msg, keyCloseVot) && b != nil && b.Open():
		if confirm != b.ID {
			v.confirm = b.ID
			v.note, v.failed = m.p.T("tui.vote.confirm_close", b.ID), false
			return nil, true
		}
		id := b.ID
		return m.do(session.CloseBallot{Ballot: id}, func(p *printer, _ *session.View) string { return p.T("tui.vote.closed", id) }), true
	}
	if b == nil {
		return nil, false
	}
	n := len(b.Items)
	if !b.Open() {
		n = 1 << 20 // results rows, by sector too: drawing keeps the cursor on one
	}
	switch {
	case m.pressed(msg, keyUp):
		v.cursor = max(v.cursor-1, 0)
		return nil, true
	case m.pressed(msg, keyDown):
		v.cursor = min(v.cursor+1, n-1)
		return nil, true
	case m.pressed(msg, keyListTop):
		v.cursor = 0
		return nil, true
	case m.pressed(msg, keyListEnd):
		v.cursor = n - 1
		return nil, true
	}
	if !b.Open() {
		return nil, false
	}
	item := b.Items[v.cursor].ID
	have := v.mine()[item]
	switch {
	case m.pressed(msg, keyAddDot):
		return v.change(b, item, have+1), true
	case m.pressed(msg, keyTakeDot):
		return v.change(b, item, have-1), true
	case m.pressed(msg, keySetDots):
		return v.change(b, item, int(msg.Runes[0]-'0')), true
	}
	return nil, false
}

func (v *voting) cycle(by int) {
	bs := v.ballots()
	if len(bs) == 0 {
		return
	}
	at := 0
	for i, b := range bs {
		if b.ID == v.ballot {
			at = i
		}
	}
	v.show(bs[(at+by+len(bs))%len(bs)].ID)
}

func (v *voting) view(width, height int) string {
	s, p := v.m.styles, v.m.p
	b := v.current()
	if b == nil {
		msg := p.T("tui.vote.none")
		if v.m.facilitator() {
			msg = p.T("tui.vote.none_open_one")
		}
		return s.wrap(&s.Muted, width, msg)
	}
	bs := v.ballots()
	head := p.T("tui.vote.ballot", b.ID)
	if b.Title != v.m.view.CurrentStep().Title {
		head = p.T("tui.vote.ballot_titled", b.ID, b.Title)
	}
	status := p.T("tui.vote.open_secret")
	switch {
	case !b.Open():
		status = p.T("tui.vote.closed_final")
	case !b.Secret:
		status = p.T("tui.vote.open_live")
	}
	if len(bs) > 1 {
		status += s.sym.sep + p.T("tui.vote.ballots", len(bs))
	}
	top := []string{s.once(&s.Strong, truncate(head, width)), s.once(&s.Muted, truncate(status, width))}
	if height < 12 {
		// A short screen: one line for both.
		top = []string{s.once(&s.Strong, truncate(head+s.sym.sep+status, width))}
	}

	var bottom []string
	if v.note != "" {
		style := &s.Muted
		if v.failed {
			style = &s.Error
		}
		bottom = append(bottom, strings.Split(s.wrap(style, width, v.note), "\n")...)
	}
	if b.Open() {
		top = append(top, v.budgetLine(b, width))
		if v.m.facilitator() && b.Voters != nil {
			bottom = append(bottom, s.once(&s.OK, truncate(p.T("tui.vote.voters", *b.Voters), width)))
		}
	}
	h := max(height-len(top)-len(bottom), 1)
	var body string
	if b.Open() {
		body = v.items(b, width, h)
	} else {
		body = v.results(b, width, h)
	}
	out := strings.Join(top, "\n") + "\n" + body
	if len(bottom) > 0 {
		out += "\n" + strings.Join(bottom, "\n")
	}
	return out
}

func (v *voting) budgetLine(b *session.BallotView, width int) string {
	s, p := v.m.styles, v.m.p
	spent := 0
	for _, n := range v.mine() {
		spent += n
	}
	line := p.T("tui.vote.budget", b.Dots-spent, catalogue.Msg("count.dots", b.Dots))
	if b.MaxPerItem > 0 {
		line += s.sym.sep + p.T("tui.vote.budget_most", b.MaxPerItem)
	}
	if b.Dots-spent == 0 {
		return s.once(&s.OK, truncate(line+s.sym.sep+p.T("tui.vote.budget_spent"), width))
	}
	return s.once(&s.Strong, truncate(line, width))
}

// items lists the ballot's items with the reader's dots, keeping the
// cursor in view.
func (v *voting) items(b *session.BallotView, width, height int) string {
	s, p := v.m.styles, v.m.p
	mine := v.mine()
	live := b.Results != nil
	dotsW := b.Dots
	if b.MaxPerItem > 0 {
		dotsW = b.MaxPerItem
	}
	dotsW = min(dotsW, 10)
	countW := 0 // the widest count of dots ("12 dots")
	if live {
		countW = 9
		for _, it := range b.Items {
			countW = max(countW, textWidth(p.T("count.dots", *it.Dots)))
		}
	}
	textW := max(width-4-dotsW-3-countW, 10)
	var lines []string
	for i, it := range b.Items {
		marker := "  "
		if i == v.cursor {
			marker = s.markSelected
		}
		n := mine[it.ID]
		dots := strings.Repeat(s.sym.on, min(n, dotsW)) + strings.Repeat(s.sym.off, max(dotsW-n, 0))
		if n > dotsW {
			dots = fmt.Sprintf("%sx%d", s.sym.on, n)
		}
		text := pad(truncate(fmt.Sprintf("%*d. %s", len(fmt.Sprint(len(b.Items))), it.ID, oneLine(it.Text)), textW), textW)
		if i == v.cursor {
			text = s.once(&s.Strong, text)
		} else {
			text = s.text(text)
		}
		line := marker + text + " " + s.once(&s.Selected, pad(dots, dotsW+1))
		if live {
			count := p.T("count.dots", *it.Dots)
			line += s.once(&s.Muted, strings.Repeat(" ", 1+countW-textWidth(count))+count)
		}
		lines = append(lines, line)
	}
	starts := make([]int, len(lines))
	for i := range starts {
		starts[i] = i
	}
	v.cursor = min(v.cursor, len(lines)-1)
	return s.window(v.m.p, lines, starts, v.cursor, v.cursor+1, height)
}

// results draws the ranked results as a horizontal bar chart. The bar
// takes what its length needs to be read, the items' text the rest; on a
// narrow screen the shares give way to the text.
func (v *voting) results(b *session.BallotView, width, height int) string {
	s, p := v.m.styles, v.m.p
	res := b.Results
	if res == nil {
		return s.wrap(&s.Muted, width, p.Text(b.Why))
	}
	summary := p.T("tui.vote.summary", res.Voters, catalogue.Msg("count.dots", res.TotalDots), res.TopK)
	if slices.ContainsFunc(res.Items, func(r session.RankedItemView) bool { return r.Tied }) {
		summary += s.sym.sep + p.T("tui.vote.tie")
	}
	head := strings.Split(s.wrap(&s.Muted, width, summary), "\n")
	most := 0
	for _, it := range res.Items {
		most = max(most, it.Dots)
	}
	wide := width >= 60
	fixed := 2 + 4 + 2 + 1 + 4 // marker, rank, star, space, count
	mine := v.m.view.MyAllocation(b.ID).On
	yours := 7 // the widest of " you N"
	if wide {
		for _, it := range res.Items {
			if d := mine(it.ID); d > 0 {
				yours = max(yours, textWidth(p.T("tui.vote.yours", d))+1)
			}
		}
		fixed += 5 + yours // share, "you N"
	}
	barW := min(max((width-fixed)/3, 4), 30)
	textW := max(width-fixed-barW, 8)
	var lines []string
	var starts []int
	row := func(it session.RankedItemView, dots int, total int, rank bool) {
		marker := "  "
		if len(starts) == v.cursor {
			marker = s.markSelected
		}
		starts = append(starts, len(lines))
		mark := "  "
		style := &s.Prompt
		if it.Top {
			mark, style = s.sym.star+" ", &s.Selected
		}
		n := 0
		if most > 0 {
			n = (dots*barW + most - 1) / most
		}
		label := ""
		if rank {
			label = it.RankLabel()
		}
		line := marker + fmt.Sprintf("%3s ", label) + s.once(style, mark+pad(truncate(oneLine(it.Text), textW), textW)) + " " +
			s.once(style, pad(strings.Repeat(s.sym.bar, n), barW)) + fmt.Sprintf(" %3d", dots)
		if wide {
			share := 0.0
			if total > 0 {
				share = float64(dots) / float64(total) * 100
			}
			line += fmt.Sprintf(" %3.0f%%", share)
			if d := mine(it.ID); d > 0 && rank {
				line += s.once(&s.Muted, " "+p.T("tui.vote.yours", d))
			}
		}
		lines = append(lines, line)
	}
	if !v.bySector {
		for _, it := range res.Items {
			row(it, it.Dots, res.TotalDots, true)
		}
	} else {
		if len(res.Sectors) == 0 && res.SectorsNote == "" {
			lines = append(lines, s.once(&s.Muted, p.T("tui.vote.nobody")))
		}
		for _, sec := range res.Sectors {
			total := 0
			for _, n := range sec.Dots {
				total += n
			}
			lines = append(lines, strings.Split(s.wrap(&s.Strong, width, p.T("tui.vote.sector", sec.Voters, session.GroupName(sec.Sector, sec.Pooled))), "\n")...)
			for _, it := range res.Items {
				if n := sec.Dots[it.ID-1]; n > 0 {
					row(it, n, total, false)
				}
			}
		}
		if !res.SectorsWhy.IsZero() {
			lines = append(lines, strings.Split(s.wrap(&s.Muted, width, p.Text(res.SectorsWhy)), "\n")...)
		}
	}
	if len(starts) > 0 && v.cursor >= len(starts) {
		v.cursor = len(starts) - 1
		return v.results(b, width, height)
	}
	from, to := -1, -1
	if len(starts) > 0 {
		from, to = starts[v.cursor], starts[v.cursor]+1
	}
	return strings.Join(head, "\n") + "\n" + s.window(v.m.p, lines, starts, from, to, max(height-len(head), 1))
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n\n", " / ") }

// pad fills s with spaces to width cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-lipgloss.Width(s)))
}
