package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// newFlags is a moot command's flag set: its usage and its errors go to
// stderr, and about, when given, comes before the flags in its usage.
func newFlags(name string, stderr io.Writer, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if about != "" {
		fs.Usage = func() {
			fmt.Fprint(stderr, about)
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags reads args into fs. When the command must stop there, stop
// is true and exit is its status: 0 after -h (the usage was printed), 2
// after a flag it does not know (the flag package said which).
func parseFlags(fs *flag.FlagSet, args []string) (exit int, stop bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	return 0, false
}

// parseFlagsOnly is parseFlags for a command that takes flags alone: an
// argument left over is refused.
func parseFlagsOnly(fs *flag.FlagSet, args []string) (exit int, stop bool) {
	if exit, stop := parseFlags(fs, args); stop {
		return exit, stop
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, true
	}
	return 0, false
}

// dataFlag is --data, the server's data folder, as every command names it.
func dataFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "data", envOr("MOOT_DATA", "moot-data"), "the server's data folder: moot.db (the forums), the host key, lang/ (translations) (env MOOT_DATA)")
}

// translationsFlag is --translations, the folder of translations, named
// alike by every command that reads them (serve, check, export) so that
// none confuses it with a language's code (lang CODE, export --lang CODE).
func translationsFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "translations", os.Getenv("MOOT_TRANSLATIONS"), "folder of translations, one file a language (fr.yaml), each checked when read; default: lang/ in the data folder (env MOOT_TRANSLATIONS)")
}
