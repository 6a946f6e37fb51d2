package store

import (
	"context"
	"database/sql"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectOrganiser)
	loaders = append(loaders, loadOrganiser)
}

func projectOrganiser(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	switch e := e.(type) {
	case session.ForumArchived:
		var at any
		if e.Archived {
			at = e.At.UnixMilli()
		}
		_, err := tx.ExecContext(ctx, `UPDATE forums SET archived_at = ? WHERE slug = ?`, at, slug)
		return true, err
	}
	return false, nil
}

func loadOrganiser(ctx context.Context, db *sql.DB, slug string, st *session.State) error {
	var at sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT archived_at FROM forums WHERE slug = ?`, slug).Scan(&at); err != nil {
		return err
	}
	st.Archived = at.Valid
	return nil
}
