package command

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"moot/session"
)

func init() {
	register(
		&spec{name: "tables", args: "[--json] [--all]|make [COUNT] [--size N] [--name NAME]... [--by-sector]",
			summary: "the tables, who sits where, and their activity (facilitators: make them)",
			flags:   map[string]bool{"json": false, "all": false, "size": true, "name": true, "by-sector": false},
			text:    map[string]bool{"name": true}, run: runTables},
		&spec{name: "table", args: "move NAME --to TABLE|reporter [NAME] [--table TABLE] [--none]",
			summary: "move someone to another table (facilitators); name your table's reporter",
			flags:   map[string]bool{"to": true, "table": true, "none": false}, text: map[string]bool{"to": true, "table": true},
			textAfter: map[string]int{"move": 1, "reporter": 1}, run: runTable},
		&spec{name: "bring", args: "CARD... [--undo]", summary: "bring cards back from your table to the room (its reporter; facilitators)",
			flags: map[string]bool{"undo": false}, run: runBring},
		&spec{name: "brought", args: "[--json] [--step N]", summary: "what each table brought back to the room, by table",
			flags: map[string]bool{"json": false, "step": true}, run: runBrought},
	)
}

// FindTable reads a table of the current set written as its number (#2 or
// 2) or its name, in any letter case, in quotes or not.
func FindTable(v *session.View, ref string) (*session.TableView, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		if t, ok := v.FindTable(id); ok {
			return t, nil
		}
		return nil, fmt.Errorf("no table #%d (see: tables)", id)
	}
	for _, name := range []string{session.CleanLine(ref), session.CleanLine(unquote(ref))} {
		for _, t := range v.CurrentTables() {
			if strings.EqualFold(t.Name, name) {
				return t, nil
			}
		}
	}
	return nil, fmt.Errorf("no table %q (see: tables)", session.CleanLine(ref))
}

// FindPerson reads a person written as their display name, in any letter
// case, or their key's fingerprint.
func FindPerson(snap *session.Snapshot, ref string) (string, error) {
	ref = session.CleanLine(unquote(ref))
	if strings.HasPrefix(ref, "SHA256:") {
		if _, ok := snap.Participant(ref); ok {
			return ref, nil
		}
	}
	var found []string
	for _, p := range snap.Participants {
		if strings.EqualFold(p.Name, ref) {
			found = append(found, p.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("nobody called %q has joined (see: participants)", ref)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%d people are called %q: name one by their key (participants lists them)", len(found), ref)
}

func runTables(ctx context.Context, env Env, a *args) error {
	if len(a.pos) > 0 {
		if !strings.EqualFold(a.pos[0], "make") {
			return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
		}
		return runMakeTables(ctx, env, a)
	}
	for _, f := range []string{"size", "name", "by-sector"} {
		if a.set[f] {
			return a.usageErr("--%s goes with make", f)
		}
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	list := v.CurrentTables()
	if a.set["all"] {
		list = v.Tables()
	}
	views := []session.TableView{}
	for _, t := range list {
		views = append(views, v.Table(t))
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(env.Out, "no tables yet")
		return nil
	}
	for _, t := range views {
		fmt.Fprintf(env.Out, "#%d %s · %s\n", t.ID, t.Name, tableLine(t))
		if len(t.Members) > 0 {
			fmt.Fprintf(env.Out, "   %s\n", strings.Join(t.Members, ", "))
		}
		if len(t.Sectors) > 0 {
			var mix []string
			for _, s := range t.Sectors {
				mix = append(mix, fmt.Sprintf("%s %d", session.GroupLabel(s.Sector, s.Pooled), s.People))
			}
			fmt.Fprintf(env.Out, "   %s\n", strings.Join(mix, " · "))
		}
		if t.SectorsNote != "" {
			fmt.Fprintf(env.Out, "   %s\n", t.SectorsNote)
		}
	}
	return nil
}

// tableLine is a table's size, reporter and activity on one line.
func tableLine(t session.TableView) string {
	parts := []string{session.Count(t.People, "person", "people")}
	if t.Connected != nil {
		parts[0] += fmt.Sprintf(" (%d here)", *t.Connected)
	}
	switch {
	case t.Reporter != "":
		parts = append(parts, "reporter "+t.Reporter)
	case t.HasReporter:
		parts = append(parts, "has a reporter")
	default:
		parts = append(parts, "no reporter yet")
	}
	parts = append(parts, session.Count(t.Cards, "card", "cards")+fmt.Sprintf(", %d brought back", t.BroughtBack))
	if t.Hands > 0 {
		parts = append(parts, session.Count(t.Hands, "hand up", "hands up"))
	}
	if !t.Current {
		parts = append(parts, "made before")
	}
	if t.Mine {
		parts = append(parts, "you sit here")
	}
	return strings.Join(parts, " · ")
}

func runMakeTables(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	c := session.MakeTables{BySector: a.set["by-sector"], Names: a.values["name"]}
	if len(a.pos) == 2 {
		n, err := strconv.Atoi(a.pos[1])
		if err != nil || n < 1 {
			return a.usageErr("%q is not a number of tables", session.CleanLine(a.pos[1]))
		}
		c.Count = n
	}
	var err error
	if c.Size, err = intFlag(a, "size", 1); err != nil {
		return err
	}
	c.Agenda = c.Count == 0 && c.Size == 0 && len(c.Names) == 0
	events, err := env.Hub.Apply(ctx, env.Actor, c)
	if err != nil {
		return err
	}
	made := events[0].(session.TablesMade)
	var list []string
	for _, t := range made.Tables {
		list = append(list, fmt.Sprintf("%s (%d)", t.Name, len(t.Members)))
	}
	how := ""
	if made.BySector {
		how = ", balanced by sector"
	}
	fmt.Fprintf(env.Out, "%s made%s: %s\n", session.Count(len(made.Tables), "table", "tables"), how, strings.Join(list, ", "))
	return nil
}

func runTable(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	v := snap.ViewFor(env.Actor)
	switch strings.ToLower(a.pos[0]) {
	case "move":
		if !v.Facilitator() {
			return session.Forbidden("table move: only a facilitator can do that")
		}
		name, err := a.needText("move needs the person's name")
		if err != nil {
			return err
		}
		if !a.set["to"] {
			return a.usageErr("say which table (--to TABLE)")
		}
		who, err := FindPerson(snap, name)
		if err != nil {
			return err
		}
		t, err := FindTable(v, a.value["to"])
		if err != nil {
			return err
		}
		p, _ := snap.Participant(who)
		return do(ctx, env, session.MoveToTable{Person: who, Table: t.ID}, "%s now sits at %s", p.Name, t.Name)
	case "reporter":
		c := session.NameReporter{Person: env.Actor}
		if a.set["table"] {
			t, err := FindTable(v, a.value["table"])
			if err != nil {
				return err
			}
			c.Table = t.ID
		}
		switch {
		case a.set["none"] && a.text != "":
			return a.usageErr("a name or --none, not both")
		case a.set["none"]:
			c.Person = ""
		case a.text != "":
			who, err := FindPerson(snap, a.text)
			if err != nil {
				return err
			}
			c.Person = who
		}
		if err := env.Hub.Do(ctx, env.Actor, c); err != nil {
			return err
		}
		if c.Person == "" {
			fmt.Fprintln(env.Out, "the table has no reporter now")
			return nil
		}
		p, _ := snap.Participant(c.Person)
		fmt.Fprintf(env.Out, "%s reports for the table: they mark the cards to bring back (bring CARD)\n", p.Name)
		return nil
	}
	return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
}

func runBring(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, -1); err != nil {
		return err
	}
	ids, err := cardIDs(a, a.pos)
	if err != nil {
		return err
	}
	if a.set["undo"] {
		return do(ctx, env, session.BringBack{Cards: ids}, "%s no longer brought back", session.Count(len(ids), "card", "cards"))
	}
	return do(ctx, env, session.BringBack{Cards: ids, Back: true}, "%s brought back to the room", session.Count(len(ids), "card", "cards"))
}

func runBrought(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	v := snap.ViewFor(env.Actor)
	step := v.PlenaryStep(snap.Step)
	if a.set["step"] {
		n, err := strconv.Atoi(a.value["step"])
		if err != nil || n < 1 || n > len(snap.Forum.Steps) {
			return a.usageErr("--step takes a step number from 1 to %d", len(snap.Forum.Steps))
		}
		step = n
	}
	if step == 0 {
		return fmt.Errorf("no step of tables comes before this one; say which (--step N)")
	}
	type tableCards struct {
		Table session.TableRef   `json:"table"`
		Cards []session.CardView `json:"cards"`
	}
	out := []tableCards{}
	for _, tc := range v.BroughtBack(step) {
		one := tableCards{Table: tc.Table, Cards: []session.CardView{}}
		for _, c := range tc.Cards {
			one.Cards = append(one.Cards, v.Card(c))
		}
		out = append(out, one)
	}
	if a.set["json"] {
		return writeJSON(env, out)
	}
	if len(out) == 0 {
		fmt.Fprintf(env.Out, "nothing brought back from step %d yet\n", step)
		return nil
	}
	for _, tc := range out {
		fmt.Fprintln(env.Out, tc.Table.Name)
		for _, c := range tc.Cards {
			fmt.Fprintf(env.Out, "  #%-4d %s\n", c.ID, oneLine(c.Text, 70))
		}
	}
	return nil
}
