package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectDialogue)
}

func projectDialogue(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	var err error
	switch e := e.(type) {
	case session.CardChanged:
		c := e.Card
		credits, merr := json.Marshal(c.Credits)
		if merr != nil {
			return true, merr
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO cards (forum, id, step, author, credits, text, anonymous, theme, status, parked, reason, merged_into, created_at, edited_at, table_id, brought)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (forum, id) DO UPDATE SET credits = excluded.credits, text = excluded.text,
				theme = excluded.theme, status = excluded.status, parked = excluded.parked,
				reason = excluded.reason, merged_into = excluded.merged_into, edited_at = excluded.edited_at,
				brought = excluded.brought`,
			slug, c.ID, c.Step, c.Author, string(credits), c.Text, c.Anonymous, nullID(c.Theme), string(c.Status),
			c.Parked, c.Reason, nullID(c.MergedInto), c.CreatedAt.UnixMilli(), nullTime(c.EditedAt), c.Table, c.Brought)
	case session.ThemeChanged:
		t := e.Theme
		_, err = tx.ExecContext(ctx, `
			INSERT INTO themes (forum, id, name, position, agreed) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (forum, id) DO UPDATE SET name = excluded.name, position = excluded.position, agreed = excluded.agreed`,
			slug, t.ID, t.Name, t.Position, t.Agreed)
	case session.HandRaised:
		_, err = tx.ExecContext(ctx, `INSERT INTO hands (forum, participant, raised_at, table_id) VALUES (?, ?, ?, ?)`,
			slug, e.ID, e.RaisedAt.UnixMilli(), e.Table)
	case session.HandLowered:
		// A table's speaker is kept in the log only, with its table.
		if _, err = tx.ExecContext(ctx, `DELETE FROM hands WHERE forum = ? AND participant = ?`, slug, e.ID); err == nil && e.Called && e.Table == 0 {
			_, err = tx.ExecContext(ctx, `UPDATE forums SET speaker = ? WHERE slug = ?`, e.ID, slug)
		}
	default:
		return false, nil
	}
	return true, err
}

func closeRows(rows *sql.Rows) error {
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}
