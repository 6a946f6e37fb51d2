package command

import (
	"context"
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

// BallotView is a ballot as `ballots --json` shows it. Dots on items and
// Voters are left out while a secret ballot is open (Voters is shown to a
// facilitator); Mine is the viewer's own dots.
type BallotView struct {
	ID         int64            `json:"id"`
	Step       int              `json:"step"`
	Title      string           `json:"title"`
	Status     string           `json:"status"` // open or closed
	Secret     bool             `json:"secret"`
	Dots       int              `json:"dots"`
	MaxPerItem int              `json:"max_per_item"`
	TopK       int              `json:"top_k"`
	Items      []BallotItemView `json:"items"`
	Voters     *int             `json:"voters,omitempty"`
	Spent      int              `json:"spent"`
	Left       int              `json:"left"`
}

// BallotItemView is one item of a ballot.
type BallotItemView struct {
	ID     int                `json:"id"`
	Text   string             `json:"text"`
	Source session.ItemSource `json:"source"`
	Ref    int64              `json:"ref,omitempty"`
	Dots   *int               `json:"dots,omitempty"`
	Mine   int                `json:"mine"`
}

// ViewBallot is how a ballot is shown to the holder of key viewer.
func ViewBallot(snap *session.Snapshot, b *session.Ballot, viewer string) BallotView {
	mine := snap.MyAllocation(b.ID, viewer)
	v := BallotView{ID: b.ID, Step: b.Step, Title: b.Title, Status: "open", Secret: b.Secret, Dots: b.Dots,
		MaxPerItem: b.MaxPerItem, TopK: b.TopK, Items: []BallotItemView{}, Spent: mine.Total(), Left: b.Dots - mine.Total()}
	if !b.Open() {
		v.Status = "closed"
	}
	counts, shown := snap.Counts(b.ID)
	for i, it := range b.Items {
		iv := BallotItemView{ID: it.ID, Text: it.Text, Source: it.Source, Ref: it.Ref, Mine: mine.On(it.ID)}
		if shown {
			n := counts[i]
			iv.Dots = &n
		}
		v.Items = append(v.Items, iv)
	}
	if shown || snap.Forum.RoleOf(viewer) == session.RoleFacilitator {
		n := snap.Voters(b.ID)
		if b.Results != nil {
			n = b.Results.Voters
		}
		v.Voters = &n
	}
	return v
}

func runBallots(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	views := []BallotView{}
	for _, b := range snap.Ballots {
		views = append(views, ViewBallot(snap, b, env.Actor))
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(env.Out, "no ballots yet")
	}
	for _, v := range views {
		fmt.Fprintf(env.Out, "#%d %s (step %d) · %s\n", v.ID, v.Title, v.Step, describeBallot(v))
		for _, it := range v.Items {
			line := fmt.Sprintf("  %2d. %s", it.ID, oneLine(it.Text, 60))
			if it.Dots != nil {
				line += fmt.Sprintf("  [%d dots]", *it.Dots)
			}
			if it.Mine > 0 {
				line += fmt.Sprintf("  (yours: %d)", it.Mine)
			}
			fmt.Fprintln(env.Out, line)
		}
		if v.Status == "open" {
			fmt.Fprintf(env.Out, "  you have spent %d of %d dots\n", v.Spent, v.Dots)
		}
	}
	return nil
}

func describeBallot(v BallotView) string {
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
	mine := env.Hub.Snapshot().MyAllocation(b.ID, env.Actor)
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

// MyVoteView is what `myvote --json` prints.
type MyVoteView struct {
	Ballot int64        `json:"ballot"`
	Status string       `json:"status"`
	Dots   int          `json:"dots"`
	Spent  int          `json:"spent"`
	Left   int          `json:"left"`
	Items  []MyVoteItem `json:"items"`
}

// MyVoteItem is one item the viewer put dots on.
type MyVoteItem struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
	Dots int    `json:"dots"`
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
	mine := snap.MyAllocation(b.ID, env.Actor)
	v := MyVoteView{Ballot: b.ID, Status: "open", Dots: b.Dots, Spent: mine.Total(), Left: b.Dots - mine.Total(), Items: []MyVoteItem{}}
	if !b.Open() {
		v.Status = "closed"
	}
	for _, d := range mine {
		it, _ := b.Item(d.Item)
		v.Items = append(v.Items, MyVoteItem{ID: d.Item, Text: it.Text, Dots: d.Dots})
	}
	if a.set["json"] {
		return writeJSON(env, v)
	}
	fmt.Fprintf(env.Out, "ballot #%d (%s): you have spent %d of %d dots\n", b.ID, v.Status, v.Spent, v.Dots)
	for _, it := range v.Items {
		fmt.Fprintf(env.Out, "  %2d. %s  %s\n", it.ID, oneLine(it.Text, 50), strings.Repeat("●", it.Dots))
	}
	return nil
}

// ResultsView is what `results --json` prints.
type ResultsView struct {
	Ballot int64  `json:"ballot"`
	Title  string `json:"title"`
	Status string `json:"status"`
	// Final is true once the ballot has closed; a live ballot's results
	// may still change.
	Final     bool             `json:"final"`
	Voters    int              `json:"voters"`
	TotalDots int              `json:"total_dots"`
	TopK      int              `json:"top_k"`
	Items     []RankedItemView `json:"items"`
	Sectors   []SectorView     `json:"sectors,omitempty"`
}

// RankedItemView is one item in ranked order. Rank is shared by ties.
type RankedItemView struct {
	Rank  int     `json:"rank"`
	Tied  bool    `json:"tied"`
	Top   bool    `json:"top"`
	ID    int     `json:"id"`
	Text  string  `json:"text"`
	Dots  int     `json:"dots"`
	Share float64 `json:"share"` // of all dots spent, 0..1
}

// SectorView is the part of the results from one sector ("" is people
// who gave none); Dots[i] is on item i+1.
type SectorView struct {
	Sector string `json:"sector"`
	Voters int    `json:"voters"`
	Dots   []int  `json:"dots"`
}

// Results is a ballot's results for display, when they may be shown.
func Results(snap *session.Snapshot, b *session.Ballot) (ResultsView, error) {
	counts, ok := snap.Counts(b.ID)
	if !ok {
		return ResultsView{}, fmt.Errorf("ballot #%d is secret: its tally shows when the facilitator closes it", b.ID)
	}
	v := ResultsView{Ballot: b.ID, Title: b.Title, Status: "open", Final: !b.Open(), TopK: b.TopK, Voters: snap.Voters(b.ID)}
	if b.Results != nil {
		v.Status, v.Voters = "closed", b.Results.Voters
	}
	for _, n := range counts {
		v.TotalDots += n
	}
	for _, r := range session.Rank(b, counts) {
		share := 0.0
		if v.TotalDots > 0 {
			share = float64(r.Dots) / float64(v.TotalDots)
		}
		v.Items = append(v.Items, RankedItemView{Rank: r.Rank, Tied: r.Tied, Top: r.Top, ID: r.Item.ID, Text: r.Item.Text, Dots: r.Dots, Share: share})
	}
	sectors, _ := snap.BySector(b.ID)
	for _, s := range sectors {
		v.Sectors = append(v.Sectors, SectorView{Sector: s.Sector, Voters: s.Voters, Dots: s.Dots})
	}
	return v, nil
}

// RankLabel writes a rank as results show it: "=2" for a tie.
func RankLabel(r RankedItemView) string {
	if r.Tied {
		return fmt.Sprintf("=%d", r.Rank)
	}
	return strconv.Itoa(r.Rank)
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
	v, err := Results(snap, b)
	if err != nil {
		if snap.Forum.RoleOf(env.Actor) == session.RoleFacilitator {
			return fmt.Errorf("%v; %s so far", err, session.Count(snap.Voters(b.ID), "person has voted", "people have voted"))
		}
		return err
	}
	if !a.set["by-sector"] {
		v.Sectors = nil
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
		fmt.Fprintf(env.Out, "%4s %s %-40s %-20s %3d %3.0f%%\n", RankLabel(it), mark, oneLine(it.Text, 40), bar, it.Dots, it.Share*100)
	}
	if a.set["by-sector"] {
		for _, s := range v.Sectors {
			name := s.Sector
			if name == "" {
				name = "No sector given"
			}
			fmt.Fprintf(env.Out, "\n%s (%d voted)\n", name, s.Voters)
			for _, it := range v.Items {
				if n := s.Dots[it.ID-1]; n > 0 {
					fmt.Fprintf(env.Out, "  %2d. %-40s %3d\n", it.ID, oneLine(it.Text, 40), n)
				}
			}
		}
	}
	return nil
}
