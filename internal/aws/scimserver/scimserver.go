// Package scimserver is IAM Identity Center's SCIM 2.0 endpoint on
// keyward's AWS side, as AWS's behaves (aws-wire.md §9): bearer-token
// authentication per tenant, Users and Groups with the operations, filters,
// paging, PATCH rules and error shapes AWS has, and the discovery
// resources (ServiceProviderConfig, Schemas, ResourceTypes).
//
// It owns the SCIM wire format, its filter and PATCH path parsers, and the
// mapping between SCIM resources and identity-store users and groups. It
// does not own storage (it writes through store.Users, Groups, Memberships
// and reads SCIMTokens), the tokens' lifecycle (keyward's CLI and the
// identity-source switch create and delete them), nor anything of the
// identity provider's side, which reaches it only over HTTP.
package scimserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the endpoint needs from storage.
type Store interface {
	Instance(ctx context.Context) (ic.Instance, error)
	store.Users
	store.Groups
	store.Memberships
	SCIMTokenByHash(ctx context.Context, hash string) (ic.SCIMToken, error)
	TouchSCIMToken(ctx context.Context, id string, now time.Time) error
}

// Server serves the SCIM endpoint.
type Server struct {
	Store  Store
	Clock  clock.Clock
	Random io.Reader
	// Tenant is the path segment before /scim/v2: the instance's identity
	// store id. Register mounts the endpoint under it.
	Tenant string
	// Issuer is the Issuer of the ExternalId that a SCIM externalId
	// becomes in the identity store (see IssuerFor).
	Issuer string
}

// IssuerFor is the ExternalId Issuer of SCIM-provisioned users and groups:
// the SCIM endpoint's base URL without /scim/v2, the shape AWS's identity
// store shows for them ("https://scim.<region>.amazonaws.com/<tenant>",
// from public test fixtures; AWS does not document it).
func IssuerFor(awsURL, tenant string) string {
	return strings.TrimSuffix(awsURL, "/") + "/" + tenant
}

// maxBody bounds a request body: a group of 100 members, or a PATCH of
// 100 membership changes, is a few kilobytes.
const maxBody = 256 << 10

// touchEvery spaces the writes that record a token's last use.
const touchEvery = time.Minute

// Register mounts the endpoint at /{Tenant}/scim/v2/ on mux. (A wildcard
// tenant segment would conflict with the AWS endpoint's other prefixes,
// such as /start/; Handler serves any tenant, refusing the wrong ones.)
func (s *Server) Register(mux *http.ServeMux) {
	mux.Handle("/"+s.Tenant+"/scim/v2/", s.Handler())
	mux.Handle("/"+s.Tenant+"/scim/v2", s.Handler())
}

// Handler serves /{tenant}/scim/v2/...: a tenant other than the
// instance's, or a missing, unknown or expired token, is 401.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.serve(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) error {
	tenant, rest, ok := splitPath(r.URL.Path)
	if !ok {
		return errs.E(errs.NotFound, "no such endpoint")
	}
	ctx, err := s.authenticate(r, tenant)
	if err != nil {
		return err
	}
	return s.route(w, r.WithContext(ctx), rest)
}

// splitPath splits /{tenant}/scim/v2/{rest} into tenant and the segments
// of rest.
func splitPath(p string) (string, []string, bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 3 || parts[1] != "scim" || parts[2] != "v2" {
		return "", nil, false
	}
	return parts[0], parts[3:], true
}

// authenticate checks the tenant and the bearer token and returns the
// request's context with the token as the audit actor.
func (s *Server) authenticate(r *http.Request, tenant string) (context.Context, error) {
	inst, err := s.Store.Instance(r.Context())
	if err != nil {
		return nil, err
	}
	if tenant != inst.IdentityStoreID {
		return nil, unauthorized()
	}
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" || len(secret) > 4096 {
		return nil, unauthorized()
	}
	tok, err := s.Store.SCIMTokenByHash(r.Context(), keys.HashSecret(secret))
	if errs.Is(err, errs.NotFound) {
		return nil, unauthorized()
	}
	if err != nil {
		return nil, err
	}
	if now := s.Clock.Now(); now.Sub(tok.LastUsed) >= touchEvery {
		if err := s.Store.TouchSCIMToken(r.Context(), tok.ID, now); err != nil && !errs.Is(err, errs.NotFound) {
			return nil, err
		}
	}
	ctx := httpx.AuditContext(r)
	c := audit.ClientFrom(ctx)
	c.RequestID = protocol.RequestID(r.Context())
	ctx = audit.WithClient(ctx, c)
	return audit.WithActor(ctx, audit.Actor{Type: "scim-token", ID: tok.ID, Name: "SCIM"}), nil
}

// route dispatches on the resource path and method.
func (s *Server) route(w http.ResponseWriter, r *http.Request, rest []string) error {
	if len(rest) == 0 || len(rest) > 2 {
		return errs.E(errs.NotFound, "no such endpoint")
	}
	id := ""
	if len(rest) == 2 {
		id = rest[1]
	}
	switch rest[0] {
	case "Users":
		return resource{create: s.createUser, list: s.listUsers, get: s.getUser, put: s.putUser,
			patch: s.patchUser, del: s.deleteUser}.serve(w, r, id)
	case "Groups":
		return resource{create: s.createGroup, list: s.listGroups, get: s.getGroup, put: s.putGroup,
			patch: s.patchGroup, del: s.deleteGroup}.serve(w, r, id)
	case "ServiceProviderConfig", "Schemas", "ResourceTypes":
		return s.discovery(w, r, rest[0], id)
	}
	return invalid("%.40q is not supported by this SCIM endpoint", rest[0])
}

// resource holds the handlers of one SCIM resource type (Users, Groups).
type resource struct {
	create, list         func(http.ResponseWriter, *http.Request) error
	get, put, patch, del func(w http.ResponseWriter, r *http.Request, id string) error
}

// serve dispatches on the method: on the collection (id "") POST creates
// and GET lists; on a member GET, PUT, PATCH and DELETE.
func (res resource) serve(w http.ResponseWriter, r *http.Request, id string) error {
	switch {
	case id == "" && r.Method == http.MethodPost:
		return res.create(w, r)
	case id == "" && r.Method == http.MethodGet:
		return res.list(w, r)
	case id == "":
	case r.Method == http.MethodGet:
		return res.get(w, r, id)
	case r.Method == http.MethodPut:
		return res.put(w, r, id)
	case r.Method == http.MethodPatch:
		return res.patch(w, r, id)
	case r.Method == http.MethodDelete:
		return res.del(w, r, id)
	}
	return methodNotSupported(r)
}

func methodNotSupported(r *http.Request) error {
	return invalid("%s is not supported on %.200s", r.Method, r.URL.Path)
}

// readJSON reads a size-bounded JSON body of type application/json or
// application/scim+json into v.
func readJSON(r *http.Request, v any) error {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0]))
	if ct != "application/json" && ct != "application/scim+json" {
		return invalid("Content-Type must be application/scim+json or application/json")
	}
	body, err := protocol.ReadBody(r, maxBody)
	if err != nil {
		return err
	}
	if err := protocol.DecodeJSON(body, v); err != nil {
		if e, ok := errs.As(err); ok {
			return invalid("the request body cannot be parsed: %s", e.Message)
		}
		return invalid("the request body cannot be parsed")
	}
	return nil
}

// now and by stamp a change.
func (s *Server) stamp(ctx context.Context) (time.Time, string) {
	return s.Clock.Now(), audit.ActorFrom(ctx).Name
}

// scimTime is SCIM's meta time: RFC 3339 in seconds, UTC.
func scimTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
