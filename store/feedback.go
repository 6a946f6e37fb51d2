package store

import (
	"context"
	"database/sql"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectFeedback)
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
