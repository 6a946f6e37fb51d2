package store

import (
	"context"
	"database/sql"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectTables)
}

// projectTables keeps the queues of hands in step with the tables: a new
// set of tables ends the queues at the old ones, and a person moved to
// another table leaves their old table's queue. The tables themselves are
// kept in the log only.
func projectTables(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	var err error
	switch e := e.(type) {
	case session.TablesMade:
		_, err = tx.ExecContext(ctx, `DELETE FROM hands WHERE forum = ? AND table_id != 0`, slug)
	case session.TableSeated:
		if e.From != 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM hands WHERE forum = ? AND participant = ? AND table_id = ?`, slug, e.Person, e.From)
		}
	default:
		return false, nil
	}
	return true, err
}
