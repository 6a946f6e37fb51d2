package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The database file on disk: what Open refuses to touch, what Close leaves
// behind, and a copy taken while a server writes.

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkFile refuses a file that Open must not treat as a moot database: an
// empty one (SQLite would quietly start a new database in it, and the
// forum would seem to have vanished), one that is not SQLite at all, one
// that another program made, or one moot cannot write. It only reads.
func checkFile(ctx context.Context, file string) error {
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil // a new database
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s cannot be written to (%w); moot needs to write its database", file, fs.ErrPermission)
	case err != nil:
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return fmt.Errorf("%s is empty (0 bytes), so it holds no forum: move it away to start afresh, or put a backup in its place (moot backup makes one)", file)
	case !bytes.Equal(head[:n], []byte(sqliteHeader)):
		return fmt.Errorf("%s is not a SQLite database, so not a moot one: give moot a folder of its own (--data)", file)
	}
	// Looked at read-only: opening it to write would already change it.
	db, err := sql.Open("sqlite", dsn(file, true))
	if err != nil {
		return err
	}
	defer db.Close()
	var tables, ours int
	err = db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&tables, &ours)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if tables > 0 && ours == 0 {
		return fmt.Errorf("%s is the database of another program (it has %d tables, none of them moot's); moot will not write to it: give moot a folder of its own (--data)", file, tables)
	}
	return nil
}

// checkpoint moves everything committed from the write-ahead log into the
// database file and empties the log, so that the file alone holds the
// forum: a copy of moot.db made after a clean stop is complete.
func (s *SQLite) checkpoint() error {
	if s.write == nil {
		return nil
	}
	var busy, logged, moved int
	if err := s.write.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("checkpoint: the database was busy; the write-ahead log (moot.db-wal) still holds changes: keep it with moot.db")
	}
	return nil
}

// Backup writes a consistent copy of the database at file to dest, while a
// server may be writing to it: the copy is the database as of one moment,
// whole. dest must not exist; it is written aside and renamed, so that a
// copy cut short never looks like a backup.
func Backup(ctx context.Context, file, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s exists already; moot backup does not overwrite a file", dest)
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	src, err := OpenReadOnly(ctx, file)
	if err != nil {
		return err
	}
	defer src.Close()
	part := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".part")
	_ = os.Remove(part) // from a backup cut short before
	if _, err := src.read.ExecContext(ctx, `VACUUM INTO ?`, part); err != nil {
		_ = os.Remove(part)
		return fmt.Errorf("backup of %s: %w", file, err)
	}
	if err := syncFile(part); err != nil {
		_ = os.Remove(part)
		return err
	}
	if err := os.Rename(part, dest); err != nil {
		_ = os.Remove(part)
		return err
	}
	return syncFile(filepath.Dir(dest))
}

// syncFile flushes a file (or a folder's entries) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
