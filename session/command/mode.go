package command

import (
	"context"
	"strings"

	"moot/session"
	"moot/session/catalogue"
)

func init() {
	register(
		&spec{name: "mode", args: "[line|screen]", summary: "command.mode.summary", run: runMode},
		&spec{name: "quiet", args: "[on|off]", summary: "command.quiet.summary", run: runQuiet},
		&spec{name: "lang", args: "[CODE|forum]", summary: "command.lang.summary", run: runLang},
		&spec{name: "live", summary: "command.live.summary", run: runLive},
	)
}

func runMode(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	if len(a.pos) == 0 {
		me, ok := env.Hub.Snapshot().ViewFor(env.Actor).Me()
		switch {
		case !ok:
			return session.ErrNameFirst
		case me.Mode == session.ModeLine:
			env.say("command.mode.line")
		default:
			env.say("command.mode.screen")
		}
		return nil
	}
	mode, err := session.ParseMode(a.pos[0])
	if err != nil {
		return a.usageOf(err)
	}
	if mode == session.ModeLine {
		return do(ctx, env, session.ChooseMode{Mode: mode}, "command.mode.saved_line")
	}
	return do(ctx, env, session.ChooseMode{Mode: mode}, "command.mode.saved_screen")
}

func runQuiet(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	if len(a.pos) == 0 {
		me, ok := env.Hub.Snapshot().ViewFor(env.Actor).Me()
		switch {
		case !ok:
			return session.ErrNameFirst
		case me.Quiet:
			env.say("command.quiet.on")
		default:
			env.say("command.quiet.off")
		}
		return nil
	}
	switch strings.ToLower(a.pos[0]) {
	case "on":
		return do(ctx, env, session.ChooseQuiet{Quiet: true}, "command.quiet.saved_on")
	case "off":
		return do(ctx, env, session.ChooseQuiet{Quiet: false}, "command.quiet.saved_off")
	}
	return a.usageErr("command.on_or_off", session.CleanLine(a.pos[0]))
}

// runLive is reached only where a session is live already: the server
// opens line mode for ssh HOST live before the command language sees it.
func runLive(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	if env.Console {
		return usage("command.live.already")
	}
	return usage("command.live.own_session")
}

func runLang(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	c := env.Catalogue
	if c == nil {
		c = catalogue.Default()
	}
	there := catalogue.Commas(toAny(c.Languages()))
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	forum := v.Forum().Lang
	if forum == "" {
		forum = catalogue.English
	}
	if len(a.pos) == 0 {
		me, ok := v.Me()
		switch {
		case !ok:
			return session.ErrNameFirst
		case me.Lang != "" && c.Has(me.Lang):
			env.say("command.lang.own", me.Lang, forum, there)
		default:
			env.say("command.lang.forum", forum, there)
		}
		return nil
	}
	code := a.pos[0]
	// The answer is in the language chosen: the person reads it from now.
	answer := func(lang string) Env {
		in := env
		in.Printer = c.Printer(lang, v.Forum().Lang)
		if env.Printer != nil && env.Printer.IsSpoken() {
			in.Printer = in.Printer.Spoken()
		}
		return in
	}
	if strings.EqualFold(code, "forum") {
		return do(ctx, answer(""), session.ChooseLang{Lang: ""}, "command.lang.saved_forum", forum)
	}
	for _, l := range c.Languages() {
		if strings.EqualFold(l, code) {
			return do(ctx, answer(l), session.ChooseLang{Lang: l}, "command.lang.saved", l)
		}
	}
	return a.usageErr("command.lang.no_such", session.CleanLine(code), there)
}
