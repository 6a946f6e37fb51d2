package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshDatabase makes an empty database on the PostgreSQL server at dsn
// for one run, and returns its URL and how to drop it.
func freshDatabase(dsn string, timeout time.Duration) (string, func(), error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("--store: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("--store: %v", err)
	}
	defer admin.Close(context.Background())
	id := make([]byte, 6)
	_, _ = rand.Read(id)
	name := "moot_load_" + hex.EncodeToString(id)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("--store: making a database for the run: %v", err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if admin, err := pgx.Connect(ctx, dsn); err == nil {
			_, _ = admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
			admin.Close(context.Background())
		}
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// hostPort is the address of a database URL, for the loopback check.
func hostPort(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "5432")
	}
	return u.Host
}
