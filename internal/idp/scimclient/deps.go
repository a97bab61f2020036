package scimclient

import (
	"cmp"
	"context"
	"sync"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// Apps is what the engine reads of the apps (store.Apps' methods).
type Apps interface {
	App(ctx context.Context, id string) (directory.App, error)
	ListApps(ctx context.Context, p store.Page) ([]directory.App, string, error)
	AppUser(ctx context.Context, appID, userID string) (directory.AppUser, error)
	ListAppUsers(ctx context.Context, appID string, p store.Page) ([]directory.AppUser, string, error)
	ListGroupPushes(ctx context.Context, appID string) ([]directory.GroupPush, error)
	ListAppGroups(ctx context.Context, appID string, p store.Page) ([]directory.AppGroup, string, error)
}

// Directory is what the engine reads of the directory and its change
// feed (store.DirectoryUsers, store.DirectoryGroups, store.ChangeFeed).
type Directory interface {
	User(ctx context.Context, id string) (directory.User, error)
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	Group(ctx context.Context, id string) (directory.Group, error)
	ListMembers(ctx context.Context, groupID string, q store.UserQuery, p store.Page) ([]directory.User, string, error)
	Changes(ctx context.Context, after int64, limit int) ([]directory.Change, error)
}

// State is the engine's durable state.
type State = store.Provisioning

// pages calls fn with every page of a list.
func pages[T any](list func(store.Page) ([]T, string, error), fn func([]T) error) error {
	p := store.Page{Limit: 500}
	for {
		items, next, err := list(p)
		if err != nil {
			return err
		}
		if err := fn(items); err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		p.Token = next
	}
}

// provisioned reports whether app pushes to a SCIM target now.
func provisioned(a directory.App) bool {
	return a.Status == directory.AppActive && a.Provisioning.Enabled && a.Provisioning.BaseURL != ""
}

func userKey(appID, id string) store.ProvisionKey {
	return store.ProvisionKey{AppID: appID, Kind: store.ProvisionUser, ObjectID: id}
}

func groupKey(appID, id string) store.ProvisionKey {
	return store.ProvisionKey{AppID: appID, Kind: store.ProvisionGroup, ObjectID: id}
}

// parallelEach calls fn for each item on up to n goroutines and returns
// the first error (the others still finish).
func parallelEach[T any](n int, items []T, fn func(T) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, max(n, 1))
	for _, it := range items {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(it); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}
