package app

import (
	"context"
	"math/rand/v2"
	"time"
)

// purgeEvery is how often a replica purges expired rows. Replicas purge
// independently; a purge that finds nothing costs a few indexed deletes.
const purgeEvery = 5 * time.Minute

// housekeep purges expired rows now and then every purgeEvery (with jitter,
// so replicas started together spread out) until ctx ends.
func (m *Main) housekeep(ctx context.Context) {
	for {
		n, err := m.Store.Purge(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			m.Log.Warn("purging expired rows failed", "err", err)
		case n > 0:
			m.Log.Debug("purged expired rows", "rows", n)
		}
		wait := purgeEvery + rand.N(purgeEvery/5)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
