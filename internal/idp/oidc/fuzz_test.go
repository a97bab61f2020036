package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/errs"
)

// serve runs one request through the provider's routes in process.
func (fx *fixture) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	fx.srv.Config.Handler.ServeHTTP(rec, req)
	return rec
}

// oauthAnswer fails t unless rec is a 200 or an OAuth error body with a
// 4xx status: never a 5xx, never another shape.
func oauthAnswer(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("status %d, not JSON: %q", rec.Code, rec.Body.String())
	}
	if rec.Code != 200 && (rec.Code < 400 || rec.Code >= 500 || str(body, "error") == "" || str(body, "error_description") == "") {
		t.Fatalf("status %d body %v", rec.Code, body)
	}
	return body
}

func FuzzTokenEndpoint(f *testing.F) {
	fx := newFixture(f)
	tokens := fx.deviceTokens(f)
	const form = "application/x-www-form-urlencoded"
	for _, seed := range []url.Values{
		fx.exchangeForm(tokens, fx.aws.ID),
		{"grant_type": {"refresh_token"}, "client_id": {fx.cli.ID}, "refresh_token": {"abc"}},
		{"grant_type": {"authorization_code"}, "client_id": {fx.cli.ID}, "code": {"abc"}, "redirect_uri": {loopback}, "code_verifier": {strings.Repeat("v", 43)}},
		{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {fx.cli.ID}, "device_code": {"abc"}},
		{"grant_type": {"client_credentials"}, "client_id": {fx.ci.ID}, "client_secret": {"s"}, "scope": {"okta-m2m-access"}},
		{"grant_type": {"password"}, "username": {"alice"}},
	} {
		f.Add(false, form, seed.Encode())
		f.Add(true, form, seed.Encode())
	}
	f.Add(false, form, "grant_type=refresh_token&grant_type=refresh_token")
	f.Add(false, form, "%%%&=")
	f.Add(false, "application/json", `{"grant_type":"client_credentials"}`)
	f.Add(true, "multipart/form-data; boundary=x", "--x\r\n")
	f.Fuzz(func(t *testing.T, custom bool, contentType, body string) {
		path := orgAS + "/token"
		if custom {
			path = defaultAS + "/token"
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		oauthAnswer(t, fx.serve(req))
	})
}

func FuzzClientAssertion(f *testing.F) {
	fx := newFixture(f)
	rsaKey, ecKey := clientKeys(f)
	now := fx.clk.Now()
	hsSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: rsaKey.PublicKey.N.Bytes()}, nil)
	must(f, err)
	hs, err := jwt.Signed(hsSigner).Claims(fx.m2mClaims(now, "hs")).Serialize()
	must(f, err)
	seeds := []string{
		assertion(f, rsaKey, jose.RS256, "rsa-1", fx.m2mClaims(now, "fuzz-rs")),
		assertion(f, ecKey, jose.ES256, "ec-1", fx.m2mClaims(now, "fuzz-es")),
		assertion(f, rsaKey, jose.RS256, "", fx.m2mClaims(now, "fuzz-nokid")),
		noneToken(fx.m2mClaims(now, "none")), hs, "a.b.c", "..", "",
		`eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.e30.`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		form := fx.m2mForm(tok)
		req := httptest.NewRequest(http.MethodPost, defaultAS+"/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := fx.serve(req)
		body := oauthAnswer(t, rec)
		if rec.Code == 200 && !slices.Contains(seeds, tok) {
			t.Fatalf("a mutated assertion was accepted: %q", tok)
		}
		if rec.Code != 200 && (rec.Code != 401 || str(body, "error") != "invalid_client") {
			t.Fatalf("an assertion refused as %d %v, want 401 invalid_client", rec.Code, body)
		}
	})
}

func FuzzAuthorizeParams(f *testing.F) {
	fx := newFixture(f)
	cookie := fx.session(f)
	good := fx.authParams(newPKCE(), "openid profile offline_access")
	f.Add(good.Encode(), true)
	f.Add(good.Encode(), false)
	for k, v := range map[string]string{"redirect_uri": "http://evil@127.0.0.1:1/callback", "prompt": "none",
		"code_challenge_method": "plain", "response_type": "token", "scope": "", "request": "eyJ9"} {
		q := fx.authParams(newPKCE(), "openid")
		q.Set(k, v)
		f.Add(q.Encode(), true)
	}
	f.Add("client_id=a&client_id=b", true)
	f.Add("%zz", false)
	f.Fuzz(func(t *testing.T, rawQuery string, signedIn bool) {
		req := httptest.NewRequest(http.MethodGet, orgAS+"/authorize", nil)
		req.URL.RawQuery = rawQuery
		if signedIn {
			req.AddCookie(cookie)
		}
		rec := fx.serve(req)
		loc := rec.Header().Get("Location")
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		case rec.Code >= 300 && rec.Code < 400:
			if !safeRedirect(loc) {
				t.Fatalf("redirected to %q", loc)
			}
		case loc != "":
			t.Fatalf("status %d with Location %q", rec.Code, loc)
		}
	})
}

// safeRedirect reports whether an authorization answer's Location is one
// the provider may send a browser to: its own sign-in pages, or cli's
// registered redirect URIs (the loopback one on any port).
func safeRedirect(loc string) bool {
	if strings.HasPrefix(loc, "/login?") || loc == "/login/step" {
		return true
	}
	u, err := url.Parse(loc)
	if err != nil || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return false
	}
	return (u.Scheme == "http" && u.Hostname() == "127.0.0.1" && u.Path == "/callback") ||
		(u.Scheme == "com.example.cli" && u.Host == "" && u.Path == "/callback")
}

func FuzzRedeemWebSSO(f *testing.F) {
	fx := newFixture(f)
	status, body := fx.post(f, "/oauth2/v1/token", fx.exchangeForm(fx.deviceTokens(f), fx.aws.ID))
	if status != 200 {
		f.Fatalf("exchange: %d %v", status, body)
	}
	real := str(body, "access_token")
	f.Add(real)
	f.Add(real[:len(real)-2] + "AA")
	f.Add(real + real)
	f.Add("")
	f.Add("not base64!")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"id":"x","app":"y","uid":"z"}`)))
	redeemed := false
	f.Fuzz(func(t *testing.T, tok string) {
		_, _, _, err := fx.p.RedeemWebSSO(context.Background(), tok)
		if err == nil {
			if tok != real || redeemed {
				t.Fatalf("redeemed %q (the real token already redeemed: %v)", tok, redeemed)
			}
			redeemed = true
			return
		}
		if k := errs.KindOf(err); k != errs.Unauthenticated && k != errs.Denied {
			t.Fatalf("refused as %s, not as a bad token: %v", k, err)
		}
	})
}
