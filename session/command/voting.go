package command

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	register(
		&spec{name: "ballot", args: "open [--cards STEP] [--theme T]... [--item TEXT]... [--agenda] [--title T] [--dots N] [--max N] [--top N] [--live]|close ID",
			summary: "command.ballot.summary", facilitator: true,
			flags: map[string]bool{"cards": true, "theme": true, "item": true, "agenda": false, "title": true,
				"dots": true, "max": true, "top": true, "live": false, "secret": false},
			text: map[string]bool{"item": true, "title": true, "theme": true},
			run:  runBallot},
		&spec{name: "ballots", args: "[--json]", summary: "command.ballots.summary", flags: map[string]bool{"json": false}, run: runBallots},
		&spec{name: "vote", args: "BALLOT ITEM=DOTS [ITEM=DOTS...]|BALLOT --clear", summary: "command.vote.summary", flags: map[string]bool{"clear": false}, run: runVote},
		&spec{name: "myvote", args: "BALLOT [--json]", summary: "command.myvote.summary", flags: map[string]bool{"json": false}, run: runMyVote},
		&spec{name: "results", args: "BALLOT [--json] [--by-sector]", summary: "command.results.summary", flags: map[string]bool{"json": false, "by-sector": false}, run: runResults},
	)
}

func ballotArg(a *args, snap *session.Snapshot, s string) (*session.Ballot, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return nil, a.usageErr("command.ballot.not_a_number", session.CleanLine(s))
	}
	b, ok := snap.Ballot(id)
	if !ok {
		return nil, catalogue.Err("session.ballot.no_such", id)
	}
	return b, nil
}

func intFlag(a *args, name string, min int) (int, error) {
	if !a.set[name] {
		return 0, nil
	}
	n, err := strconv.Atoi(a.value[name])
	if err != nil || n < min {
		return 0, a.usageErr("command.flag.whole_number", name, min)
	}
	return n, nil
}

func runBallot(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, -1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	switch strings.ToLower(a.pos[0]) {
	case "close":
		if err := a.want(1, 2); err != nil {
			return err
		}
		var b *session.Ballot
		if len(a.pos) == 2 {
			var err error
			if b, err = ballotArg(a, snap, a.pos[1]); err != nil {
				return err
			}
		} else {
			var open []*session.Ballot
			for _, b := range snap.Ballots {
				if b.Open() {
					open = append(open, b)
				}
			}
			if len(open) != 1 {
				return a.usageErr("command.ballot.which")
			}
			b = open[0]
		}
		if err := env.Hub.Do(ctx, env.Actor, session.CloseBallot{Ballot: b.ID}); err != nil {
			return err
		}
		env.say("command.ballot.closed", b.ID, b.ID)
		return nil
	case "open":
	default:
		return a.usageErr("command.open_or_close", session.CleanLine(a.pos[0]))
	}
	texts := a.values["item"]
	if len(a.pos) != 1 {
		return a.usageErr("command.ballot.item_flag")
	}
	c := session.OpenBallot{Title: a.value["title"], Texts: texts, Agenda: a.set["agenda"]}
	var err error
	if c.Dots, err = intFlag(a, "dots", 1); err != nil {
		return err
	}
	if c.MaxPerItem, err = intFlag(a, "max", 0); err != nil {
		return err
	}
	if c.TopK, err = intFlag(a, "top", 1); err != nil {
		return err
	}
	if a.set["live"] && a.set["secret"] {
		return a.usageErr("command.ballot.live_or_secret")
	}
	if a.set["live"] || a.set["secret"] {
		secret := a.set["secret"]
		c.Secret = &secret
	}
	if a.set["cards"] {
		n, err := strconv.Atoi(a.value["cards"])
		if err != nil || n < 1 {
			return a.usageErr("command.ballot.cards_flag")
		}
		c.FromStep = n
	}
	for _, ref := range a.values["theme"] {
		// One theme (whose name may hold commas), else a list: 1,3.
		if t, err := FindTheme(snap, ref); err == nil {
			c.Themes = append(c.Themes, t.ID)
			continue
		}
		for _, one := range strings.Split(ref, ",") {
			t, err := FindTheme(snap, one)
			if err != nil {
				return err
			}
			c.Themes = append(c.Themes, t.ID)
		}
	}
	if c.FromStep == 0 && len(c.Texts) == 0 && !c.Agenda {
		// Nothing named: the agenda's items for this step if it lists
		// any, else the cards of the nearest dialogue step before it.
		if st := snap.CurrentStep(); st != nil && st.Ballot != nil && len(st.Ballot.Items) > 0 {
			c.Agenda = true
		} else {
			for i := snap.Step - 1; i >= 1; i-- {
				if snap.Forum.Steps[i-1].Phase == session.Dialogue {
					c.FromStep = i
					break
				}
			}
		}
	}
	events, err := env.Hub.Apply(ctx, env.Actor, c)
	if err != nil {
		return err
	}
	b := events[0].(session.BallotOpened).Ballot
	if b.Secret {
		env.say("command.ballot.opened_secret", b.ID, catalogue.Msg("count.items", len(b.Items)), catalogue.Msg("count.dots", b.Dots))
	} else {
		env.say("command.ballot.opened_live", b.ID, catalogue.Msg("count.items", len(b.Items)), catalogue.Msg("count.dots", b.Dots))
	}
	return nil
}

func runBallots(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	views := []session.BallotView{}
	for _, b := range v.Ballots() {
		views = append(views, v.Ballot(b))
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		env.say("command.ballots.none")
	}
	p := env.printer()
	for _, b := range views {
		env.say("command.ballots.heading", b.ID, b.Title, b.Step, describeBallot(p, b))
		for _, it := range b.Items {
			line := p.T("command.item", fmt.Sprintf("%2d", it.ID), oneLine(it.Text, 60))
			if it.Dots != nil {
				line += p.T("command.ballots.item_dots", catalogue.Msg("count.dots", *it.Dots))
			}
			if it.Mine != nil && *it.Mine > 0 {
				line += p.T("command.ballots.item_yours", *it.Mine)
			}
			fmt.Fprintln(env.Out, line)
		}
		if b.Open() && b.Spent != nil {
			env.say("command.ballots.spent", *b.Spent, catalogue.Msg("count.dots", b.Dots))
		}
		if b.Withheld != "" && !b.Open() {
			env.say("command.indented", b.Why)
		}
	}
	return nil
}

// describeBallot is a ballot's state and rules, in a line.
func describeBallot(p *catalogue.Printer, v session.BallotView) string {
	parts := []string{p.Text(statusWord(v.Status))}
	if v.Secret {
		parts = append(parts, p.T("command.secret"))
	} else {
		parts = append(parts, p.T("command.live"))
	}
	rule := p.T("command.ballot.dots_each", catalogue.Msg("count.dots", v.Dots))
	if v.MaxPerItem > 0 {
		rule = p.T("command.ballot.dots_each_capped", catalogue.Msg("count.dots", v.Dots), v.MaxPerItem)
	}
	parts = append(parts, rule, p.T("command.ballot.top", v.TopK))
	if v.Voters != nil {
		parts = append(parts, p.T("command.voted", *v.Voters))
	}
	return joinParts(p, parts)
}

// joinParts joins the parts of a line as lists of rules are: by " · " on a
// screen, by commas when read aloud.
func joinParts(p *catalogue.Printer, parts []string) string {
	return strings.Join(parts, p.T("command.sep.parts"))
}

// statusWord is how a message names a ballot's or a poll's state.
func statusWord(status string) catalogue.Text {
	if status == "open" {
		return catalogue.Msg("command.state.open")
	}
	return catalogue.Msg("command.state.closed")
}

func oneLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\n\n", " / ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// ParseVote reads ITEM=DOTS pairs.
func parseVote(a *args, pairs []string) (map[int]int, error) {
	dots := map[int]int{}
	for _, p := range pairs {
		is, ds, ok := strings.Cut(p, "=")
		item, ierr := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(is), "#"))
		n, derr := strconv.Atoi(strings.TrimSpace(ds))
		if !ok || ierr != nil || derr != nil {
			return nil, a.usageErr("command.vote.pair", session.CleanLine(p))
		}
		if n < 0 {
			return nil, a.usageErr("command.vote.negative", session.CleanLine(p))
		}
		if _, dup := dots[item]; dup {
			return nil, a.usageErr("command.vote.twice", item)
		}
		dots[item] = n
	}
	return dots, nil
}

func runVote(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, -1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	b, err := ballotArg(a, snap, a.pos[0])
	if err != nil {
		return err
	}
	pairs := a.pos[1:]
	switch {
	case a.set["clear"] && len(pairs) > 0:
		return a.usageErr("command.vote.clear_alone")
	case !a.set["clear"] && len(pairs) == 0:
		return a.usageErr("command.vote.missing")
	}
	dots, err := parseVote(a, pairs)
	if err != nil {
		return err
	}
	if err := env.Hub.Do(ctx, env.Actor, session.CastVote{Ballot: b.ID, Dots: dots}); err != nil {
		return err
	}
	mine := env.Hub.Snapshot().ViewFor(env.Actor).MyAllocation(b.ID)
	if len(mine) == 0 {
		env.say("command.vote.saved_none", b.ID, b.Dots)
		return nil
	}
	var on []string
	for _, d := range mine {
		on = append(on, fmt.Sprintf("%d=%d", d.Item, d.Dots))
	}
	env.say("command.vote.saved", b.ID, strings.Join(on, " "), mine.Total(), catalogue.Msg("count.dots", b.Dots), b.Dots-mine.Total())
	return nil
}

func runMyVote(_ context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	b, err := ballotArg(a, snap, a.pos[0])
	if err != nil {
		return err
	}
	view := snap.ViewFor(env.Actor)
	bv, _ := view.FindBallot(b.ID)
	v := view.MyVote(bv)
	if a.set["json"] {
		return writeJSON(env, v)
	}
	env.say("command.myvote.heading", b.ID, statusWord(v.Status), v.Spent, catalogue.Msg("count.dots", v.Dots))
	p := env.printer()
	for _, it := range v.Items {
		// Read aloud, dots drawn as ● would be a string of symbols.
		var dots any = strings.Repeat("●", it.Dots)
		if p.IsSpoken() {
			dots = catalogue.Msg("count.dots", it.Dots)
		}
		env.say("command.myvote.item", fmt.Sprintf("%2d", it.ID), oneLine(it.Text, 50), dots)
	}
	return nil
}

func runResults(_ context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	b, err := ballotArg(a, snap, a.pos[0])
	if err != nil {
		return err
	}
	view := snap.ViewFor(env.Actor)
	bv, _ := view.FindBallot(b.ID)
	if bv.Results == nil {
		switch {
		case bv.Open() && bv.Secret && bv.Voters != nil:
			return catalogue.Err("command.results.secret_voted", *bv.Voters, b.ID)
		case bv.Open() && bv.Secret:
			return catalogue.Err("command.results.secret", b.ID)
		}
		return catalogue.Err("command.results.withheld", b.ID, bv.Why)
	}
	v := *bv.Results
	if !a.set["by-sector"] {
		v.Sectors, v.SectorsNote, v.SectorsWhy = nil, "", catalogue.Text{}
	}
	if a.set["json"] {
		return writeJSON(env, v)
	}
	if v.Final {
		env.say("command.results.heading_final", v.Ballot, v.Title, v.Voters, catalogue.Msg("count.dots", v.TotalDots), v.TopK)
	} else {
		env.say("command.results.heading_live", v.Ballot, v.Title, v.Voters, catalogue.Msg("count.dots", v.TotalDots), v.TopK)
	}
	p := env.printer()
	most := 0
	for _, it := range v.Items {
		most = max(most, it.Dots)
	}
	for _, it := range v.Items {
		mark := " "
		if it.Top {
			mark = "*"
		}
		fmt.Fprintf(env.Out, "%4s %s %-40s %-20s %3d %3.0f%%\n", it.RankLabel(), mark, oneLine(it.Text, 40), bar(p, it.Dots, most), it.Dots, it.Share*100)
	}
	if a.set["by-sector"] {
		for _, s := range v.Sectors {
			fmt.Fprintln(env.Out)
			env.say("command.results.sector", session.GroupName(s.Sector, s.Pooled), s.Voters)
			for _, it := range v.Items {
				if n := s.Dots[it.ID-1]; n > 0 {
					fmt.Fprintf(env.Out, "  %2d. %-40s %3d\n", it.ID, oneLine(it.Text, 40), n)
				}
			}
		}
		if !v.SectorsWhy.IsZero() {
			fmt.Fprintln(env.Out)
			fmt.Fprintln(env.Out, p.Text(v.SectorsWhy))
		}
	}
	return nil
}

// bar is a count drawn as a bar of up to 20 blocks beside the largest,
// most; none read aloud, where the count says it.
func bar(p *catalogue.Printer, n, most int) string {
	if most == 0 || p.IsSpoken() {
		return ""
	}
	return strings.Repeat("▇", (n*20+most-1)/most)
}
