package oktaapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/keys"
)

// caller is who a request acts as: the administrator who made the token,
// with their roles as they are now.
type caller struct {
	user  directory.User
	roles []directory.Role
	token directory.APIToken
	// scopes, for a person calling with their own access token (Bearer),
	// are what it grants; nil for an API token (SSWS).
	scopes []string
}

func (c *caller) context(r *http.Request) context.Context {
	return audit.WithActor(httpx.AuditContext(r), audit.Actor{Type: "user", ID: c.user.ID, Name: c.user.Login()})
}

// maxTokenLength bounds the Authorization header's token.
const maxTokenLength = 128

// touchEvery is how stale a token's last use may get before a call
// records a new one (and moves its idle expiry): not every call writes.
const touchEvery = time.Hour

func errInvalidToken() error {
	return &errs.Error{Kind: errs.Unauthenticated, Message: "Invalid token provided"}
}

// authenticate finds the token in "Authorization: SSWS <token>" and the
// administrator behind it, who must still be able to sign in.
func (a *API) authenticate(r *http.Request) (*caller, error) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return a.bearerCaller(r, secret)
	}
	if !ok || !strings.EqualFold(scheme, "SSWS") || secret == "" || len(secret) > maxTokenLength {
		return nil, errInvalidToken()
	}
	ctx := r.Context()
	t, err := a.cfg.Store.APITokenByHash(ctx, keys.HashSecret(secret))
	if errs.Is(err, errs.NotFound) {
		return nil, errInvalidToken()
	}
	if err != nil {
		return nil, err
	}
	u, err := a.cfg.Store.User(ctx, t.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Status.CanSignIn()) {
		return nil, errInvalidToken()
	}
	if err != nil {
		return nil, err
	}
	roles, err := a.cfg.Store.Roles(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if now := a.now(); now.Sub(t.LastUsed) > touchEvery {
		if err := a.cfg.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return &caller{user: u, roles: roles, token: t}, nil
}

// limit counts the call against the token's per-minute quota and reports
// it in Okta's X-Rate-Limit-* headers; past the quota the call is refused.
func (a *API) limit(w http.ResponseWriter, r *http.Request, c *caller) error {
	n, reset, err := a.cfg.Store.Hit(r.Context(), "oktaapi:"+c.token.ID, time.Minute)
	if err != nil {
		return err
	}
	limit := a.cfg.RequestsPerMinute
	h := w.Header()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(limit-n, 0)))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if n > limit {
		return &errs.Error{Kind: errs.Throttled, Message: "API call exceeded rate limit due to too many requests."}
	}
	return nil
}

func errDenied() error {
	return &errs.Error{Kind: errs.Denied, Message: "You do not have permission to perform the requested action"}
}

// allow refuses the call unless the caller's roles permit action on scope.
// A refusal is a system-log event.
func (a *API) allow(r *http.Request, c *caller, action directory.Action, scope directory.Scope) error {
	if directory.Allowed(c.roles, action, scope) {
		return nil
	}
	a.deny(r, string(action))
	return errDenied()
}

// deny logs a refused call.
func (a *API) deny(r *http.Request, what string) {
	e := audit.New(r.Context(), "core.user_auth.access_denied", "Api", r.Method+" "+r.URL.Path)
	e.Outcome, e.Message = audit.Deny, "not permitted: "+what
	if err := a.cfg.Store.AppendEvent(r.Context(), e); err != nil {
		a.cfg.Log.Error("oktaapi: logging a denial", "err", err)
	}
}

// userScope is what acting on user id touches: their groups, and whether
// they are an administrator.
func (a *API) userScope(ctx context.Context, id string) (directory.Scope, error) {
	groups, err := a.cfg.Store.UserGroups(ctx, id)
	if err != nil {
		return directory.Scope{}, err
	}
	roles, err := a.cfg.Store.Roles(ctx, id)
	if err != nil {
		return directory.Scope{}, err
	}
	s := directory.Scope{TargetIsAdmin: directory.IsAdmin(roles),
		TargetIsSuperAdmin: slices.ContainsFunc(roles, func(r directory.Role) bool { return r.Type == directory.SuperAdmin })}
	for _, g := range groups {
		s.Groups = append(s.Groups, g.ID)
	}
	return s, nil
}
