// Package console signs people in to keyward's stand-in for the AWS
// Management Console, as AWS's federation endpoint
// (https://signin.aws.amazon.com/federation) does: getSigninToken trades a
// session's temporary credentials for a sign-in token, and login trades the
// token, once, for a console session. It owns the sign-in token and the
// console session (both sealed with the master key, so any replica opens
// them without reading the database) and their lifetimes. It does not own
// the pages (package web), who may have the credentials (the portal and
// STS) or the session token format (package awsauth).
package console

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/keys"
)

// Lifetimes, as AWS's federation endpoint has them.
const (
	// TokenLifetime is how long a sign-in token may be used to sign in.
	TokenLifetime = 15 * time.Minute
	// MinSessionDuration and MaxSessionDuration bound SessionDuration.
	MinSessionDuration = 15 * time.Minute
	MaxSessionDuration = 12 * time.Hour
	// MaxFederatedSessionDuration bounds a GetFederationToken session's
	// console session, which lasts as long as its credentials.
	MaxFederatedSessionDuration = 36 * time.Hour
)

// maxSealed bounds the sign-in tokens and cookies we try to open.
const maxSealed = 8192

// Sessions verifies a session's temporary credentials.
type Sessions interface {
	VerifySession(accessKeyID, secret, token string) (awsauth.Principal, error)
}

// Store remembers the sign-in tokens already used and logs sign-ins.
type Store interface {
	RememberKey(ctx context.Context, key string, expires time.Time) error
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Session is a console session: who is signed in, until when, and how.
type Session struct {
	Role    iam.Session
	Issuer  string // the Issuer the sign-in URL named, if any
	Expires time.Time
}

// ARN is the signed-in principal's ARN.
func (s Session) ARN() string { return s.Role.ARN() }

// Service mints and opens sign-in tokens and console sessions.
type Service struct {
	sessions Sessions
	store    Store
	tokens   *keys.Sealer
	cookies  *keys.Sealer
	clock    clock.Clock
	random   io.Reader
}

// New derives the service's sealers from the master key.
func New(master []byte, sessions Sessions, st Store, clk clock.Clock, random io.Reader) (*Service, error) {
	tokens, err := keys.NewSealer(master, "console sign-in token", random)
	if err != nil {
		return nil, err
	}
	cookies, err := keys.NewSealer(master, "console session", random)
	if err != nil {
		return nil, err
	}
	return &Service{sessions: sessions, store: st, tokens: tokens, cookies: cookies, clock: clk, random: random}, nil
}

// Credentials are what getSigninToken's Session parameter carries.
type Credentials struct {
	SessionID    string `json:"sessionId"`
	SessionKey   string `json:"sessionKey"`
	SessionToken string `json:"sessionToken"`
}

// sealedToken is a sign-in token's payload. The session is carried as its
// principal's session, and Nonce makes the token usable once.
type sealedToken struct {
	Nonce    string      `json:"n"`
	Role     iam.Session `json:"s"`
	Duration int64       `json:"d"` // console session seconds
	Issued   int64       `json:"t"`
}

// SigninToken verifies c and returns a sign-in token for a console session
// of duration (zero: as long as the credentials last, within the bounds).
// Long-term keys cannot sign in: AWS accepts only temporary credentials
// here.
func (s *Service) SigninToken(c Credentials, duration time.Duration) (string, error) {
	if c.SessionID == "" || c.SessionKey == "" || c.SessionToken == "" {
		return "", errs.E(errs.Invalid, "Session must carry sessionId, sessionKey and sessionToken: the temporary credentials of a role session.")
	}
	p, err := s.sessions.VerifySession(c.SessionID, c.SessionKey, c.SessionToken)
	if err != nil {
		return "", errs.E(errs.Unauthenticated, "The credentials in Session are not valid temporary credentials: %v", err)
	}
	if p.Session.Kind == iam.KindUserSession {
		return "", errs.E(errs.Denied, "Credentials from GetSessionToken cannot sign in to the console; use a role session or GetFederationToken.")
	}
	switch {
	case duration == 0:
		duration = s.remaining(p.Session)
	case p.Session.Kind == iam.KindFederatedUser:
		return "", errs.E(errs.Invalid, "SessionDuration cannot be used with credentials from GetFederationToken: the console session lasts as long as they do.")
	default:
		if err := checkDuration(duration); err != nil {
			return "", err
		}
	}
	return s.tokenFor(p.Session, duration)
}

// remaining is what is left of a session, within the console session's
// bounds: AWS's console session lasts as long as the credentials when the
// sign-in token request names no SessionDuration (a federated user's, up
// to the 36 hours GetFederationToken allows).
func (s *Service) remaining(role iam.Session) time.Duration {
	longest := MaxSessionDuration
	if role.Kind == iam.KindFederatedUser {
		longest = MaxFederatedSessionDuration
	}
	left := role.Expires.Sub(s.clock.Now()).Truncate(time.Second)
	return min(max(left, MinSessionDuration), longest)
}

func checkDuration(d time.Duration) error {
	if d < MinSessionDuration || d > MaxSessionDuration {
		return errs.E(errs.Invalid, "SessionDuration must be between 900 and 43200 seconds.")
	}
	return nil
}

func (s *Service) tokenFor(role iam.Session, duration time.Duration) (string, error) {
	t := sealedToken{Nonce: clock.Hex(s.random, 16), Role: role, Duration: int64(duration / time.Second), Issued: s.clock.Now().Unix()}
	payload, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.tokens.Seal(payload, nil)), nil
}

// Login trades a sign-in token, once and within TokenLifetime, for a
// console session and the cookie value that carries it.
func (s *Service) Login(ctx context.Context, token, issuer string) (string, Session, error) {
	var t sealedToken
	if !open(s.tokens, token, &t) {
		return "", Session{}, errBadToken
	}
	now := s.clock.Now()
	issued := time.Unix(t.Issued, 0)
	if !now.Before(issued.Add(TokenLifetime)) || !now.Before(t.Role.Expires) {
		return "", Session{}, errs.E(errs.Unauthenticated, "This sign-in link has expired. Get a new sign-in token and try again.")
	}
	if err := s.store.RememberKey(ctx, "console-signin:"+t.Nonce, issued.Add(TokenLifetime)); err != nil {
		if errs.Is(err, errs.Conflict) {
			return "", Session{}, errs.E(errs.Unauthenticated, "This sign-in link has already been used. Get a new sign-in token and try again.")
		}
		return "", Session{}, err
	}
	sess := Session{Role: t.Role, Issuer: issuer, Expires: now.Add(time.Duration(t.Duration) * time.Second)}
	payload, err := json.Marshal(sess)
	if err != nil {
		return "", Session{}, err
	}
	if err := s.store.AppendEvent(ctx, signInEvent(ctx, sess)); err != nil {
		return "", Session{}, err
	}
	return base64.RawURLEncoding.EncodeToString(s.cookies.Seal(payload, nil)), sess, nil
}

// Open returns the console session a cookie value carries, if it is ours
// and has not expired.
func (s *Service) Open(cookie string) (Session, bool) {
	var sess Session
	if !open(s.cookies, cookie, &sess) || !s.clock.Now().Before(sess.Expires) {
		return Session{}, false
	}
	return sess, true
}

var errBadToken = errs.E(errs.Invalid, "The sign-in token is not valid. Get a new one with Action=getSigninToken.")

// open unseals a base64url value into v; anything else is false.
func open(sealer *keys.Sealer, value string, v any) bool {
	if value == "" || len(value) > maxSealed {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return false
	}
	payload, err := sealer.Open(raw, nil)
	return err == nil && json.Unmarshal(payload, v) == nil
}

// signInEvent records a console sign-in, as CloudTrail's ConsoleLogin does.
func signInEvent(ctx context.Context, sess Session) audit.Event {
	ctx = audit.WithActor(ctx, audit.Actor{Type: sess.Role.Kind, ID: sess.Role.UserID(), Name: sess.ARN()})
	e := audit.New(ctx, "signin.console.login", "role", sess.Role.RoleARN())
	e.Detail = map[string]string{"sessionEnds": sess.Expires.UTC().Format(time.RFC3339)}
	if sess.Issuer != "" {
		e.Detail["issuer"] = sess.Issuer
	}
	return e
}

// SigninTokenFor returns a sign-in token for a role session just issued
// by keyward itself (the SAML sign-in's chosen role), for a console
// session of duration (zero: the default), capped by the session's own
// end even when that is less than 15 minutes away. It skips
// SigninToken's check of credentials: the caller issued the session.
func (s *Service) SigninTokenFor(role iam.Session, duration time.Duration) (string, error) {
	if err := role.Check(); err != nil {
		return "", err
	}
	// Never past the session's end, even under MinSessionDuration: a
	// SAML sign-in's session ends with the identity provider's session.
	if left := role.Expires.Sub(s.clock.Now()).Truncate(time.Second); duration == 0 || duration > left {
		duration = min(left, s.remaining(role))
	} else if err := checkDuration(duration); err != nil {
		return "", err
	}
	return s.tokenFor(role, duration)
}
