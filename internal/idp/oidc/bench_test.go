package oidc_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// The benchmarks report rates measured in the same run as the raw
// RSA-2048 PKCS#1 v1.5 SHA-256 signing rate of the provider's own key,
// interleaved with it so both see the same machine; ratios are reported,
// never asserted. Requests go through the provider's routes in process
// (no sockets), one at a time: the rates are per core.

// postLocal sends a form to path in process and decodes the JSON answer.
func (fx *fixture) postLocal(tb testing.TB, path string, form url.Values, user, pass string) map[string]any {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	rec := fx.serve(req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != 200 {
		tb.Fatalf("%s: %d %v", path, rec.Code, out)
	}
	return out
}

// rawSigner times one raw signature by the provider's active OIDC key.
func rawSigner(tb testing.TB, fx *fixture) func() time.Duration {
	s, err := fx.signingKeys(tb).Active(context.Background())
	must(tb, err)
	digest := sha256.Sum256([]byte("benchmark"))
	return func() time.Duration {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(nil, s.Private, crypto.SHA256, digest[:]); err != nil {
			tb.Fatal(err)
		}
		return time.Since(t0)
	}
}

// report records n operations taking took against n raw signatures
// taking raw.
func report(b *testing.B, took, raw time.Duration, unit, ratio string) {
	n := float64(b.N)
	b.ReportMetric(n/took.Seconds(), unit)
	b.ReportMetric(n/raw.Seconds(), "rsa-signs/s/core")
	b.ReportMetric(raw.Seconds()/took.Seconds(), ratio)
}

// BenchmarkRefreshGrantsVsRawRS256Signing refreshes one rotating refresh
// token: each grant reads and rotates the token in the store, checks the
// person and signs its tokens. Without openid a grant signs one access
// token (the goal is at least 0.8 of the raw signing rate); with openid it
// signs an ID token too, so half the raw rate is its ceiling.
//
// Each iteration also times the store's durable rotation alone, on a
// second family, and reports "ceiling(sign+rotation)": the ratio a grant
// that did nothing but sign its tokens and rotate would reach. It shows,
// in the same run, how much of the goal the rotation leaves to everything
// else (on embedded SQLite: nothing; see docs/oidc.md).
func BenchmarkRefreshGrantsVsRawRS256Signing(b *testing.B) {
	for _, c := range []struct {
		name, scope, ratio string
		signs              float64 // signatures per grant
	}{
		{"access token only", "offline_access", "ratio(goal>=0.8)", 1},
		{"with an ID token", "openid offline_access", "ratio(ceiling=0.5)", 2},
	} {
		b.Run(c.name, func(b *testing.B) {
			fx := newFixture(b)
			sign := rawSigner(b, fx)
			refresh := str(fx.codeTokens(b, orgAS, c.scope), "refresh_token")
			rotate := storeRotation(b, fx, str(fx.codeTokens(b, orgAS, c.scope), "refresh_token"))
			var raw, took, rotation time.Duration
			for b.Loop() {
				raw += sign()
				t0 := time.Now()
				body := fx.postLocal(b, orgAS+"/token", url.Values{"grant_type": {"refresh_token"},
					"client_id": {fx.cli.ID}, "refresh_token": {refresh}}, "", "")
				took += time.Since(t0)
				refresh = str(body, "refresh_token")
				rotation += rotate()
			}
			report(b, took, raw, "grants/s/core", c.ratio)
			b.ReportMetric(raw.Seconds()/(c.signs*raw.Seconds()+rotation.Seconds()), "ceiling(sign+rotation)")
		})
	}
}

// storeRotation times one rotation of the family holding refresh straight
// in the store, with an event like a grant's: the durable part of a
// refresh grant.
func storeRotation(b *testing.B, fx *fixture, refresh string) func() time.Duration {
	hash := keys.HashSecret(refresh)
	return func() time.Duration {
		next := keys.HashSecret(clock.Token(rand.Reader, 32))
		t0 := time.Now()
		_, err := fx.s.RotateOAuthToken(context.Background(), hash, func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
			old.AccessHash, old.RefreshHash = keys.HashSecret(clock.Token(rand.Reader, 16)), next
			e := audit.New(context.Background(), "app.oauth2.token.grant.access_token", "AppInstance", old.ClientID)
			e.Detail = map[string]string{"grantType": directory.GrantRefreshToken, "scopes": strings.Join(old.Scopes, " ")}
			return old, e, nil
		})
		took := time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		hash = next
		return took
	}
}

// BenchmarkClientCredentialsGrants issues okta-m2m-access tokens on the
// default server to a client authenticated by its secret (HTTP Basic) and
// by private_key_jwt; signing the assertion is the client's work and is
// not timed, verifying it and spending its jti is.
func BenchmarkClientCredentialsGrants(b *testing.B) {
	fx := newFixture(b)
	sign := rawSigner(b, fx)
	const secret = "bench-service-secret-0123456789"
	svc := fx.addApp(b, directory.App{Name: directory.OIDCClientApp, Label: "service", SignOnMode: directory.OIDC,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeService, TokenEndpointAuthMethod: directory.AuthClientSecretBasic,
			GrantTypes: []string{directory.GrantClientCredentials}, SecretHash: keys.HashSecret(secret)}})
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta-m2m-access"}}
	b.Run("client secret", func(b *testing.B) {
		var raw, took time.Duration
		for b.Loop() {
			raw += sign()
			t0 := time.Now()
			fx.postLocal(b, defaultAS+"/token", form, svc.ID, secret)
			took += time.Since(t0)
		}
		report(b, took, raw, "grants/s/core", "ratio")
	})
	b.Run("private_key_jwt", func(b *testing.B) {
		rsaKey, _ := clientKeys(b)
		var raw, took time.Duration
		for b.Loop() {
			tok := assertion(b, rsaKey, jose.RS256, "rsa-1", fx.m2mClaims(fx.clk.Now(), clock.Token(rand.Reader, 16)))
			raw += sign()
			t0 := time.Now()
			fx.postLocal(b, defaultAS+"/token", fx.m2mForm(tok), "", "")
			took += time.Since(t0)
		}
		report(b, took, raw, "grants/s/core", "ratio")
	})
}

// BenchmarkOktaAWSCLIWebExchange is okta-aws-cli's web flow after the
// person approves: the device token poll (an access and an ID token), the
// token exchange for a web-SSO token, and its redemption for the AWS
// Account Federation app. Starting the device authorization and the
// approval at /activate are timed too; signing in is not. The fake clock
// moves a minute every few exchanges, past the per-minute limits.
func BenchmarkOktaAWSCLIWebExchange(b *testing.B) {
	fx := newFixture(b)
	sign := rawSigner(b, fx)
	ctx := context.Background()
	var raw, took time.Duration
	var ss directory.Session
	var u directory.User
	i := 0
	for b.Loop() {
		if i%9 == 0 {
			fx.clk.Advance(time.Minute)
			var err error
			ss, u, err = fx.signIn.Session(ctx, fx.session(b).Value)
			must(b, err)
		}
		i++
		raw += sign()
		t0 := time.Now()
		start := fx.postLocal(b, orgAS+"/device/authorize", url.Values{"client_id": {fx.cli.ID}, "scope": {oktaAWSCLIScope}}, "", "")
		must(b, fx.p.Decide(ctx, str(start, "user_code"), ss, u, true, "192.0.2.1"))
		tokens := fx.postLocal(b, orgAS+"/token", url.Values{"client_id": {fx.cli.ID}, "device_code": {str(start, "device_code")},
			"grant_type": {directory.GrantDeviceCode}}, "", "")
		sso := fx.postLocal(b, orgAS+"/token", fx.exchangeForm(tokens, fx.aws.ID), "", "")
		if _, _, _, err := fx.p.RedeemWebSSO(ctx, str(sso, "access_token")); err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
	}
	report(b, took, raw, "exchanges/s/core", "exchange/raw-sign")
}
