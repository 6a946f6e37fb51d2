package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectPolls)
}

func projectPolls(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	switch e := e.(type) {
	case session.PollOpened:
		p := e.Poll
		def, err := json.Marshal(p)
		if err != nil {
			return true, err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO polls (forum, id, step, kind, question, definition, secret, evaluation, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, p.ID, p.Step, string(p.Kind), p.Question, string(def), p.Secret, p.Evaluation, p.OpenedAt.UnixMilli())
		return true, err
	case session.PollAnswered:
		if e.Answer == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM poll_answers WHERE forum = ? AND poll = ? AND participant = ?`, slug, e.Poll, e.Person)
			return true, err
		}
		answer, err := json.Marshal(e.Answer)
		if err != nil {
			return true, err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO poll_answers (forum, poll, participant, answer) VALUES (?, ?, ?, ?)
			ON CONFLICT (forum, poll, participant) DO UPDATE SET answer = excluded.answer`,
			slug, e.Poll, e.Person, string(answer))
		return true, err
	case session.PollAnswerModerated:
		return true, updateOne(ctx, tx, fmt.Errorf("poll %d has no answer %d", e.Poll, e.N), `
			UPDATE poll_answers SET answer = json_set(json_remove(answer, '$.reason'), '$.hidden', json(?), '$.reason', ?)
			WHERE forum = ? AND poll = ? AND json_extract(answer, '$.n') = ?`,
			map[bool]string{true: "true", false: "false"}[e.Hidden], e.Reason, slug, e.Poll, e.N)
	case session.PollClosed:
		final, err := json.Marshal(e.Final)
		if err != nil {
			return true, err
		}
		return true, updateOne(ctx, tx, fmt.Errorf("poll %d is not open", e.Poll),
			`UPDATE polls SET closed_at = ?, final = ? WHERE forum = ? AND id = ? AND closed_at IS NULL`,
			e.At.UnixMilli(), string(final), slug, e.Poll)
	}
	return false, nil
}
