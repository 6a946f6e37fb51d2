package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectVoting)
}

func projectVoting(ctx context.Context, tx *sql.Tx, slug string, e session.Event) (bool, error) {
	switch e := e.(type) {
	case session.BallotOpened:
		b := e.Ballot
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ballots (forum, id, step, title, dots, max_per_item, top_k, secret, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			slug, b.ID, b.Step, b.Title, b.Dots, b.MaxPerItem, b.TopK, b.Secret, b.OpenedAt.UnixMilli()); err != nil {
			return true, err
		}
		for _, it := range b.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_items (forum, ballot, id, text, source, ref) VALUES (?, ?, ?, ?, ?, ?)`,
				slug, b.ID, it.ID, it.Text, string(it.Source), nullID(it.Ref)); err != nil {
				return true, err
			}
		}
		return true, nil
	case session.VoteCast:
		// The whole allocation is replaced; the schema's triggers check
		// the budget, the cap per item and that the ballot is open.
		if _, err := tx.ExecContext(ctx, `DELETE FROM allocations WHERE forum = ? AND ballot = ? AND participant = ?`,
			slug, e.Ballot, e.Voter); err != nil {
			return true, err
		}
		for _, d := range e.Dots {
			if _, err := tx.ExecContext(ctx, `INSERT INTO allocations (forum, ballot, participant, item, dots) VALUES (?, ?, ?, ?, ?)`,
				slug, e.Ballot, e.Voter, d.Item, d.Dots); err != nil {
				return true, err
			}
		}
		return true, nil
	case session.BallotClosed:
		results, err := json.Marshal(e.Results)
		if err != nil {
			return true, err
		}
		return true, updateOne(ctx, tx, fmt.Errorf("ballot %d is not open", e.Ballot),
			`UPDATE ballots SET closed_at = ?, results = ? WHERE forum = ? AND id = ? AND closed_at IS NULL`,
			e.At.UnixMilli(), string(results), slug, e.Ballot)
	}
	return false, nil
}

// updateOne runs an update that must change exactly one row: a projection
// whose row is missing or already changed means the log and the tables
// disagree, which is problem.
func updateOne(ctx context.Context, tx *sql.Tx, problem error, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem
	}
	return nil
}
