// Package awsauth answers "who signed this request" for the AWS side. Root
// access keys live in the store with their secrets sealed; role-session
// credentials are self-contained: the session token is the sealed session
// (secret, account, role, session name, expiry), so any replica verifies a
// SigV4 request made with it without reading the database.
package awsauth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// Principal is the identity behind verified credentials.
type Principal struct {
	Type        string // "root" or "assumed-role"
	AccountID   string
	ARN         string
	UserID      string
	AccessKeyID string
}

// Principal types.
const (
	Root        = "root"
	AssumedRole = "assumed-role"
)

// Session is what a role session's token asserts.
type Session struct {
	AccountID   string `json:"a"`
	RoleName    string `json:"r"`
	RoleID      string `json:"i"`
	SessionName string `json:"n"`
	Secret      string `json:"s"`
	IssuedAt    int64  `json:"t"`
	ExpiresAt   int64  `json:"e"`
}

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

// Authority issues session credentials and resolves access keys.
type Authority struct {
	keys     RootKeys
	sessions *keys.Sealer
	secrets  *keys.Sealer
	clock    clock.Clock
	random   io.Reader
	held     keyCache
}

// New derives the authority's sealers from the master key.
func New(master []byte, rootKeys RootKeys, clk clock.Clock, random io.Reader) (*Authority, error) {
	sessions, err := keys.NewSealer(master, "aws session token", random)
	if err != nil {
		return nil, err
	}
	secrets, err := keys.NewSealer(master, "aws access key secret", random)
	if err != nil {
		return nil, err
	}
	return &Authority{keys: rootKeys, sessions: sessions, secrets: secrets, clock: clk, random: random}, nil
}

// NewRootKey returns a fresh long-term key for accountID, its secret sealed
// for the store, and the secret in the clear for the one-time hand-over.
func (a *Authority) NewRootKey(accountID string) (ic.AccessKey, string) {
	id := ic.NewAccessKeyID(a.random)
	secret := ic.NewSecretAccessKey(a.random)
	return ic.AccessKey{
		ID: id, AccountID: accountID, CreatedAt: a.clock.Now(),
		SealedSecret: a.secrets.Seal([]byte(secret), []byte(id)),
	}, secret
}

// IssueSession mints credentials for a role session lasting d.
func (a *Authority) IssueSession(role ic.Role, sessionName string, d time.Duration) Credentials {
	now := a.clock.Now()
	s := Session{
		AccountID: role.AccountID, RoleName: role.Name, RoleID: role.ID, SessionName: sessionName,
		Secret: ic.NewSecretAccessKey(a.random), IssuedAt: now.Unix(), ExpiresAt: now.Add(d).Unix(),
	}
	id := ic.NewTemporaryAccessKeyID(a.random)
	payload, _ := json.Marshal(s) // plain struct of strings and ints
	token := base64.StdEncoding.EncodeToString(a.sessions.Seal(payload, []byte(id)))
	return Credentials{AccessKeyID: id, SecretAccessKey: s.Secret, SessionToken: token, Expiration: time.Unix(s.ExpiresAt, 0).UTC()}
}

// maxTokenLen bounds the session token we try to decode.
const maxTokenLen = 4096

// Lookup resolves an access key for SigV4 verification; the Principal of
// the returned key is a Principal.
func (a *Authority) Lookup(ctx context.Context, accessKeyID, sessionToken string) (sigv4.Key, error) {
	if strings.HasPrefix(accessKeyID, "ASIA") && sessionToken != "" {
		return a.openSession(accessKeyID, sessionToken)
	}
	if sessionToken != "" || !strings.HasPrefix(accessKeyID, "AKIA") {
		return sigv4.Key{}, invalidToken()
	}
	now := a.clock.Now()
	if k, ok := a.held.get(accessKeyID, now); ok {
		return k, nil
	}
	k, err := a.keys.AccessKey(ctx, accessKeyID)
	if errs.Is(err, errs.NotFound) {
		return sigv4.Key{}, invalidToken()
	}
	if err != nil {
		return sigv4.Key{}, err
	}
	secret, err := a.secrets.Open(k.SealedSecret, []byte(k.ID))
	if err != nil {
		return sigv4.Key{}, err // a key that does not open is our fault, not the client's
	}
	p := Principal{Type: Root, AccountID: k.AccountID, ARN: "arn:aws:iam::" + k.AccountID + ":root", UserID: k.AccountID, AccessKeyID: k.ID}
	key := sigv4.Key{Secret: string(secret), Principal: p}
	a.held.put(accessKeyID, key, now)
	return key, nil
}

func (a *Authority) openSession(accessKeyID, token string) (sigv4.Key, error) {
	if len(token) > maxTokenLen {
		return sigv4.Key{}, invalidToken()
	}
	sealed, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return sigv4.Key{}, invalidToken()
	}
	payload, err := a.sessions.Open(sealed, []byte(accessKeyID))
	if err != nil {
		return sigv4.Key{}, invalidToken()
	}
	var s Session
	if err := json.Unmarshal(payload, &s); err != nil {
		return sigv4.Key{}, invalidToken()
	}
	if !a.clock.Now().Before(time.Unix(s.ExpiresAt, 0)) {
		return sigv4.Key{}, errs.E(errs.Unauthenticated, "The security token included in the request is expired").WithCode("ExpiredTokenException")
	}
	p := Principal{
		Type: AssumedRole, AccountID: s.AccountID, AccessKeyID: accessKeyID,
		ARN:    "arn:aws:sts::" + s.AccountID + ":assumed-role/" + s.RoleName + "/" + s.SessionName,
		UserID: s.RoleID + ":" + s.SessionName,
	}
	return sigv4.Key{Secret: s.Secret, Principal: p}, nil
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
