//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockFile is the lock a serving keyward holds in a SQLite data directory.
const LockFile = "keyward.lock"

// lockDataDir takes an exclusive lock on dir for this process, so a second
// `keyward serve` on the same SQLite database fails at once instead of
// sharing it. The lock file holds the holder's process id for the message.
// The lock ends when the returned file is closed or the process exits.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by keyward process %s: stop it first, "+
				"or give this one another --data-dir", dir, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	// The process id only feeds another start's message; failing to write
	// it does not weaken the lock.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}
