package session

import (
	"context"
	"errors"
)

// Store keeps forums durable. The Hub calls Commit before it tells anyone a
// change was made, so whatever Commit accepted survives a crash.
//
// It is deliberately narrow: a second implementation (PostgreSQL, for
// several front-end nodes) needs only these methods.
type Store interface {
	// OpenForum creates the forum if it is new, or else records its current
	// definition, and returns its saved state.
	OpenForum(ctx context.Context, f *Forum) (*State, error)
	// Commit saves events of one forum, in order, in one transaction, and
	// appends them to the forum's log. Each record's Seq is already set.
	Commit(ctx context.Context, slug string, records []Record) error
	// Events returns up to limit records of the forum's log after seq.
	Events(ctx context.Context, slug string, after int64, limit int) ([]Record, error)
	// Forums lists the slugs of every forum kept.
	Forums(ctx context.Context) ([]string, error)
	Close() error
}

// ErrNoForum is returned for a slug the Store does not keep.
var ErrNoForum = errors.New("no such forum")
