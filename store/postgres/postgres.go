// Package postgres keeps moot's forums in PostgreSQL (pgx), for several moot
// nodes serving the same forums: a session.SharedStore.
//
// Each forum is its definition and its append-only log; every node makes
// the forum's state from the log (session.LoadState) and follows it as
// other nodes append, told by LISTEN/NOTIFY. A commit appends only after
// the seq its events were decided on, moving the forum's seq on in the same
// statement, so that of two nodes deciding at once one appends and the
// other is refused (session.ErrConflict) and decides again.
//
// The embedded SQLite store also projects the log into tables whose
// constraints check each change a second time. This store keeps the log
// only: the rules those constraints repeat (one allocation per person per
// ballot, within the budget; one level per person per check) are the
// shape of the state every node replays in the same order (a map per
// ballot from voter to allocation, replaced whole; a map per check from
// person to level) and the Hub's decisions on it, and a second copy of the
// truth in tables would be one more thing for the nodes to agree on.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"moot/session"
	"moot/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// channel is where every commit is announced, as "NODE SLUG";
// forumsChannel where every forum added at run time is, as "NODE SLUG".
const (
	channel       = "moot_events"
	forumsChannel = "moot_forums"
)

// Store implements session.SharedStore on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	// node names this process's store in its announcements, so that it
	// does not read back its own commits.
	node string

	listenOnce sync.Once
	listenErr  error
	stop       context.CancelFunc
	stopped    chan struct{}

	mu        sync.Mutex
	followers map[string]map[chan struct{}]struct{}
	// adders are told of forums other nodes add.
	adders map[chan struct{}]struct{}
}

var _ session.SharedStore = (*Store)(nil)

// IsDSN tells whether a --store value names a PostgreSQL database.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at dsn (postgres://user@host:port/db?...)
// and brings its schema up to date.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL address: %w", err)
	}
	where := cfg.ConnConfig.Host + ":" + strconv.Itoa(int(cfg.ConnConfig.Port)) + "/" + cfg.ConnConfig.Database
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL at %s: %w", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", where, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostgreSQL at %s: %w", where, err)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	return &Store{pool: pool, log: log, node: hex.EncodeToString(id), stop: func() {},
		followers: map[string]map[chan struct{}]struct{}{}, adders: map[chan struct{}]struct{}{}}, nil
}

// migrationLock is the advisory lock nodes take to migrate one at a time.
const migrationLock = 0x6d6f6f74 // "moot"

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("migrations table: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return err
		}
		names, err := fs.Glob(migrations, "migrations/*.sql")
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, name := range names {
			base := path.Base(name)
			version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
			if err != nil {
				return fmt.Errorf("migration %s has no number", base)
			}
			if contains(applied, version) {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", base, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version); err != nil {
				return err
			}
		}
		return nil
	})
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Close stops following and closes the connections.
func (s *Store) Close() error {
	s.stop()
	if s.stopped != nil {
		<-s.stopped
	}
	s.pool.Close()
	return nil
}

func (s *Store) OpenForum(ctx context.Context, f *session.Forum) (*session.State, error) {
	def, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	// A forum restarted from an edited agenda takes the new definition.
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO forums (slug, title, definition) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET title = excluded.title, definition = excluded.definition`,
		f.Slug, f.Title, string(def)); err != nil {
		return nil, err
	}
	return session.LoadState(ctx, s, f)
}

// Forum reads a forum's definition and makes its state from its log, as
// export does.
func (s *Store) Forum(ctx context.Context, slug string) (*session.State, error) {
	var def string
	err := s.pool.QueryRow(ctx, `SELECT definition::text FROM forums WHERE slug = $1`, slug).Scan(&def)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", slug, session.ErrNoForum)
	}
	if err != nil {
		return nil, err
	}
	var f session.Forum
	if err := json.Unmarshal([]byte(def), &f); err != nil {
		return nil, fmt.Errorf("forum %s definition: %w", slug, err)
	}
	return session.LoadState(ctx, s, &f)
}

// Commit appends the records in one statement: it moves the forum's seq
// from the one before the first record to the last record's, appends the
// records, and announces the commit, all or nothing. A forum whose seq has
// moved on (another node committed first) takes nothing: ErrConflict.
func (s *Store) Commit(ctx context.Context, slug string, records []session.Record) error {
	return s.commit(ctx, s.pool, slug, records)
}

// querier is the pool, or a transaction holding a forum's log.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) commit(ctx context.Context, q querier, slug string, records []session.Record) error {
	if len(records) == 0 {
		return nil
	}
	first := records[0].Seq
	n := len(records)
	seqs, ats := make([]int64, n), make([]time.Time, n)
	actors, kinds, payloads := make([]string, n), make([]string, n), make([]string, n)
	for i, r := range records {
		if r.Seq != first+int64(i) {
			return fmt.Errorf("event %d follows event %d in one commit", r.Seq, records[i-1].Seq)
		}
		payload, err := json.Marshal(r.Event)
		if err != nil {
			return err
		}
		seqs[i], ats[i], actors[i], kinds[i], payloads[i] = r.Seq, r.At, r.Actor, r.Event.Kind(), string(payload)
	}
	var moved, appended int
	err := q.QueryRow(ctx, `
		WITH moved AS (
			UPDATE forums SET seq = $3 WHERE slug = $1 AND seq = $2 RETURNING slug
		), appended AS (
			INSERT INTO events (forum, seq, at, actor, kind, payload)
			SELECT moved.slug, e.seq, e.at, e.actor, e.kind, e.payload::json
			FROM moved, unnest($4::bigint[], $5::timestamptz[], $6::text[], $7::text[], $8::text[]) AS e(seq, at, actor, kind, payload)
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM appended),
			(SELECT count(pg_notify($9, $10)) FROM moved)`,
		slug, first-1, records[n-1].Seq, seqs, ats, actors, kinds, payloads, channel, s.node+" "+slug,
	).Scan(&moved, &appended, new(int))
	if err != nil {
		return fmt.Errorf("events %d to %d: %w", first, records[n-1].Seq, err)
	}
	if moved == 1 && appended == n {
		return nil
	}
	var last int64
	err = q.QueryRow(ctx, `SELECT seq FROM forums WHERE slug = $1`, slug).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", slug, session.ErrNoForum)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("event %d after event %d: %w", first, last, session.ErrConflict)
}

func (s *Store) Events(ctx context.Context, slug string, after int64, limit int) ([]session.Record, error) {
	return events(ctx, s.pool, slug, after, limit)
}

func events(ctx context.Context, q querier, slug string, after int64, limit int) ([]session.Record, error) {
	rows, err := q.Query(ctx, `SELECT seq, at, actor, kind, payload::text FROM events
		WHERE forum = $1 AND seq > $2 ORDER BY seq LIMIT $3`, slug, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []session.Record
	for rows.Next() {
		var r session.Record
		var kind, payload string
		if err := rows.Scan(&r.Seq, &r.At, &r.Actor, &kind, &payload); err != nil {
			return nil, err
		}
		if r.Event, err = session.DecodeEvent(kind, []byte(payload)); err != nil {
			return nil, fmt.Errorf("event %d: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) Forums(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT slug FROM forums ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// AddForum records a forum added to a running server, with the agenda text
// it was added from and who added it. It never replaces a forum kept
// already: store.ErrSlugTaken.
func (s *Store) AddForum(ctx context.Context, f *session.Forum, agendaText, addedBy string) error {
	def, err := json.Marshal(f)
	if err != nil {
		return err
	}
	// Announced to the other nodes, which serve it too (FollowAdded).
	_, err = s.pool.Exec(ctx, `
		WITH added AS (
			INSERT INTO forums (slug, title, definition, agenda_text, added_by) VALUES ($1, $2, $3, $4, $5)
			RETURNING slug
		)
		SELECT count(pg_notify($6, $7 || ' ' || slug)) FROM added`,
		f.Slug, f.Title, string(def), agendaText, addedBy, forumsChannel, s.node)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return fmt.Errorf("%s: %w", f.Slug, store.ErrSlugTaken)
	}
	return err
}

// AddedForums lists the forums added at run time that are not archived:
// the ones a starting node serves. Whether a forum is archived is read
// from its log, its last forum.archived event.
func (s *Store) AddedForums(ctx context.Context) ([]store.AddedAgenda, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT f.slug, f.agenda_text FROM forums f
		WHERE f.agenda_text IS NOT NULL AND NOT coalesce((
			SELECT (e.payload->>'archived')::boolean FROM events e
			WHERE e.forum = f.slug AND e.kind = $1 ORDER BY e.seq DESC LIMIT 1), false)
		ORDER BY f.slug`, session.ForumArchived{}.Kind())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AddedAgenda, error) {
		var a store.AddedAgenda
		err := row.Scan(&a.Slug, &a.Text)
		return a, err
	})
}

// HostKey is the SSH host key every node presents: the one kept in the
// database, or else make's, kept for every node after.
func (s *Store) HostKey(ctx context.Context, make func() ([]byte, error)) ([]byte, error) {
	key, err := make()
	if err != nil {
		return nil, err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO host_key (id, pem) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, string(key)); err != nil {
		return nil, err
	}
	var pem string
	if err := s.pool.QueryRow(ctx, `SELECT pem FROM host_key WHERE id = 1`).Scan(&pem); err != nil {
		return nil, err
	}
	return []byte(pem), nil
}

// Follow tells of other nodes' commits to the forum's log (see
// session.SharedStore). The first call starts listening; it returns once
// the store listens.
func (s *Store) Follow(ctx context.Context, slug string) (<-chan struct{}, error) {
	s.listenOnce.Do(s.startListening)
	if s.listenErr != nil {
		return nil, s.listenErr
	}
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	if s.followers[slug] == nil {
		s.followers[slug] = map[chan struct{}]struct{}{}
	}
	s.followers[slug][ch] = struct{}{}
	s.mu.Unlock()
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		delete(s.followers[slug], ch)
		s.mu.Unlock()
	})
	return ch, nil
}

// Lock holds the forum's log for this node (see session.SharedStore): a
// transaction that has locked the forum's row, so that every other commit
// to the forum, which moves the row's seq on, waits for it.
func (s *Store) Lock(ctx context.Context, slug string) (session.LockedLog, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	var seq int64
	err = tx.QueryRow(ctx, `SELECT seq FROM forums WHERE slug = $1 FOR UPDATE`, slug).Scan(&seq)
	if err != nil {
		_ = tx.Rollback(context.Background())
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("%s: %w", slug, session.ErrNoForum)
		}
		return nil, err
	}
	return &lockedLog{s: s, tx: tx, slug: slug}, nil
}

type lockedLog struct {
	s    *Store
	tx   pgx.Tx
	slug string
	done bool
}

func (l *lockedLog) Events(ctx context.Context, slug string, after int64, limit int) ([]session.Record, error) {
	return events(ctx, l.tx, slug, after, limit)
}

func (l *lockedLog) Commit(ctx context.Context, records []session.Record) error {
	if err := l.s.commit(ctx, l.tx, l.slug, records); err != nil {
		return err
	}
	l.done = true
	return l.tx.Commit(ctx)
}

func (l *lockedLog) Release() {
	if !l.done {
		l.done = true
		_ = l.tx.Rollback(context.Background())
	}
}

// SharePresence rewrites this node's row of who is connected to the forum
// and reads the other nodes' rows that are recent enough (see
// session.SharedStore), in one statement.
func (s *Store) SharePresence(ctx context.Context, slug string, here []string) ([]string, error) {
	if here == nil {
		here = []string{}
	}
	rows, err := s.pool.Query(ctx, `
		WITH mine AS (
			INSERT INTO presence (node, forum, people, seen_at) VALUES ($1, $2, $3, now())
			ON CONFLICT (node, forum) DO UPDATE SET people = excluded.people, seen_at = excluded.seen_at
		)
		SELECT DISTINCT unnest(people) FROM presence
		WHERE forum = $2 AND node <> $1 AND seen_at > now() - $4 * interval '1 second'`,
		s.node, slug, here, session.PresenceExpiry.Seconds())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// FollowAdded tells of forums other nodes add while they run: the channel
// (one slot, never closed) receives a value when AddedForums may list a
// forum this node does not serve yet, and after the store lost and
// regained its connection, until ctx ends.
func (s *Store) FollowAdded(ctx context.Context) (<-chan struct{}, error) {
	s.listenOnce.Do(s.startListening)
	if s.listenErr != nil {
		return nil, s.listenErr
	}
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.adders[ch] = struct{}{}
	s.mu.Unlock()
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		delete(s.adders, ch)
		s.mu.Unlock()
	})
	return ch, nil
}

// tellAdders signals those following the forums added.
func (s *Store) tellAdders() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.adders {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// tell signals the followers of slug, or of every forum for "".
func (s *Store) tell(slug string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for forum, chans := range s.followers {
		if slug != "" && forum != slug {
			continue
		}
		for ch := range chans {
			select {
			case ch <- struct{}{}:
			default: // already told; the Hub reads everything new at once
			}
		}
	}
}

// Bounds on reconnecting the listening connection.
const (
	firstRetry = 100 * time.Millisecond
	lastRetry  = 5 * time.Second
)

func (s *Store) startListening() {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan error, 1)
	s.stop, s.stopped = cancel, make(chan struct{})
	go s.listen(ctx, ready)
	if s.listenErr = <-ready; s.listenErr != nil {
		cancel()
		<-s.stopped
	}
}

// listen holds a connection of its own that LISTENs for commits and tells
// the followers of the forums committed to. When the connection is lost
// it connects again, with growing pauses, and then tells every follower:
// what was committed meanwhile was not announced to it.
func (s *Store) listen(ctx context.Context, ready chan<- error) {
	defer close(s.stopped)
	cfg := s.pool.Config().ConnConfig.Copy()
	retry := firstRetry
	for first := true; ; first = false {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+channel+"; LISTEN "+forumsChannel); err != nil {
				conn.Close(context.Background())
			}
		}
		if first {
			ready <- err
			if err != nil {
				return
			}
		}
		if err == nil {
			if !first {
				s.log.Info("listening again for other servers' changes")
				s.tell("")
				s.tellAdders()
			}
			retry = firstRetry
			err = s.receive(ctx, conn)
			conn.Close(context.Background())
		}
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("lost the connection that hears other servers' changes; connecting again", "err", err, "in", retry)
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
		retry = min(2*retry, lastRetry)
	}
}

func (s *Store) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		node, slug, ok := strings.Cut(n.Payload, " ")
		switch {
		case !ok || node == s.node:
		case n.Channel == forumsChannel:
			s.tellAdders()
		default:
			s.tell(slug)
		}
	}
}
