package command

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"moot/session"
)

func init() {
	register(
		&spec{name: "ballot", args: "open [--cards STEP] [--theme T]... [--item TEXT]... [--agenda] [--title T] [--dots N] [--max N] [--top N] [--live]|close ID",
			summary: "open a dot vote on this voting step, or close one", facilitator: true,
			flags: map[string]bool{"cards": true, "theme": true, "item": true, "agenda": false, "title": true,
				"dots": true, "max": true, "top": true, "live": false, "secret": false},
			text: map[string]bool{"item": true, "title": true, "theme": true},
			run:  runBallot},
		&spec{name: "ballots", args: "[--json]", summary: "list the ballots, their items and your dots", flags: map[string]bool{"json": false}, run: runBallots},
		&spec{name: "vote", args: "BALLOT ITEM=DOTS [ITEM=DOTS...]|BALLOT --clear", summary: "spend your dots on a ballot (replaces your whole vote)", flags: map[string]bool{"clear": false}, run: runVote},
		&spec{name: "myvote", args: "BALLOT [--json]", summary: "show how you have voted on a ballot", flags: map[string]bool{"json": false}, run: runMyVote},
		&spec{name: "results", args: "BALLOT [--json] [--by-sector]", summary: "the ranked results of a closed (or live) ballot", flags: map[string]bool{"json": false, "by-sector": false}, run: runResults},
	)
}

func ballotArg(a *args, snap *session.Snapshot, s string) (*session.Ballot, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return nil, a.usageErr("%q is not a ballot number", session.CleanLine(s))
	}
	b, ok := snap.Ballot(id)
	if !ok {
		return nil, fmt.Errorf("no ballot #%d (see: ballots)", id)
	}
	return b, nil
}

func intFlag(a *args, name string, min int) (int, error) {
	if !a.set[name] {
		return 0, nil
	}
	n, err := strconv.Atoi(a.value[name])
	if err != nil || n < min {
		return 0, a.usageErr("--%s takes a whole number from %d", name, min)
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
				return a.usageErr("say which ballot to close")
			}
			b = open[0]
		}
		if err := env.Hub.Do(ctx, env.Actor, session.CloseBallot{Ballot: b.ID}); err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "ballot #%d closed; see: results %d\n", b.ID, b.ID)
		return nil
	case "open":
	default:
		return a.usageErr("open or close, not %q", session.CleanLine(a.pos[0]))
	}
	texts := a.values["item"]
	if len(a.pos) != 1 {
		return a.usageErr("put each item after its own --item")
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
		return a.usageErr("a ballot is --live or --secret, not both")
	}
	if a.set["live"] || a.set["secret"] {
		secret := a.set["secret"]
		c.Secret = &secret
	}
	if a.set["cards"] {
		n, err := strconv.Atoi(a.value["cards"])
		if err != nil || n < 1 {
			return a.usageErr("--cards takes the number of a dialogue step")
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
	kind := "secret until it closes"
	if !b.Secret {
		kind = "live: the tally shows as people vote"
	}
	fmt.Fprintf(env.Out, "ballot #%d open: %d items, %d dots each, %s\n", b.ID, len(b.Items), b.Dots, kind)
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
		fmt.Fprintln(env.Out, "no ballots yet")
	}
	for _, b := range views {
		fmt.Fprintf(env.Out, "#%d %s (step %d) · %s\n", b.ID, b.Title, b.Step, describeBallot(b))
		for _, it := range b.Items {
			line := fmt.Sprintf("  %2d. %s", it.ID, oneLine(it.Text, 60))
			if it.Dots != nil {
				line += fmt.Sprintf("  [%d dots]", *it.Dots)
			}
			if it.Mine != nil && *it.Mine > 0 {
				line += fmt.Sprintf("  (yours: %d)", *it.Mine)
			}
			fmt.Fprintln(env.Out, line)
		}
		if b.Open() && b.Spent != nil {
			fmt.Fprintf(env.Out, "  you have spent %d of %d dots\n", *b.Spent, b.Dots)
		}
		if b.Withheld != "" && !b.Open() {
			fmt.Fprintf(env.Out, "  %s\n", b.Withheld)
		}
	}
	return nil
}

func describeBallot(v session.BallotView) string {
	parts := []string{v.Status}
	if v.Secret {
		parts = append(parts, "secret")
	} else {
		parts = append(parts, "live")
	}
	rule := fmt.Sprintf("%d dots each", v.Dots)
	if v.MaxPerItem > 0 {
		rule += fmt.Sprintf(", at most %d on one item", v.MaxPerItem)
	}
	parts = append(parts, rule, fmt.Sprintf("top %d lead", v.TopK))
	if v.Voters != nil {
		parts = append(parts, fmt.Sprintf("%d voted", *v.Voters))
	}
	return strings.Join(parts, " · ")
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
			return nil, a.usageErr("%q: write ITEM=DOTS, e.g. 3=2", session.CleanLine(p))
		}
		if n < 0 {
			return nil, a.usageErr("%q: dots cannot be negative", session.CleanLine(p))
		}
		if _, dup := dots[item]; dup {
			return nil, a.usageErr("item %d is named twice", item)
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
		return a.usageErr("--clear takes no ITEM=DOTS")
	case !a.set["clear"] && len(pairs) == 0:
		return a.usageErr("say where your dots go (ITEM=DOTS), or --clear to take them all back")
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
		fmt.Fprintf(env.Out, "saved: no dots on ballot #%d (%d left)\n", b.ID, b.Dots)
		return nil
	}
	var on []string
	for _, d := range mine {
		on = append(on, fmt.Sprintf("%d=%d", d.Item, d.Dots))
	}
	fmt.Fprintf(env.Out, "saved: ballot #%d %s (%d of %d dots, %d left)\n", b.ID, strings.Join(on, " "), mine.Total(), b.Dots, b.Dots-mine.Total())
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
	fmt.Fprintf(env.Out, "ballot #%d (%s): you have spent %d of %d dots\n", b.ID, v.Status, v.Spent, v.Dots)
	for _, it := range v.Items {
		fmt.Fprintf(env.Out, "  %2d. %s  %s\n", it.ID, oneLine(it.Text, 50), strings.Repeat("●", it.Dots))
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
		if bv.Open() && bv.Secret {
			msg := fmt.Sprintf("ballot #%d is secret: its tally shows when the facilitator closes it", b.ID)
			if bv.Voters != nil {
				msg += fmt.Sprintf("; %s so far", session.Count(*bv.Voters, "person has voted", "people have voted"))
			}
			return errors.New(msg)
		}
		return fmt.Errorf("ballot #%d: %s", b.ID, bv.Withheld)
	}
	v := *bv.Results
	if !a.set["by-sector"] {
		v.Sectors, v.SectorsNote = nil, ""
	}
	if a.set["json"] {
		return writeJSON(env, v)
	}
	state := "final"
	if !v.Final {
		state = "live, still open"
	}
	fmt.Fprintf(env.Out, "Ballot #%d: %s (%s; %d voted, %d dots; top %d marked *)\n", v.Ballot, v.Title, state, v.Voters, v.TotalDots, v.TopK)
	most := 0
	for _, it := range v.Items {
		most = max(most, it.Dots)
	}
	for _, it := range v.Items {
		mark := " "
		if it.Top {
			mark = "*"
		}
		bar := ""
		if most > 0 {
			bar = strings.Repeat("▇", (it.Dots*20+most-1)/most)
		}
		fmt.Fprintf(env.Out, "%4s %s %-40s %-20s %3d %3.0f%%\n", it.RankLabel(), mark, oneLine(it.Text, 40), bar, it.Dots, it.Share*100)
	}
	if a.set["by-sector"] {
		for _, s := range v.Sectors {
			fmt.Fprintf(env.Out, "\n%s · %d voted\n", session.GroupLabel(s.Sector, s.Pooled), s.Voters)
			for _, it := range v.Items {
				if n := s.Dots[it.ID-1]; n > 0 {
					fmt.Fprintf(env.Out, "  %2d. %-40s %3d\n", it.ID, oneLine(it.Text, 40), n)
				}
			}
		}
		if v.SectorsNote != "" {
			fmt.Fprintf(env.Out, "\n%s\n", v.SectorsNote)
		}
	}
	return nil
}
