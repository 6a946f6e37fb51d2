package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"moot/session"
)

// Rebuilt is what Rebuild did for one forum.
type Rebuilt struct {
	Slug   string
	Events int64
}

// logTables are the tables that are not projections of the log: the log
// itself, the forums' definitions and the migrations applied.
var logTables = []string{"events", "forums", "schema_migrations"}

// Rebuild makes every table projected from the log again from the log, in
// one transaction: the projected rows go, then each forum's log is read
// into its state and through the projectors, in order, the schema's
// constraints and triggers checking every row as they did when it was
// first written. An event that does not apply, or a row the schema
// refuses, stops it with nothing changed. The log is only read.
//
// A server on the same file waits (its commits queue behind the write
// lock) and goes on from the rebuilt tables.
func (s *SQLite) Rebuild(ctx context.Context) ([]Rebuilt, error) {
	var done []Rebuilt
	err := inTx(ctx, s.write, func(tx *sql.Tx) error {
		// Rows go in any order and come back in log order; foreign keys
		// are checked once, at commit.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		if err := clearProjections(ctx, tx); err != nil {
			return err
		}
		forums, err := definitions(ctx, tx)
		if err != nil {
			return err
		}
		for _, f := range forums {
			st, err := session.LoadState(ctx, projecting{s: s, tx: tx}, f)
			if err != nil {
				return err
			}
			done = append(done, Rebuilt{Slug: f.Slug, Events: st.Seq})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w; nothing was changed", err)
	}
	return done, nil
}

// clearProjections empties every projected table and resets the forums'
// projected columns. Triggers that keep rows from being deleted (a closed
// ballot's allocations) are dropped for the deletion and made again before
// anything is projected.
func clearProjections(ctx context.Context, tx *sql.Tx) error {
	var tables []string
	err := eachRow(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT IN (`+placeholders(len(logTables))+`) ORDER BY name`, anys(logTables), func(rows *sql.Rows) error {
		var name string
		err := rows.Scan(&name)
		tables = append(tables, name)
		return err
	})
	if err != nil {
		return err
	}
	type trigger struct{ name, sql string }
	var triggers []trigger
	err = eachRow(ctx, tx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (`+placeholders(len(tables))+`)`,
		anys(tables), func(rows *sql.Rows) error {
			var t trigger
			err := rows.Scan(&t.name, &t.sql)
			triggers = append(triggers, t)
			return err
		})
	if err != nil {
		return err
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+t.name+`"`); err != nil {
			return err
		}
	}
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM "`+table+`"`); err != nil {
			return fmt.Errorf("clearing %s: %w", table, err)
		}
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, t.sql); err != nil {
			return fmt.Errorf("trigger %s: %w", t.name, err)
		}
	}
	// The columns of forums that projectors set (step, timebox, speaker,
	// archive); the rest is the forum's definition.
	_, err = tx.ExecContext(ctx, `UPDATE forums SET step = 0, timer_ends_at = NULL, speaker = '', archived_at = NULL`)
	return err
}

// definitions reads every forum's definition.
func definitions(ctx context.Context, tx *sql.Tx) ([]*session.Forum, error) {
	var forums []*session.Forum
	err := eachRow(ctx, tx, `SELECT slug, definition FROM forums ORDER BY slug`, nil, func(rows *sql.Rows) error {
		var slug, def string
		if err := rows.Scan(&slug, &def); err != nil {
			return err
		}
		var f session.Forum
		if err := json.Unmarshal([]byte(def), &f); err != nil {
			return fmt.Errorf("forum %s definition: %w", slug, err)
		}
		forums = append(forums, &f)
		return nil
	})
	return forums, err
}

// projecting reads a forum's log and projects each record as it goes, so
// that the log is read once, into the state and into the tables.
type projecting struct {
	s  *SQLite
	tx *sql.Tx
}

func (p projecting) Events(ctx context.Context, slug string, after int64, limit int) ([]session.Record, error) {
	page, err := p.s.Events(ctx, slug, after, limit)
	if err != nil {
		return nil, err
	}
	for _, r := range page {
		if err := project(ctx, p.tx, slug, r.Event); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", r.Seq, r.Event.Kind(), err)
		}
	}
	return page, nil
}

func eachRow(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		if err := fn(rows); err != nil {
			rows.Close()
			return err
		}
	}
	return closeRows(rows)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
