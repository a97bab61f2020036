package awsauth

import (
	"sync"
	"time"

	"github.com/keyward/keyward/internal/aws/sigv4"
)

// A busy client signs every request with the same root key; reading and
// unsealing it each time was a fifth of a GetCallerIdentity. Opened keys are
// kept for keyTTL: a key removed from the store stops working within that
// time on every replica. An IAM user's key is kept for userKeyTTL only,
// because administrators deactivate and delete those routinely: that is
// the longest a deactivated or deleted user key (or a key of a deleted
// user) keeps working on another replica; on the replica that made the
// change, Forget ends it at once.
const (
	keyTTL      = 30 * time.Second
	userKeyTTL  = 5 * time.Second
	maxKeysHeld = 4096
)

// keyCache holds opened root keys by access key id.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]heldKey
}

type heldKey struct {
	key   sigv4.Key
	until time.Time
}

func (c *keyCache) get(id string, now time.Time) (sigv4.Key, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.keys[id]
	if !ok || !now.Before(h.until) {
		return sigv4.Key{}, false
	}
	return h.key, true
}

// put holds k; when full it starts over rather than track recency, which
// costs one store read per key.
func (c *keyCache) put(id string, k sigv4.Key, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) >= maxKeysHeld {
		c.keys = make(map[string]heldKey)
	}
	c.keys[id] = heldKey{key: k, until: until}
}

// forget drops id.
func (c *keyCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.keys, id)
}
