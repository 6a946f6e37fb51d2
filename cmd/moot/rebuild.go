package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"moot/session"
	"moot/store"
)

// rebuild reads every forum's log into its state, checking that each event
// applies, and makes the SQLite tables projected from the log again.
func rebuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot rebuild", stderr, `Usage: moot rebuild [--data DIR] [--store URL]

Every forum's event log is the truth; the SQLite tables beside it are
projections of it. rebuild reads each log into the forum's state, checking
that every event applies, and makes the tables again from it in one
transaction (the schema's rules checking every row), so a table that was
changed by hand, or that a newer moot projects differently, matches its log
again. Nothing changes if any event does not apply. A server running on the
same data waits for it. PostgreSQL keeps only the log: there, rebuild only
checks it.

`)
	var data string
	dataFlag(fs, &data)
	storeURL := fs.String("store", os.Getenv("MOOT_STORE"), storeFlagHelp)
	if exit, stop := parseFlagsOnly(fs, args); stop {
		return exit
	}
	ctx := context.Background()
	if *storeURL != "" {
		return checkLogs(ctx, data, *storeURL, stdout, stderr)
	}
	file := filepath.Join(data, "moot.db")
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "moot rebuild: no moot database in %s (--data DIR names the server's data folder)\n", data)
		return 1
	}
	st, err := store.Open(ctx, file)
	if err != nil {
		fmt.Fprintf(stderr, "moot rebuild: %v\n", err)
		return 1
	}
	defer st.Close()
	done, err := st.Rebuild(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "moot rebuild: %v\n", err)
		return 1
	}
	for _, r := range done {
		fmt.Fprintf(stdout, "%s: %s replayed; tables rebuilt\n", r.Slug, eventCount(r.Events))
	}
	fmt.Fprintf(stdout, "rebuilt %s in %s\n", forumCount(len(done)), file)
	return 0
}

// checkLogs reads every forum's log in the PostgreSQL store into its state.
func checkLogs(ctx context.Context, dataDir, storeURL string, stdout, stderr io.Writer) int {
	s, err := openReader(ctx, dataDir, storeURL)
	if err != nil {
		fmt.Fprintf(stderr, "moot rebuild: %v\n", err)
		return 1
	}
	defer s.Close()
	slugs, err := s.Forums(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "moot rebuild: %v\n", err)
		return 1
	}
	for _, slug := range slugs {
		st, err := s.Forum(ctx, slug)
		if err != nil {
			fmt.Fprintf(stderr, "moot rebuild: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: %s replayed\n", slug, eventCount(st.Seq))
	}
	fmt.Fprintf(stdout, "checked %s in %s; PostgreSQL keeps only the log, so there are no tables to rebuild\n", forumCount(len(slugs)), where(dataDir, storeURL))
	return 0
}

func eventCount(n int64) string { return session.Count(int(n), "event", "events") }
func forumCount(n int) string   { return session.Count(n, "forum", "forums") }
