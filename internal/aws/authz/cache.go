package authz

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/keyward/keyward/internal/store"
)

// ReadTTL is how long a role's or user's policies read from the store are
// reused. Every signed call needs them, and reading them costs more than
// evaluating them; IAM itself is eventually consistent (AWS documents that
// a change takes a few seconds to apply everywhere), so a policy change
// takes effect here within this time on each replica.
const ReadTTL = time.Second

// maxCachedReads bounds the cache; past it the cache starts over.
const maxCachedReads = 4096

// readCache keeps recent store reads by key for ReadTTL.
type readCache[T any] struct {
	mu      sync.Mutex
	entries map[string]cached[T]
}

type cached[T any] struct {
	v  T
	at time.Time
}

// get returns the value read for key, reading it with read when there is
// none younger than ReadTTL at now. Failed reads are not kept.
func (c *readCache[T]) get(key string, now time.Time, read func() (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < ReadTTL && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCachedReads {
		c.entries = map[string]cached[T]{}
	}
	c.entries[key] = cached[T]{v: v, at: now}
	c.mu.Unlock()
	return v, nil
}

// roleAuthorization is a role and its policies, read at most once a
// ReadTTL (a role's sessions, its trust policy and its tags share it).
func (a *Authority) roleAuthorization(ctx context.Context, accountID, name string) (store.RoleAuthorization, error) {
	return a.roles.get(accountID+"/"+strings.ToLower(name), a.clock.Now(), func() (store.RoleAuthorization, error) {
		return a.store.RoleAuthorization(ctx, accountID, name)
	})
}

// userAuthorization is a user and its policies, read at most once a ReadTTL.
func (a *Authority) userAuthorization(ctx context.Context, userID string) (store.UserAuthorization, error) {
	return a.users.get(userID, a.clock.Now(), func() (store.UserAuthorization, error) {
		return a.store.UserAuthorization(ctx, userID)
	})
}
