package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Lock takes the cross-process lock for key under dir/locks (a 0700
// directory of 0600 files named by a hash of the key), waiting until it
// is free or ctx ends. The returned unlock releases it; calling it again
// does nothing. Goroutines of one process exclude each other too.
func Lock(ctx context.Context, dir, key string) (unlock func(), err error) {
	if dir == "" {
		return nil, errors.New("vault: no directory for locks")
	}
	locks := filepath.Join(dir, "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		return nil, fmt.Errorf("vault: lock directory: %w", err)
	}
	sum := sha256.Sum256([]byte(key))
	f, err := os.OpenFile(filepath.Join(locks, hex.EncodeToString(sum[:16])+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: lock file: %w", err)
	}
	// Poll rather than block in the kernel, so that ctx can end the wait.
	wait := 2 * time.Millisecond
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("vault: lock: %w", err)
		}
		if ok {
			var once sync.Once
			return func() {
				once.Do(func() {
					unlockFile(f)
					f.Close()
				})
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, fmt.Errorf("waiting for another keyward process to finish with %q: %w", key, context.Cause(ctx))
		case <-t.C:
		}
		wait = min(wait*2, 100*time.Millisecond)
	}
}

// inflight makes goroutines of this process that refresh the same key wait
// for one fetch instead of queuing on the file lock.
var inflight singleflight.Group

// Refresh returns the value under key when fresh accepts it. Otherwise it
// calls fetch and stores its result — once, however many goroutines and
// processes ask at the same time: the first takes Lock(dir, key), the
// others wait and then find the value it stored. A value that is absent
// is never passed to fresh.
func Refresh(ctx context.Context, s Store, dir, key string, fresh func([]byte) bool,
	fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	if v, ok, err := getFresh(ctx, s, key, fresh); ok || err != nil {
		return v, err
	}
	for {
		ch := inflight.DoChan(dir+"\x00"+key, func() (any, error) {
			return refreshLocked(ctx, s, dir, key, fresh, fetch)
		})
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-ch:
			// Another goroutine led and its context ended: ours has
			// not, so try again rather than fail with its error.
			if r.Err != nil && r.Shared && ctx.Err() == nil &&
				(errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)) {
				continue
			}
			if r.Err != nil {
				return nil, r.Err
			}
			return r.Val.([]byte), nil
		}
	}
}

func refreshLocked(ctx context.Context, s Store, dir, key string, fresh func([]byte) bool,
	fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	unlock, err := Lock(ctx, dir, key)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Another process may have refreshed while we waited.
	if v, ok, err := getFresh(ctx, s, key, fresh); ok || err != nil {
		return v, err
	}
	v, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Set(ctx, key, v); err != nil {
		return nil, err
	}
	return v, nil
}

// getFresh returns the stored value and true when it is there and fresh.
func getFresh(ctx context.Context, s Store, key string, fresh func([]byte) bool) ([]byte, bool, error) {
	v, err := s.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return v, fresh(v), nil
}
