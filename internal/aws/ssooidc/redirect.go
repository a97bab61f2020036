package ssooidc

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// Bounds on what a client registers.
const (
	maxRedirectURIs   = 10
	maxRedirectURILen = 2048
)

// loopback parses a redirect URI that leads back to the person's own
// machine: http on 127.0.0.1 or [::1] (RFC 8252 §7.3), with no user,
// query or fragment. A code is only ever sent there, so no redirect URI
// can hand a code (or an error page's link) to another site. "localhost"
// is refused: a name can resolve elsewhere (RFC 8252 §8.3).
func loopback(raw string) (*url.URL, error) {
	bad := func(why string) error {
		return oidcError(errs.Invalid, "InvalidRedirectUriException", "redirect URI "+quote(raw)+" "+why)
	}
	if len(raw) > maxRedirectURILen {
		return nil, bad("is too long")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Opaque != "":
		return nil, bad("is not a URL")
	case u.Scheme != "http":
		return nil, bad("must use http: only a loopback address on this machine may receive codes")
	case u.Hostname() != "127.0.0.1" && u.Hostname() != "::1":
		return nil, bad("must be on 127.0.0.1 or [::1]: only a loopback address on this machine may receive codes")
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || strings.ContainsAny(raw, "@?#\\"):
		// An empty fragment ("…/cb#") parses to nothing, and would put the
		// code where the listener never sees it.
		return nil, bad("must not carry a user, a query, a fragment or a backslash")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, bad("has an invalid port")
		}
	}
	return u, nil
}

// checkRedirectURIs checks the redirect URIs a client registers.
func checkRedirectURIs(uris []string) error {
	if len(uris) > maxRedirectURIs {
		return oidcError(errs.Invalid, "InvalidRedirectUriException", "at most 10 redirect URIs are allowed")
	}
	for _, raw := range uris {
		if _, err := loopback(raw); err != nil {
			return err
		}
	}
	return nil
}

// redirectMatches reports whether given, a loopback URI, is one of the
// registered ones on any port: RFC 8252 §7.3 lets a native app listen on
// whatever port it is given when the request is made.
func redirectMatches(registered []string, given *url.URL) bool {
	for _, raw := range registered {
		r, err := loopback(raw)
		if err == nil && r.Hostname() == given.Hostname() && pathOf(r) == pathOf(given) {
			return true
		}
	}
	return false
}

func pathOf(u *url.URL) string {
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}
