// Package portal serves the AWS SSO portal API (restJson1, authenticated by
// the x-amz-sso_bearer_token header): the accounts and roles a user may use
// and short-lived role credentials. Every call re-checks the token, the
// user's status and their assignments, so revoked access ends at the next
// call. RoleCredentials is shared with the access-portal pages.
package portal

import (
	"context"
	"net/http"
	"strconv"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
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
	mux.Handle("GET /federation/credentials", protocol.NoStore(s.handle(s.getRoleCredentials)))
	mux.Handle("GET /assignment/accounts", s.handle(s.listAccounts))
	mux.Handle("GET /assignment/roles", s.handle(s.listAccountRoles))
	mux.Handle("POST /logout", s.handle(s.logout))
	for path, method := range map[string]string{"/federation/credentials": http.MethodGet,
		"/assignment/accounts": http.MethodGet, "/assignment/roles": http.MethodGet, "/logout": http.MethodPost} {
		mux.Handle(path, wrongMethod(method))
	}
}

// wrongMethod answers a portal path called with another method than allow.
func wrongMethod(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		err := errs.E(errs.Invalid, "%s %s is not supported; use %s", r.Method, r.URL.Path, allow)
		protocol.WriteJSONError(w, r, codes, protocol.ContentTypeRESTJSON, err)
	})
}

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

// op is a portal operation for a signed-in user.
type op func(ctx context.Context, u ic.User, token ic.Token, r *http.Request) (any, error)

func (s *Service) handle(fn op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := s.run(r, fn)
		if err != nil {
			protocol.WriteJSONError(w, r, codes, protocol.ContentTypeRESTJSON, err)
			return
		}
		if out == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		protocol.WriteJSON(w, http.StatusOK, protocol.ContentTypeRESTJSON, out)
	})
}

func (s *Service) run(r *http.Request, fn op) (any, error) {
	ctx := httpx.AuditContext(r)
	tok, u, err := s.bearer(ctx, r.Header.Get("X-Amz-Sso_bearer_token"))
	if err != nil {
		return nil, err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Profile.UserName})
	return fn(ctx, u, tok, r)
}

func unauthorized() error {
	return errs.E(errs.Unauthenticated, "Session token not found or invalid")
}

// bearer resolves the access token to a live token of an enabled user.
func (s *Service) bearer(ctx context.Context, value string) (ic.Token, ic.User, error) {
	if value == "" || len(value) > 1024 {
		return ic.Token{}, ic.User{}, unauthorized()
	}
	tok, err := s.store.TokenByAccess(ctx, keys.HashSecret(value))
	if errs.Is(err, errs.NotFound) || (err == nil && !s.clock.Now().Before(tok.ExpiresAt)) {
		return ic.Token{}, ic.User{}, unauthorized()
	}
	if err != nil {
		return ic.Token{}, ic.User{}, err
	}
	u, err := s.store.User(ctx, tok.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != ic.UserEnabled) {
		return ic.Token{}, ic.User{}, unauthorized()
	}
	return tok, u, err
}

// page reads next_token and max_result (1-100, default def).
func page(r *http.Request, def int) (store.Page, error) {
	q := r.URL.Query()
	p := store.Page{Limit: def, Token: q.Get("next_token")}
	if v := q.Get("max_result"); v != "" {
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
