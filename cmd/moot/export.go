package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/report"
	"moot/store"
	"moot/store/postgres"
)

// export writes a forum's report from the data folder. It only reads the
// database, so it works while a server is running on the same folder.
func export(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot export", stderr, "")
	var data string
	dataFlag(fs, &data)
	storeURL := fs.String("store", os.Getenv("MOOT_STORE"), storeFlagHelp)
	slug := fs.String("forum", "", "the forum's slug; may be left out when the data holds one forum")
	format := fs.String("format", "md", "md or html (a report to read and publish), json (the complete forum) or csv (tables)")
	kind := fs.String("kind", "", "with --format csv: one table ("+strings.Join(report.Kinds(), ", ")+") instead of all")
	orderName := fs.String("order", "agreed", "the report's order: agreed (the agreed statements first) or forum (the forum's steps in order)")
	out := fs.String("out", "", "where to write: a file; for csv, a folder or a .zip file; standard output when empty")
	lang := fs.String("lang", "", "the language of the report to read (en, en-XA, or a translation's code); default: the forum's; a translation's code is one of those in the folder of translations (--translations)")
	var translations string
	translationsFlag(fs, &translations)
	if exit, stop := parseFlagsOnly(fs, args); stop {
		return exit
	}
	*format = strings.ToLower(*format)
	order, err := report.ParseOrder(*orderName)
	if err == nil {
		err = report.CheckFormat(*format, *kind)
	}
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "moot export: %v\n", err)
		return 2
	case *format == report.CSV && *kind == "" && *out == "":
		fmt.Fprintln(stderr, "moot export: csv makes one file per table: give --out FOLDER or --out FILE.zip, or --kind KIND for one table on standard output")
		return 2
	}
	dir := translationsDir(translations, data)
	cat, err := loadCatalogue(dir)
	if err != nil {
		fmt.Fprintf(stderr, "moot export: %v\n", err)
		return 1
	}
	if *lang, err = report.Language(cat, *lang); err != nil {
		fmt.Fprintf(stderr, "moot export: %v\n", err)
		return 2
	}
	r, forumLang, err := loadReport(context.Background(), data, *storeURL, *slug, order, cat, *lang)
	if err != nil {
		fmt.Fprintf(stderr, "moot export: %v\n", err)
		return 1
	}
	if *lang == "" && forumLang != "" && !cat.Has(forumLang) && (*format == report.Markdown || *format == report.HTML) {
		fmt.Fprintf(stderr, "moot export: the forum's language, %s, has no translation in %s: the report is in English\n", forumLang, dir)
	}
	if err := writeReport(r, *format, *kind, *out, stdout); err != nil {
		fmt.Fprintf(stderr, "moot export: %v\n", err)
		return 1
	}
	if *out != "" {
		fmt.Fprintf(stderr, "wrote %s\n", *out)
	}
	return 0
}

// forumReader reads forums for a report: the SQLite file, read only, or
// the PostgreSQL database.
type forumReader interface {
	session.LogReader
	Forums(ctx context.Context) ([]string, error)
	Forum(ctx context.Context, slug string) (*session.State, error)
	Close() error
}

// openReader opens where the forums are kept, for reading.
func openReader(ctx context.Context, dataDir, storeURL string) (forumReader, error) {
	if storeURL != "" {
		if !postgres.IsDSN(storeURL) {
			return nil, fmt.Errorf("--store %q: give a postgres:// URL (or leave it out for the SQLite database in --data)", redact(storeURL))
		}
		return postgres.Open(ctx, storeURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	file := filepath.Join(dataDir, "moot.db")
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("no moot database in %s (--data DIR names the server's data folder): %w", dataDir, err)
	}
	return store.OpenReadOnly(ctx, file)
}

// loadReport builds a forum's report in lang (as report.Language gives
// it; "" is the forum's), and says the forum's language.
func loadReport(ctx context.Context, dataDir, storeURL, slug string, order report.Order, cat *catalogue.Catalogue, lang string) (*report.Report, string, error) {
	s, st, err := readForum(ctx, dataDir, storeURL, slug)
	if err != nil {
		return nil, "", err
	}
	defer s.Close()
	log, err := session.ReadLog(ctx, s, st.Forum.Slug, st.Seq)
	if err != nil {
		return nil, "", err
	}
	return report.Build(report.Input{Snapshot: session.SnapshotOf(st), Log: log, Order: order, Catalogue: cat, Lang: lang}), st.Forum.Lang, nil
}

// readForum opens the data folder read-only (it works while a server runs
// on it), or the PostgreSQL database, and reads one forum; slug may be
// empty when it holds one. The caller closes the store.
func readForum(ctx context.Context, dataDir, storeURL, slug string) (forumReader, *session.State, error) {
	s, err := openReader(ctx, dataDir, storeURL)
	if err != nil {
		return nil, nil, err
	}
	st, err := findForum(ctx, s, where(dataDir, storeURL), slug)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, st, nil
}

func findForum(ctx context.Context, s forumReader, holder, slug string) (*session.State, error) {
	slugs, err := s.Forums(ctx)
	if err != nil {
		return nil, err
	}
	if slug == "" {
		if len(slugs) != 1 {
			return nil, fmt.Errorf("say which forum with --forum SLUG (this data holds: %s)", strings.Join(slugs, ", "))
		}
		slug = slugs[0]
	}
	st, err := s.Forum(ctx, slug)
	if errors.Is(err, session.ErrNoForum) {
		return nil, fmt.Errorf("no forum %q in %s (it holds: %s)", slug, holder, strings.Join(slugs, ", "))
	}
	return st, err
}

func writeReport(r *report.Report, format, kind, out string, stdout io.Writer) error {
	if format == report.CSV && kind == "" && !strings.HasSuffix(strings.ToLower(out), ".zip") {
		// A folder of CSV files.
		files, err := r.Files()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	var b bytes.Buffer
	if err := r.Write(&b, format, kind); err != nil {
		return err
	}
	if out == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}
