package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
	"moot/store"
	"moot/store/postgres"
)

// storeFlagHelp is the help of --store, for every command that has it.
const storeFlagHelp = "where forums are kept: empty for SQLite in the data folder, or postgres://USER@HOST:PORT/DB to share forums between several moot servers (env MOOT_STORE)"

// forumStore is what serving needs of a store: the Hub's, and keeping the
// forums added while the server runs.
type forumStore interface {
	session.Store
	AddForum(ctx context.Context, f *session.Forum, agendaText, addedBy string) error
	AddedForums(ctx context.Context) ([]store.AddedAgenda, error)
}

// openStore opens where the forums are kept, with the host key that goes
// with them: SQLite and a key file in dataDir, or the PostgreSQL database
// at storeURL, which keeps the one host key every node presents.
func openStore(ctx context.Context, dataDir, storeURL string, log *slog.Logger) (forumStore, []byte, error) {
	if storeURL != "" {
		if !postgres.IsDSN(storeURL) {
			return nil, nil, fmt.Errorf("--store %q: give a postgres:// URL (or leave it out for SQLite in the data folder)", redact(storeURL))
		}
		st, err := postgres.Open(ctx, storeURL, log)
		if err != nil {
			return nil, nil, err
		}
		key, err := st.HostKey(ctx, server.NewHostKey)
		if err != nil {
			st.Close()
			return nil, nil, fmt.Errorf("host key in PostgreSQL: %w", err)
		}
		return st, key, nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("data directory: %w", err)
	}
	key, err := server.LoadHostKey(filepath.Join(dataDir, "host_ed25519"))
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, "moot.db"))
	if err != nil {
		return nil, nil, err
	}
	return st, key, nil
}

// where says where the forums are kept, for messages: never a password.
func where(dataDir, storeURL string) string {
	if storeURL != "" {
		return redact(storeURL)
	}
	return dataDir
}

// redact hides the password of a database URL.
func redact(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	cred, host, ok := strings.Cut(rest, "@")
	if !ok {
		return u
	}
	if user, _, hasPass := strings.Cut(cred, ":"); hasPass {
		return scheme + "://" + user + ":***@" + host
	}
	return u
}

// addedFollower is a store that other servers add forums to while they
// run (PostgreSQL).
type addedFollower interface {
	FollowAdded(ctx context.Context) (<-chan struct{}, error)
}

// serveAddedElsewhere serves, as they come, the forums that other servers
// on the same store add while this one runs (forum add), with the
// facilitators of --facilitators, until ctx ends. It returns once it
// follows them; done closes when it has stopped.
func serveAddedElsewhere(ctx context.Context, st forumStore, srv *server.Server, facilitators []string, log *slog.Logger) (done <-chan struct{}, err error) {
	stopped := make(chan struct{})
	f, ok := st.(addedFollower)
	if !ok {
		close(stopped)
		return stopped, nil
	}
	added, err := f.FollowAdded(ctx)
	if err != nil {
		return nil, err
	}
	go func() {
		defer close(stopped)
		for {
			select {
			case <-ctx.Done():
				return
			case <-added:
			}
			forums, err := st.AddedForums(ctx)
			if err != nil {
				log.Error("reading the forums other servers added", "err", err)
				continue
			}
			for _, ad := range forums {
				if srv.Serves(ad.Slug) {
					continue
				}
				forum, err := agenda.Parse([]byte(ad.Text))
				if err != nil {
					log.Warn("a forum another server added is not served here: its agenda has problems", "forum", ad.Slug, "problems", err.Error())
					continue
				}
				forum.Facilitators = append(forum.Facilitators, facilitators...)
				hub, err := session.NewHub(ctx, st, forum, log)
				if err != nil {
					log.Error("serving a forum another server added", "forum", ad.Slug, "err", err)
					continue
				}
				if err := srv.ServeForum(hub); err != nil {
					hub.Stop()
					continue
				}
				log.Info("forum added on another server, served here too", "forum", ad.Slug)
			}
		}
	}()
	return stopped, nil
}
