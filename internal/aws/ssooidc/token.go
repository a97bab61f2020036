package ssooidc

import (
	"context"
	"slices"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

type createTokenInput struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	GrantType    string   `json:"grantType"`
	DeviceCode   string   `json:"deviceCode"`
	RefreshToken string   `json:"refreshToken"`
	Code         string   `json:"code"`
	Scope        []string `json:"scope"`
	RedirectURI  string   `json:"redirectUri"`
	CodeVerifier string   `json:"codeVerifier"`
}

type createTokenOutput struct {
	AccessToken  string `json:"accessToken"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int    `json:"expiresIn"`
	RefreshToken string `json:"refreshToken"`
}

func (s *Service) createToken(ctx context.Context, in *createTokenInput) (*createTokenOutput, error) {
	if err := protocol.Required("clientId", in.ClientID, "clientSecret", in.ClientSecret, "grantType", in.GrantType); err != nil {
		return nil, err
	}
	c, err := s.authenticate(ctx, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	switch in.GrantType {
	case ic.GrantDeviceCode, ic.GrantRefreshToken, ic.GrantAuthorizationCode:
	default:
		return nil, oidcError(errs.Invalid, "UnsupportedGrantTypeException", "grantType "+quote(in.GrantType)+" is not supported")
	}
	if !c.Allows(in.GrantType) {
		return nil, unauthorizedGrant(in.GrantType)
	}
	if err := checkScopes(in.Scope); err != nil {
		return nil, err
	}
	switch in.GrantType {
	case ic.GrantDeviceCode:
		return s.redeemDeviceCode(ctx, c, in.DeviceCode, in.Scope)
	case ic.GrantRefreshToken:
		return s.refresh(ctx, c, in.RefreshToken, in.Scope)
	}
	return s.redeemCode(ctx, c, in)
}

func unauthorizedGrant(grant string) error {
	return oidcError(errs.Invalid, "UnauthorizedClientException", "This client did not register for the "+grant+" grant")
}

// narrow returns the scopes a token gets when asked scopes of a grant for
// granted: all of granted when none are asked for, else those asked, each
// of which must have been granted (RFC 6749 §3.3 and §6): a token's scopes
// can be narrowed, never widened, not even by a refresh.
func narrow(granted, asked []string) ([]string, error) {
	if len(asked) == 0 {
		return granted, nil
	}
	for _, sc := range asked {
		if !slices.Contains(granted, sc) {
			return nil, oidcError(errs.Invalid, "InvalidScopeException", "scope "+quote(sc)+" was not granted to this sign-in")
		}
	}
	return dedupe(asked), nil
}

func (s *Service) redeemDeviceCode(ctx context.Context, c ic.Client, code string, asked []string) (*createTokenOutput, error) {
	if err := protocol.Required("deviceCode", code); err != nil {
		return nil, err
	}
	hash := keys.HashSecret(code)
	var approved ic.DeviceAuthorization
	_, err := s.store.UpdateDeviceAuthorization(ctx, hash, func(d ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
		if err := s.pollable(d, c.ID); err != nil {
			return d, err
		}
		if _, err := narrow(d.Scopes, asked); err != nil {
			return d, err
		}
		d.LastPolledAt = s.clock.Now()
		approved = d
		if d.Status == ic.DeviceApproved {
			d.Status = ic.DeviceRedeemed
		}
		return d, nil
	})
	if errs.Is(err, errs.NotFound) {
		return nil, oidcError(errs.Invalid, "InvalidGrantException", "Invalid device code provided")
	}
	if err != nil {
		return nil, err
	}
	if approved.Status == ic.DevicePending {
		// The poll itself was recorded (LastPolledAt) for slow_down.
		return nil, oidcError(errs.Invalid, "AuthorizationPendingException", "Authorization is still pending")
	}
	if err := s.approvalLive(ctx, approved.SessionHash); err != nil {
		return nil, err
	}
	scopes, _ := narrow(approved.Scopes, asked) // checked above
	now := s.clock.Now()
	return s.issue(ctx, c, signIn{userID: approved.UserID, scopes: scopes, family: ic.NewUUID(s.random),
		sessionHash: approved.SessionHash, ends: now.Add(s.cfg.SessionLifetime)})
}

// approvalLive checks the portal session a device code was approved in has
// not ended since: a sign-in's tokens end with its session, so a session
// that ended before the client came back for them gives none.
func (s *Service) approvalLive(ctx context.Context, sessionHash string) error {
	if sessionHash == "" {
		return nil
	}
	ps, err := s.store.PortalSession(ctx, sessionHash)
	if errs.Is(err, errs.NotFound) || (err == nil && !s.clock.Now().Before(ps.ExpiresAt)) {
		return oidcError(errs.Invalid, "InvalidGrantException", "The portal session that approved this request has ended; start the sign-in again")
	}
	return err
}

// pollable checks a device authorization may be polled now by clientID.
func (s *Service) pollable(d ic.DeviceAuthorization, clientID string) error {
	now := s.clock.Now()
	switch {
	case d.ClientID != clientID:
		return oidcError(errs.Invalid, "InvalidGrantException", "The device code was issued to another client")
	case d.Status == ic.DeviceRedeemed:
		return oidcError(errs.Invalid, "InvalidGrantException", "The device code has already been used")
	case d.Status == ic.DeviceDenied:
		return oidcError(errs.Denied, "AccessDeniedException", "The request was denied by the user")
	case !now.Before(d.ExpiresAt):
		return oidcError(errs.Invalid, "ExpiredTokenException", "The device code has expired")
	case d.Status == ic.DevicePending && tooFast(d, now):
		return oidcError(errs.Invalid, "SlowDownException", "Client is polling too fast; slow down")
	}
	return nil
}

// tooFast reports a poll sooner than 3/4 of the interval after the last one.
// Polls in the first interval after the code was issued never count: AWS CLI
// v2 polls twice back to back before it starts sleeping, and a slow_down
// there would cost every login five seconds.
func tooFast(d ic.DeviceAuthorization, now time.Time) bool {
	return now.Sub(d.CreatedAt) > d.Interval && now.Sub(d.LastPolledAt) < d.Interval*3/4
}

func (s *Service) refresh(ctx context.Context, c ic.Client, refreshToken string, asked []string) (*createTokenOutput, error) {
	if err := protocol.Required("refreshToken", refreshToken); err != nil {
		return nil, err
	}
	var out *createTokenOutput
	var gone *audit.Event // a refusal to log once the rotation's transaction is over
	_, err := s.store.RotateToken(ctx, keys.HashSecret(refreshToken), func(old ic.Token) (ic.Token, error) {
		if err := s.refreshable(ctx, old, c.ID, &gone); err != nil {
			return old, err
		}
		scopes, err := narrow(old.Scopes, asked)
		if err != nil {
			return old, err
		}
		next, o := s.newToken(c, signIn{userID: old.UserID, scopes: scopes, family: old.FamilyID,
			sessionHash: old.SessionHash, ends: old.RefreshExpiresAt})
		out = o
		return next, nil
	})
	if gone != nil {
		_ = s.store.AppendEvent(ctx, *gone) // the refusal stands even if logging it fails
	}
	if errs.Is(err, errs.NotFound) {
		return nil, oidcError(errs.Invalid, "InvalidGrantException", "Invalid refresh token provided")
	}
	return out, err
}

// refreshable checks the old token's client and session, and that its user
// may still sign in: entitlements are evaluated at use. A user who may not
// is a refusal whose event it leaves in gone: it runs inside the rotation's
// transaction, where writing another would wait on that transaction.
func (s *Service) refreshable(ctx context.Context, old ic.Token, clientID string, gone **audit.Event) error {
	if old.ClientID != clientID {
		return oidcError(errs.Invalid, "InvalidGrantException", "The refresh token was issued to another client")
	}
	if !s.clock.Now().Before(old.RefreshExpiresAt) {
		return oidcError(errs.Invalid, "InvalidGrantException", "The session has ended; sign in again")
	}
	u, err := s.store.User(ctx, old.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != ic.UserEnabled) {
		e := audit.New(ctx, "ssooidc.token.refresh", "user", old.UserID)
		e.Outcome, e.Message = audit.Failure, "token refresh refused: "+ic.UserGone(u.Status)
		*gone = &e
		return oidcError(errs.Invalid, "InvalidGrantException", "The user can no longer sign in")
	}
	return err
}

// signIn is what every token of one sign-in shares: whose it is, what it
// may do, its family, the portal session that approved it, and its end.
type signIn struct {
	userID      string
	scopes      []string
	family      string
	sessionHash string
	ends        time.Time
}

// issue stores the first token of a sign-in and returns it to the client.
func (s *Service) issue(ctx context.Context, c ic.Client, in signIn) (*createTokenOutput, error) {
	t, out := s.newToken(c, in)
	if err := s.store.CreateToken(ctx, t); err != nil {
		return nil, err
	}
	return out, nil
}

// newToken mints an access and refresh token pair. Access tokens last until
// the sign-in ends, at most maxAccessLifetime; refresh works until the end.
func (s *Service) newToken(c ic.Client, in signIn) (ic.Token, *createTokenOutput) {
	now := s.clock.Now()
	access, refresh := s.secret(prefixAccessToken), s.secret(prefixRefreshToken)
	expires := now.Add(maxAccessLifetime)
	if in.ends.Before(expires) {
		expires = in.ends
	}
	t := ic.Token{AccessHash: keys.HashSecret(access), RefreshHash: keys.HashSecret(refresh), FamilyID: in.family,
		SessionHash: in.sessionHash, UserID: in.userID, ClientID: c.ID, Scopes: in.scopes, CreatedAt: now,
		ExpiresAt: expires, RefreshExpiresAt: in.ends}
	return t, &createTokenOutput{AccessToken: access, TokenType: "Bearer",
		ExpiresIn: int(expires.Sub(now).Seconds()), RefreshToken: refresh}
}
