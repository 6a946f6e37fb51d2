package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"moot/session"
)

// ErrSlugTaken is the refusal to add a forum whose slug the data already
// holds: a new forum never takes over an older one's participants and log.
var ErrSlugTaken = errors.New("slug already taken")

// AddForum records a forum added to a running server, with the agenda text
// it was added from and who added it. It never replaces a forum kept
// already, live or archived: the slug is the table's primary key.
func (s *SQLite) AddForum(ctx context.Context, f *session.Forum, agendaText, addedBy string) error {
	def, err := json.Marshal(f)
	if err != nil {
		return err
	}
	err = inTx(ctx, s.write, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO forums (slug, title, definition, created_at, agenda_text, added_by) VALUES (?, ?, ?, ?, ?, ?)`,
			f.Slug, f.Title, string(def), time.Now().UnixMilli(), agendaText, addedBy)
		return err
	})
	if err != nil && isUniqueViolation(err) {
		return fmt.Errorf("%s: %w", f.Slug, ErrSlugTaken)
	}
	return err
}

// isUniqueViolation tells whether SQLite refused a row for a key it holds
// already (SQLITE_CONSTRAINT_PRIMARYKEY or SQLITE_CONSTRAINT_UNIQUE).
func isUniqueViolation(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	return coded.Code() == 1555 || coded.Code() == 2067
}

// AddedAgenda is the agenda a forum was added with at run time.
type AddedAgenda struct {
	Slug string
	Text string
}

// AddedForums lists, by slug, the forums added at run time that are not
// archived: the ones a restarted server serves again.
func (s *SQLite) AddedForums(ctx context.Context) ([]AddedAgenda, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT slug, agenda_text FROM forums
		WHERE agenda_text IS NOT NULL AND archived_at IS NULL ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AddedAgenda
	for rows.Next() {
		var a AddedAgenda
		if err := rows.Scan(&a.Slug, &a.Text); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
