package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// codeLifetime bounds an authorization code's wait for redemption.
const codeLifetime = 5 * time.Minute

// Org pages the authorization endpoint sends a browser to, and their
// cookies (web/orgpages owns them).
const (
	orgSessionCookie = "keyward_org_session"
	orgStateCookie   = "keyward_org_signin"
	orgLoginPath     = "/login"
	orgStepPath      = "/login/step"
)

// authRequest is a validated authorization request (RFC 6749 §4.1.1,
// OpenID Connect Core §3.1.2.1, RFC 7636).
type authRequest struct {
	server      server
	client      directory.App
	redirectURI string
	state       string
	nonce       string
	scopes      []string
	challenge   string
	prompt      string
	raw         url.Values // to come back to after sign-in
}

// maxEcho bounds state and nonce, in bytes: they come back to the client,
// in the redirect and in the ID token, which must stay well inside the
// maxToken keyward accepts back as an id_token_hint.
const maxEcho = 2048

// maxAge is a max_age parameter: whole seconds (at most nine digits, so
// that it fits a time.Duration).
var maxAge = regexp.MustCompile(`^[0-9]{1,9}$`)

// pkceChallenge is a base64url S256 challenge (RFC 7636 §4.2).
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// serveAuthorize is the authorization endpoint (GET, or POST as a form):
// code flow only, with S256 PKCE. Until the client and its redirect URI
// are known good, errors are a page and never a redirect (no open
// redirect); after that they go back to the client.
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q, err := authorizeParams(w, r)
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	s, err := p.server(r)
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	req, err := p.authClient(r.Context(), s, q)
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	if err := p.authorize(w, r, req); err != nil {
		p.redirectError(w, r, req, err)
	}
}

// authorizeParams reads the request's parameters: each at most once.
func authorizeParams(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			return nil, invalidRequest("The request body is too large or is not URL-encoded.")
		}
		q = r.PostForm
	}
	for k, v := range q {
		if len(v) > 1 {
			return nil, invalidRequest("The '" + truncate(k) + "' parameter is repeated.")
		}
	}
	return q, nil
}

// authClient checks the client and the redirect URI, the two things an
// error may not be redirected without, and the response mode, the way it
// would be redirected.
func (p *Provider) authClient(ctx context.Context, s server, q url.Values) (authRequest, error) {
	app, err := p.client(ctx, q.Get("client_id"))
	if err != nil {
		return authRequest{}, invalidRequest("The client_id is not an active OpenID Connect app.")
	}
	uri := q.Get("redirect_uri")
	if !redirectAllowed(app.OAuth.RedirectURIs, uri) {
		return authRequest{}, invalidRequest("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.")
	}
	// The only answer keyward sends is the query (discovery's
	// response_modes_supported). A client that asked for another cannot
	// be answered in a way it reads: a page, as the OpenID errata ask,
	// never a code in a query its callback may log and ignore.
	if mode := q.Get("response_mode"); mode != "" && mode != "query" {
		return authRequest{}, &oauthError{http.StatusBadRequest, "unsupported_response_mode",
			"The response mode '" + truncate(mode) + "' is not supported by the authorization server. Supported response modes: [query]."}
	}
	state := q.Get("state")
	if len(state) > maxEcho {
		state = "" // checkAuthRequest refuses it; the error does not echo it
	}
	return authRequest{server: s, client: app, redirectURI: uri, state: state, nonce: q.Get("nonce"),
		scopes: scopeList(q.Get("scope")), challenge: q.Get("code_challenge"), prompt: q.Get("prompt"), raw: q}, nil
}

// authorize checks the rest of the request, then the person's sign-in,
// and answers with a code.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request, req authRequest) error {
	if err := checkAuthRequest(req); err != nil {
		return err
	}
	ss, u, err := p.browserSession(r)
	if errs.Is(err, errs.Unauthenticated) {
		if req.prompt == "none" {
			return &oauthError{http.StatusBadRequest, "login_required", "The user is not signed in."}
		}
		http.Redirect(w, r, orgLoginPath+"?next="+url.QueryEscape(p.afterSignIn(r, req)), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	if p.signInAgain(req, ss) {
		if req.prompt == "none" {
			return &oauthError{http.StatusBadRequest, "login_required", "The request asks for a newer sign-in than the user's."}
		}
		http.Redirect(w, r, orgLoginPath+"?next="+url.QueryEscape(p.afterSignIn(r, req)), http.StatusSeeOther)
		return nil
	}
	if st, need, err := p.SignIn.StepUp(r.Context(), u, ss, p.comeBack(r, req)); err != nil {
		return err
	} else if need {
		if req.prompt == "none" {
			return &oauthError{http.StatusBadRequest, "interaction_required", "The sign-on policy requires a second factor."}
		}
		p.setCookie(w, orgStateCookie, p.SignIn.Seal(st), int(orgsignin.StateLifetime.Seconds()))
		http.Redirect(w, r, orgStepPath, http.StatusSeeOther)
		return nil
	}
	ctx := audit.WithActor(r.Context(), audit.Actor{Type: "user", ID: u.ID, Name: u.Login()})
	if _, err := p.entitled(ctx, req.server, req.client, u, directory.GrantAuthorizationCode, req.scopes); err != nil {
		return err
	}
	code, err := p.newCode(ctx, req, u, ss)
	if err != nil {
		return err
	}
	p.redirect(w, r, req, url.Values{"code": {code}})
	return nil
}

// checkAuthRequest checks state and nonce, the response type, scopes,
// prompt and PKCE.
func checkAuthRequest(req authRequest) error {
	switch {
	case len(req.raw.Get("state")) > maxEcho:
		return invalidRequest("The 'state' parameter is longer than " + strconv.Itoa(maxEcho) + " bytes.")
	case len(req.raw.Get("nonce")) > maxEcho:
		return invalidRequest("The 'nonce' parameter is longer than " + strconv.Itoa(maxEcho) + " bytes.")
	case req.raw.Get("response_type") != "code":
		return &oauthError{http.StatusBadRequest, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code]."}
	case !req.client.OAuth.Allows(directory.GrantAuthorizationCode):
		return unauthorizedClient("The client is not authorized to use the authorization code grant.")
	case len(req.scopes) == 0:
		return invalidScope("The authentication request has an empty 'scope' parameter.")
	case req.raw.Has("request") || req.raw.Has("request_uri"):
		return &oauthError{http.StatusBadRequest, "request_not_supported", "Request objects are not supported."}
	case slices.Contains(strings.Fields(req.prompt), "none") && len(strings.Fields(req.prompt)) > 1:
		// OpenID Connect Core §3.1.2.1: none asks for no page at all.
		return invalidRequest("The 'prompt' parameter 'none' cannot be combined with another value.")
	case req.raw.Has("max_age") && !maxAge.MatchString(req.raw.Get("max_age")):
		return invalidRequest("The max_age parameter must be a number of seconds.")
	case req.raw.Get("code_challenge_method") != "" && req.raw.Get("code_challenge_method") != "S256":
		return invalidRequest("The code_challenge_method must be S256.")
	case req.challenge != "" && !pkceChallenge.MatchString(req.challenge):
		return invalidRequest("The code_challenge must be 43 base64url characters (S256).")
	case req.challenge != "" && req.raw.Get("code_challenge_method") != "S256":
		return invalidRequest("The code_challenge_method must be S256.")
	case req.challenge == "" && (req.client.OAuth.Public() || req.client.OAuth.PKCERequired):
		return invalidRequest("PKCE code challenge is required: send code_challenge and code_challenge_method=S256.")
	}
	return req.server.checkScopes(req.scopes)
}

// signInAgain reports whether the request asks for a newer sign-in than
// the session's (OpenID Connect Core §3.1.2.1): prompt=login, or a
// max_age the session is older than.
func (p *Provider) signInAgain(req authRequest, ss directory.Session) bool {
	if slices.Contains(strings.Fields(req.prompt), "login") {
		return true
	}
	if !req.raw.Has("max_age") {
		return false
	}
	secs, _ := strconv.ParseInt(req.raw.Get("max_age"), 10, 64) // checked by checkAuthRequest
	return p.now().Sub(ss.Created) > time.Duration(secs)*time.Second
}

func (p *Provider) newCode(ctx context.Context, req authRequest, u directory.User, ss directory.Session) (string, error) {
	code := clock.Token(p.Random, 32)
	now := p.now()
	c := directory.OAuthCode{CodeHash: keys.HashSecret(code), FamilyID: clock.Token(p.Random, 16),
		AuthServerID: req.server.id, ClientID: req.client.ID, UserID: u.ID, SessionHash: ss.IDHash,
		RedirectURI: req.redirectURI, Scopes: req.scopes, Nonce: req.nonce, CodeChallenge: req.challenge,
		AMR: ss.AMR, AuthTime: ss.Created, CreatedAt: now, ExpiresAt: now.Add(codeLifetime)}
	if req.challenge != "" {
		c.ChallengeMethod = "S256"
	}
	return code, p.Store.CreateOAuthCode(ctx, c)
}

// comeBack is this request as a GET on the org URL, for after sign-in.
func (p *Provider) comeBack(r *http.Request, req authRequest) string {
	return r.URL.Path + "?" + req.raw.Encode()
}

// afterSignIn is comeBack for a browser sent to sign in: that sign-in is
// fresh, so the request no longer asks for one (prompt=login, max_age),
// or it would ask again forever.
func (p *Provider) afterSignIn(r *http.Request, req authRequest) string {
	req.raw = maps.Clone(req.raw)
	req.raw.Del("prompt")
	req.raw.Del("max_age")
	return p.comeBack(r, req)
}

func (p *Provider) browserSession(r *http.Request) (directory.Session, directory.User, error) {
	c, err := r.Cookie(orgSessionCookie)
	if err != nil {
		return directory.Session{}, directory.User{}, errs.E(errs.Unauthenticated, "not signed in")
	}
	return p.SignIn.Session(r.Context(), c.Value)
}

func (p *Provider) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// redirect sends the browser back to the client with params and the state.
func (p *Provider) redirect(w http.ResponseWriter, r *http.Request, req authRequest, params url.Values) {
	if req.state != "" {
		params.Set("state", req.state)
	}
	u, _ := url.Parse(req.redirectURI)
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// redirectError sends an error back to the client (RFC 6749 §4.1.2.1).
func (p *Provider) redirectError(w http.ResponseWriter, r *http.Request, req authRequest, err error) {
	e := oauthErrorOf(err)
	if e.status == http.StatusInternalServerError {
		p.Log.ErrorContext(r.Context(), "oidc: authorize failed", "err", err)
	}
	p.redirect(w, r, req, url.Values{"error": {e.code}, "error_description": {e.desc}})
}

// verifierMatches checks a PKCE verifier against an S256 challenge.
func verifierMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:]) == challenge
}

// redirectAllowed reports whether uri is one of the registered redirect
// URIs: exactly, or for a loopback IP literal with any port (RFC 8252
// §7.3), as native apps listen on a port the OS gives them.
func redirectAllowed(registered []string, uri string) bool {
	if uri == "" || len(uri) > 2048 {
		return false
	}
	if slices.Contains(registered, uri) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || (u.Hostname() != "127.0.0.1" && u.Hostname() != "::1") {
		return false
	}
	for _, reg := range registered {
		ru, err := url.Parse(reg)
		if err == nil && ru.Scheme == "http" && ru.Hostname() == u.Hostname() && ru.Path == u.Path &&
			ru.RawQuery == u.RawQuery && u.Fragment == "" && u.User == nil {
			return true
		}
	}
	return false
}
