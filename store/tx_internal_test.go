package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// A panic inside a transaction rolls it back: the one writer connection is
// free for the next commit, and nothing of the broken one is kept.
func TestAPanicInATransactionRollsItBack(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not go on up")
			}
		}()
		_ = inTx(ctx, st.write, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)`); err != nil {
				return err
			}
			panic("a bug half way through a commit")
		})
	}()
	done := make(chan error, 1)
	go func() {
		done <- inTx(ctx, st.write, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (9998, 0)`)
			return err
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the next transaction waited on the broken one")
	}
	var n int
	if err := st.write.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = 9999`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the broken transaction's row: %d, %v", n, err)
	}
}
