package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectDeliberation)
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
