// Package portal serves the AWS SSO portal API (restJson1, authenticated by
// the x-amz-sso_bearer_token header): the accounts and roles a user may use
// and short-lived role credentials. Every call re-checks the token, the
// user's status and their assignments, so revoked access ends at the next
// call. RoleCredentials is shared with the access-portal pages.
package portal

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the portal needs from storage.
type Store interface {
	User(ctx context.Context, id string) (ic.User, error)
	TokenByAccess(ctx context.Context, accessHash string) (ic.Token, error)
	RevokeToken(ctx context.Context, accessHash string) error
	store.Entitlements
	AppendEvent(ctx context.Context, e audit.Event) error
	// Instance and PortalSession give the attribute-based access control
	// configuration and what a sign-in asserted for it.
	Instance(ctx context.Context) (ic.Instance, error)
	PortalSession(ctx context.Context, idHash string) (ic.PortalSession, error)
}

// Issuer mints session credentials for a session description.
type Issuer interface {
	IssueSession(s iam.Session) (awsauth.Credentials, error)
}

// Service implements the portal API.
type Service struct {
	store  Store
	issuer Issuer
	clock  clock.Clock
}

// New returns the service.
func New(s Store, issuer Issuer, clk clock.Clock) *Service {
	return &Service{store: s, issuer: issuer, clock: clk}
}

// Register mounts the portal endpoints on mux.
func (s *Service) Register(mux *http.ServeMux) {
	rest.Mount(mux, http.MethodGet, "/federation/credentials", protocol.NoStore(signedIn(s, accountAccess, s.getRoleCredentials)))
	rest.Mount(mux, http.MethodGet, "/assignment/accounts", signedIn(s, accountAccess, s.listAccounts))
	rest.Mount(mux, http.MethodGet, "/assignment/roles", signedIn(s, accountAccess, s.listAccountRoles))
	rest.Mount(mux, http.MethodPost, "/logout", signedIn(s, anyScope, s.logout))
}

// rest binds the operations to restJson1 with the portal's errors.
var rest = &protocol.REST{Render: func(w http.ResponseWriter, r *http.Request, err error) {
	protocol.WriteJSONError(w, r, codes, protocol.ContentTypeRESTJSON, err)
}}

// codes are the portal's error shapes and statuses.
var codes = protocol.Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "InvalidRequestException",
		errs.NotFound:        "ResourceNotFoundException",
		errs.Unauthenticated: "UnauthorizedException",
		errs.Denied:          "ForbiddenException",
		errs.Throttled:       "TooManyRequestsException",
		errs.Internal:        "InternalServerException",
	},
	Status: map[errs.Kind]int{
		errs.NotFound:        http.StatusNotFound,
		errs.Unauthenticated: http.StatusUnauthorized,
		errs.Denied:          http.StatusForbidden,
		errs.Throttled:       http.StatusTooManyRequests,
		errs.Internal:        http.StatusInternalServerError,
	},
	Fallback: "InternalServerException",
}

// session is the bearer token every portal call carries; each input
// embeds it.
type session struct {
	BearerToken string `http:"header=X-Amz-Sso_bearer_token"`
}

func (s session) bearer() string { return s.BearerToken }

// bearerInput is an input that carries the bearer token.
type bearerInput interface{ bearer() string }

// signedIn adapts a portal operation for a signed-in user: the bearer token
// must resolve to a live token of an enabled user, who becomes the actor,
// and its scopes must satisfy allowed.
func signedIn[I bearerInput, O any](s *Service, allowed func(scopes []string) bool, fn func(context.Context, ic.User, *I) (*O, error)) http.Handler {
	return protocol.Handle(rest, func(ctx context.Context, in *I) (*O, error) {
		u, err := s.user(ctx, (*in).bearer(), allowed)
		if err != nil {
			return nil, err
		}
		ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Profile.UserName})
		return fn(ctx, u, in)
	})
}

func unauthorized() error {
	return errs.E(errs.Unauthenticated, "Session token not found or invalid")
}

// accountAccess reports whether a token registered for scopes may reach
// accounts, roles and their credentials. As in Identity Center, a token
// for other scopes only (an IDE extension's, say) is refused with 401
// (fwdcloudsec/granted#940); a client that registered no scopes (the
// legacy profile) and granted's default sso-portal:* are allowed.
func accountAccess(scopes []string) bool {
	return len(scopes) == 0 || slices.Contains(scopes, "sso:account:access") || slices.Contains(scopes, "sso-portal:*")
}

// anyScope allows every token: signing out needs no particular scope.
func anyScope([]string) bool { return true }

// user resolves a bearer token to the enabled user of a live token whose
// scopes allowed accepts.
func (s *Service) user(ctx context.Context, bearer string, allowed func(scopes []string) bool) (ic.User, error) {
	if bearer == "" || len(bearer) > 1024 {
		return ic.User{}, unauthorized()
	}
	tok, err := s.store.TokenByAccess(ctx, keys.HashSecret(bearer))
	if errs.Is(err, errs.NotFound) || (err == nil && (!s.clock.Now().Before(tok.ExpiresAt) || !allowed(tok.Scopes))) {
		return ic.User{}, unauthorized()
	}
	if err != nil {
		return ic.User{}, err
	}
	u, err := s.store.User(ctx, tok.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != ic.UserEnabled) {
		s.refuse(ctx, tok.UserID, u.Status)
		return ic.User{}, unauthorized()
	}
	return u, err
}

// refuse logs why a live token of a disabled or removed user got nothing:
// access ends at the next call, and the log says so.
func (s *Service) refuse(ctx context.Context, userID, status string) {
	e := audit.New(ctx, "sso.portal.deny", "user", userID)
	e.Outcome, e.Message = audit.Failure, "portal call refused: "+ic.UserGone(status)
	_ = s.store.AppendEvent(ctx, e) // the refusal stands even if logging it fails
}

// pageInput is a list call's paging parameters.
type pageInput struct {
	NextToken string `http:"query=next_token"`
	MaxResult string `http:"query=max_result"`
}

// page reads next_token and max_result (1-100, default def).
func page(in pageInput, def int) (store.Page, error) {
	p := store.Page{Limit: def, Token: in.NextToken}
	if v := in.MaxResult; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return p, errs.E(errs.Invalid, "max_result must be a number from 1 to 100")
		}
		p.Limit = n
	}
	if len(p.Token) > 2048 {
		return p, errs.E(errs.Invalid, "next_token is too long")
	}
	return p, nil
}
