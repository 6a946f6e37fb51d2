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
		&spec{name: "propose", args: "TEXT [--theme T]", summary: "draft a statement for the room to work on", flags: map[string]bool{"theme": true}, text: map[string]bool{"theme": true}, textAfter: map[string]int{"": 0}, run: runPropose},
		&spec{name: "statements", args: "[--json] [--theme T]", summary: "list the statements by theme, agreed ones marked", flags: map[string]bool{"json": false, "theme": true}, text: map[string]bool{"theme": true}, run: runStatements},
		&spec{name: "statement", args: "ID [--json]|order ID POS|theme ID T|none", summary: "a statement's wording, revisions, checks and actions (facilitators: order, theme)", flags: map[string]bool{"json": false}, textAfter: map[string]int{"theme": 2}, run: runStatement},
		&spec{name: "comment", args: "ID TEXT", summary: "comment on a statement", textAfter: map[string]int{"": 1}, run: runComment},
		&spec{name: "amend", args: "ID TEXT [--accept]", summary: "propose new wording for a statement (--accept: facilitators, at once)", flags: map[string]bool{"accept": false}, textAfter: map[string]int{"": 1}, run: runAmend},
		&spec{name: "accept", args: "AMENDMENT", summary: "make an amendment the statement's new revision", facilitator: true, run: runAccept},
		&spec{name: "check", args: "open|close ID", summary: "open or close a check of agreement on a statement", facilitator: true, run: runCheck},
		&spec{name: "agree", args: "ID LEVEL", summary: "give your level of agreement on a statement's open check", textAfter: map[string]int{"": 1}, run: runAgree},
		&spec{name: "record", args: "ID agreed|not-agreed", summary: "record a statement as agreed or not agreed, freezing it", facilitator: true, run: runRecord},
		&spec{name: "reopen", args: "ID", summary: "reopen a recorded statement for rewording", facilitator: true, run: runReopen},
		&spec{name: "action", args: "add ID TEXT --who OWNERS|remove ACTION", summary: "add an action a statement calls for, with who can take it", facilitator: true, flags: map[string]bool{"who": true}, text: map[string]bool{"who": true}, textAfter: map[string]int{"add": 2}, run: runAction},
	)
}

func statementID(a *args, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, a.usageErr("%q is not a statement number", session.CleanLine(s))
	}
	return id, nil
}

func findStatement(snap *session.Snapshot, id int64) (*session.Statement, error) {
	if id < 1 || int(id) > len(snap.Statements) {
		return nil, fmt.Errorf("no statement #%d (see: statements)", id)
	}
	return snap.Statements[id-1], nil
}

func runPropose(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	text, err := a.needText("propose needs the statement's wording")
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
	fmt.Fprintf(env.Out, "proposed: statement #%d\n", events[0].(session.StatementProposed).Statement.ID)
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
		fmt.Fprintln(env.Out, "no statements yet")
		return nil
	}
	group := "-"
	for _, v := range views {
		g := "No theme"
		if v.Theme != nil {
			g = fmt.Sprintf("%s (#%d)", v.Theme.Name, v.Theme.ID)
		}
		if g != group {
			fmt.Fprintln(env.Out, g)
			group = g
		}
		fmt.Fprintf(env.Out, "  #%-3d %s %s\n", v.ID, statusMark(v.Status), flat(v.Text))
		if v.Check != nil {
			fmt.Fprintf(env.Out, "        check #%d open on revision %d: %s\n", v.Check.ID, v.Check.Revision, checkLine(*v.Check))
		}
		for _, act := range v.Actions {
			fmt.Fprintf(env.Out, "        action #%d: %s — %s\n", act.ID, flat(act.Text), strings.Join(act.Owners, ", "))
		}
	}
	return nil
}

func statusMark(status string) string {
	switch status {
	case "agreed":
		return "[AGREED]"
	case "not-agreed":
		return "[NOT AGREED]"
	}
	return "[draft]"
}

func flat(s string) string { return strings.ReplaceAll(s, "\n\n", " / ") }

func checkLine(c session.CheckView) string {
	line := fmt.Sprintf("%d responded", c.Responded)
	if len(c.Levels) > 0 {
		var parts []string
		for _, l := range c.Levels {
			parts = append(parts, fmt.Sprintf("%d %s: %d", l.Level, l.Label, l.Count))
		}
		line += " (" + strings.Join(parts, "; ") + ")"
	}
	if c.Blocked {
		line += " BLOCKED"
		if len(c.Blockers) > 0 {
			line += " by " + strings.Join(c.Blockers, ", ")
		}
	}
	if c.Withheld != "" {
		line += " — " + c.Withheld
	}
	if c.Mine != 0 {
		line += fmt.Sprintf("; yours: %d", c.Mine)
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
			return session.Forbidden("statement " + verb + ": only a facilitator can do that")
		}
		// statement theme ID T: the theme is the rest of the line.
		if verb == "theme" && a.text != "" && len(a.pos) == 2 {
			a.pos = append(a.pos, a.text)
		}
		if len(a.pos) != 3 {
			return a.usageErr("%s needs a statement and a %s", verb, map[string]string{"order": "position", "theme": "theme"}[verb])
		}
		id, err := statementID(a, a.pos[1])
		if err != nil {
			return err
		}
		if verb == "order" {
			p, err := strconv.Atoi(a.pos[2])
			if err != nil {
				return a.usageErr("%q is not a position", session.CleanLine(a.pos[2]))
			}
			return do(ctx, env, session.MoveStatement{Statement: id, Theme: -1, Position: p}, "statement #%d is now number %d under its theme", id, p)
		}
		var theme int64
		name := "no theme"
		if !strings.EqualFold(unquote(a.pos[2]), "none") {
			t, err := FindTheme(env.Hub.Snapshot(), a.pos[2])
			if err != nil {
				return err
			}
			theme, name = t.ID, t.Name
		}
		return do(ctx, env, session.MoveStatement{Statement: id, Theme: theme}, "statement #%d is now under %s", id, name)
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
	w := env.Out
	theme := "no theme"
	if d.Theme != nil {
		theme = fmt.Sprintf("%s (#%d)", d.Theme.Name, d.Theme.ID)
	}
	fmt.Fprintf(w, "Statement #%d %s under %s, revision %d\n", d.ID, statusMark(d.Status), theme, d.Revision)
	fmt.Fprintf(w, "  %s\n", flat(d.Text))
	if d.RecordedAt != nil {
		fmt.Fprintf(w, "Recorded as %s by %s at revision %d", d.Status, d.RecordedBy, d.RecordedRevision)
		if d.Result != nil {
			fmt.Fprintf(w, " with check #%d: %s", d.Result.ID, checkLine(*d.Result))
		}
		fmt.Fprintln(w)
	}
	if len(d.Actions) > 0 {
		fmt.Fprintln(w, "Actions:")
		for _, act := range d.Actions {
			fmt.Fprintf(w, "  #%d %s — who: %s\n", act.ID, flat(act.Text), strings.Join(act.Owners, ", "))
		}
	}
	fmt.Fprintln(w, "Revisions:")
	for _, r := range d.Revisions {
		fmt.Fprintf(w, "  %d. %s, %s\n", r.N, r.How(), r.At.UTC().Format("2006-01-02 15:04"))
		if r.Changes != nil {
			fmt.Fprintf(w, "     %s\n", flat(session.DiffMarked(r.Changes)))
		} else {
			fmt.Fprintf(w, "     %s\n", flat(r.Text))
		}
	}
	if len(d.Pending) > 0 {
		fmt.Fprintln(w, "Amendments waiting:")
		for _, am := range d.Pending {
			fmt.Fprintf(w, "  #%d by %s (on revision %d): %s\n", am.ID, am.Author, am.Base, flat(am.Text))
		}
	}
	if len(d.Checks) > 0 {
		fmt.Fprintln(w, "Checks:")
		for _, c := range d.Checks {
			state := "closed"
			if c.Open {
				state = "open"
			}
			fmt.Fprintf(w, "  #%d on revision %d, %s: %s\n", c.ID, c.Revision, state, checkLine(c))
			for _, sc := range c.BySector {
				mark := ""
				if sc.Blocked {
					mark = " BLOCKED"
				}
				fmt.Fprintf(w, "     %s: %d responded, by level %s%s\n", session.GroupLabel(sc.Sector, sc.Pooled), sc.Responded, joinInts(sc.Counts), mark)
			}
			if c.BySectorNote != "" {
				fmt.Fprintf(w, "     %s\n", c.BySectorNote)
			}
		}
	}
	if len(d.Comments) > 0 {
		fmt.Fprintln(w, "Comments:")
		for _, c := range d.Comments {
			fmt.Fprintf(w, "  %s (on revision %d): %s\n", c.Author, c.Revision, flat(c.Text))
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
	text, err := a.needText("comment needs the comment's text")
	if err != nil {
		return err
	}
	return do(ctx, env, session.CommentOn{Statement: id, Text: text}, "comment added to statement #%d", id)
}

func runAmend(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	text, err := a.needText("amend needs the new wording")
	if err != nil {
		return err
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.ProposeAmendment{Statement: id, Text: text, Accept: a.set["accept"]})
	if err != nil {
		return err
	}
	am := events[0].(session.AmendmentProposed)
	if len(events) > 1 {
		fmt.Fprintf(env.Out, "statement #%d reworded: revision %d\n", id, events[1].(session.AmendmentAccepted).Revision.N)
		return nil
	}
	fmt.Fprintf(env.Out, "proposed: amendment #%d to statement #%d\n", am.ID, id)
	return nil
}

func runAccept(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(a.pos[0], "#"), 10, 64)
	if err != nil || id < 1 {
		return a.usageErr("%q is not an amendment number", session.CleanLine(a.pos[0]))
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.AcceptAmendment{ID: id})
	if err != nil {
		return err
	}
	e := events[0].(session.AmendmentAccepted)
	fmt.Fprintf(env.Out, "amendment #%d accepted: statement #%d is now at revision %d\n", id, e.Statement, e.Revision.N)
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
		fmt.Fprintf(env.Out, "check #%d open on statement #%d, revision %d: %s\n", c.ID, id, c.Revision, session.ScaleHelp(c.Scale))
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
		fmt.Fprintf(env.Out, "check #%d closed: %s\n", last.ID, checkLine(v.Check(c)))
		return nil
	}
	return a.usageErr("open or close, not %q", session.CleanLine(a.pos[0]))
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
		return 0, fmt.Errorf("%q could be %s: type more of the label, or its number", session.CleanLine(s), strings.Join(starts, " or "))
	}
	return 0, fmt.Errorf("%q is not a level: choose from %s", session.CleanLine(s), session.ScaleHelp(scale))
}

func runAgree(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	typed, err := a.needText("agree needs your level: its number or its label")
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
	return do(ctx, env, session.Agree{Statement: id, Level: level}, "your level on statement #%d: %d %s (you may change it until the check closes)", id, level, scale.Label(level))
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
		return a.usageErr("agreed or not-agreed, not %q", session.CleanLine(a.pos[1]))
	}
	return do(ctx, env, session.RecordStatement{Statement: id, Outcome: o}, "statement #%d recorded as %s", id, o)
}

func runReopen(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	return do(ctx, env, session.RecordStatement{Statement: id, Outcome: session.Open}, "statement #%d reopened", id)
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
		text, err := a.needText("add needs the action's text")
		if err != nil {
			return err
		}
		if !a.set["who"] {
			return a.usageErr("say who can take it (--who Owner, Another)")
		}
		events, err := env.Hub.Apply(ctx, env.Actor, session.AddAction{Statement: id, Text: text, Owners: Owners(a.values["who"])})
		if err != nil {
			return err
		}
		act := events[0].(session.ActionAdded)
		fmt.Fprintf(env.Out, "action #%d added to statement #%d: %s\n", act.ID, id, strings.Join(act.Owners, ", "))
		return nil
	case "remove":
		id, err := strconv.ParseInt(strings.TrimPrefix(a.pos[1], "#"), 10, 64)
		if err != nil || id < 1 {
			return a.usageErr("%q is not an action number", session.CleanLine(a.pos[1]))
		}
		return do(ctx, env, session.RemoveAction{ID: id}, "action #%d removed", id)
	}
	return a.usageErr("add or remove, not %q", session.CleanLine(a.pos[0]))
}
