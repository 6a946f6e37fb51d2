package command

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	register(
		&spec{name: "say", args: "TEXT [--anon]", summary: "command.say.summary", flags: map[string]bool{"anon": false}, textAfter: map[string]int{"": 0}, run: runSay},
		&spec{name: "cards", args: "[--json] [--theme T] [--step N] [--hidden] [--table T]", summary: "command.cards.summary", flags: map[string]bool{"json": false, "theme": true, "step": true, "hidden": false, "table": true}, text: map[string]bool{"theme": true, "table": true}, run: runCards},
		&spec{name: "card", args: "edit ID TEXT|withdraw ID", summary: "command.card.summary", textAfter: map[string]int{"edit": 2}, run: runCard},
		&spec{name: "themes", args: "[--json]", summary: "command.themes.summary", flags: map[string]bool{"json": false}, run: runThemes},
		&spec{name: "theme", args: "add NAME|rename T NAME|order T POS|agree T [--undo]|assign T|none CARD...", summary: "command.theme.summary", facilitator: true, flags: map[string]bool{"undo": false}, textAfter: map[string]int{"add": 1, "rename": 2, "agree": 1}, run: runTheme},
		&spec{name: "merge", args: "CARD CARD...", summary: "command.merge.summary", facilitator: true, run: runMerge},
		&spec{name: "hide", args: "CARD --reason R", summary: "command.hide.summary", facilitator: true, flags: map[string]bool{"reason": true}, text: map[string]bool{"reason": true}, run: runHide},
		&spec{name: "restore", args: "CARD", summary: "command.restore.summary", facilitator: true, run: runRestore},
		&spec{name: "park", args: "CARD [--undo]", summary: "command.park.summary", facilitator: true, flags: map[string]bool{"undo": false}, run: runPark},
		&spec{name: "hand", args: "up|down", summary: "command.hand.summary", run: runHand},
		&spec{name: "hands", args: "[--json]", summary: "command.hands.summary", flags: map[string]bool{"json": false}, run: runHands},
		&spec{name: "next-speaker", args: "[--table T]", summary: "command.next_speaker.summary", flags: map[string]bool{"table": true}, text: map[string]bool{"table": true}, run: runNextSpeaker},
	)
}

func themeByID(snap *session.Snapshot, id int64) *session.Theme {
	for _, t := range snap.Themes {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// FindTheme reads a theme written as a number (#3 or 3) or a name, in any
// letter case, in quotes or not.
func FindTheme(snap *session.Snapshot, ref string) (*session.Theme, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		if t := themeByID(snap, id); t != nil {
			return t, nil
		}
		return nil, catalogue.Err("session.theme.no_such", id)
	}
	// A name is compared as it is stored: cleaned.
	for _, name := range []string{session.CleanLine(ref), session.CleanLine(unquote(ref))} {
		for _, t := range snap.Themes {
			if strings.EqualFold(t.Name, name) {
				return t, nil
			}
		}
	}
	return nil, catalogue.Err("command.theme.no_such", session.CleanLine(ref))
}

func cardID(a *args, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, a.usageErr("command.card.not_a_number", session.CleanLine(s))
	}
	return id, nil
}

func cardIDs(a *args, words []string) ([]int64, error) {
	ids := make([]int64, 0, len(words))
	for _, w := range words {
		id, err := cardID(a, w)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// do runs a command through the Hub and says what it did: the
// catalogue's message of key with args.
func do(ctx context.Context, env Env, cmd session.Command, key string, args ...any) error {
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	env.say(key, args...)
	return nil
}

func runSay(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	text, err := a.needText("command.say.missing")
	if err != nil {
		return err
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.AddCard{Text: text, Anonymous: a.set["anon"]})
	if err != nil {
		return err
	}
	env.say("command.say.saved", events[0].(session.CardChanged).Card.ID)
	return nil
}

func runCards(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	step := snap.Step
	if a.set["step"] {
		n, err := strconv.Atoi(a.value["step"])
		if err != nil || n < 1 || n > len(snap.Forum.Steps) {
			return a.usageErr("command.step_flag", len(snap.Forum.Steps))
		}
		step = n
	} else if snap.CurrentStep() == nil {
		return catalogue.Err("command.cards.which_step")
	}
	var theme *session.Theme
	if a.set["theme"] {
		t, err := FindTheme(snap, a.value["theme"])
		if err != nil {
			return err
		}
		theme = t
	}
	v := snap.ViewFor(env.Actor)
	cards := v.StepCards(step)
	if a.set["hidden"] {
		if !v.Facilitator() {
			return session.Forbidden("command.cards.hidden_only")
		}
		cards = v.HiddenCards(step)
	}
	if a.set["table"] {
		t, err := FindTable(v, a.value["table"])
		if err != nil {
			return err
		}
		if !v.SeesTable(t.ID) {
			return session.Forbidden("command.cards.own_table_only", t.Name)
		}
		cards = v.TableCards(step, t.ID)
	}
	views := []session.CardView{}
	for _, c := range cards {
		if theme == nil || (c.Theme != nil && c.Theme.ID == theme.ID) {
			views = append(views, v.Card(c))
		}
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		env.say("command.cards.none")
		return nil
	}
	p := env.printer()
	group := ""
	for _, v := range views {
		g := p.T("command.group.no_theme")
		switch {
		case v.Status == session.CardHidden:
			g = p.T("command.group.hidden")
		case v.Parked:
			g = p.T("command.group.parking_lot")
		case v.Theme != nil:
			g = p.T("command.group.theme", v.Theme.Name, v.Theme.ID)
		}
		if g != group {
			fmt.Fprintln(env.Out, g)
			group = g
		}
		fmt.Fprintln(env.Out, cardLine(p, v))
	}
	return nil
}

// cardLine is a card as a list of cards shows it, with who wrote it.
func cardLine(p *catalogue.Printer, v session.CardView) string {
	id := fmt.Sprintf("%-4d", v.ID)
	who := any(v.Author)
	if v.Anonymous {
		who = catalogue.Msg("command.card.anonymous")
	} else if len(v.Credits) > 1 {
		who = catalogue.Commas(toAny(v.Credits))
	}
	if v.Reason != "" {
		return p.T("command.card.row_hidden", id, who, flat(v.Text), v.Reason)
	}
	return p.T("command.card.row", id, who, flat(v.Text))
}

// toAny is strings as a message's list takes them.
func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func runCard(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, 2); err != nil {
		return err
	}
	id, err := cardID(a, a.pos[1])
	if err != nil {
		return err
	}
	switch strings.ToLower(a.pos[0]) {
	case "edit":
		text, err := a.needText("command.card.edit_missing")
		if err != nil {
			return err
		}
		return do(ctx, env, session.EditCard{ID: id, Text: text}, "command.card.edited", id)
	case "withdraw":
		return do(ctx, env, session.WithdrawCard{ID: id}, "command.card.withdrawn", id)
	}
	return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
}

func runThemes(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	views := env.Hub.Snapshot().ViewFor(env.Actor).Themes()
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		env.say("command.themes.none")
	}
	for _, v := range views {
		if v.Agreed {
			env.say("command.themes.row_agreed", v.Position, v.Name, v.ID, catalogue.Msg("count.cards", v.Cards))
		} else {
			env.say("command.themes.row", v.Position, v.Name, v.ID, catalogue.Msg("count.cards", v.Cards))
		}
	}
	return nil
}

func runTheme(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, -1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	verb := strings.ToLower(a.pos[0])
	if verb == "add" {
		if err := a.want(1, 1); err != nil {
			return err
		}
		name, err := a.needText("command.theme.add_missing")
		if err != nil {
			return err
		}
		if err := env.Hub.Do(ctx, env.Actor, session.AddTheme{Name: name}); err != nil {
			return err
		}
		// A new theme goes at the end.
		themes := env.Hub.Snapshot().Themes
		t := themes[len(themes)-1]
		env.say("command.theme.added", t.ID, t.Name)
		return nil
	}
	if verb == "assign" && len(a.pos) > 1 && strings.EqualFold(a.pos[1], "none") {
		ids, err := cardIDs(a, a.pos[2:])
		if err != nil {
			return err
		}
		return do(ctx, env, session.AssignCards{Cards: ids}, "command.theme.unassigned", len(ids))
	}
	// The theme is a word, in quotes if its name has spaces, except after
	// agree, where nothing follows it and it is the rest of the line.
	ref := a.text
	if verb != "agree" {
		if err := a.want(2, -1); err != nil {
			return err
		}
		ref = a.pos[1]
	} else if err := a.want(1, 1); err != nil {
		return err
	} else if ref == "" {
		return a.usageErr("command.theme.agree_missing")
	}
	t, err := FindTheme(snap, ref)
	if err != nil {
		return err
	}
	rest := a.pos[min(2, len(a.pos)):]
	switch verb {
	case "rename":
		if len(rest) != 0 {
			return a.usageErr("command.too_many_arguments")
		}
		name, err := a.needText("command.theme.rename_missing")
		if err != nil {
			return err
		}
		return do(ctx, env, session.RenameTheme{Theme: t.ID, Name: name}, "command.theme.renamed", t.ID)
	case "order":
		if len(rest) != 1 {
			return a.usageErr("command.order.one_position")
		}
		p, err := strconv.Atoi(rest[0])
		if err != nil {
			return a.usageErr("command.order.not_a_position", session.CleanLine(rest[0]))
		}
		return do(ctx, env, session.MoveTheme{Theme: t.ID, Position: p}, "command.theme.ordered", t.ID, p)
	case "agree":
		if a.set["undo"] {
			return do(ctx, env, session.AgreeTheme{Theme: t.ID}, "command.theme.unagreed", t.ID)
		}
		return do(ctx, env, session.AgreeTheme{Theme: t.ID, Agreed: true}, "command.theme.agreed", t.ID)
	case "assign":
		ids, err := cardIDs(a, rest)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return a.usageErr("command.theme.assign_missing")
		}
		return do(ctx, env, session.AssignCards{Theme: t.ID, Cards: ids}, "command.theme.assigned", len(ids), t.Name)
	}
	return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
}

func runMerge(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, -1); err != nil {
		return err
	}
	ids, err := cardIDs(a, a.pos)
	if err != nil {
		return err
	}
	return do(ctx, env, session.MergeCards{Into: ids[0], From: ids[1:]}, "command.merge.done", ids[0])
}

func runHide(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := cardID(a, a.pos[0])
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(a.value["reason"])
	if reason == "" {
		return a.usageErr("command.hide.why")
	}
	return do(ctx, env, session.HideCard{ID: id, Reason: reason}, "command.hide.done", id)
}

func runRestore(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := cardID(a, a.pos[0])
	if err != nil {
		return err
	}
	return do(ctx, env, session.RestoreCard{ID: id}, "command.restore.done", id)
}

func runPark(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := cardID(a, a.pos[0])
	if err != nil {
		return err
	}
	if a.set["undo"] {
		return do(ctx, env, session.ParkCard{ID: id}, "command.park.undone", id)
	}
	return do(ctx, env, session.ParkCard{ID: id, Parked: true}, "command.park.done", id)
}

func runHand(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	switch strings.ToLower(a.pos[0]) {
	case "up":
		if err := env.Hub.Do(ctx, env.Actor, session.RaiseHand{Raise: true}); err != nil {
			return err
		}
		env.say("command.hand.up", env.Hub.Snapshot().ViewFor(env.Actor).MyHand())
		return nil
	case "down":
		return do(ctx, env, session.RaiseHand{}, "command.hand.down")
	}
	return a.usageErr("command.hand.no_such", session.CleanLine(a.pos[0]))
}

func runHands(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	now := time.Now()
	views := []session.HandView{}
	for _, h := range v.Hands() {
		views = append(views, v.Hand(h, now))
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if name := v.Speaker(); name != "" {
		env.say("command.hands.speaking", name)
	}
	if len(views) == 0 {
		env.say("command.hands.none")
	}
	for _, h := range views {
		env.say("command.hands.row", h.Position, h.Name, session.WaitedText(time.Duration(h.WaitingSeconds)*time.Second))
	}
	return nil
}

func runNextSpeaker(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	c := session.CallNextSpeaker{}
	if a.set["table"] {
		t, err := FindTable(env.Hub.Snapshot().ViewFor(env.Actor), a.value["table"])
		if err != nil {
			return err
		}
		c.Table = t.ID
	}
	events, err := env.Hub.Apply(ctx, env.Actor, c)
	if err != nil {
		return err
	}
	called, _ := env.Hub.Snapshot().Participant(events[0].(session.HandLowered).ID)
	env.say("command.next_speaker.done", called.Name)
	return nil
}
