package command

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"moot/session"
)

func init() {
	register(
		&spec{name: "say", args: "TEXT [--anon]", summary: "post a card on the dialogue step", flags: map[string]bool{"anon": false}, textAfter: map[string]int{"": 0}, run: runSay},
		&spec{name: "cards", args: "[--json] [--theme T] [--step N] [--hidden] [--table T]", summary: "list the cards of a step, by theme (--table: one table's)", flags: map[string]bool{"json": false, "theme": true, "step": true, "hidden": false, "table": true}, text: map[string]bool{"theme": true, "table": true}, run: runCards},
		&spec{name: "card", args: "edit ID TEXT|withdraw ID", summary: "change or take back your own card while its step is open", textAfter: map[string]int{"edit": 2}, run: runCard},
		&spec{name: "themes", args: "[--json]", summary: "list the themes", flags: map[string]bool{"json": false}, run: runThemes},
		&spec{name: "theme", args: "add NAME|rename T NAME|order T POS|agree T [--undo]|assign T|none CARD...", summary: "manage themes and put cards under them", facilitator: true, flags: map[string]bool{"undo": false}, textAfter: map[string]int{"add": 1, "rename": 2, "agree": 1}, run: runTheme},
		&spec{name: "merge", args: "CARD CARD...", summary: "merge duplicate cards into the first, crediting every author", facilitator: true, run: runMerge},
		&spec{name: "hide", args: "CARD --reason R", summary: "hide a card from every screen and report", facilitator: true, flags: map[string]bool{"reason": true}, text: map[string]bool{"reason": true}, run: runHide},
		&spec{name: "restore", args: "CARD", summary: "bring back a hidden card", facilitator: true, run: runRestore},
		&spec{name: "park", args: "CARD [--undo]", summary: "move a card to the parking lot (or back)", facilitator: true, flags: map[string]bool{"undo": false}, run: runPark},
		&spec{name: "hand", args: "up|down", summary: "raise or lower your hand to speak", run: runHand},
		&spec{name: "hands", args: "[--json]", summary: "the queue of raised hands, in order", flags: map[string]bool{"json": false}, run: runHands},
		&spec{name: "next-speaker", args: "[--table T]", summary: "call the first person in the queue to speak (a table's reporter: at the table)", flags: map[string]bool{"table": true}, text: map[string]bool{"table": true}, run: runNextSpeaker},
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
		return nil, fmt.Errorf("no theme #%d", id)
	}
	// A name is compared as it is stored: cleaned.
	for _, name := range []string{session.CleanLine(ref), session.CleanLine(unquote(ref))} {
		for _, t := range snap.Themes {
			if strings.EqualFold(t.Name, name) {
				return t, nil
			}
		}
	}
	return nil, fmt.Errorf("no theme %q (see: themes)", session.CleanLine(ref))
}

func cardID(a *args, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, a.usageErr("%q is not a card number", session.CleanLine(s))
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

// do runs a command through the Hub and prints what it did.
func do(ctx context.Context, env Env, cmd session.Command, format string, v ...any) error {
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	fmt.Fprintf(env.Out, format+"\n", v...)
	return nil
}

func runSay(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	text, err := a.needText("say what: say TEXT")
	if err != nil {
		return err
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.AddCard{Text: text, Anonymous: a.set["anon"]})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Out, "saved: card #%d\n", events[0].(session.CardChanged).Card.ID)
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
			return a.usageErr("--step takes a step number from 1 to %d", len(snap.Forum.Steps))
		}
		step = n
	} else if snap.CurrentStep() == nil {
		return fmt.Errorf("the forum is not on a step; say which (--step N)")
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
			return session.Forbidden("cards --hidden: only a facilitator can see hidden cards")
		}
		cards = v.HiddenCards(step)
	}
	if a.set["table"] {
		t, err := FindTable(v, a.value["table"])
		if err != nil {
			return err
		}
		if !v.SeesTable(t.ID) {
			return session.Forbidden(fmt.Sprintf("cards --table: you read only your own table's cards, not %s's", t.Name))
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
		fmt.Fprintln(env.Out, "no cards")
		return nil
	}
	group := ""
	for _, v := range views {
		g := "No theme"
		switch {
		case v.Status == session.CardHidden:
			g = "Hidden"
		case v.Parked:
			g = "Parking lot"
		case v.Theme != nil:
			g = fmt.Sprintf("%s (#%d)", v.Theme.Name, v.Theme.ID)
		}
		if g != group {
			fmt.Fprintln(env.Out, g)
			group = g
		}
		fmt.Fprintf(env.Out, "  #%-4d %s\n", v.ID, cardLine(v))
	}
	return nil
}

func cardLine(v session.CardView) string {
	who := v.Author
	if v.Anonymous {
		who = "anonymous"
	} else if len(v.Credits) > 1 {
		who = strings.Join(v.Credits, ", ")
	}
	line := who + ": " + strings.ReplaceAll(v.Text, "\n\n", " / ")
	if v.Reason != "" {
		line += " [hidden: " + v.Reason + "]"
	}
	return line
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
		text, err := a.needText("edit needs the new text")
		if err != nil {
			return err
		}
		return do(ctx, env, session.EditCard{ID: id, Text: text}, "saved: card #%d edited", id)
	case "withdraw":
		return do(ctx, env, session.WithdrawCard{ID: id}, "card #%d withdrawn", id)
	}
	return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
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
		fmt.Fprintln(env.Out, "no themes yet")
	}
	for _, v := range views {
		agreed := ""
		if v.Agreed {
			agreed = " [agreed]"
		}
		fmt.Fprintf(env.Out, "%d. %s (#%d, %d cards)%s\n", v.Position, v.Name, v.ID, v.Cards, agreed)
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
		name, err := a.needText("add needs the theme's name")
		if err != nil {
			return err
		}
		if err := env.Hub.Do(ctx, env.Actor, session.AddTheme{Name: name}); err != nil {
			return err
		}
		// A new theme goes at the end.
		themes := env.Hub.Snapshot().Themes
		t := themes[len(themes)-1]
		fmt.Fprintf(env.Out, "theme #%d added: %s\n", t.ID, t.Name)
		return nil
	}
	if verb == "assign" && len(a.pos) > 1 && strings.EqualFold(a.pos[1], "none") {
		ids, err := cardIDs(a, a.pos[2:])
		if err != nil {
			return err
		}
		return do(ctx, env, session.AssignCards{Cards: ids}, "%s no theme now", session.Count(len(ids), "card has", "cards have"))
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
		return a.usageErr("agree needs a theme")
	}
	t, err := FindTheme(snap, ref)
	if err != nil {
		return err
	}
	rest := a.pos[min(2, len(a.pos)):]
	switch verb {
	case "rename":
		if len(rest) != 0 {
			return a.usageErr("too many arguments")
		}
		name, err := a.needText("rename needs the new name")
		if err != nil {
			return err
		}
		return do(ctx, env, session.RenameTheme{Theme: t.ID, Name: name}, "theme #%d renamed", t.ID)
	case "order":
		if len(rest) != 1 {
			return a.usageErr("order needs one position")
		}
		p, err := strconv.Atoi(rest[0])
		if err != nil {
			return a.usageErr("%q is not a position", session.CleanLine(rest[0]))
		}
		return do(ctx, env, session.MoveTheme{Theme: t.ID, Position: p}, "theme #%d is now number %d", t.ID, p)
	case "agree":
		if a.set["undo"] {
			return do(ctx, env, session.AgreeTheme{Theme: t.ID}, "theme #%d is no longer marked agreed", t.ID)
		}
		return do(ctx, env, session.AgreeTheme{Theme: t.ID, Agreed: true}, "theme #%d marked agreed", t.ID)
	case "assign":
		ids, err := cardIDs(a, rest)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return a.usageErr("assign needs card numbers")
		}
		return do(ctx, env, session.AssignCards{Theme: t.ID, Cards: ids}, "%s under %s", session.Count(len(ids), "card", "cards"), t.Name)
	}
	return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
}

func runMerge(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, -1); err != nil {
		return err
	}
	ids, err := cardIDs(a, a.pos)
	if err != nil {
		return err
	}
	return do(ctx, env, session.MergeCards{Into: ids[0], From: ids[1:]}, "merged into card #%d", ids[0])
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
		return a.usageErr("say why (--reason)")
	}
	return do(ctx, env, session.HideCard{ID: id, Reason: reason}, "card #%d hidden", id)
}

func runRestore(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := cardID(a, a.pos[0])
	if err != nil {
		return err
	}
	return do(ctx, env, session.RestoreCard{ID: id}, "card #%d restored", id)
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
		return do(ctx, env, session.ParkCard{ID: id}, "card #%d is out of the parking lot", id)
	}
	return do(ctx, env, session.ParkCard{ID: id, Parked: true}, "card #%d parked", id)
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
		fmt.Fprintf(env.Out, "your hand is up: number %d in the queue\n", env.Hub.Snapshot().ViewFor(env.Actor).MyHand())
		return nil
	case "down":
		return do(ctx, env, session.RaiseHand{}, "your hand is down")
	}
	return a.usageErr("up or down, not %q", session.CleanLine(a.pos[0]))
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
		fmt.Fprintf(env.Out, "speaking: %s\n", name)
	}
	if len(views) == 0 {
		fmt.Fprintln(env.Out, "no hands up")
	}
	for _, h := range views {
		fmt.Fprintf(env.Out, "%d. %s, waiting %s\n", h.Position, h.Name, session.Waited(time.Duration(h.WaitingSeconds)*time.Second))
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
	fmt.Fprintf(env.Out, "%s has the floor\n", called.Name)
	return nil
}
