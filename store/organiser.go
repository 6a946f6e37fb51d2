package store

import (
	"context"
	"database/sql"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectOrganiser)
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
