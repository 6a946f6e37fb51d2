package command

import (
	"context"
	"fmt"
	"strings"

	"moot/session"
)

func init() {
	register(
		&spec{name: "feedback", args: "[ID TEXT] [--json]", summary: "comment on an agreed statement in the draft report; alone, the draft with its feedback", flags: map[string]bool{"json": false}, textAfter: map[string]int{"": 1}, run: runFeedback},
		&spec{name: "revise", args: "ID TEXT --reason R", summary: "reword an agreed statement in response to feedback, saying why", facilitator: true, flags: map[string]bool{"reason": true}, text: map[string]bool{"reason": true}, textAfter: map[string]int{"": 1}, run: runRevise},
		&spec{name: "credit", args: "[on|off]", summary: "agree (on) or not (off, the default) to be named in the report, among those who took part and as the author of wording you wrote", run: runCredit},
	)
}

func runFeedback(ctx context.Context, env Env, a *args) error {
	if len(a.pos) > 0 {
		if a.set["json"] {
			return a.usageErr("--json lists the draft; give feedback without it")
		}
		if err := a.want(1, 1); err != nil {
			return err
		}
		id, err := statementID(a, a.pos[0])
		if err != nil {
			return err
		}
		text, err := a.needText("feedback needs your comment: feedback ID TEXT")
		if err != nil {
			return err
		}
		events, err := env.Hub.Apply(ctx, env.Actor, session.GiveFeedback{Statement: id, Text: text})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "feedback #%d on statement #%d saved\n", events[0].(session.FeedbackGiven).ID, id)
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
		fmt.Fprintln(env.Out, "the draft report has no agreed statements yet")
		return nil
	}
	w := env.Out
	group := "-"
	for _, d := range draft {
		g := "No theme"
		if d.Theme != nil {
			g = fmt.Sprintf("%s (#%d)", d.Theme.Name, d.Theme.ID)
		}
		if g != group {
			fmt.Fprintln(w, g)
			group = g
		}
		fmt.Fprintf(w, "  #%-3d %s\n", d.ID, flat(d.Text))
		if d.Result != nil {
			fmt.Fprintf(w, "        agreed at revision %d, check #%d: %s\n", d.RecordedRevision, d.Result.ID, checkLine(*d.Result))
		}
		for _, r := range d.RevisedAfter {
			fmt.Fprintf(w, "        revised after the forum (revision %d), reason: %s\n", r.N, flat(r.Reason))
			fmt.Fprintf(w, "          %s\n", flat(session.DiffMarked(r.Changes)))
		}
		for _, act := range d.Actions {
			fmt.Fprintf(w, "        action #%d: %s — %s\n", act.ID, flat(act.Text), strings.Join(act.Owners, ", "))
		}
		for _, f := range d.Feedback {
			fmt.Fprintf(w, "        feedback #%d from %s (on revision %d): %s\n", f.ID, f.Author, f.Revision, flat(f.Text))
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
	text, err := a.needText("give the new wording")
	if err != nil {
		return err
	}
	reason := a.value["reason"]
	if reason == "" {
		return a.usageErr("say why the statement is revised (--reason R)")
	}
	events, err := env.Hub.Apply(ctx, env.Actor, session.ReviseStatement{Statement: id, Text: text, Reason: reason})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Out, "statement #%d revised: revision %d (it stays agreed at revision %d, marked as revised after the forum)\n",
		id, events[0].(session.StatementRevised).Revision.N, env.Hub.Snapshot().Statements[id-1].RecordedRevision)
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
			return fmt.Errorf("give your name first (name YOUR NAME)")
		case p.Credit:
			fmt.Fprintf(env.Out, "the report names you as %s among those who took part and as the author of wording you wrote (credit off to stop)\n", p.Name)
		default:
			fmt.Fprintln(env.Out, "the report does not name you (credit on to be named among those who took part and as the author of wording you wrote)")
		}
		return nil
	}
	switch strings.ToLower(a.pos[0]) {
	case "on":
		return do(ctx, env, session.SetCredit{On: true}, "the report will name you among those who took part and as the author of wording you wrote (credit off to undo)")
	case "off":
		return do(ctx, env, session.SetCredit{On: false}, "the report will not name you")
	}
	return a.usageErr("on or off, not %q", session.CleanLine(a.pos[0]))
}
