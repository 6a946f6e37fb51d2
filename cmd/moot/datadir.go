package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockName is the file in the data folder whose lock one server holds.
const lockName = "moot.lock"

// takeDataDir makes sure dir can hold moot's data and takes its lock, so
// that one server at a time uses it: two writing one event log would each
// number events the other has not seen. The lock is the operating system's
// (flock), so it goes with the process, however that ends. moot export and
// moot backup only read, and take no lock.
func takeDataDir(dir string) (release func(), err error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("the data folder %s is a file, not a folder: give another with --data", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the data folder %s cannot be made (%w): give a folder moot can write with --data", dir, unusable(err))
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("the data folder %s cannot be written to (%w): moot keeps its database and host key there; give a folder it can write with --data", dir, unusable(err))
	}
	if err := lockFile(f); err != nil {
		holder := ""
		if b, rerr := os.ReadFile(f.Name()); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
				holder = fmt.Sprintf(" (pid %d)", pid)
			}
		}
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("another moot server%s is using the data folder %s: stop it first, or give this one a folder of its own with --data", holder, dir)
		}
		return nil, fmt.Errorf("the data folder %s: %w", dir, err)
	}
	// The holder's pid, for the message a second server gives.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}

// errLocked is lockFile's error when another process holds the lock.
var errLocked = errors.New("locked by another process")

// unusable says a file system error in a person's words.
func unusable(err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	case errors.Is(err, syscallReadOnly):
		return errors.New("the file system is read-only")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
