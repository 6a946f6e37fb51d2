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
	// Printer is the language the person reads: their own (lang), else
	// their forum's; in line mode, its spoken form. What the command
	// answers is printed with it; its errors are printed with it by the
	// front end that shows them (Printer.Error). Nil: English.
	Printer *catalogue.Printer
}

// printer is the language the command answers in.
func (env Env) printer() *catalogue.Printer {
	if env.Printer == nil {
		return env.Catalogue.Printer()
	}
	return env.Printer
}

// say writes a line: the catalogue's message of key with args, in the
// person's language.
func (env Env) say(key string, args ...any) {
	fmt.Fprintln(env.Out, env.printer().T(key, args...))
}

// ErrUsage matches (errors.Is) every command typed wrongly; its message
// says how to type it.
var ErrUsage = errors.New("usage")

// usage is a command typed wrongly: the catalogue's message of key with
// args.
func usage(key string, args ...any) error { return catalogue.ErrOf(ErrUsage, key, args...) }

type spec struct {
	name    string
	args    string // how the arguments are written, for help
	summary string // the key of its summary in the catalogue
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
		&spec{name: "help", args: "[COMMAND]", summary: "command.help.summary", run: runHelp},
		&spec{name: "whoami", summary: "command.whoami.summary", run: runWhoami},
		&spec{name: "symbols", args: "ascii|unicode|auto", summary: "command.symbols.summary", run: runSymbols},
		&spec{name: "name", args: "NAME [--sector SECTOR]", summary: "command.name.summary", flags: map[string]bool{"sector": true}, text: map[string]bool{"sector": true}, textAfter: map[string]int{"": 0}, run: runName},
		&spec{name: "status", args: "[--json]", summary: "command.status.summary", flags: map[string]bool{"json": false}, run: runStatus},
		&spec{name: "participants", args: "[--json]", summary: "command.participants.summary", facilitator: true, flags: map[string]bool{"json": false}, run: runParticipants},
		&spec{name: "step", args: "next|prev|goto N", summary: "command.step.summary", facilitator: true, run: runStep},
		&spec{name: "timer", args: "start [MINUTES]|extend MINUTES|stop", summary: "command.timer.summary", facilitator: true, run: runTimer},
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
		return usage("command.none")
	}
	name, i := word(line, closings(line), i)
	s, ok := specs[strings.ToLower(name)]
	if !ok {
		return usage("command.unknown", session.CleanLine(name))
	}
	if !s.server && env.Hub == nil {
		return usage("command.needs_forum", s.name, s.name)
	}
	if s.facilitator && env.Hub.RoleOf(env.Actor) != session.RoleFacilitator {
		return session.Forbidden("command.only_facilitator", s.name)
	}
	if s.server && env.Forums == nil {
		return usage("command.ssh_only", s.name, s.usage())
	}
	if s.admin && !env.Forums.IsAdmin(env.Actor) {
		typed := s.name
		if verb := Name(line[i:]); verb != "" {
			typed += " " + session.CleanLine(verb)
		}
		return session.Forbidden("command.only_admin", typed)
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

// usageErr is the command typed wrongly: the catalogue's message of key
// with args says how, and the command's usage follows it.
func (a *args) usageErr(key string, args ...any) error {
	return a.usageOf(catalogue.Msg(key, args...))
}

// usageOf is the command typed wrongly, as problem (a message or an
// error) says, its usage following.
func (a *args) usageOf(problem any) error {
	return usage("command.usage", a.spec.name, problem, a.spec.usage())
}

// want checks the number of positional arguments.
func (a *args) want(min, max int) error {
	switch {
	case len(a.pos) < min:
		return a.usageErr("command.missing_argument")
	case max >= 0 && len(a.pos) > max:
		return a.usageErr("command.too_many_arguments")
	}
	return nil
}

// needText is the command's free text, or the error that names what is
// missing: the message of key.
func (a *args) needText(key string) (string, error) {
	if a.text == "" {
		return "", a.usageErr(key)
	}
	return a.text, nil
}

// ServerCommand tells whether the command named runs without a forum
// (forums, forum add), so that a front end can run it without one.
func ServerCommand(name string) bool {
	s, ok := specs[strings.ToLower(name)]
	return ok && s.server
}

// Commands lists the commands a role may run, with their summaries in
// p's language, for help screens; the admins' commands are not among them
// (help adds them for an admin).
func Commands(p *catalogue.Printer, role session.Role) []string {
	return summaries(p, func(s *spec) bool { return !s.admin && (!s.facilitator || role == session.RoleFacilitator) })
}

// summaries are the commands that pass, each with its summary, in order.
func summaries(p *catalogue.Printer, pass func(*spec) bool) []string {
	var out []string
	for _, s := range specs {
		if pass(s) {
			out = append(out, fmt.Sprintf("%-36s %s", s.usage(), p.T(s.summary)))
		}
	}
	sort.Strings(out)
	return out
}

func runHelp(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 1); err != nil {
		return err
	}
	p := env.printer()
	role := env.Hub.RoleOf(env.Actor)
	if len(a.pos) == 1 {
		s, ok := specs[strings.ToLower(a.pos[0])]
		admin := env.Forums != nil && env.Forums.IsAdmin(env.Actor)
		if !ok || (s.facilitator && role != session.RoleFacilitator) || (s.admin && !admin) {
			return usage("command.help.no_such", session.CleanLine(a.pos[0]), roleWord(role))
		}
		fmt.Fprintf(env.Out, "%s\n  %s\n", s.usage(), p.T(s.summary))
		return nil
	}
	if env.Line {
		env.say("command.help.line", roleWord(role))
	} else {
		env.say("command.help.heading", roleWord(role))
	}
	for _, line := range Commands(p, role) {
		fmt.Fprintf(env.Out, "  %s\n", line)
	}
	if env.Forums != nil && env.Forums.IsAdmin(env.Actor) {
		env.say("command.help.admin")
		for _, line := range summaries(p, func(s *spec) bool { return s.admin }) {
			fmt.Fprintf(env.Out, "  %s\n", line)
		}
	}
	return nil
}

// roleWord is how a message names a role.
func roleWord(r session.Role) catalogue.Text {
	if r == session.RoleFacilitator {
		return catalogue.Msg("command.role.facilitator")
	}
	return catalogue.Msg("command.role.participant")
}

// IsUsage tells whether err is a wrongly typed command rather than a refusal.
func IsUsage(err error) bool { return errors.Is(err, ErrUsage) }
