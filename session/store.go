package session

import (
	"context"
	"errors"
	"time"
)

// Store keeps forums durable. The Hub calls Commit before it tells anyone a
// change was made, so whatever Commit accepted survives a crash.
//
// A forum's log is the truth: its state is what LoadState makes of the
// log, and a Store may keep tables projected from it besides.
//
// It is deliberately narrow: the embedded SQLite store and the PostgreSQL
// one (for several nodes, a SharedStore) need only these methods.
type Store interface {
	// OpenForum creates the forum if it is new, or else records its current
	// definition, and returns its state as the log makes it (LoadState).
	OpenForum(ctx context.Context, f *Forum) (*State, error)
	// Commit appends events to one forum's log, in order, in one
	// transaction. Each record's Seq is already set, the first one more
	// than the last in the log: if the log has moved on (another node
	// committed first), Commit saves nothing and returns ErrConflict.
	Commit(ctx context.Context, slug string, records []Record) error
	// Events returns up to limit records of the forum's log after seq.
	Events(ctx context.Context, slug string, after int64, limit int) ([]Record, error)
	// Forums lists the slugs of every forum kept.
	Forums(ctx context.Context) ([]string, error)
	Close() error
}

// ErrNoForum is returned for a slug the Store does not keep.
var ErrNoForum = errors.New("no such forum")

// ErrConflict is Commit's refusal of events decided on a log that has moved
// on since: another node appended the sequence numbers they expected.
var ErrConflict = errors.New("the forum's log has moved on (another server committed first)")

// A SharedStore is a Store that other moot nodes write to as well: several
// servers serve one forum, each with its own Hub. A Hub follows what the
// others commit, applying their events in log order before deciding, and
// decides again when its commit loses the race (ErrConflict).
type SharedStore interface {
	Store
	// Follow tells of the forum's log moving on through other nodes'
	// commits: the channel (one slot, never closed) receives a value when
	// the log may hold events this node has not read, until ctx ends. It
	// is told too after the store lost and regained its connection, when
	// it cannot know what it missed.
	Follow(ctx context.Context, slug string) (<-chan struct{}, error)
	// Lock holds the forum's log for this node alone until the LockedLog
	// commits or is released; other nodes' commits wait meanwhile. A Hub
	// that lost the race to commit decides again with the log held, so
	// that a busy node cannot keep another from ever committing.
	Lock(ctx context.Context, slug string) (LockedLog, error)
	// SharePresence tells the other nodes who is connected to the forum
	// here (the whole set; a node that stops telling is forgotten after
	// PresenceExpiry) and returns who is connected on the other nodes.
	// Who is connected is not in the log: it is no one's decision.
	SharePresence(ctx context.Context, slug string, here []string) (elsewhere []string, err error)
}

// PresenceEvery is how often a Hub on a SharedStore shares who is connected
// to its forum; PresenceExpiry is how long a node's last word on it stands,
// so that the people on a node that died stop counting as connected.
const (
	PresenceEvery  = time.Second
	PresenceExpiry = 10 * time.Second
)

// LockedLog is a forum's log held by one node (SharedStore.Lock): it reads
// what was committed before it was held, and commits knowing that nobody
// commits in between.
type LockedLog interface {
	LogReader
	// Commit appends records as Store.Commit does, and lets the log go.
	Commit(ctx context.Context, records []Record) error
	// Release lets the log go without committing; after Commit it does
	// nothing.
	Release()
}
