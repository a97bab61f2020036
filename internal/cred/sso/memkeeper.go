package sso

import (
	"context"
	"sync"
)

// MemoryKeeper is a Keeper that holds secrets in memory, for one process:
// a one-shot command or a test. Its Refresh fetches once at a time.
type MemoryKeeper struct {
	mu      sync.Mutex
	refresh sync.Mutex
	m       map[string][]byte
}

// Get returns the value under key, or ErrNotFound.
func (k *MemoryKeeper) Get(_ context.Context, key string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[key]; ok {
		return v, nil
	}
	return nil, ErrNotFound
}

// Set keeps value under key.
func (k *MemoryKeeper) Set(_ context.Context, key string, value []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string][]byte{}
	}
	k.m[key] = value
	return nil
}

// Delete forgets key.
func (k *MemoryKeeper) Delete(_ context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

// Refresh returns the value under key when fresh accepts it, else fetches
// and keeps a new one; callers in this process take turns.
func (k *MemoryKeeper) Refresh(ctx context.Context, key string, fresh func([]byte) bool,
	fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	k.refresh.Lock()
	defer k.refresh.Unlock()
	if v, err := k.Get(ctx, key); err == nil && fresh(v) {
		return v, nil
	}
	v, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	return v, k.Set(ctx, key, v)
}
