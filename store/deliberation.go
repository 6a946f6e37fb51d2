package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectDeliberation)
	loaders = append(loaders, loadDeliberation)
}

func projectDeliberation(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	var err error
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	switch e := e.(type) {
	case session.StatementProposed:
		s := e.Statement
		exec(`INSERT INTO statements (forum, id, theme, position, proposer, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			slug, s.ID, nullID(s.Theme), s.Position, s.Proposer, s.CreatedAt.UnixMilli())
		exec(`INSERT INTO revisions (forum, statement, n, text, author, at) VALUES (?, ?, 1, ?, ?, ?)`,
			slug, s.ID, e.Text, s.Proposer, s.CreatedAt.UnixMilli())
	case session.StatementMoved:
		exec(`UPDATE statements SET theme = ?, position = ? WHERE forum = ? AND id = ?`, nullID(e.Theme), e.Position, slug, e.ID)
	case session.StatementRecorded:
		var rev any
		if e.Outcome != session.Open {
			rev = e.Revision
		}
		var at any
		if e.Outcome != session.Open {
			at = e.At.UnixMilli()
		}
		by := e.By
		if e.Outcome == session.Open {
			by = ""
		}
		exec(`UPDATE statements SET outcome = ?, recorded_revision = ?, recorded_check = ?, recorded_at = ?, recorded_by = ?
			WHERE forum = ? AND id = ?`, string(e.Outcome), rev, nullID(e.Check), at, by, slug, e.ID)
		for _, id := range e.Superseded {
			exec(`UPDATE amendments SET superseded = 1 WHERE forum = ? AND id = ?`, slug, id)
		}
	case session.CommentAdded:
		c := e.Comment
		exec(`INSERT INTO statement_comments (forum, id, statement, revision, author, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			slug, c.ID, c.Statement, c.Revision, c.Author, c.Text, c.At.UnixMilli())
	case session.AmendmentProposed:
		a := e.Amendment
		exec(`INSERT INTO amendments (forum, id, statement, base, author, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			slug, a.ID, a.Statement, a.Base, a.Author, a.Text, a.At.UnixMilli())
	case session.AmendmentAccepted:
		r := e.Revision
		exec(`INSERT INTO revisions (forum, statement, n, text, author, amendment, accepted_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, e.Statement, r.N, r.Text, r.Author, nullID(r.Amendment), r.AcceptedBy, r.At.UnixMilli())
		exec(`UPDATE amendments SET accepted = ? WHERE forum = ? AND id = ?`, r.N, slug, e.Amendment)
		// A new revision ends the check on the old one.
		exec(`UPDATE agreement_checks SET closed_at = ? WHERE forum = ? AND statement = ? AND closed_at IS NULL`,
			r.At.UnixMilli(), slug, e.Statement)
		exec(`UPDATE statements SET open_check = NULL WHERE forum = ? AND id = ?`, slug, e.Statement)
	case session.CheckOpened:
		c := e.Check
		scale, merr := json.Marshal(c.Scale)
		if merr != nil {
			return true, merr
		}
		exec(`INSERT INTO agreement_checks (forum, id, statement, revision, scale, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			slug, c.ID, c.Statement, c.Revision, string(scale), c.OpenedBy, c.OpenedAt.UnixMilli())
		exec(`UPDATE statements SET open_check = ? WHERE forum = ? AND id = ?`, c.ID, slug, c.Statement)
	case session.CheckClosed:
		exec(`UPDATE agreement_checks SET closed_at = ? WHERE forum = ? AND id = ?`, e.At.UnixMilli(), slug, e.ID)
		exec(`UPDATE statements SET open_check = NULL WHERE forum = ? AND open_check = ?`, slug, e.ID)
	case session.AgreementGiven:
		exec(`INSERT INTO agreements (forum, check_id, participant, level, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (forum, check_id, participant) DO UPDATE SET level = excluded.level, at = excluded.at`,
			slug, e.Check, e.Participant, e.Level, e.At.UnixMilli())
	case session.ActionAdded:
		a := e.Action
		owners, merr := json.Marshal(a.Owners)
		if merr != nil {
			return true, merr
		}
		exec(`INSERT INTO actions (forum, id, statement, text, owners, by, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			slug, a.ID, a.Statement, a.Text, string(owners), a.By, a.At.UnixMilli())
	case session.ActionRemoved:
		exec(`UPDATE actions SET removed = 1 WHERE forum = ? AND id = ?`, slug, e.ID)
	default:
		return false, nil
	}
	return true, err
}

// scan runs a query and hands each row to fn.
func scan(ctx context.Context, db *sql.DB, q string, slug string, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, slug)
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

func loadDeliberation(ctx context.Context, db *sql.DB, slug string, st *session.State) error {
	err := scan(ctx, db, `SELECT id, theme, position, proposer, created_at, open_check, outcome, recorded_revision,
		recorded_check, recorded_at, recorded_by FROM statements WHERE forum = ? ORDER BY id`, slug, func(rows *sql.Rows) error {
		var s session.Statement
		var theme, open, rrev, rcheck, rat sql.NullInt64
		var created int64
		var outcome string
		if err := rows.Scan(&s.ID, &theme, &s.Position, &s.Proposer, &created, &open, &outcome, &rrev, &rcheck, &rat, &s.RecordedBy); err != nil {
			return err
		}
		if int(s.ID) != len(st.Statements)+1 {
			return fmt.Errorf("statement #%d is missing", len(st.Statements)+1)
		}
		s.Theme, s.OpenCheck, s.Outcome = theme.Int64, open.Int64, session.Outcome(outcome)
		s.RecordedRevision, s.RecordedCheck = int(rrev.Int64), rcheck.Int64
		s.CreatedAt = time.UnixMilli(created)
		if rat.Valid {
			s.RecordedAt = time.UnixMilli(rat.Int64)
		}
		st.Statements = append(st.Statements, &s)
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT statement, n, text, author, amendment, accepted_by, at FROM revisions
		WHERE forum = ? ORDER BY statement, n`, slug, func(rows *sql.Rows) error {
		var r session.Revision
		var id, at int64
		var am sql.NullInt64
		if err := rows.Scan(&id, &r.N, &r.Text, &r.Author, &am, &r.AcceptedBy, &at); err != nil {
			return err
		}
		r.Amendment, r.At = am.Int64, time.UnixMilli(at)
		s := st.Statements[id-1]
		s.Revisions = append(s.Revisions, r)
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT id, statement, revision, author, text, at FROM statement_comments WHERE forum = ? ORDER BY id`, slug,
		func(rows *sql.Rows) error {
			var c session.Comment
			var at int64
			if err := rows.Scan(&c.ID, &c.Statement, &c.Revision, &c.Author, &c.Text, &at); err != nil {
				return err
			}
			c.At = time.UnixMilli(at)
			st.Comments = append(st.Comments, &c)
			return nil
		})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT id, statement, base, author, text, at, accepted, superseded FROM amendments WHERE forum = ? ORDER BY id`, slug,
		func(rows *sql.Rows) error {
			var a session.Amendment
			var at int64
			var acc sql.NullInt64
			if err := rows.Scan(&a.ID, &a.Statement, &a.Base, &a.Author, &a.Text, &at, &acc, &a.Superseded); err != nil {
				return err
			}
			a.At, a.Accepted = time.UnixMilli(at), int(acc.Int64)
			st.Amendments = append(st.Amendments, &a)
			return nil
		})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT id, statement, revision, scale, opened_by, opened_at, closed_at FROM agreement_checks
		WHERE forum = ? ORDER BY id`, slug, func(rows *sql.Rows) error {
		var c session.Check
		var scale string
		var opened int64
		var closed sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Statement, &c.Revision, &scale, &c.OpenedBy, &opened, &closed); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(scale), &c.Scale); err != nil {
			return err
		}
		c.OpenedAt = time.UnixMilli(opened)
		if closed.Valid {
			c.ClosedAt = time.UnixMilli(closed.Int64)
		}
		c.Levels, c.Counts = map[string]int{}, make([]int, len(c.Scale.Labels))
		st.Checks = append(st.Checks, &c)
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT check_id, participant, level FROM agreements WHERE forum = ?`, slug, func(rows *sql.Rows) error {
		var id int64
		var who string
		var level int
		if err := rows.Scan(&id, &who, &level); err != nil {
			return err
		}
		c := st.Checks[id-1]
		c.Levels[who] = level
		if level >= 1 && level <= len(c.Counts) {
			c.Counts[level-1]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	return scan(ctx, db, `SELECT id, statement, text, owners, by, at, removed FROM actions WHERE forum = ? ORDER BY id`, slug,
		func(rows *sql.Rows) error {
			var a session.Action
			var owners string
			var at int64
			if err := rows.Scan(&a.ID, &a.Statement, &a.Text, &owners, &a.By, &at, &a.Removed); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(owners), &a.Owners); err != nil {
				return err
			}
			a.At = time.UnixMilli(at)
			st.Actions = append(st.Actions, &a)
			return nil
		})
}
