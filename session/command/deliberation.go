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
		&spec{name: "propose", args: "TEXT [--theme T]", summary: "command.propose.summary", flags: map[string]bool{"theme": true}, text: map[string]bool{"theme": true}, textAfter: map[string]int{"": 0}, run: runPropose},
		&spec{name: "statements", args: "[--json] [--theme T]", summary: "command.statements.summary", flags: map[string]bool{"json": false, "theme": true}, text: map[string]bool{"theme": true}, run: runStatements},
		&spec{name: "statement", args: "ID [--json]|order ID POS|theme ID T|none", summary: "command.statement.summary", flags: map[string]bool{"json": false}, textAfter: map[string]int{"theme": 2}, run: runStatement},
		&spec{name: "comment", args: "ID TEXT", summary: "command.comment.summary", textAfter: map[string]int{"": 1}, run: runComment},
		&spec{name: "amend", args: "ID TEXT [--accept]", summary: "command.amend.summary", flags: map[string]bool{"accept": false}, textAfter: map[string]int{"": 1}, run: runAmend},
		&spec{name: "accept", args: "AMENDMENT", summary: "command.accept.summary", facilitator: true, run: runAccept},
		&spec{name: "check", args: "open|close ID", summary: "command.check.summary", facilitator: true, run: runCheck},
		&spec{name: "agree", args: "ID LEVEL", summary: "command.agree.summary", textAfter: map[string]int{"": 1}, run: runAgree},
		&spec{name: "record", args: "ID agreed|not-agreed", summary: "command.record.summary", facilitator: true, run: runRecord},
		&spec{name: "reopen", args: "ID", summary: "command.reopen.summary", facilitator: true, run: runReopen},
		&spec{name: "action", args: "add ID TEXT --who OWNERS|remove ACTION", summary: "command.action.summary", facilitator: true, flags: map[string]bool{"who": true}, text: map[string]bool{"who": true}, textAfter: map[string]int{"add": 2}, run: runAction},
	)
}

func statementID(a *args, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, a.usageErr("command.statement.not_a_number", session.CleanLine(s))
	}
	return id, nil
}

func findStatement(snap *session.Snapshot, id int64) (*session.Statement, error) {
	if id < 1 || int(id) > len(snap.Statements) {
		return nil, catalogue.Err("command.statement.no_such", id)
	}
	return snap.Statements[id-1], nil
}

func runPropose(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	text, err := a.needText("command.propose.missing")
	if err != nil {
		return err
	}
	cmd := session.ProposeStatement{Text: text}
	if a.set["theme"] {
		t, err := FindTheme(env.Hub.Snapshot(), a.value["theme"])
		if err != nil {
			return err
		}
		cmd.Theme = t.ID
	}
	events, err := env.Hub.Apply(ctx, env.Actor, cmd)
	if err != nil {
		return err
	}
	env.say("command.propose.done", events[0].(session.StatementProposed).Statement.ID)
	return nil
}

func runStatements(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	var theme *session.Theme
	if a.set["theme"] {
		t, err := FindTheme(snap, a.value["theme"])
		if err != nil {
			return err
		}
		theme = t
	}
	v := snap.ViewFor(env.Actor)
	views := []session.StatementView{}
	for _, s := range v.Statements() {
		if theme == nil || (s.Theme != nil && s.Theme.ID == theme.ID) {
			views = append(views, v.Statement(s))
		}
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		env.say("command.statements.none")
		return nil
	}
	p := env.printer()
	group := "-"
	for _, v := range views {
		g := themeHeading(p, v.Theme)
		if g != group {
			fmt.Fprintln(env.Out, g)
			group = g
		}
		env.say("command.statements.row", fmt.Sprintf("%-3d", v.ID), statusMark(v.Status), flat(v.Text))
		if v.Check != nil {
			env.say("command.statements.check", v.Check.ID, v.Check.Revision, checkLine(p, *v.Check))
		}
		for _, act := range v.Actions {
			env.say("command.statements.action", act.ID, flat(act.Text), catalogue.Commas(toAny(act.Owners)))
		}
	}
	return nil
}

// themeHeading is a theme as a list under it is headed: its name and
// number, or that there is none.
func themeHeading(p *catalogue.Printer, t *session.ThemeRef) string {
	if t == nil {
		return p.T("command.group.no_theme")
	}
	return p.T("command.group.theme", t.Name, t.ID)
}

// statusMark marks where a statement stands.
func statusMark(status string) catalogue.Text {
	switch status {
	case "agreed":
		return catalogue.Msg("command.statement.mark_agreed")
	case "not-agreed":
		return catalogue.Msg("command.statement.mark_not_agreed")
	}
	return catalogue.Msg("command.statement.mark_draft")
}

func flat(s string) string { return strings.ReplaceAll(s, "\n\n", " / ") }

// checkLine is how a check of agreement stands, in a line.
func checkLine(p *catalogue.Printer, c session.CheckView) string {
	line := p.T("command.check.responded", c.Responded)
	if len(c.Levels) > 0 {
		var parts []string
		for _, l := range c.Levels {
			parts = append(parts, p.T("command.check.level", l.Level, l.Label, l.Count))
		}
		line += p.T("command.check.levels", strings.Join(parts, p.T("sep.semicolon")))
	}
	switch {
	case c.Blocked && len(c.Blockers) > 0:
		line += p.T("command.check.blocked_by", catalogue.Commas(toAny(c.Blockers)))
	case c.Blocked:
		line += p.T("command.check.blocked")
	}
	if c.Withheld != "" {
		line += p.T("command.check.withheld", c.Why)
	}
	if c.Mine != 0 {
		line += p.T("command.check.yours", c.Mine)
	}
	return line
}

func runStatement(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, -1); err != nil {
		return err
	}
	switch verb := strings.ToLower(a.pos[0]); verb {
	case "order", "theme":
		if env.Hub.RoleOf(env.Actor) != session.RoleFacilitator {
			return session.Forbidden("command.only_facilitator", "statement "+verb)
		}
		// statement theme ID T: the theme is the rest of the line.
		if verb == "theme" && a.text != "" && len(a.pos) == 2 {
			a.pos = append(a.pos, a.text)
		}
		switch {
		case len(a.pos) != 3 && verb == "order":
			return a.usageErr("command.statement.order_missing")
		case len(a.pos) != 3:
			return a.usageErr("command.statement.theme_missing")
		}
		id, err := statementID(a, a.pos[1])
		if err != nil {
			return err
		}
		if verb == "order" {
			p, err := strconv.Atoi(a.pos[2])
			if err != nil {
				return a.usageErr("command.order.not_a_position", session.CleanLine(a.pos[2]))
			}
			return do(ctx, env, session.MoveStatement{Statement: id, Theme: -1, Position: p}, "command.statement.ordered", id, p)
		}
		var theme int64
		var name any = catalogue.Msg("command.no_theme")
		if !strings.EqualFold(unquote(a.pos[2]), "none") {
			t, err := FindTheme(env.Hub.Snapshot(), a.pos[2])
			if err != nil {
				return err
			}
			theme, name = t.ID, t.Name
		}
		return do(ctx, env, session.MoveStatement{Statement: id, Theme: theme}, "command.statement.moved", id, name)
	}
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	s, err := findStatement(snap, id)
	if err != nil {
		return err
	}
	d, _ := snap.ViewFor(env.Actor).Detail(s.ID)
	if a.set["json"] {
		return writeJSON(env, d)
	}
	p := env.printer()
	var theme any = catalogue.Msg("command.no_theme")
	if d.Theme != nil {
		theme = catalogue.Msg("command.group.theme", d.Theme.Name, d.Theme.ID)
	}
	env.say("command.statement.heading", d.ID, statusMark(d.Status), theme, d.Revision)
	env.say("command.indented", flat(d.Text))
	if d.RecordedAt != nil {
		outcome := session.OutcomeWord(session.Outcome(d.Status))
		if d.Result != nil {
			env.say("command.statement.recorded_check", outcome, d.RecordedBy, d.RecordedRevision, d.Result.ID, checkLine(p, *d.Result))
		} else {
			env.say("command.statement.recorded", outcome, d.RecordedBy, d.RecordedRevision)
		}
	}
	if len(d.Actions) > 0 {
		env.say("command.statement.actions")
		for _, act := range d.Actions {
			env.say("command.statement.action", act.ID, flat(act.Text), catalogue.Commas(toAny(act.Owners)))
		}
	}
	env.say("command.statement.revisions")
	for _, r := range d.Revisions {
		env.say("command.statement.revision", r.N, r.HowText(), r.At.UTC().Format("2006-01-02 15:04"))
		if r.Changes != nil {
			fmt.Fprintf(env.Out, "     %s\n", flat(session.DiffMarked(r.Changes)))
		} else {
			fmt.Fprintf(env.Out, "     %s\n", flat(r.Text))
		}
	}
	if len(d.Pending) > 0 {
		env.say("command.statement.amendments")
		for _, am := range d.Pending {
			env.say("command.statement.amendment", am.ID, am.Author, am.Base, flat(am.Text))
		}
	}
	if len(d.Checks) > 0 {
		env.say("command.statement.checks")
		for _, c := range d.Checks {
			state := statusWord("closed")
			if c.Open {
				state = statusWord("open")
			}
			env.say("command.statement.check", c.ID, c.Revision, state, checkLine(p, c))
			for _, sc := range c.BySector {
				if sc.Blocked {
					env.say("command.statement.sector_blocked", session.GroupName(sc.Sector, sc.Pooled), sc.Responded, joinInts(sc.Counts))
				} else {
					env.say("command.statement.sector", session.GroupName(sc.Sector, sc.Pooled), sc.Responded, joinInts(sc.Counts))
				}
			}
			if !c.BySectorWhy.IsZero() {
				env.say("command.statement.sector_note", c.BySectorWhy)
			}
		}
	}
	if len(d.Comments) > 0 {
		env.say("command.statement.comments")
		for _, c := range d.Comments {
			env.say("command.statement.comment", c.Author, c.Revision, flat(c.Text))
		}
	}
	return nil
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, "/")
}

func runComment(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	text, err := a.needText("command.comment.missing")
	if err != nil {
		return err
	}
	return do(ctx, env, session.CommentOn{Statement: id, Text: text}, "command.comment.done", id)
}

func runAmend(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	text, err := a.needText("command.amend.missing")
	if err != nil {
		return err
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.ProposeAmendment{Statement: id, Text: text, Accept: a.set["accept"]})
	if err != nil {
		return err
	}
	am := events[0].(session.AmendmentProposed)
	if len(events) > 1 {
		env.say("command.amend.accepted", id, events[1].(session.AmendmentAccepted).Revision.N)
		return nil
	}
	env.say("command.amend.done", am.ID, id)
	return nil
}

func runAccept(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(a.pos[0], "#"), 10, 64)
	if err != nil || id < 1 {
		return a.usageErr("command.accept.not_a_number", session.CleanLine(a.pos[0]))
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.AcceptAmendment{ID: id})
	if err != nil {
		return err
	}
	e := events[0].(session.AmendmentAccepted)
	env.say("command.accept.done", id, e.Statement, e.Revision.N)
	return nil
}

func runCheck(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, 2); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[1])
	if err != nil {
		return err
	}
	switch strings.ToLower(a.pos[0]) {
	case "open":
		events, err := env.Hub.Apply(ctx, env.Actor, session.OpenCheck{Statement: id})
		if err != nil {
			return err
		}
		c := events[0].(session.CheckOpened)
		env.say("command.check.opened", c.ID, id, c.Revision, session.ScaleHelp(c.Scale))
		return nil
	case "close":
		if err := env.Hub.Do(ctx, env.Actor, session.CloseCheck{Statement: id}); err != nil {
			return err
		}
		snap := env.Hub.Snapshot()
		var last *session.Check
		for _, c := range snap.Checks {
			if c.Statement == id {
				last = c
			}
		}
		v := snap.ViewFor(env.Actor)
		c, _ := v.FindCheck(last.ID)
		env.say("command.check.closed", last.ID, checkLine(env.printer(), v.Check(c)))
		return nil
	}
	return a.usageErr("command.open_or_close", session.CleanLine(a.pos[0]))
}

// Level reads a level typed as its number, its label, or the start of its
// label ("stand aside", "whole") as long as that names one level only;
// letter case, spacing and quotes around it do not matter.
func Level(scale session.Scale, s string) (int, error) {
	typed := strings.ToLower(strings.Join(strings.Fields(unquote(s)), " "))
	if n, err := strconv.Atoi(typed); err == nil {
		return n, nil
	}
	var starts []string
	level := 0
	for i, l := range scale.Labels {
		label := strings.ToLower(strings.Join(strings.Fields(l), " "))
		switch {
		case label == typed:
			return i + 1, nil
		case typed != "" && strings.HasPrefix(label, typed):
			starts = append(starts, fmt.Sprintf("%d %s", i+1, l))
			level = i + 1
		}
	}
	switch {
	case len(starts) == 1:
		return level, nil
	case len(starts) > 1:
		// "1 x or 2 y or 3 z", each or the catalogue's.
		var could any = starts[len(starts)-1]
		for i := len(starts) - 2; i >= 0; i-- {
			could = catalogue.Msg("command.or", starts[i], could)
		}
		return 0, catalogue.Err("command.level.ambiguous", session.CleanLine(s), could)
	}
	return 0, catalogue.Err("command.level.no_such", session.CleanLine(s), session.ScaleHelp(scale))
}

func runAgree(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	typed, err := a.needText("command.agree.missing")
	if err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	scale := snap.Forum.AgreementScale()
	if s, err := findStatement(snap, id); err == nil && s.OpenCheck != 0 {
		scale = snap.Checks[s.OpenCheck-1].Scale
	}
	level, err := Level(scale, typed)
	if err != nil {
		return err
	}
	return do(ctx, env, session.Agree{Statement: id, Level: level}, "command.agree.done", id, level, scale.Label(level))
}

func runRecord(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, 2); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	var o session.Outcome
	switch strings.ToLower(a.pos[1]) {
	case "agreed":
		o = session.Agreed
	case "not-agreed", "notagreed", "not_agreed":
		o = session.NotAgreed
	default:
		return a.usageErr("command.record.no_such", session.CleanLine(a.pos[1]))
	}
	return do(ctx, env, session.RecordStatement{Statement: id, Outcome: o}, "command.record.done", id, session.OutcomeWord(o))
}

func runReopen(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	return do(ctx, env, session.RecordStatement{Statement: id, Outcome: session.Open}, "command.reopen.done", id)
}

// Owners reads the owners of an action from its --who values. A ';'
// always separates owners; a ',' does too, but only in a single --who with
// no ';' in it. So an owner with a comma in its name is given in a --who
// of its own, or in a list separated by ';':
//
//	--who Council, Library                               two owners
//	--who Housing team, with tenants' input; Library     two owners
//	--who Housing team, with tenants' input --who Library  two owners
func Owners(values []string) []string {
	commas := len(values) == 1 && !strings.Contains(values[0], ";")
	var out []string
	for _, v := range values {
		sep := ";"
		if commas {
			sep = ","
		}
		for _, o := range strings.Split(v, sep) {
			if o = strings.TrimSpace(o); o != "" {
				out = append(out, o)
			}
		}
	}
	return out
}

func runAction(ctx context.Context, env Env, a *args) error {
	if err := a.want(2, 2); err != nil {
		return err
	}
	switch strings.ToLower(a.pos[0]) {
	case "add":
		id, err := statementID(a, a.pos[1])
		if err != nil {
			return err
		}
		text, err := a.needText("command.action.missing")
		if err != nil {
			return err
		}
		if !a.set["who"] {
			return a.usageErr("command.action.who")
		}
		events, err := env.Hub.Apply(ctx, env.Actor, session.AddAction{Statement: id, Text: text, Owners: Owners(a.values["who"])})
		if err != nil {
			return err
		}
		act := events[0].(session.ActionAdded)
		env.say("command.action.added", act.ID, id, catalogue.Commas(toAny(act.Owners)))
		return nil
	case "remove":
		id, err := strconv.ParseInt(strings.TrimPrefix(a.pos[1], "#"), 10, 64)
		if err != nil || id < 1 {
			return a.usageErr("command.action.not_a_number", session.CleanLine(a.pos[1]))
		}
		return do(ctx, env, session.RemoveAction{ID: id}, "command.action.removed", id)
	}
	return a.usageErr("command.action.no_such", session.CleanLine(a.pos[0]))
}
