package sso

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestReadCallbackTakesOnlyTheSignInItSent(t *testing.T) {
	const state = "s-123"
	cases := []struct {
		name, query, code string
		wrong             bool
		refusal           string
	}{
		{"the code with its state", "code=kwo-abc&state=s-123", "kwo-abc", false, ""},
		{"another state", "code=kwo-abc&state=s-999", "", true, ""},
		{"no state", "code=kwo-abc", "", true, ""},
		{"a repeated state", "code=kwo-abc&state=s-123&state=s-123", "", true, ""},
		{"a state that only starts like it", "code=kwo-abc&state=s-1234", "", true, ""},
		{"a refusal with its state", "error=access_denied&error_description=no&state=s-123", "", false, "access_denied: no"},
		{"no code", "state=s-123", "", false, "invalid_request: the browser came back with no code"},
		{"two codes", "code=a&code=b&state=s-123", "", false, "invalid_request: the browser came back with no code"},
		{"a malformed query", "code=%zz&state=s-123", "", true, ""},
		{"an oversized query", "state=s-123&code=" + strings.Repeat("c", maxCallbackQuery), "", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, err := readCallback(tc.query, state)
			var refusal *browserRefusal
			switch {
			case tc.wrong && !errors.Is(err, errWrongState):
				t.Errorf("readCallback = %q, %v; want it ignored as another sign-in's", code, err)
			case tc.refusal != "" && (!errors.As(err, &refusal) || refusal.Error() != tc.refusal):
				t.Errorf("readCallback = %q, %v; want the refusal %q", code, err, tc.refusal)
			case tc.code != "" && (err != nil || code != tc.code):
				t.Errorf("readCallback = %q, %v; want %q", code, err, tc.code)
			}
		})
	}
}

func FuzzReadCallback(f *testing.F) {
	f.Add("code=kwo-abc&state=s")
	f.Add("error=access_denied&state=s")
	f.Add("state=s&state=s&code=x")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		code, err := readCallback(raw, "s")
		if err != nil {
			return
		}
		q, perr := url.ParseQuery(raw)
		if perr != nil || len(q["state"]) != 1 || q.Get("state") != "s" || code == "" || q.Get("code") != code {
			t.Fatalf("readCallback(%q) took code %q", raw, code)
		}
	})
}

func TestTheListenerHandsOverTheFirstVisitOfItsSignInOnly(t *testing.T) {
	cb, err := listenForCallback("s-123")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	if !strings.HasPrefix(cb.redirectURI, "http://127.0.0.1:") || !strings.HasSuffix(cb.redirectURI, "/oauth/callback") {
		t.Fatalf("redirect URI %s", cb.redirectURI)
	}
	get := func(query string) (int, string, http.Header) {
		t.Helper()
		res, err := http.Get(cb.redirectURI + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	status, body, _ := get("code=stolen&state=guess")
	if status != http.StatusBadRequest || !strings.Contains(body, "not the sign-in keyward is waiting for") {
		t.Errorf("a visit with another state: %d %s", status, body)
	}
	status, body, h := get("code=kwo-abc&state=s-123")
	if status != http.StatusOK || !strings.Contains(body, "You can close this tab") {
		t.Errorf("the sign-in's visit: %d %s", status, body)
	}
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("Content-Security-Policy") != "default-src 'none'" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("the page's headers %v let the address (and its code) leak", h)
	}
	get("code=kwo-later&state=s-123")
	code, err := cb.wait(context.Background(), time.Second)
	if err != nil || code != "kwo-abc" {
		t.Errorf("wait = %q, %v; want the first code of this sign-in", code, err)
	}
}

func TestWaitingForTheBrowserEnds(t *testing.T) {
	cb, err := listenForCallback("s")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	if _, err := cb.wait(context.Background(), 20*time.Millisecond); err == nil || !strings.Contains(err.Error(), "--device-code") {
		t.Errorf("after the timeout: %v, want a message naming --device-code", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cb.wait(ctx, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
}

func TestTheAuthorizeURLIsBotocores(t *testing.T) {
	// RFC 7636 Appendix B's verifier and challenge.
	got := authorizeURL("https://oidc.eu-west-1.amazonaws.com/authorize", "kwc1", "http://127.0.0.1:5000/oauth/callback", "st",
		"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", []string{"sso:account:access"})
	want := "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=kwc1" +
		"&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Foauth%2Fcallback&state=st&code_challenge_method=S256" +
		"&scopes=sso%3Aaccount%3Aaccess&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	if got != want {
		t.Errorf("authorize URL\n%s\nwant\n%s", got, want)
	}
	if v := randomString(48); len(v) != 64 {
		t.Errorf("a verifier has %d characters, want 64", len(v))
	}
}
