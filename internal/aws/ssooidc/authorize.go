package ssooidc

import (
	"context"
	"net/url"
	"slices"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// AuthorizePath is where a client sends the browser for the authorization
// code grant: the OIDC endpoint's /authorize, as on AWS.
const AuthorizePath = "/authorize"

// Consent is what the /authorize page asks the person to allow.
type Consent struct {
	ClientName string
	Scopes     []string
	// Origin is the redirect URI's origin (http://127.0.0.1:port): the
	// page's form sends the browser there.
	Origin string
	// Request is the checked request, for the form to post back.
	Request AuthorizeRequest
}

// RedirectError is a refusal the client hears at its redirect URI (RFC
// 6749 §4.1.2.1): the request named a registered client and one of its
// redirect URIs, so the browser goes back there with error and state.
type RedirectError struct {
	URL         string // the redirect URI with error, error_description and state
	Code        string // the OAuth error
	Description string
}

func (e *RedirectError) Error() string { return e.Code + ": " + e.Description }

// Authorization checks an authorization request. A request whose client
// or redirect URI cannot be trusted is an *errs.Error for the page to show,
// never a redirect, so the page cannot be used to send a browser anywhere;
// any other fault is a *RedirectError.
func (s *Service) Authorization(ctx context.Context, req AuthorizeRequest) (Consent, error) {
	c, back, err := s.trusted(ctx, req)
	if err != nil {
		return Consent{}, err
	}
	scopes, err := checkRequest(c, req)
	if err != nil {
		return Consent{}, err
	}
	req.Scopes = scopes
	return Consent{ClientName: c.Name, Scopes: scopes, Origin: "http://" + back.Host, Request: req}, nil
}

// Allow issues userID, signed in to the portal session sessionHash, a code
// for the request and returns where to send the browser: the redirect URI
// with the code and state. The tokens the code leads to end when that
// session does.
func (s *Service) Allow(ctx context.Context, req AuthorizeRequest, userID, sessionHash string) (string, error) {
	consent, err := s.Authorization(ctx, req)
	if err != nil {
		return "", err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.Status != ic.UserEnabled {
		return "", errs.E(errs.Denied, "Your user is disabled.")
	}
	code := s.secret(prefixAuthCode)
	now := s.clock.Now()
	c := ic.AuthorizationCode{CodeHash: keys.HashSecret(code), FamilyID: ic.NewUUID(s.random), ClientID: req.ClientID,
		UserID: userID, SessionHash: sessionHash, RedirectURI: req.RedirectURI, Scopes: consent.Scopes,
		CodeChallenge: req.CodeChallenge, CreatedAt: now, ExpiresAt: now.Add(s.cfg.CodeLifetime)}
	if err := s.store.CreateAuthorizationCode(ctx, c); err != nil {
		return "", err
	}
	return backTo(req, url.Values{"code": {code}}), nil
}

// Deny returns where to send the browser when the person refuses: the
// redirect URI with access_denied and the state.
func (s *Service) Deny(ctx context.Context, req AuthorizeRequest) (string, error) {
	if _, err := s.Authorization(ctx, req); err != nil {
		return "", err
	}
	e := audit.New(ctx, "ssooidc.code.deny", "OIDC_CLIENT", req.ClientID)
	e.Outcome, e.Message = audit.Deny, "the person refused the authorization request"
	if err := s.store.AppendEvent(ctx, e); err != nil {
		return "", err
	}
	return backTo(req, url.Values{"error": {"access_denied"}, "error_description": {"The request was denied by the user"}}), nil
}

// trusted checks the request's client and redirect URI: only once both
// are known good may anything be sent back to the redirect URI.
func (s *Service) trusted(ctx context.Context, req AuthorizeRequest) (ic.Client, *url.URL, error) {
	if req.ClientID == "" || len(req.ClientID) > 128 {
		return ic.Client{}, nil, badLink("names no client (client_id)")
	}
	c, err := s.store.Client(ctx, req.ClientID)
	switch {
	case errs.Is(err, errs.NotFound):
		return ic.Client{}, nil, badLink("names a client that is not registered")
	case err != nil:
		return ic.Client{}, nil, err
	case !s.clock.Now().Before(c.ExpiresAt):
		return ic.Client{}, nil, badLink("names a client whose registration has expired")
	case !c.Allows(ic.GrantAuthorizationCode):
		return ic.Client{}, nil, badLink("names a client that did not register for sign-in in the browser")
	}
	back, err := loopback(req.RedirectURI)
	if err != nil || !redirectMatches(c.RedirectURIs, back) {
		return ic.Client{}, nil, badLink("has a redirect_uri the client did not register")
	}
	return c, back, nil
}

func badLink(why string) error {
	return errs.E(errs.Invalid, "This sign-in link %s, so no application can be given access. Start the sign-in again from your terminal.", why)
}

// checkRequest checks the rest of the request and returns the scopes it
// grants: those asked for, all of which the client registered, or else
// every scope the client registered.
func checkRequest(c ic.Client, req AuthorizeRequest) ([]string, error) {
	fail := func(code, desc string) error {
		return &RedirectError{URL: backTo(req, url.Values{"error": {code}, "error_description": {desc}}), Code: code, Description: desc}
	}
	switch {
	case req.problem != "":
		return nil, fail("invalid_request", req.problem)
	case req.ResponseType != "code":
		return nil, fail("unsupported_response_type", "response_type must be code")
	case req.ChallengeMethod != methodS256:
		return nil, fail("invalid_request", "code_challenge_method must be S256 (PKCE); plain and no PKCE are refused")
	case !challengeRe.MatchString(req.CodeChallenge):
		return nil, fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code verifier (43 characters)")
	}
	if len(req.Scopes) == 0 {
		return c.Scopes, nil
	}
	for _, sc := range req.Scopes {
		if !slices.Contains(c.Scopes, sc) {
			return nil, fail("invalid_scope", "scope "+quote(sc)+" was not registered by the client")
		}
	}
	return req.Scopes, nil
}

// backTo is the request's redirect URI (which has no query) with params
// and the request's state.
func backTo(req AuthorizeRequest, params url.Values) string {
	if req.State != "" && len(req.State) <= maxState {
		params.Set("state", req.State)
	}
	return req.RedirectURI + "?" + params.Encode()
}
