package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"moot/store"
)

// backup writes a consistent copy of the data folder's database. It only
// reads, so it works while a server is running on the same folder; the copy
// is the database as of one moment, and restores by putting it in place of
// moot.db in a data folder no server is using.
func backup(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot backup", stderr, "Usage: moot backup [--data DIR] FILE\n\nWrites a consistent copy of DIR/moot.db to FILE (which must not exist), while the server runs.\n")
	var data string
	dataFlag(fs, &data)
	// The flag may come after the file too: moot backup FILE --data DIR.
	var files []string
	for {
		if exit, stop := parseFlags(fs, args); stop {
			return exit
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "moot backup: give one FILE to write the copy to: moot backup --data DIR FILE")
		return 2
	}
	src := filepath.Join(data, "moot.db")
	if err := store.Backup(context.Background(), src, files[0]); err != nil {
		fmt.Fprintf(stderr, "moot backup: %v\n", err)
		return 1
	}
	size := ""
	if fi, err := os.Stat(files[0]); err == nil {
		size = fmt.Sprintf(" (%d KiB)", (fi.Size()+1023)>>10)
	}
	fmt.Fprintf(stdout, "moot backup: %s copied to %s%s\n", src, files[0], size)
	return 0
}
