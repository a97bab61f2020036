// Package awsauth answers "who signed this request" for the AWS side and
// mints the credentials that answer it. Root access keys and IAM users'
// access keys live in the store with their secrets sealed (a user's key
// answers only while Active; see keycache.go for how soon a change takes
// effect, and Verified for how its last use is recorded; the authority
// also seals virtual MFA seeds); session credentials are self-contained: the
// session token is the sealed session (secret and the whole iam.Session:
// account, role, session name, session policies, tags, source identity,
// expiry), so any replica verifies a SigV4 request made with it without
// reading the database. It owns the sealed token's format; it does not own
// who may have a session (the portal and STS decide) nor the identifiers and
// ARNs (package iam).
package awsauth

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// Principal is the identity behind verified credentials.
type Principal struct {
	Type        string // "root", "user", "assumed-role" or "federated-user"
	AccountID   string
	ARN         string
	UserID      string
	AccessKeyID string
	// Session is what a session's token asserts; zero for a long-term key.
	// A GetSessionToken session is Type "user" or "root" with a Session.
	Session iam.Session
}

// Principal types.
const (
	Root        = "root"
	User        = "user" // an IAM user signing with its access key
	AssumedRole = iam.KindAssumedRole
)

// Credentials are temporary credentials handed to a client.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// RootKeys finds long-term access keys.
type RootKeys interface {
	AccessKey(ctx context.Context, id string) (ic.AccessKey, error)
}

// KeyStore finds root keys and IAM users' keys.
type KeyStore interface {
	RootKeys
	UserKeys
}

// Authority issues session credentials and resolves access keys.
type Authority struct {
	keys     KeyStore
	sessions *keys.Sealer
	secrets  *keys.Sealer
	seeds    *keys.Sealer
	clock    clock.Clock
	random   io.Reader
	held     keyCache
	used     useLog
}

// New derives the authority's sealers from the master key.
func New(master []byte, rootKeys KeyStore, clk clock.Clock, random io.Reader) (*Authority, error) {
	sessions, err := keys.NewSealer(master, "aws session token", random)
	if err != nil {
		return nil, err
	}
	secrets, err := keys.NewSealer(master, "aws access key secret", random)
	if err != nil {
		return nil, err
	}
	seeds, err := keys.NewSealer(master, "iam mfa seed", random)
	if err != nil {
		return nil, err
	}
	return &Authority{keys: rootKeys, sessions: sessions, secrets: secrets, seeds: seeds, clock: clk, random: random}, nil
}

// NewRootKey returns a fresh long-term key for accountID, its secret sealed
// for the store, and the secret in the clear for the one-time hand-over.
func (a *Authority) NewRootKey(accountID string) (ic.AccessKey, string) {
	id := iam.NewAccessKeyID(a.random)
	secret := iam.NewSecretAccessKey(a.random)
	return ic.AccessKey{
		ID: id, AccountID: accountID, CreatedAt: a.clock.Now(),
		SealedSecret: a.secrets.Seal([]byte(secret), []byte(id)),
	}, secret
}

// Lookup resolves an access key for SigV4 verification; the Principal of
// the returned key is a Principal.
func (a *Authority) Lookup(ctx context.Context, accessKeyID, sessionToken string) (sigv4.Key, error) {
	if strings.HasPrefix(accessKeyID, iam.PrefixTemporaryAccessKey) && sessionToken != "" {
		return a.openSession(accessKeyID, sessionToken)
	}
	if sessionToken != "" || !strings.HasPrefix(accessKeyID, iam.PrefixAccessKeyID) {
		return sigv4.Key{}, invalidToken()
	}
	now := a.clock.Now()
	if k, ok := a.held.get(accessKeyID, now); ok {
		return k, nil
	}
	k, err := a.keys.AccessKey(ctx, accessKeyID)
	if errs.Is(err, errs.NotFound) {
		return a.userKey(ctx, accessKeyID, now)
	}
	if err != nil {
		return sigv4.Key{}, err
	}
	secret, err := a.secrets.Open(k.SealedSecret, []byte(k.ID))
	if err != nil {
		return sigv4.Key{}, err // a key that does not open is our fault, not the client's
	}
	p := Principal{Type: Root, AccountID: k.AccountID, ARN: iam.RootARN(k.AccountID), UserID: k.AccountID, AccessKeyID: k.ID}
	key := sigv4.Key{Secret: string(secret), Principal: p}
	a.held.put(accessKeyID, key, now.Add(keyTTL))
	return key, nil
}

func invalidToken() error {
	return errs.E(errs.Unauthenticated, "The security token included in the request is invalid.").WithCode("UnrecognizedClientException")
}

// WithPrincipal and PrincipalFrom carry the verified caller in a context.
type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the verified caller in ctx.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
