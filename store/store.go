// Package store keeps moot's forums in SQLite (modernc.org/sqlite, no cgo):
// WAL mode, foreign keys on, one writer connection, numbered migrations
// embedded in the binary, and an append-only event log per forum.
//
// The log is the truth: a forum's state is made from it (session.LoadState).
// The other tables are projections of the log, written in the same
// transaction as the events they come from, so that the schema's
// constraints check every change a second time and SQL can read the forum;
// Rebuild makes them again from the log.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"moot/session"

	_ "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// SQLite implements session.Store.
type SQLite struct {
	// write has exactly one connection: SQLite takes one writer at a time
	// anyway, and one connection keeps the Hub's commits in order without
	// busy waits.
	write *sql.DB
	read  *sql.DB
}

var _ session.Store = (*SQLite)(nil)

// Open opens (creating if need be) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, file string) (*SQLite, error) {
	if err := checkFile(ctx, file); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", dsn(file, false))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	read, err := sql.Open("sqlite", dsn(file, true))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(4)
	return &SQLite{write: write, read: read}, nil
}

// OpenReadOnly opens an existing database for reading only, as export does
// while a server may be writing to it.
func OpenReadOnly(ctx context.Context, file string) (*SQLite, error) {
	read, err := sql.Open("sqlite", dsn(file, true))
	if err != nil {
		return nil, err
	}
	var version int
	if err := read.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		read.Close()
		return nil, fmt.Errorf("%s is not a moot database: %w", file, err)
	}
	return &SQLite{read: read}, nil
}

func dsn(file string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// FULL: a commit is on disk before the Hub tells anyone it was saved.
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_txlock", "immediate")
	}
	return "file:" + file + "?" + q.Encode()
}

func migrate(ctx context.Context, db *sql.DB) error { return migrateThrough(ctx, db, math.MaxInt) }

// migrateThrough applies the migrations numbered up to last; tests use it
// to make a database as an older moot left it.
func migrateThrough(ctx context.Context, db *sql.DB, last int) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	// Every migration not yet applied is applied, in order, so that one
	// numbered below the newest applied (from a branch merged later) still
	// runs.
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := path.Base(name)
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s has no number", base)
		}
		if applied[version] || version > last {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if err := inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, time.Now().UnixMilli())
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// A panic in fn (a bug) rolls back before it goes on up: a transaction
	// left open would hold the one writer connection for good.
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Close closes the database. The readers close first, so that the writer,
// the last to close, can empty the write-ahead log into the database file.
func (s *SQLite) Close() error {
	errs := []error{s.read.Close(), s.checkpoint()}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	return errors.Join(errs...)
}

func (s *SQLite) OpenForum(ctx context.Context, f *session.Forum) (*session.State, error) {
	def, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	err = inTx(ctx, s.write, func(tx *sql.Tx) error {
		// A forum restarted from an edited agenda takes the new definition.
		_, err := tx.ExecContext(ctx, `
			INSERT INTO forums (slug, title, definition, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET title = excluded.title, definition = excluded.definition`,
			f.Slug, f.Title, string(def), time.Now().UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	return session.LoadState(ctx, s, f)
}

// Forum reads a forum's definition and makes its state from its log, as
// export does.
func (s *SQLite) Forum(ctx context.Context, slug string) (*session.State, error) {
	var def string
	err := s.read.QueryRowContext(ctx, `SELECT definition FROM forums WHERE slug = ?`, slug).Scan(&def)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", slug, session.ErrNoForum)
	}
	if err != nil {
		return nil, err
	}
	var f session.Forum
	if err := json.Unmarshal([]byte(def), &f); err != nil {
		return nil, fmt.Errorf("forum %s definition: %w", slug, err)
	}
	return session.LoadState(ctx, s, &f)
}

func (s *SQLite) Commit(ctx context.Context, slug string, records []session.Record) error {
	if len(records) == 0 {
		return nil
	}
	return inTx(ctx, s.write, func(tx *sql.Tx) error {
		for i, r := range records {
			if err := appendEvent(ctx, tx, slug, r, i == 0); err != nil {
				return err
			}
		}
		return nil
	})
}

// appendEvent appends one record to the log and projects it into the
// tables. The first of a commit must follow the last event in the log: one
// process writes to an SQLite file, so this refuses only a Hub that lost
// track of its own log; the primary key keeps the others in order.
func appendEvent(ctx context.Context, tx *sql.Tx, slug string, r session.Record, first bool) error {
	payload, err := json.Marshal(r.Event)
	if err != nil {
		return err
	}
	args := []any{slug, r.Seq, r.At.UnixMilli(), r.Actor, r.Event.Kind(), string(payload)}
	insert := `INSERT INTO events (forum, seq, at, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?)`
	if first {
		insert = `INSERT INTO events (forum, seq, at, actor, kind, payload)
			SELECT ?, ?, ?, ?, ?, ? WHERE ? = (SELECT coalesce(max(seq), 0) FROM events WHERE forum = ?)`
		args = append(args, r.Seq-1, slug)
	}
	res, err := tx.ExecContext(ctx, insert, args...)
	if err != nil {
		return fmt.Errorf("event %d: %w", r.Seq, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("event %d does not follow the last in the log: %w", r.Seq, session.ErrConflict)
	}
	if err := project(ctx, tx, slug, r.Event); err != nil {
		return fmt.Errorf("event %d (%s): %w", r.Seq, r.Event.Kind(), err)
	}
	return nil
}

// A projector brings the tables up to date with the events it knows,
// reporting whether it knew this one. Each phase's file adds its own; an
// event no projector knows is kept in the log only, which is all the
// forum's state needs.
type projector func(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error)

var projectors = []projector{projectForum}

func project(ctx context.Context, tx *sql.Tx, slug string, e session.Event) error {
	for _, p := range projectors {
		if ok, err := p(ctx, tx, slug, e); ok {
			return err
		}
	}
	return nil
}

func projectForum(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	var err error
	switch e := e.(type) {
	case session.ParticipantNamed:
		_, err = tx.ExecContext(ctx, `
			INSERT INTO participants (forum, id, name, sector, joined_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (forum, id) DO UPDATE SET name = excluded.name, sector = excluded.sector`,
			slug, e.ID, e.Name, e.Sector, e.JoinedAt.UnixMilli())
	case session.StepMoved:
		_, err = tx.ExecContext(ctx, `UPDATE forums SET step = ?, timer_ends_at = NULL, speaker = '' WHERE slug = ?`, e.To, slug)
		if err == nil {
			// The queues at the tables end with their step (tables.go).
			_, err = tx.ExecContext(ctx, `DELETE FROM hands WHERE forum = ? AND table_id != 0`, slug)
		}
	case session.TimerSet:
		var ends any
		if e.Running() {
			ends = e.EndsAt.UnixMilli()
		}
		_, err = tx.ExecContext(ctx, `UPDATE forums SET timer_ends_at = ? WHERE slug = ?`, ends, slug)
	default:
		return false, nil
	}
	return true, err
}

func (s *SQLite) Events(ctx context.Context, slug string, after int64, limit int) ([]session.Record, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, at, actor, kind, payload FROM events
		WHERE forum = ? AND seq > ? ORDER BY seq LIMIT ?`, slug, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []session.Record
	for rows.Next() {
		var r session.Record
		var at int64
		var kind, payload string
		if err := rows.Scan(&r.Seq, &at, &r.Actor, &kind, &payload); err != nil {
			return nil, err
		}
		r.At = time.UnixMilli(at)
		if r.Event, err = session.DecodeEvent(kind, []byte(payload)); err != nil {
			return nil, fmt.Errorf("event %d: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *SQLite) Forums(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT slug FROM forums ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, err
		}
		out = append(out, slug)
	}
	return out, rows.Err()
}
