package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable that gives tests a PostgreSQL server: the
// URL of a database on a throwaway cluster whose user may create
// databases. Each test makes a database of its own and drops it after.
const PostgresEnv = "MOOT_TEST_POSTGRES"

// PostgresSkip is the line a test without PostgreSQL skips with.
const PostgresSkip = "PostgreSQL tests skipped: set " + PostgresEnv + "=postgres://USER@HOST:PORT/DB to a throwaway cluster (`.ci/postgres start DIR` starts one and prints it; .ci/run does)"

// Postgres makes an empty database for the test and returns its URL, or
// skips the test when PostgresEnv is not set.
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skip(PostgresSkip)
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s=%q: want a postgres:// URL", PostgresEnv, dsn)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	defer admin.Close(context.Background())
	id := make([]byte, 6)
	_, _ = rand.Read(id)
	name := "moot_test_" + hex.EncodeToString(id)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a database for the test: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("dropping %s: %v", name, err)
			return
		}
		defer admin.Close(context.Background())
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
