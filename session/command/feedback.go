package command

import (
	"context"
	"fmt"
	"strings"
	"time"

	"moot/session"
)

func init() {
	register(
		&spec{name: "feedback", args: "[ID TEXT] [--json]", summary: "comment on an agreed statement in the draft report; alone, the draft with its feedback", flags: map[string]bool{"json": false}, textAfter: map[string]int{"": 1}, run: runFeedback},
		&spec{name: "revise", args: "ID TEXT --reason R", summary: "reword an agreed statement in response to feedback, saying why", facilitator: true, flags: map[string]bool{"reason": true}, text: map[string]bool{"reason": true}, textAfter: map[string]int{"": 1}, run: runRevise},
		&spec{name: "credit", args: "[on|off]", summary: "agree (on) or not (off, the default) to be named in the report", run: runCredit},
	)
}

// DraftStatement is an agreed statement as the draft report shows it on a
// feedback step (`feedback --json`): the statement now, the revision the
// room agreed, the revisions made since with their reasons, and the
// feedback on it.
type DraftStatement struct {
	StatementView
	// AgreedRevision and AgreedText are the wording recorded as agreed.
	AgreedRevision int    `json:"agreed_revision"`
	AgreedText     string `json:"agreed_text"`
	// Revised is set once the statement was reworded after agreement;
	// RevisedAfter lists those revisions (with reason and changes).
	Revised      bool           `json:"revised"`
	RevisedAfter []RevisionView `json:"revised_after"`
	Feedback     []FeedbackView `json:"feedback"`
}

// FeedbackView is a comment on a statement in the draft report.
type FeedbackView struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Revision  int       `json:"revision"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	Mine      bool      `json:"mine,omitempty"`
}

// DraftStatements lists the agreed statements as the draft report shows
// them to the holder of key viewer: by theme, in order.
func DraftStatements(snap *session.Snapshot, viewer string) []DraftStatement {
	byStatement := map[int64][]FeedbackView{}
	for _, f := range snap.Feedback {
		byStatement[f.Statement] = append(byStatement[f.Statement], FeedbackView{
			ID: f.ID, Statement: f.Statement, Revision: f.Revision, Author: NameOf(snap, f.Author), Text: f.Text, At: f.At, Mine: f.Author == viewer,
		})
	}
	out := []DraftStatement{}
	for _, s := range OrderedStatements(snap) {
		if s.Outcome != session.Agreed {
			continue
		}
		d := DraftStatement{StatementView: ViewStatement(snap, s, viewer), AgreedRevision: s.AgreedRevision().N,
			AgreedText: s.AgreedRevision().Text, Revised: s.RevisedAfterAgreement(), RevisedAfter: []RevisionView{}, Feedback: []FeedbackView{}}
		for i := s.AgreedRevision().N; i < len(s.Revisions); i++ {
			r := s.Revisions[i]
			d.RevisedAfter = append(d.RevisedAfter, RevisionView{N: r.N, Text: r.Text, Author: NameOf(snap, r.Author), At: r.At,
				Reason: r.Reason, Changes: session.DiffWords(s.Revisions[i-1].Text, r.Text)})
		}
		if fs := byStatement[s.ID]; fs != nil {
			d.Feedback = fs
		}
		out = append(out, d)
	}
	return out
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
	snap := env.Hub.Snapshot()
	draft := DraftStatements(snap, env.Actor)
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
			fmt.Fprintf(w, "        agreed at revision %d, check #%d: %s\n", d.AgreedRevision, d.Result.ID, checkLine(*d.Result))
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
			fmt.Fprintf(env.Out, "the report names you as %s among those who took part (credit off to stop)\n", p.Name)
		default:
			fmt.Fprintln(env.Out, "the report does not name you (credit on to be named among those who took part)")
		}
		return nil
	}
	switch strings.ToLower(a.pos[0]) {
	case "on":
		return do(ctx, env, session.SetCredit{On: true}, "the report will name you among those who took part (credit off to undo)")
	case "off":
		return do(ctx, env, session.SetCredit{On: false}, "the report will not name you")
	}
	return a.usageErr("on or off, not %q", session.CleanLine(a.pos[0]))
}
