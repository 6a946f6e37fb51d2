package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"moot/session"
)

func init() {
	projectors = append(projectors, projectVoting)
	loaders = append(loaders, loadVoting)
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
		res, err := tx.ExecContext(ctx, `UPDATE ballots SET closed_at = ?, results = ? WHERE forum = ? AND id = ? AND closed_at IS NULL`,
			e.At.UnixMilli(), string(results), slug, e.Ballot)
		if err != nil {
			return true, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return true, fmt.Errorf("ballot %d is not open", e.Ballot)
		}
		return true, nil
	}
	return false, nil
}

func loadVoting(ctx context.Context, db *sql.DB, slug string, st *session.State) error {
	rows, err := db.QueryContext(ctx, `SELECT id, step, title, dots, max_per_item, top_k, secret, opened_at, closed_at, results
		FROM ballots WHERE forum = ? ORDER BY id`, slug)
	if err != nil {
		return err
	}
	var ballots []session.Ballot
	for rows.Next() {
		var b session.Ballot
		var opened int64
		var closed sql.NullInt64
		var results sql.NullString
		if err := rows.Scan(&b.ID, &b.Step, &b.Title, &b.Dots, &b.MaxPerItem, &b.TopK, &b.Secret, &opened, &closed, &results); err != nil {
			rows.Close()
			return err
		}
		b.OpenedAt = time.UnixMilli(opened)
		if closed.Valid {
			b.ClosedAt = time.UnixMilli(closed.Int64)
			b.Results = &session.Results{}
			if err := json.Unmarshal([]byte(results.String), b.Results); err != nil {
				rows.Close()
				return fmt.Errorf("ballot %d results: %w", b.ID, err)
			}
		}
		ballots = append(ballots, b)
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	rows, err = db.QueryContext(ctx, `SELECT ballot, id, text, source, ref FROM ballot_items WHERE forum = ? ORDER BY ballot, id`, slug)
	if err != nil {
		return err
	}
	for rows.Next() {
		var it session.BallotItem
		var ballot int64
		var ref sql.NullInt64
		if err := rows.Scan(&ballot, &it.ID, &it.Text, &it.Source, &ref); err != nil {
			rows.Close()
			return err
		}
		it.Ref = ref.Int64
		if ballot < 1 || int(ballot) > len(ballots) {
			rows.Close()
			return fmt.Errorf("item %d of unknown ballot %d", it.ID, ballot)
		}
		ballots[ballot-1].Items = append(ballots[ballot-1].Items, it)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for i, b := range ballots {
		if b.ID != int64(i+1) {
			return fmt.Errorf("ballots are not numbered 1..n (found %d at %d)", b.ID, i+1)
		}
		st.RestoreBallot(b)
	}

	rows, err = db.QueryContext(ctx, `SELECT ballot, participant, item, dots FROM allocations WHERE forum = ?
		ORDER BY ballot, participant, item`, slug)
	if err != nil {
		return err
	}
	var cur session.Allocation
	var curBallot int64
	var curVoter string
	flush := func() {
		if len(cur) > 0 {
			st.RestoreVote(curBallot, curVoter, cur)
		}
		cur = nil
	}
	for rows.Next() {
		var ballot int64
		var voter string
		var d session.ItemDots
		if err := rows.Scan(&ballot, &voter, &d.Item, &d.Dots); err != nil {
			rows.Close()
			return err
		}
		if ballot != curBallot || voter != curVoter {
			flush()
			curBallot, curVoter = ballot, voter
		}
		cur = append(cur, d)
	}
	flush()
	return closeRows(rows)
}
