package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"moot/session"
	"moot/store"
	"moot/store/storetest"
)

// The SQLite store passes the tests every store passes.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "moot.db")
		return func() session.Store {
			s, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	})
}
