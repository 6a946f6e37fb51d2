package command

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"moot/session"
)

func init() {
	register(
		&spec{name: "poll",
			args:    "open KIND QUESTION [--option TEXT]... [--points N] [--label TEXT]... [--max N] [--words N] [--live] [--evaluation]|open --agenda|close [ID] [--all]|results ID [--json] [--by-sector]|hide ID N --reason R|restore ID N",
			summary: "a poll's results (facilitators: open or close a poll, hide or restore an answer)",
			flags: map[string]bool{"option": true, "points": true, "label": true, "max": true, "words": true, "live": false, "secret": false,
				"evaluation": false, "agenda": false, "all": false, "json": false, "by-sector": false, "reason": true},
			text:      map[string]bool{"option": true, "label": true, "reason": true},
			textAfter: map[string]int{"open": 2}, run: runPoll},
		&spec{name: "polls", args: "[--json]", summary: "list the polls, with your answers", flags: map[string]bool{"json": false}, run: runPolls},
		&spec{name: "answer", args: "POLL POINT|CHOICE...|TEXT|POLL --clear", summary: "answer a poll (again to change your answer, while it is open)",
			flags: map[string]bool{"clear": false}, textAfter: map[string]int{"": 1}, run: runAnswer},
	)
}

func pollArg(a *args, v *session.View, s string) (*session.PollView, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return nil, a.usageErr("%q is not a poll number", session.CleanLine(s))
	}
	p, ok := v.FindPoll(id)
	if !ok {
		return nil, fmt.Errorf("no poll #%d (see: polls)", id)
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
		return a.usageErr("open, close, results, hide or restore, not %q", session.CleanLine(a.pos[0]))
	}
	if !v.Facilitator() {
		return session.Forbidden(fmt.Sprintf("poll %s: only a facilitator can do that", verb))
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
		return a.usageErr("%q is not an answer's number (poll results %d --json gives them to facilitators)", session.CleanLine(a.pos[2]), p.ID)
	}
	if verb == "hide" {
		reason := strings.TrimSpace(a.value["reason"])
		if reason == "" {
			return a.usageErr("say why (--reason)")
		}
		return do(ctx, env, session.ModerateAnswer{Poll: p.ID, N: n, Hidden: true, Reason: reason}, "answer %d to poll #%d hidden", n, p.ID)
	}
	return do(ctx, env, session.ModerateAnswer{Poll: p.ID, N: n}, "answer %d to poll #%d restored", n, p.ID)
}

func openPoll(ctx context.Context, env Env, a *args) error {
	c := session.OpenPoll{Evaluation: a.set["evaluation"], Agenda: a.set["agenda"]}
	if c.Agenda {
		if len(a.pos) != 1 || a.text != "" {
			return a.usageErr("--agenda opens the agenda's polls for this step; it takes no kind or question")
		}
	} else {
		if len(a.pos) != 2 {
			return a.usageErr("say the kind of poll (%s) and the question", session.PollKindNames)
		}
		kind, err := session.ParsePollKind(a.pos[1])
		if err != nil {
			return err
		}
		question, err := a.needText("the poll needs a question")
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
			return a.usageErr("a poll is --live or --secret, not both")
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
		kind := "secret until it closes"
		if !p.Secret {
			kind = "live: results show as people answer"
		}
		fmt.Fprintf(env.Out, "poll #%d open: %s, %s\n", p.ID, describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words), kind)
	}
	return nil
}

// describeKind says what a poll asks for, in a few words.
func describeKind(kind session.PollKind, points, options, most, words int) string {
	switch kind {
	case session.PollScale:
		return fmt.Sprintf("a scale of %d points", points)
	case session.PollChoice:
		return fmt.Sprintf("one of %d options", options)
	case session.PollMultiple:
		return fmt.Sprintf("up to %d of %d options", most, options)
	case session.PollWords:
		return "up to " + session.Count(words, "word", "words")
	}
	return "an open answer"
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
			return a.usageErr("say which poll to close (%s open; --all closes every one)", session.Count(len(ids), "poll is", "polls are"))
		}
	}
	for _, id := range ids {
		if err := env.Hub.Do(ctx, env.Actor, session.ClosePoll{Poll: id}); err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "poll #%d closed; see: poll results %d\n", id, id)
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
		fmt.Fprintln(env.Out, "no polls yet")
	}
	for _, p := range views {
		parts := []string{describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words), p.Status}
		if p.Secret {
			parts = append(parts, "secret")
		} else {
			parts = append(parts, "live")
		}
		if p.Respondents != nil {
			parts = append(parts, fmt.Sprintf("%d answered", *p.Respondents))
		}
		if p.Mine != nil {
			parts = append(parts, "yours: "+answerText(&p, p.Mine))
		}
		fmt.Fprintf(env.Out, "#%d %s (step %d) · %s\n", p.ID, p.Question, p.Step, strings.Join(parts, " · "))
		for i, c := range p.Choices() {
			if c != "" || p.Kind != session.PollScale {
				fmt.Fprintf(env.Out, "  %2d. %s\n", i+1, c)
			}
		}
	}
	return nil
}

// answerText is an answer as a line says it.
func answerText(p *session.PollView, a *session.AnswerView) string {
	switch {
	case a.Point > 0:
		if l := p.Labels[a.Point-1]; l != "" {
			return fmt.Sprintf("%d (%s)", a.Point, l)
		}
		return strconv.Itoa(a.Point)
	case len(a.Choices) > 0:
		var names []string
		for _, c := range a.Choices {
			names = append(names, fmt.Sprintf("%d. %s", c, p.Options[c-1]))
		}
		return strings.Join(names, ", ")
	case a.Hidden:
		return oneLine(a.Text, 50) + " (hidden by a facilitator)"
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
	state := p.Status
	if p.Results != nil && !p.Results.Final {
		state = "live, still open"
	}
	fmt.Fprintf(env.Out, "Poll #%d: %s (%s; %s", p.ID, p.Question, describeKind(p.Kind, p.Points, len(p.Options), p.Max, p.Words), state)
	if p.Respondents != nil {
		fmt.Fprintf(env.Out, "; %d answered", *p.Respondents)
	}
	fmt.Fprintln(env.Out, ")")
	if p.Mine != nil {
		fmt.Fprintf(env.Out, "your answer: %s\n", answerText(&p, p.Mine))
	}
	r := p.Results
	if r == nil {
		if p.Open() && p.Secret {
			return errors.New("its results show when the facilitator closes it")
		}
		return errors.New(p.Withheld)
	}
	bar := func(n, most int) string {
		if most == 0 {
			return ""
		}
		return strings.Repeat("▇", (n*20+most-1)/most)
	}
	switch {
	case len(r.Counts) > 0:
		most := 0
		for _, c := range r.Counts {
			most = max(most, c.Count)
		}
		for _, c := range r.Counts {
			fmt.Fprintf(env.Out, "%3d %-30s %-20s %3d %3.0f%%\n", c.N, oneLine(c.Label, 30), bar(c.Count, most), c.Count, c.Share*100)
		}
		if r.Mean != nil {
			fmt.Fprintf(env.Out, "mean %.2f · spread %.2f\n", *r.Mean, *r.Spread)
		}
		for _, s := range r.Sectors {
			line := fmt.Sprintf("\n%s · %d answered", session.GroupLabel(s.Sector, s.Pooled), s.Respondents)
			if s.Mean != nil {
				line += fmt.Sprintf(" · mean %.2f", *s.Mean)
			}
			fmt.Fprintln(env.Out, line)
			for i, n := range s.Counts {
				if n > 0 {
					fmt.Fprintf(env.Out, "  %2d. %-30s %3d\n", i+1, oneLine(r.Counts[i].Label, 30), n)
				}
			}
		}
		if r.SectorsNote != "" {
			fmt.Fprintf(env.Out, "\n%s\n", r.SectorsNote)
		}
	case p.Kind == session.PollWords:
		most := 0
		for _, w := range r.Words {
			most = max(most, w.Count)
		}
		for _, w := range r.Words {
			fmt.Fprintf(env.Out, "%-30s %-20s %3d\n", oneLine(w.Text, 30), bar(w.Count, most), w.Count)
		}
		if len(r.Words) == 0 {
			fmt.Fprintln(env.Out, "no answers")
		}
	default:
		for _, ans := range r.Answers {
			line := "- " + ans.Text
			if ans.N != 0 {
				line = fmt.Sprintf("%4d. %s", ans.N, ans.Text)
			}
			if ans.Hidden {
				line += " [hidden: " + ans.Reason + "]"
			}
			fmt.Fprintln(env.Out, line)
		}
		if len(r.Answers) == 0 {
			fmt.Fprintln(env.Out, "no answers")
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
		return a.usageErr("--clear takes no answer")
	case c.Clear:
	case a.text == "":
		return a.usageErr("give your answer (or --clear to take it back)")
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
		fmt.Fprintf(env.Out, "saved: no answer to poll #%d\n", p.ID)
		return nil
	}
	fmt.Fprintf(env.Out, "saved: poll #%d, %s\n", p.ID, answerText(p, mine))
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
	return 0, fmt.Errorf("poll #%d is a scale: answer with a point from 1 to %d, or the label of one", p.ID, p.Points)
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
			return nil, fmt.Errorf("poll #%d is a choice: answer with the numbers of options (1 to %d), or the text of one", p.ID, len(p.Options))
		}
		out = append(out, n)
	}
	return out, nil
}
