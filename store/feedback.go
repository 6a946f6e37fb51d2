package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectFeedback)
	loaders = append(loaders, loadFeedback)
}

func projectFeedback(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	var err error
	switch e := e.(type) {
	case session.FeedbackGiven:
		f := e.FeedbackComment
		_, err = tx.ExecContext(ctx, `INSERT INTO feedback (forum, id, statement, revision, step, author, text, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, f.ID, f.Statement, f.Revision, f.Step, f.Author, f.Text, f.At.UnixMilli())
	case session.StatementRevised:
		r := e.Revision
		_, err = tx.ExecContext(ctx, `INSERT INTO revisions (forum, statement, n, text, author, accepted_by, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, e.Statement, r.N, r.Text, r.Author, r.AcceptedBy, r.At.UnixMilli(), r.Reason)
	case session.CreditSet:
		on := 0
		if e.On {
			on = 1
		}
		_, err = tx.ExecContext(ctx, `UPDATE participants SET credit = ? WHERE forum = ? AND id = ?`, on, slug, e.Participant)
	default:
		return false, nil
	}
	return true, err
}

// loadFeedback runs after loadDeliberation (files register in name order),
// so the revisions are there to take their reasons.
func loadFeedback(ctx context.Context, db *sql.DB, slug string, st *session.State) error {
	err := scan(ctx, db, `SELECT statement, n, reason FROM revisions WHERE forum = ? AND reason != ''`, slug, func(rows *sql.Rows) error {
		var id int64
		var n int
		var reason string
		if err := rows.Scan(&id, &n, &reason); err != nil {
			return err
		}
		if id < 1 || int(id) > len(st.Statements) || n < 1 || n > len(st.Statements[id-1].Revisions) {
			return fmt.Errorf("revision %d of statement #%d is missing", n, id)
		}
		st.Statements[id-1].Revisions[n-1].Reason = reason
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(ctx, db, `SELECT id, statement, revision, step, author, text, at FROM feedback WHERE forum = ? ORDER BY id`, slug,
		func(rows *sql.Rows) error {
			var f session.FeedbackComment
			var at int64
			if err := rows.Scan(&f.ID, &f.Statement, &f.Revision, &f.Step, &f.Author, &f.Text, &at); err != nil {
				return err
			}
			if int(f.ID) != len(st.Feedback)+1 {
				return fmt.Errorf("feedback #%d is missing", len(st.Feedback)+1)
			}
			f.At = time.UnixMilli(at)
			st.Feedback = append(st.Feedback, &f)
			return nil
		})
	if err != nil {
		return err
	}
	return scan(ctx, db, `SELECT id FROM participants WHERE forum = ? AND credit = 1`, slug, func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if p, ok := st.Participants[id]; ok {
			p.Credit = true
		}
		return nil
	})
}
