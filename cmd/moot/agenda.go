package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
func checkAgenda(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: moot check FILE...")
		return 2
	}
	code := 0
	for _, path := range args {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "moot check: %v\n", err)
			code = 1
			continue
		}
		f, err := agenda.Parse(data)
		if err != nil {
			var ps agenda.Problems
			n := 1
			if errors.As(err, &ps) {
				n = len(ps)
			}
			fmt.Fprintf(stderr, "%s: %d problem%s\n%s\n", path, n, plural(n), indent(err.Error()))
			code = 1
			continue
		}
		joining := "keys only"
		if f.JoinCode != "" {
			joining = "keys or the join code"
		}
		fmt.Fprintf(stdout, "ok: %s: %d step%s, %d theme%s, %d facilitator%s, %d sector%s; forum %q (ssh %s@HOST; %s)\n",
			path, len(f.Steps), plural(len(f.Steps)), len(f.Themes), plural(len(f.Themes)),
			len(f.Facilitators), plural(len(f.Facilitators)), len(f.Sectors), plural(len(f.Sectors)), f.Slug, f.Slug, joining)
		if len(f.Facilitators) == 0 {
			fmt.Fprintf(stdout, "note: %s names no facilitators; serve it with --facilitators FILE or nobody can steer it\n", path)
		}
	}
	return code
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
