package ssooidc

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseAuthorizeRequest: any query parses without panicking, within
// its bound, and a request without a fault reads back the same from the
// query a consent form posts.
func FuzzParseAuthorizeRequest(f *testing.F) {
	f.Add("response_type=code&client_id=kwc1&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Foauth%2Fcallback&state=s" +
		"&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
	f.Add("scope=a+b&scope=c")
	f.Add("state=" + strings.Repeat("s", 600))
	f.Add("%zz")
	f.Add("client_id=a;b")
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := ParseAuthorizeRequest(raw)
		if err != nil {
			return
		}
		if len(raw) > MaxAuthorizeQuery {
			t.Fatalf("a %d-byte query was read", len(raw))
		}
		if r.problem != "" {
			return
		}
		again, err := ParseAuthorizeRequest(r.Query())
		if err != nil || !reflect.DeepEqual(emptyScopes(again), emptyScopes(r)) {
			t.Fatalf("%q read back from %q as %+v (%v), want %+v", raw, r.Query(), again, err, r)
		}
	})
}

func emptyScopes(r AuthorizeRequest) AuthorizeRequest {
	if len(r.Scopes) == 0 {
		r.Scopes = nil
	}
	return r
}

// FuzzLoopback: a redirect URI is accepted only when a browser would go
// to 127.0.0.1 or [::1] with it, whatever tricks it plays.
func FuzzLoopback(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1/oauth/callback", "http://127.0.0.1:53682/oauth/callback", "http://[::1]:8/x",
		"http://127.0.0.1.evil.example/", "http://127.0.0.1@evil.example/", "http://evil.example\\@127.0.0.1/",
		"HTTP://127.0.0.1/", "http://127.0.0.1:99999/", "http://localhost/", "http:127.0.0.1/", "http://127.0.0.1%2f@evil/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := loopback(raw)
		if err != nil {
			return
		}
		lower := strings.ToLower(raw)
		var rest string
		switch {
		case strings.HasPrefix(lower, "http://127.0.0.1"):
			rest = raw[len("http://127.0.0.1"):]
		case strings.HasPrefix(lower, "http://[::1]"):
			rest = raw[len("http://[::1]"):]
		default:
			t.Fatalf("accepted %q, which does not start with a loopback origin", raw)
		}
		if rest != "" && rest[0] != '/' && rest[0] != ':' {
			t.Fatalf("accepted %q: the host goes on past the loopback address", raw)
		}
		if strings.ContainsAny(raw, "@?#\\") || u.User != nil {
			t.Fatalf("accepted %q with a user, query, fragment or backslash", raw)
		}
	})
}
