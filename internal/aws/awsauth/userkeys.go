package awsauth

import (
	"context"
	"sync"
	"time"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// UserKeys finds IAM users' access keys and records their use.
type UserKeys interface {
	IAMAccessKey(ctx context.Context, id string) (iam.AccessKey, iam.User, error)
	TouchIAMAccessKey(ctx context.Context, id string, use iam.KeyUse) error
}

// useInterval is how often a key's last use is written: at most once a
// minute per key and replica, so a busy key costs no write per request.
// GetAccessKeyLastUsed is that much behind at worst.
const useInterval = time.Minute

// userKey resolves an IAM user's access key. An inactive key, like an
// unknown one, is refused as AWS refuses it (InvalidClientTokenId on
// awsQuery, UnrecognizedClientException on awsJson).
func (a *Authority) userKey(ctx context.Context, id string, now time.Time) (sigv4.Key, error) {
	k, u, err := a.keys.IAMAccessKey(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return sigv4.Key{}, invalidToken()
	}
	if err != nil {
		return sigv4.Key{}, err
	}
	if k.Status != iam.KeyActive {
		return sigv4.Key{}, invalidToken()
	}
	secret, err := a.secrets.Open(k.SealedSecret, []byte(k.ID))
	if err != nil {
		return sigv4.Key{}, err
	}
	p := Principal{Type: User, AccountID: u.AccountID, ARN: u.ARN(), UserID: u.ID, AccessKeyID: k.ID}
	key := sigv4.Key{Secret: string(secret), Principal: p}
	a.held.put(id, key, now.Add(userKeyTTL))
	return key, nil
}

// NewUserKey returns a fresh access key for an IAM user, its secret sealed
// for the store, and the secret in the clear for the one-time hand-over.
func (a *Authority) NewUserKey(accountID, userID string) (iam.AccessKey, string) {
	root, secret := a.NewRootKey(accountID)
	return iam.AccessKey{ID: root.ID, AccountID: accountID, UserID: userID, Status: iam.KeyActive,
		SealedSecret: root.SealedSecret, CreatedAt: root.CreatedAt}, secret
}

// Forget drops a cached key at once, after it was deactivated or deleted.
func (a *Authority) Forget(accessKeyID string) { a.held.forget(accessKeyID) }

// SealMFASeed seals a virtual MFA device's TOTP secret, bound to its serial.
func (a *Authority) SealMFASeed(serial string, seed []byte) []byte {
	return a.seeds.Seal(seed, []byte(serial))
}

// OpenMFASeed opens what SealMFASeed sealed.
func (a *Authority) OpenMFASeed(serial string, sealed []byte) ([]byte, error) {
	return a.seeds.Open(sealed, []byte(serial))
}

// Verified records an IAM user key's use after its signature checked out
// (sigv4.Verifier.Verified), at most once per useInterval. A failure to
// record does not fail the request.
func (a *Authority) Verified(ctx context.Context, res sigv4.Result) {
	p, ok := res.Principal.(Principal)
	if !ok || p.Type != User {
		return
	}
	now := a.clock.Now()
	if !a.used.due(p.AccessKeyID, now) {
		return
	}
	_ = a.keys.TouchIAMAccessKey(ctx, p.AccessKeyID, iam.KeyUse{At: now, Service: res.Service, Region: res.Region})
}

// useLog remembers when each key's use was last written.
type useLog struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (l *useLog) due(id string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil || len(l.last) >= maxKeysHeld {
		l.last = make(map[string]time.Time)
	}
	if t, ok := l.last[id]; ok && now.Sub(t) < useInterval {
		return false
	}
	l.last[id] = now
	return true
}
