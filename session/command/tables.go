package command

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	register(
		&spec{name: "tables", args: "[--json] [--all]|make [COUNT] [--size N] [--name NAME]... [--by-sector]",
			summary: "command.tables.summary",
			flags:   map[string]bool{"json": false, "all": false, "size": true, "name": true, "by-sector": false},
			text:    map[string]bool{"name": true}, run: runTables},
		&spec{name: "table", args: "move NAME --to TABLE|reporter [NAME] [--table TABLE] [--none]",
			summary: "command.table.summary",
			flags:   map[string]bool{"to": true, "table": true, "none": false}, text: map[string]bool{"to": true, "table": true},
			textAfter: map[string]int{"move": 1, "reporter": 1}, run: runTable},
		&spec{name: "bring", args: "CARD... [--undo]", summary: "command.bring.summary",
			flags: map[string]bool{"undo": false}, run: runBring},
		&spec{name: "brought", args: "[--json] [--step N]", summary: "command.brought.summary",
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
		return nil, catalogue.Err("session.table.no_such", id)
	}
	for _, name := range []string{session.CleanLine(ref), session.CleanLine(unquote(ref))} {
		for _, t := range v.CurrentTables() {
			if strings.EqualFold(t.Name, name) {
				return t, nil
			}
		}
	}
	return nil, catalogue.Err("command.table.no_such", session.CleanLine(ref))
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
		return "", catalogue.Err("command.person.no_such", ref)
	case 1:
		return found[0], nil
	}
	return "", catalogue.Err("command.person.several", len(found), ref)
}

func runTables(ctx context.Context, env Env, a *args) error {
	if len(a.pos) > 0 {
		if !strings.EqualFold(a.pos[0], "make") {
			return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
		}
		return runMakeTables(ctx, env, a)
	}
	for _, f := range []string{"size", "name", "by-sector"} {
		if a.set[f] {
			return a.usageErr("command.tables.with_make", f)
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
		env.say("command.tables.none")
		return nil
	}
	p := env.printer()
	for _, t := range views {
		env.say("command.tables.heading", t.ID, t.Name, tableLine(p, t))
		if len(t.Members) > 0 {
			env.say("command.tables.indented", catalogue.Commas(toAny(t.Members)))
		}
		if len(t.Sectors) > 0 {
			var mix []string
			for _, s := range t.Sectors {
				mix = append(mix, p.T("command.tables.sector", session.GroupName(s.Sector, s.Pooled), s.People))
			}
			env.say("command.tables.indented", joinParts(p, mix))
		}
		if !t.SectorsWhy.IsZero() {
			env.say("command.tables.indented", t.SectorsWhy)
		}
	}
	return nil
}

// tableLine is a table's size, reporter and activity on one line.
func tableLine(p *catalogue.Printer, t session.TableView) string {
	parts := []string{p.T("count.people", t.People)}
	if t.Connected != nil {
		parts[0] = p.T("command.tables.people_here", t.People, *t.Connected)
	}
	switch {
	case t.Reporter != "":
		parts = append(parts, p.T("command.tables.reporter", t.Reporter))
	case t.HasReporter:
		parts = append(parts, p.T("command.tables.has_reporter"))
	default:
		parts = append(parts, p.T("command.tables.no_reporter"))
	}
	parts = append(parts, p.T("command.tables.cards", t.Cards, t.BroughtBack))
	if t.Hands > 0 {
		parts = append(parts, p.T("command.tables.hands", t.Hands))
	}
	if !t.Current {
		parts = append(parts, p.T("command.tables.made_before"))
	}
	if t.Mine {
		parts = append(parts, p.T("command.tables.mine"))
	}
	return joinParts(p, parts)
}

func runMakeTables(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	c := session.MakeTables{BySector: a.set["by-sector"], Names: a.values["name"]}
	if len(a.pos) == 2 {
		n, err := strconv.Atoi(a.pos[1])
		if err != nil || n < 1 {
			return a.usageErr("command.tables.not_a_number", session.CleanLine(a.pos[1]))
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
	var list catalogue.Commas
	for _, t := range made.Tables {
		list = append(list, fmt.Sprintf("%s (%d)", t.Name, len(t.Members)))
	}
	if made.BySector {
		env.say("command.tables.made_by_sector", len(made.Tables), list)
	} else {
		env.say("command.tables.made", len(made.Tables), list)
	}
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
			return session.Forbidden("command.only_facilitator", "table move")
		}
		name, err := a.needText("command.table.move_missing")
		if err != nil {
			return err
		}
		if !a.set["to"] {
			return a.usageErr("command.table.move_to")
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
		return do(ctx, env, session.MoveToTable{Person: who, Table: t.ID}, "command.table.moved", p.Name, t.Name)
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
			return a.usageErr("command.table.name_or_none")
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
			env.say("command.table.no_reporter")
			return nil
		}
		p, _ := snap.Participant(c.Person)
		env.say("command.table.reporter", p.Name)
		return nil
	}
	return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
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
		return do(ctx, env, session.BringBack{Cards: ids}, "command.bring.undone", len(ids))
	}
	return do(ctx, env, session.BringBack{Cards: ids, Back: true}, "command.bring.done", len(ids))
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
			return a.usageErr("command.step_flag", len(snap.Forum.Steps))
		}
		step = n
	}
	if step == 0 {
		return catalogue.Err("command.brought.which_step")
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
		env.say("command.brought.none", step)
		return nil
	}
	for _, tc := range out {
		fmt.Fprintln(env.Out, tc.Table.Name)
		for _, c := range tc.Cards {
			env.say("command.brought.row", fmt.Sprintf("%-4d", c.ID), oneLine(c.Text, 70))
		}
	}
	return nil
}
