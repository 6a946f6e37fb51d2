// Package command is moot's command language. The same parser and executor
// serve SSH exec commands (ssh host step next) and the facilitator console's
// command line, so the two front ends can never disagree.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"moot/session"
	"moot/session/catalogue"
)

// Env is who runs a command, against which forum, and where its output goes.
type Env struct {
	// Hub is the forum; nil when the command came without one (ssh HOST
	// on a server of several forums), which only server commands accept.
	Hub *session.Hub
	// Actor is the SHA256 fingerprint of the key the command came with.
	Actor string
	Out   io.Writer
	// In is the command's standard input (forum add reads the agenda
	// from it); nil in the console.
	In io.Reader
	// Forums is the server, for the commands about its forums; nil in
	// the console.
	Forums Forums
	// Console is set when the command was typed in a screen's command
	// line rather than sent over SSH; commands whose output is a file
	// (export) refuse there.
	Console bool
	// Log, if set, is where a command that fails unexpectedly is logged.
	Log *slog.Logger
	// Rejoin is the rejoin code of a person who joined without a key, as
	// they gave it (or were given it) on this connection; whoami shows it
	// again. The server keeps no codes.
	Rejoin string
	// Line is set when the command was typed in line mode, where each
	// answer is a line read aloud and commands are typed as lines.
	Line bool
	// Catalogue has the languages the server speaks (lang, forum add);
	// nil: the ones moot ships.
	Catalogue *catalogue.Catalogue
}

// UsageError is a command typed wrongly; its message says how to type it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

type spec struct {
	name    string
	args    string // how the arguments are written, for help
	summary string
	// facilitator commands are refused to everyone else here, and again
	// by the Hub, which is the rule that counts.
	facilitator bool
	// server commands are about the server's forums, not one forum: they
	// run without a Hub.
	server bool
	// admin commands are refused to everyone but the server's admins
	// here, and again by the server, which is the rule that counts.
	admin bool
	// flags maps each --flag to whether it takes a value.
	flags map[string]bool
	// text names the flags whose value is free text, read as the
	// command's free text is (line.go).
	text map[string]bool
	// textAfter says where the command's free text begins: after how
	// many words, keyed by the first word (a verb such as add or edit),
	// or by "" for whatever the first word is. A command without it takes
	// no free text.
	textAfter map[string]int
	run       func(ctx context.Context, env Env, a *args) error
}

func (s *spec) usage() string {
	if s.args == "" {
		return s.name
	}
	return s.name + " " + s.args
}

// specs holds every command by name; each file registers its own.
var specs = map[string]*spec{}

func register(ss ...*spec) {
	for _, s := range ss {
		if _, dup := specs[s.name]; dup {
			panic("command registered twice: " + s.name)
		}
		specs[s.name] = s
	}
}

func init() {
	register(
		&spec{name: "help", args: "[COMMAND]", summary: "list the commands you may run", run: runHelp},
		&spec{name: "whoami", summary: "show your key fingerprint, name, sector and role (and a rejoin code)", run: runWhoami},
		&spec{name: "symbols", args: "ascii|unicode|auto", summary: "how your screens draw symbols (auto follows your terminal's LANG)", run: runSymbols},
		&spec{name: "name", args: "NAME [--sector SECTOR]", summary: "set your display name (and sector)", flags: map[string]bool{"sector": true}, text: map[string]bool{"sector": true}, textAfter: map[string]int{"": 0}, run: runName},
		&spec{name: "status", args: "[--json]", summary: "show the forum's step, timebox and who is here", flags: map[string]bool{"json": false}, run: runStatus},
		&spec{name: "participants", args: "[--json]", summary: "list participants: name, sector, connected", facilitator: true, flags: map[string]bool{"json": false}, run: runParticipants},
		&spec{name: "step", args: "next|prev|goto N", summary: "move the forum to another step (0 is the lobby)", facilitator: true, run: runStep},
		&spec{name: "timer", args: "start [MINUTES]|extend MINUTES|stop", summary: "run the step's timebox", facilitator: true, run: runTimer},
	)
}

// Run runs one command line as it was typed: the command of an SSH exec
// request as the server received it, or a line from a screen's command
// line. A returned error is for the person who typed it and means nothing
// was changed. A line over MaxLineBytes is refused before it is read.
func Run(ctx context.Context, env Env, line string) (err error) {
	defer recovered(env, line, &err)
	if err := CheckLine(line); err != nil {
		return err
	}
	i := skipSpace(line, 0)
	if i == len(line) {
		return &UsageError{Msg: "no command given; try: help"}
	}
	name, i := word(line, closings(line), i)
	s, ok := specs[strings.ToLower(name)]
	if !ok {
		return &UsageError{Msg: fmt.Sprintf("unknown command %q; try: help", session.CleanLine(name))}
	}
	if !s.server && env.Hub == nil {
		return &UsageError{Msg: fmt.Sprintf("%s is about one forum: name it as the SSH user (ssh SLUG@HOST %s); ssh HOST forums lists them", s.name, s.name)}
	}
	if s.facilitator && env.Hub.RoleOf(env.Actor) != session.RoleFacilitator {
		return session.Forbidden(fmt.Sprintf("%s: only a facilitator can do that", s.name))
	}
	if s.server && env.Forums == nil {
		return &UsageError{Msg: fmt.Sprintf("%s works over SSH only: ssh HOST %s", s.name, s.usage())}
	}
	if s.admin && !env.Forums.IsAdmin(env.Actor) {
		typed := s.name
		if verb := Name(line[i:]); verb != "" {
			typed += " " + session.CleanLine(verb)
		}
		return session.Forbidden(fmt.Sprintf("%s: only an admin of this server can do that (admins are named by moot serve --admins FILE)", typed))
	}
	a, err := parseArgs(s, line[i:])
	if err != nil {
		return err
	}
	return s.run(ctx, env, a)
}

type args struct {
	spec *spec
	pos  []string
	// text is the command's free text as typed (line.go); hasText tells
	// whether any was given.
	text    string
	hasText bool
	value   map[string]string
	set     map[string]bool
	// values holds every value of a flag given more than once, in order.
	values map[string][]string
}

func (a *args) usageErr(format string, v ...any) error {
	return &UsageError{Msg: fmt.Sprintf("%s: %s (usage: %s)", a.spec.name, fmt.Sprintf(format, v...), a.spec.usage())}
}

// want checks the number of positional arguments.
func (a *args) want(min, max int) error {
	switch {
	case len(a.pos) < min:
		return a.usageErr("missing argument")
	case max >= 0 && len(a.pos) > max:
		return a.usageErr("too many arguments")
	}
	return nil
}

// needText is the command's free text, or the error that names what is
// missing.
func (a *args) needText(what string) (string, error) {
	if a.text == "" {
		return "", a.usageErr("%s", what)
	}
	return a.text, nil
}

// ServerCommand tells whether the command named runs without a forum
// (forums, forum add), so that a front end can run it without one.
func ServerCommand(name string) bool {
	s, ok := specs[strings.ToLower(name)]
	return ok && s.server
}

// Commands lists the commands a role may run, for help screens; the
// admins' commands are not among them (help adds them for an admin).
func Commands(role session.Role) []string {
	var out []string
	for _, s := range specs {
		if s.admin {
			continue
		}
		if !s.facilitator || role == session.RoleFacilitator {
			out = append(out, fmt.Sprintf("%-36s %s", s.usage(), s.summary))
		}
	}
	sort.Strings(out)
	return out
}

func runHelp(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	role := env.Hub.RoleOf(env.Actor)
	if len(a.pos) == 1 {
		s, ok := specs[strings.ToLower(a.pos[0])]
		admin := env.Forums != nil && env.Forums.IsAdmin(env.Actor)
		if !ok || (s.facilitator && role != session.RoleFacilitator) || (s.admin && !admin) {
			return &UsageError{Msg: fmt.Sprintf("no command %q for a %s", session.CleanLine(a.pos[0]), role)}
		}
		fmt.Fprintf(env.Out, "%s\n  %s\n", s.usage(), s.summary)
		return nil
	}
	if env.Line {
		fmt.Fprintf(env.Out, "Commands for a %s, typed one a line:\n", role)
	} else {
		fmt.Fprintf(env.Out, "Commands for a %s (ssh HOST COMMAND, or : in the console):\n", role)
	}
	for _, line := range Commands(role) {
		fmt.Fprintf(env.Out, "  %s\n", line)
	}
	if env.Forums != nil && env.Forums.IsAdmin(env.Actor) {
		fmt.Fprintf(env.Out, "As an admin of this server (ssh HOST COMMAND):\n")
		var names []string
		for _, s := range specs {
			if s.admin {
				names = append(names, fmt.Sprintf("%-36s %s", s.usage(), s.summary))
			}
		}
		sort.Strings(names)
		for _, line := range names {
			fmt.Fprintf(env.Out, "  %s\n", line)
		}
	}
	return nil
}

// IsUsage tells whether err is a wrongly typed command rather than a refusal.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
