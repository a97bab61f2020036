package app

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/scimclient"
	"github.com/keyward/keyward/internal/keys"
)

// provisioning builds the engine that pushes people and groups to the
// apps' SCIM targets, opening each app's sealed bearer token as it goes.
func (m *Main) provisioning(master []byte) (*scimclient.Engine, error) {
	tokens, err := keys.NewSealer(master, directory.ProvisioningTokenPurpose, m.random)
	if err != nil {
		return nil, err
	}
	open := func(a directory.App) (string, error) {
		b, err := tokens.Open(a.Provisioning.SealedToken, []byte(a.ID))
		return string(b), err
	}
	return scimclient.NewEngine(scimclient.Config{Apps: m.IdP, Directory: m.IdP, State: m.IdP, Token: open,
		Clock: m.clock, Random: m.random, Log: m.Log, Owner: m.provisioningOwner()}), nil
}

// provisioningOwner names this replica in the outbox's leases: stable
// across restarts (a restarted replica takes its own leases back at once)
// and distinct between replicas, which have their own data directories.
func (m *Main) provisioningOwner() string {
	host, _ := os.Hostname()
	dir, err := filepath.Abs(m.Config.DataDir)
	if err != nil {
		dir = m.Config.DataDir
	}
	return host + ":" + dir
}

// provision runs the engine until ctx ends, starting it again after a
// failure (the store was unreachable) once a little time has passed.
func (m *Main) provision(ctx context.Context) {
	for {
		err := m.Provisioning.Run(ctx)
		if ctx.Err() != nil {
			return
		}
		m.Log.Warn("provisioning stopped; starting it again", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second):
		}
	}
}

// pokeAfterWrites wakes provisioning after every management API call that
// may have changed something, so a change made here reaches the targets
// at once rather than at the engine's next tick (which still covers
// changes other replicas and the CLI make).
func pokeAfterWrites(next http.Handler, poke func()) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			poke()
		}
	})
}
