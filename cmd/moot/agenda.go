package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"moot/session"
	"moot/session/agenda"
)

// initAgenda writes the commented example agenda to FILE (agenda.yaml by
// default; "-" for standard output), never over an existing file.
func initAgenda(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 || (len(args) == 1 && strings.HasPrefix(args[0], "-") && args[0] != "-") {
		fmt.Fprintln(stderr, "usage: moot init [FILE]   (default agenda.yaml; - writes to standard output)")
		return 2
	}
	path := "agenda.yaml"
	if len(args) == 1 {
		path = args[0]
	}
	if path == "-" {
		_, _ = stdout.Write(agenda.Example)
		return 0
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(stderr, "moot init: %s already exists; not overwriting it (name another file)\n", path)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "moot init: %v\n", err)
		return 1
	}
	_, err = f.Write(agenda.Example)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "moot init: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: an example agenda, every field explained.\nEdit it, then: moot check %s\n", path, path)
	return 0
}

// checkAgenda validates agenda files and reports every problem with its
// line; it exits 1 if any file has a problem.
//
// The agendas are checked against the server's languages: the
// translations in --translations (default: lang/ in the --data folder), which are
// checked too.
func checkAgenda(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot check", stderr, "")
	var data string
	dataFlag(fs, &data)
	var translations string
	translationsFlag(fs, &translations)
	if exit, stop := parseFlags(fs, args); stop {
		return exit
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: moot check [--data DIR] [--translations DIR] FILE...")
		return 2
	}
	cat, err := loadCatalogue(translationsDir(translations, data))
	if err != nil {
		fmt.Fprintf(stderr, "moot check: %v\n", err)
		return 1
	}
	code := 0
	for _, path := range fs.Args() {
		data, err := agenda.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "moot check: %v\n", err)
			code = 1
			continue
		}
		f, err := agenda.ParseFor(data, cat)
		if err != nil {
			var ps agenda.Problems
			n := 1
			if errors.As(err, &ps) {
				n = len(ps)
			}
			fmt.Fprintf(stderr, "%s: %s\n%s\n", path, session.Count(n, "problem", "problems"), indent(err.Error()))
			code = 1
			continue
		}
		joining := "keys only"
		if f.JoinCode != "" {
			joining = "keys or the join code"
		}
		fmt.Fprintf(stdout, "ok: %s: %s, %s, %s, %s; forum %q (ssh %s@HOST; %s)\n",
			path, session.Count(len(f.Steps), "step", "steps"), session.Count(len(f.Themes), "theme", "themes"),
			session.Count(len(f.Facilitators), "facilitator", "facilitators"), session.Count(len(f.Sectors), "sector", "sectors"),
			f.Slug, f.Slug, joining)
		if len(f.Facilitators) == 0 {
			fmt.Fprintf(stdout, "note: %s names no facilitators; serve it with --facilitators FILE or nobody can steer it\n", path)
		}
	}
	return code
}
