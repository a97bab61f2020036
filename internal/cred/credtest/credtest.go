// Package credtest holds what the credential CLI's tests share: a Keeper
// in memory.
//
// It owns: Keeper, whose Refresh holds a lock on its key from the
// freshness check to the store, as the vault's lock does across
// processes, so tests of "one refresh however many ask" exercise the real
// contract (and a refresh inside another, of another key, still works).
//
// It does not own: the vault (cred/vault) or anything a command uses.
package credtest

import (
	"context"
	"sync"

	"github.com/keyward/keyward/internal/cred/sso"
)

// Keeper is an sso.Keeper in memory. The zero value is ready.
type Keeper struct {
	mu      sync.Mutex
	m       map[string][]byte
	refresh sync.Map // key → *sync.Mutex
}

var _ sso.Keeper = (*Keeper)(nil)

func (k *Keeper) Get(_ context.Context, key string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[key]; ok {
		return v, nil
	}
	return nil, sso.ErrNotFound
}

func (k *Keeper) Set(_ context.Context, key string, v []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string][]byte{}
	}
	k.m[key] = v
	return nil
}

func (k *Keeper) Delete(_ context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

// Refresh returns the value under key when fresh accepts it, else what
// fetch returns, stored; one caller at a time for each key.
func (k *Keeper) Refresh(ctx context.Context, key string, fresh func([]byte) bool,
	fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	l, _ := k.refresh.LoadOrStore(key, &sync.Mutex{})
	l.(*sync.Mutex).Lock()
	defer l.(*sync.Mutex).Unlock()
	if v, err := k.Get(ctx, key); err == nil && fresh(v) {
		return v, nil
	}
	v, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	return v, k.Set(ctx, key, v)
}
