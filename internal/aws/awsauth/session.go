package awsauth

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// maxTokenLen bounds the session token we try to decode, and so the
// session we agree to issue.
const maxTokenLen = 4096

// sealed is a session token's payload. Its first seven members are the
// format's first version, which every token issued so far carries; the
// rest were added with omitempty, so an older token opens as the same
// session (its kind, absent, is a role session's) and a newer one's extras
// cost nothing when unset. Never rename a key: tokens in the wild use it.
type sealed struct {
	AccountID   string `json:"a"`
	RoleName    string `json:"r"`
	RoleID      string `json:"i"`
	SessionName string `json:"n"`
	Secret      string `json:"s"`
	IssuedAt    int64  `json:"t"`
	ExpiresAt   int64  `json:"e"`

	Kind              string    `json:"k,omitempty"`
	RolePath          string    `json:"p,omitempty"`
	PolicyARNs        []string  `json:"pa,omitempty"`
	Policy            string    `json:"po,omitempty"`
	Tags              []iam.Tag `json:"tg,omitempty"`
	TransitiveTagKeys []string  `json:"tt,omitempty"`
	SourceIdentity    string    `json:"si,omitempty"`

	// Federated users and user sessions (GetFederationToken,
	// GetSessionToken), MFA and the caller kind of a role session.
	UserName    string `json:"un,omitempty"`
	UserPath    string `json:"up,omitempty"`
	IAMUserID   string `json:"ui,omitempty"`
	MFAAuthTime int64  `json:"m,omitempty"`
	CallerKind  string `json:"ck,omitempty"`
}

// FederatedUser is the Principal.Type of a GetFederationToken session.
const FederatedUser = iam.KindFederatedUser

func sealedOf(s iam.Session, secret string, issuedAt time.Time) sealed {
	return sealed{AccountID: s.AccountID, RoleName: s.RoleName, RoleID: s.RoleID, SessionName: s.SessionName,
		Secret: secret, IssuedAt: issuedAt.Unix(), ExpiresAt: s.Expires.Unix(),
		Kind: s.Kind, RolePath: s.RolePath, PolicyARNs: s.PolicyARNs, Policy: s.Policy, Tags: s.Tags,
		TransitiveTagKeys: s.TransitiveTagKeys, SourceIdentity: s.SourceIdentity,
		UserName: s.UserName, UserPath: s.UserPath, IAMUserID: s.IAMUserID, MFAAuthTime: unixOrZero(s.MFAAuthTime), CallerKind: s.CallerKind}
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// session returns the description p asserts; a token of the first format
// has no kind and was a role session.
func (p sealed) session() iam.Session {
	kind := p.Kind
	if kind == "" {
		kind = iam.KindAssumedRole
	}
	s := iam.Session{Kind: kind, AccountID: p.AccountID, RoleID: p.RoleID, RoleName: p.RoleName, RolePath: p.RolePath,
		SessionName: p.SessionName, PolicyARNs: p.PolicyARNs, Policy: p.Policy, Tags: p.Tags,
		TransitiveTagKeys: p.TransitiveTagKeys, SourceIdentity: p.SourceIdentity, Expires: time.Unix(p.ExpiresAt, 0).UTC(),
		UserName: p.UserName, UserPath: p.UserPath, IAMUserID: p.IAMUserID, CallerKind: p.CallerKind}
	if p.MFAAuthTime != 0 {
		s.MFAAuthTime = time.Unix(p.MFAAuthTime, 0).UTC()
	}
	return s
}

// principalType is Principal.Type for a session: a user session is its
// user or root; the other kinds are their own type.
func principalType(s iam.Session) string {
	switch {
	case s.Kind != iam.KindUserSession:
		return s.Kind
	case s.UserName == "":
		return Root
	}
	return User
}

// IssueSession mints credentials for the session s describes, whatever
// granted it. The session must be well formed and end in the future; a
// session whose token would exceed what Lookup accepts (long session
// policies, many tags) is refused as PackedPolicyTooLarge, as STS does.
func (a *Authority) IssueSession(s iam.Session) (Credentials, error) {
	if err := s.Check(); err != nil {
		return Credentials{}, errs.E(errs.Internal, "%v", err)
	}
	now := a.clock.Now()
	if !s.Expires.After(now) {
		return Credentials{}, errs.E(errs.Internal, "awsauth: a session must end after it is issued (%s)", s.Expires)
	}
	p := sealedOf(s, iam.NewSecretAccessKey(a.random), now)
	id := newTemporaryKeyID(a.random, s.AccountID)
	payload, err := json.Marshal(p)
	if err != nil {
		return Credentials{}, err
	}
	token := base64.StdEncoding.EncodeToString(a.sessions.Seal(payload, []byte(id)))
	if len(token) > maxTokenLen {
		return Credentials{}, errs.E(errs.Invalid, "Packed size of the session policies and session tags combined was too large: the session token would be %d bytes; the limit is %d.",
			len(token), maxTokenLen).WithCode("PackedPolicyTooLarge")
	}
	return Credentials{AccessKeyID: id, SecretAccessKey: p.Secret, SessionToken: token, Expiration: time.Unix(p.ExpiresAt, 0).UTC()}, nil
}

// openSession verifies a session token presented with accessKeyID. Anything
// that does not open as a well-formed session of a known kind is an invalid
// token, never a panic or an internal error.
func (a *Authority) openSession(accessKeyID, token string) (sigv4.Key, error) {
	p, err := a.unseal(accessKeyID, token)
	if err != nil {
		return sigv4.Key{}, err
	}
	s := p.session()
	if s.Check() != nil || p.Secret == "" {
		return sigv4.Key{}, invalidToken()
	}
	if !a.clock.Now().Before(s.Expires) {
		return sigv4.Key{}, errs.E(errs.Unauthenticated, "The security token included in the request is expired").WithCode("ExpiredTokenException")
	}
	prin := Principal{Type: principalType(s), AccountID: s.AccountID, AccessKeyID: accessKeyID, ARN: s.ARN(), UserID: s.UserID(), Session: s}
	return sigv4.Key{Secret: p.Secret, Principal: prin}, nil
}

// unseal opens and decodes a session token bound to accessKeyID.
func (a *Authority) unseal(accessKeyID, token string) (sealed, error) {
	if len(token) > maxTokenLen {
		return sealed{}, invalidToken()
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return sealed{}, invalidToken()
	}
	payload, err := a.sessions.Open(raw, []byte(accessKeyID))
	if err != nil {
		return sealed{}, invalidToken()
	}
	var p sealed
	if err := json.Unmarshal(payload, &p); err != nil {
		return sealed{}, invalidToken()
	}
	return p, nil
}

// VerifySession checks a complete set of temporary credentials (what the
// console's federation endpoint receives) and returns their principal:
// the token must open for the key id, carry this secret and not have
// expired. Long-term keys are refused: they have no session.
func (a *Authority) VerifySession(accessKeyID, secret, token string) (Principal, error) {
	if !strings.HasPrefix(accessKeyID, iam.PrefixTemporaryAccessKey) || token == "" {
		return Principal{}, invalidToken()
	}
	k, err := a.openSession(accessKeyID, token)
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) != 1 {
		return Principal{}, invalidToken()
	}
	return k.Principal.(Principal), nil
}
