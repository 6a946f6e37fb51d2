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
		&spec{name: "mode", args: "[line|screen]", summary: "how your terminal sessions open: line mode (sentences, one a line) or the full screen", run: runMode},
		&spec{name: "quiet", args: "[on|off]", summary: "line mode tells you only the facilitator's moves and what concerns you (on), or everything (off)", run: runQuiet},
		&spec{name: "lang", args: "[CODE|forum]", summary: "the language moot speaks to you (forum: the forum's); alone, says which and lists those there are", run: runLang},
		&spec{name: "live", summary: "follow the forum as sentences, one a line, typing commands as lines (ssh HOST live, or ssh -T HOST)", run: runLive},
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
			return fmt.Errorf("give your name first (name YOUR NAME)")
		case me.Mode == session.ModeLine:
			fmt.Fprintln(env.Out, "your terminal sessions open in line mode (mode screen for the full screen)")
		default:
			fmt.Fprintln(env.Out, "your terminal sessions open the full screen (mode line for line mode)")
		}
		return nil
	}
	mode, err := session.ParseMode(a.pos[0])
	if err != nil {
		return a.usageErr("%s", err)
	}
	if mode == session.ModeLine {
		return do(ctx, env, session.ChooseMode{Mode: mode}, "saved: from your next session on, your terminal sessions open in line mode, sentences one a line (mode screen to undo)")
	}
	return do(ctx, env, session.ChooseMode{Mode: mode}, "saved: from your next session on, your terminal sessions open the full screen where the terminal can draw one (mode line to undo)")
}

func runQuiet(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	if len(a.pos) == 0 {
		me, ok := env.Hub.Snapshot().ViewFor(env.Actor).Me()
		switch {
		case !ok:
			return fmt.Errorf("give your name first (name YOUR NAME)")
		case me.Quiet:
			fmt.Fprintln(env.Out, "quiet is on: line mode tells you only the facilitator's moves and what concerns you (quiet off for everything)")
		default:
			fmt.Fprintln(env.Out, "quiet is off: line mode tells you everything (quiet on for only the facilitator's moves and what concerns you)")
		}
		return nil
	}
	switch strings.ToLower(a.pos[0]) {
	case "on":
		return do(ctx, env, session.ChooseQuiet{Quiet: true}, "saved: quiet is on; line mode tells you only the facilitator's moves and what concerns you (quiet off to hear everything)")
	case "off":
		return do(ctx, env, session.ChooseQuiet{Quiet: false}, "saved: quiet is off; line mode tells you everything")
	}
	return a.usageErr("on or off, not %q", session.CleanLine(a.pos[0]))
}

// runLive is reached only where a session is live already: the server
// opens line mode for ssh HOST live before the command language sees it.
func runLive(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	if env.Console {
		return &UsageError{Msg: "live: you are following the forum live already (mode line has your terminal sessions open in line mode)"}
	}
	return &UsageError{Msg: "live opens a session of its own: ssh HOST live"}
}

func runLang(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	c := env.Catalogue
	if c == nil {
		c = catalogue.Default()
	}
	there := strings.Join(c.Languages(), ", ")
	v := env.Hub.Snapshot().ViewFor(env.Actor)
	forum := v.Forum().Lang
	if forum == "" {
		forum = catalogue.English
	}
	if len(a.pos) == 0 {
		me, ok := v.Me()
		switch {
		case !ok:
			return fmt.Errorf("give your name first (name YOUR NAME)")
		case me.Lang != "" && c.Has(me.Lang):
			fmt.Fprintf(env.Out, "moot speaks %s to you (lang forum for the forum's, %s); there are %s\n", me.Lang, forum, there)
		default:
			fmt.Fprintf(env.Out, "moot speaks the forum's language to you, %s (lang CODE for another); there are %s\n", forum, there)
		}
		return nil
	}
	code := a.pos[0]
	if strings.EqualFold(code, "forum") {
		return do(ctx, env, session.ChooseLang{Lang: ""}, fmt.Sprintf("saved: moot speaks the forum's language to you, %s", forum))
	}
	for _, l := range c.Languages() {
		if strings.EqualFold(l, code) {
			return do(ctx, env, session.ChooseLang{Lang: l}, fmt.Sprintf("saved: moot speaks %s to you (lang forum to undo)", l))
		}
	}
	return a.usageErr("this server has no language %q; there are %s", session.CleanLine(code), there)
}
