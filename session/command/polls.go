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
		&spec{name: "poll",
			args:    "open KIND QUESTION [--option TEXT]... [--points N] [--label TEXT]... [--max N] [--words N] [--live] [--evaluation]|open --agenda|close [ID] [--all]|results ID [--json] [--by-sector]|hide ID N --reason R|restore ID N",
			summary: "command.poll.summary",
			flags: map[string]bool{"option": true, "points": true, "label": true, "max": true, "words": true, "live": false, "secret": false,
				"evaluation": false, "agenda": false, "all": false, "json": false, "by-sector": false, "reason": true},
			text:      map[string]bool{"option": true, "label": true, "reason": true},
			textAfter: map[string]int{"open": 2}, run: runPoll},
		&spec{name: "polls", args: "[--json]", summary: "command.polls.summary", flags: map[string]bool{"json": false}, run: runPolls},
		&spec{name: "answer", args: "POLL POINT|CHOICE...|TEXT|POLL --clear", summary: "command.answer.summary",
			flags: map[string]bool{"clear": false}, textAfter: map[string]int{"": 1}, run: runAnswer},
	)
}

func pollArg(a *args, v *session.View, s string) (*session.PollView, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return nil, a.usageErr("command.poll.not_a_number", session.CleanLine(s))
	}
	p, ok := v.FindPoll(id)
	if !ok {
		return nil, catalogue.Err("session.poll.no_such", id)
	}
	return p, nil
}

func runPoll(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 3); err != nil {
		return err
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	verb := strings.ToLower(a.pos[0])
	switch verb {
	case "results":
		if err := a.want(2, 2); err != nil {
			return err
		}
		p, err := pollArg(a, v, a.pos[1])
		if err != nil {
			return err
		}
		return showPoll(env, a, v, p)
	case "open", "close", "hide", "restore":
	default:
		return a.usageErr("command.poll.no_such_verb", session.CleanLine(a.pos[0]))
	}
	if !v.Facilitator() {
		return session.Forbidden("command.only_facilitator", "poll "+verb)
	}
	switch verb {
	case "open":
		return openPoll(ctx, env, a)
	case "close":
		return closePolls(ctx, env, a, v)
	}
	if err := a.want(3, 3); err != nil {
		return err
	}
	p, err := pollArg(a, v, a.pos[1])
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(a.pos[2], "#"))
	if err != nil || n < 1 {
		return a.usageErr("command.poll.not_an_answer", session.CleanLine(a.pos[2]), p.ID)
	}
	if verb == "hide" {
		reason := strings.TrimSpace(a.value["reason"])
		if reason == "" {
			return a.usageErr("command.hide.why")
		}
		return do(ctx, env, session.ModerateAnswer{Poll: p.ID, N: n, Hidden: true, Reason: reason}, "command.poll.hidden", n, p.ID)
	}
	return do(ctx, env, session.ModerateAnswer{Poll: p.ID, N: n}, "command.poll.restored", n, p.ID)
}

func openPoll(ctx context.Context, env Env, a *args) error {
	c := session.OpenPoll{Evaluation: a.set["evaluation"], Agenda: a.set["agenda"]}
	if c.Agenda {
		if len(a.pos) != 1 || a.text != "" {
			return a.usageErr("command.poll.agenda_alone")
		}
	} else {
		if len(a.pos) != 2 {
			return a.usageErr("command.poll.kind_and_question", session.PollKindNames)
		}
		kind, err := session.ParsePollKind(a.pos[1])
		if err != nil {
			return err
		}
		question, err := a.needText("command.poll.question_missing")
		if err != nil {
			return err
		}
		c.Spec = session.PollSpec{Question: question, Kind: kind, Options: a.values["option"], Labels: a.values["label"]}
		if c.Spec.Points, err = intFlag(a, "points", 1); err != nil {
			return err
		}
		if c.Spec.Max, err = intFlag(a, "max", 0); err != nil {
			return err
		}
		if c.Spec.Words, err = intFlag(a, "words", 1); err != nil {
			return err
		}
		if a.set["live"] && a.set["secret"] {
			return a.usageErr("command.poll.live_or_secret")
		}
		if a.set["live"] || a.set["secret"] {
			secret := a.set["secret"]
			c.Spec.Secret = &secret
		}
	}
	events, err := env.Hub.Apply(ctx, env.Actor, c)
	if err != nil {
		return err
	}
	for _, e := range events {
		p := e.(session.PollOpened).Poll
		if p.Secret {
			env.say("command.poll.opened_secret", p.ID, describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words))
		} else {
			env.say("command.poll.opened_live", p.ID, describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words))
		}
	}
	return nil
}

// describeKind says what a poll asks for, in a few words.
func describeKind(kind session.PollKind, points, options, most, words int) catalogue.Text {
	switch kind {
	case session.PollScale:
		return catalogue.Msg("command.poll.kind.scale", points)
	case session.PollChoice:
		return catalogue.Msg("command.poll.kind.choice", options)
	case session.PollMultiple:
		return catalogue.Msg("command.poll.kind.multiple", options, most)
	case session.PollWords:
		return catalogue.Msg("command.poll.kind.words", words)
	}
	return catalogue.Msg("command.poll.kind.open")
}

func closePolls(ctx context.Context, env Env, a *args, v *session.View) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	var ids []int64
	if len(a.pos) == 2 {
		p, err := pollArg(a, v, a.pos[1])
		if err != nil {
			return err
		}
		ids = []int64{p.ID}
	} else {
		for _, p := range v.Polls() {
			if p.Open() {
				ids = append(ids, p.ID)
			}
		}
		if len(ids) != 1 && !(a.set["all"] && len(ids) > 0) {
			return a.usageErr("command.poll.which", len(ids))
		}
	}
	for _, id := range ids {
		if err := env.Hub.Do(ctx, env.Actor, session.ClosePoll{Poll: id}); err != nil {
			return err
		}
		env.say("command.poll.closed", id, id)
	}
	return nil
}

func runPolls(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	views := []session.PollView{}
	for _, p := range v.Polls() {
		views = append(views, v.Poll(p))
	}
	if a.set["json"] {
		return writeJSON(env, views)
	}
	if len(views) == 0 {
		env.say("command.polls.none")
	}
	pr := env.printer()
	for _, p := range views {
		parts := []string{pr.Text(describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words)), pr.Text(statusWord(p.Status))}
		if p.Secret {
			parts = append(parts, pr.T("command.secret"))
		} else {
			parts = append(parts, pr.T("command.live"))
		}
		if p.Respondents != nil {
			parts = append(parts, pr.T("command.answered", *p.Respondents))
		}
		if p.Mine != nil {
			parts = append(parts, pr.T("command.polls.yours", answerText(&p, p.Mine)))
		}
		env.say("command.polls.heading", p.ID, p.Question, p.Step, joinParts(pr, parts))
		for i, c := range p.Choices() {
			if c != "" || p.Kind != session.PollScale {
				env.say("command.item", fmt.Sprintf("%2d", i+1), c)
			}
		}
	}
	return nil
}

// answerText is an answer as a line says it.
func answerText(p *session.PollView, a *session.AnswerView) any {
	switch {
	case a.Point > 0:
		if l := p.Labels[a.Point-1]; l != "" {
			return fmt.Sprintf("%d (%s)", a.Point, l)
		}
		return strconv.Itoa(a.Point)
	case len(a.Choices) > 0:
		var names catalogue.Commas
		for _, c := range a.Choices {
			names = append(names, fmt.Sprintf("%d. %s", c, p.Options[c-1]))
		}
		return names
	case a.Hidden:
		return catalogue.Msg("command.answer.hidden", oneLine(a.Text, 50))
	}
	return oneLine(a.Text, 60)
}

func showPoll(env Env, a *args, v *session.View, pv *session.PollView) error {
	p := v.Poll(pv)
	if p.Results != nil && !a.set["by-sector"] {
		r := *p.Results
		r.Sectors, r.SectorsNote = nil, ""
		p.Results = &r
	}
	if a.set["json"] {
		return writeJSON(env, p)
	}
	pr := env.printer()
	var state any = statusWord(p.Status)
	if p.Results != nil && !p.Results.Final {
		state = catalogue.Msg("command.live_still_open")
	}
	kind := describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words)
	if p.Respondents != nil {
		env.say("command.poll.heading_answered", p.ID, p.Question, kind, state, *p.Respondents)
	} else {
		env.say("command.poll.heading", p.ID, p.Question, kind, state)
	}
	if p.Mine != nil {
		env.say("command.poll.yours", answerText(&p, p.Mine))
	}
	r := p.Results
	if r == nil {
		if p.Open() && p.Secret {
			return catalogue.Err("command.poll.secret")
		}
		return catalogue.Err(p.Why.Key, p.Why.Args...)
	}
	switch {
	case len(r.Counts) > 0:
		most := 0
		for _, c := range r.Counts {
			most = max(most, c.Count)
		}
		for _, c := range r.Counts {
			fmt.Fprintf(env.Out, "%3d %-30s %-20s %3d %3.0f%%\n", c.N, oneLine(c.Label, 30), bar(pr, c.Count, most), c.Count, c.Share*100)
		}
		if r.Mean != nil {
			env.say("command.poll.mean", catalogue.Decimal(*r.Mean, 2), catalogue.Decimal(*r.Spread, 2))
		}
		for _, s := range r.Sectors {
			fmt.Fprintln(env.Out)
			if s.Mean != nil {
				env.say("command.poll.sector_mean", session.GroupName(s.Sector, s.Pooled), s.Respondents, catalogue.Decimal(*s.Mean, 2))
			} else {
				env.say("command.poll.sector", session.GroupName(s.Sector, s.Pooled), s.Respondents)
			}
			for i, n := range s.Counts {
				if n > 0 {
					fmt.Fprintf(env.Out, "  %2d. %-30s %3d\n", i+1, oneLine(r.Counts[i].Label, 30), n)
				}
			}
		}
		if !r.SectorsWhy.IsZero() {
			fmt.Fprintln(env.Out)
			fmt.Fprintln(env.Out, pr.Text(r.SectorsWhy))
		}
	case p.Kind == session.PollWords:
		most := 0
		for _, w := range r.Words {
			most = max(most, w.Count)
		}
		for _, w := range r.Words {
			fmt.Fprintf(env.Out, "%-30s %-20s %3d\n", oneLine(w.Text, 30), bar(pr, w.Count, most), w.Count)
		}
		if len(r.Words) == 0 {
			env.say("command.poll.no_answers")
		}
	default:
		for _, ans := range r.Answers {
			n := "-"
			if ans.N != 0 {
				n = fmt.Sprintf("%4d.", ans.N)
			}
			if ans.Hidden {
				env.say("command.poll.answer_hidden", n, ans.Text, ans.Reason)
			} else {
				fmt.Fprintf(env.Out, "%s %s\n", n, ans.Text)
			}
		}
		if len(r.Answers) == 0 {
			env.say("command.poll.no_answers")
		}
	}
	return nil
}

func runAnswer(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	p, err := pollArg(a, v, a.pos[0])
	if err != nil {
		return err
	}
	c := session.AnswerPoll{Poll: p.ID, Clear: a.set["clear"]}
	switch {
	case c.Clear && a.text != "":
		return a.usageErr("command.answer.clear_alone")
	case c.Clear:
	case a.text == "":
		return a.usageErr("command.answer.missing")
	case p.Kind == session.PollScale:
		if c.Point, err = scalePoint(p, a.text); err != nil {
			return err
		}
	case p.Counted():
		if c.Choices, err = choices(p, a.text); err != nil {
			return err
		}
	default:
		c.Text = a.text
	}
	if err := env.Hub.Do(ctx, env.Actor, c); err != nil {
		return err
	}
	mine := env.Hub.Snapshot().ViewFor(env.Actor).MyAnswer(p.ID)
	if mine == nil {
		env.say("command.answer.saved_none", p.ID)
		return nil
	}
	env.say("command.answer.saved", p.ID, answerText(p, mine))
	return nil
}

// scalePoint reads a point on a scale: its number, or its label.
func scalePoint(p *session.PollView, text string) (int, error) {
	if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
		return n, nil
	}
	for i, l := range p.Labels {
		if l != "" && strings.EqualFold(l, session.CleanLine(unquote(text))) {
			return i + 1, nil
		}
	}
	return 0, catalogue.Err("command.answer.point", p.ID, p.Points)
}

// choices reads options chosen: their numbers (3, or 1 3, or 1,3), or the
// text of one option.
func choices(p *session.PollView, text string) ([]int, error) {
	for _, o := range p.Options {
		if strings.EqualFold(o, session.CleanLine(unquote(text))) {
			for i, x := range p.Options {
				if x == o {
					return []int{i + 1}, nil
				}
			}
		}
	}
	var out []int
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		n, err := strconv.Atoi(strings.TrimPrefix(w, "#"))
		if err != nil {
			return nil, catalogue.Err("command.answer.choices", p.ID, len(p.Options))
		}
		out = append(out, n)
	}
	return out, nil
}
