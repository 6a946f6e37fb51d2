package command

import (
	"context"
	"fmt"
	"strings"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	register(
		&spec{name: "feedback", args: "[ID TEXT] [--json]", summary: "command.feedback.summary", flags: map[string]bool{"json": false}, textAfter: map[string]int{"": 1}, run: runFeedback},
		&spec{name: "revise", args: "ID TEXT --reason R", summary: "command.revise.summary", facilitator: true, flags: map[string]bool{"reason": true}, text: map[string]bool{"reason": true}, textAfter: map[string]int{"": 1}, run: runRevise},
		&spec{name: "credit", args: "[on|off]", summary: "command.credit.summary", run: runCredit},
	)
}

func runFeedback(ctx context.Context, env Env, a *args) error {
	if len(a.pos) > 0 {
		if a.set["json"] {
			return a.usageErr("command.feedback.json")
		}
		if err := a.want(1, 1); err != nil {
			return err
		}
		id, err := statementID(a, a.pos[0])
		if err != nil {
			return err
		}
		text, err := a.needText("command.feedback.missing")
		if err != nil {
			return err
		}
		events, err := env.Hub.Apply(ctx, env.Actor, session.GiveFeedback{Statement: id, Text: text})
		if err != nil {
			return err
		}
		env.say("command.feedback.done", events[0].(session.FeedbackGiven).ID, id)
		return nil
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	draft := []session.DraftStatement{}
	for _, d := range v.Draft() {
		draft = append(draft, v.DraftStatement(d))
	}
	if a.set["json"] {
		return writeJSON(env, draft)
	}
	if len(draft) == 0 {
		env.say("command.feedback.none")
		return nil
	}
	p := env.printer()
	group := "-"
	for _, d := range draft {
		g := themeHeading(p, d.Theme)
		if g != group {
			fmt.Fprintln(env.Out, g)
			group = g
		}
		env.say("command.feedback.row", fmt.Sprintf("%-3d", d.ID), flat(d.Text))
		if d.Result != nil {
			env.say("command.feedback.agreed", d.RecordedRevision, d.Result.ID, checkLine(p, *d.Result))
		}
		for _, r := range d.RevisedAfter {
			env.say("command.feedback.revised", r.N, flat(r.Reason))
			fmt.Fprintf(env.Out, "          %s\n", flat(session.DiffMarked(r.Changes)))
		}
		for _, act := range d.Actions {
			env.say("command.statements.action", act.ID, flat(act.Text), catalogue.Commas(toAny(act.Owners)))
		}
		for _, f := range d.Feedback {
			env.say("command.feedback.feedback", f.ID, f.Author, f.Revision, flat(f.Text))
		}
	}
	return nil
}

func runRevise(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	id, err := statementID(a, a.pos[0])
	if err != nil {
		return err
	}
	text, err := a.needText("command.revise.missing")
	if err != nil {
		return err
	}
	reason := a.value["reason"]
	if reason == "" {
		return a.usageErr("command.revise.why")
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.ReviseStatement{Statement: id, Text: text, Reason: reason})
	if err != nil {
		return err
	}
	env.say("command.revise.done", id, events[0].(session.StatementRevised).Revision.N, env.Hub.Snapshot().Statements[id-1].RecordedRevision)
	return nil
}

func runCredit(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	if len(a.pos) == 0 {
		p, ok := env.Hub.Snapshot().Participant(env.Actor)
		switch {
		case !ok:
			return session.ErrNameFirst
		case p.Credit:
			env.say("command.credit.on", p.Name)
		default:
			env.say("command.credit.off")
		}
		return nil
	}
	switch strings.ToLower(a.pos[0]) {
	case "on":
		return do(ctx, env, session.SetCredit{On: true}, "command.credit.saved_on")
	case "off":
		return do(ctx, env, session.SetCredit{On: false}, "command.credit.saved_off")
	}
	return a.usageErr("command.on_or_off", session.CleanLine(a.pos[0]))
}
