package oidc_test

import (
	"context"
	"crypto/x509"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/directory"
)

// exchangeForm is okta-aws-cli's token exchange for app.
func (f *fixture) exchangeForm(tokens map[string]any, appID string) url.Values {
	return url.Values{"client_id": {f.cli.ID}, "actor_token": {str(tokens, "access_token")},
		"actor_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "subject_token": {str(tokens, "id_token")},
		"subject_token_type":   {"urn:ietf:params:oauth:token-type:id_token"},
		"grant_type":           {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"requested_token_type": {"urn:okta:oauth:token-type:web_sso_token"}, "audience": {"urn:okta:apps:" + appID}}
}

func TestTokenExchangeGivesAWebSSOTokenRedeemedOnce(t *testing.T) {
	f := newFixture(t)
	tokens := f.deviceTokens(t)
	status, body := f.post(t, "/oauth2/v1/token", f.exchangeForm(tokens, f.aws.ID))
	if status != 200 || str(body, "token_type") != "N_A" || str(body, "issued_token_type") != "urn:okta:oauth:token-type:web_sso_token" ||
		body["expires_in"] != float64(300) {
		t.Fatalf("exchange: %d %v", status, body)
	}
	app, u, _, err := f.p.RedeemWebSSO(context.Background(), str(body, "access_token"))
	if err != nil || app.ID != f.aws.ID || u.ID != f.alice.ID {
		t.Fatalf("redeem: %v %s %s", err, app.ID, u.ID)
	}
	if _, _, _, err := f.p.RedeemWebSSO(context.Background(), str(body, "access_token")); err == nil {
		t.Error("a web-SSO token redeemed twice")
	}
}

func TestTokenExchangeRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		prepare func(t *testing.T, tokens map[string]any) url.Values
		code    string
		desc    string
	}{
		{"an app that does not name this client its web-SSO client (foreign audience)", func(t *testing.T, tok map[string]any) url.Values {
			other := f.addApp(t, directory.App{Name: directory.AWSAccountFederationApp, Label: "Other", SignOnMode: directory.SAML2})
			return f.exchangeForm(tok, other.ID)
		}, "invalid_request", "audience"},
		{"a forged ID token", func(t *testing.T, tok map[string]any) url.Values {
			tok["id_token"] = str(tok, "id_token")[:len(str(tok, "id_token"))-4] + "AAAA"
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "subject_token"},
		{"a forged access token as actor", func(t *testing.T, tok map[string]any) url.Values {
			tok["access_token"] = str(tok, "access_token")[:len(str(tok, "access_token"))-4] + "AAAA"
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "actor_token"},
		{"tokens past their hour", func(t *testing.T, tok map[string]any) url.Values {
			f.clk.Advance(61 * time.Minute)
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "expired"},
		{"a revoked actor token", func(t *testing.T, tok map[string]any) url.Values {
			status, _ := f.post(t, "/oauth2/v1/revoke", url.Values{"client_id": {f.cli.ID}, "token": {str(tok, "access_token")}})
			if status != 200 {
				t.Fatalf("revoke: %d", status)
			}
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "revoked"},
		{"a deactivated person", func(t *testing.T, tok map[string]any) url.Values {
			_, err := f.s.UpdateUser(ctx, f.alice.ID, "user.lifecycle.suspend", func(u directory.User) (directory.User, error) {
				u.Status = directory.Suspended
				return u, nil
			})
			must(t, err)
			t.Cleanup(func() {
				f.s.UpdateUser(ctx, f.alice.ID, "user.lifecycle.unsuspend", func(u directory.User) (directory.User, error) {
					u.Status = directory.Active
					return u, nil
				})
			})
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "not active"},
		{"a sign-in that was ended", func(t *testing.T, tok map[string]any) url.Values {
			_, err := f.s.EndUserSessions(ctx, f.alice.ID)
			must(t, err)
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "session associated with the token was terminated"},
		{"a person no longer assigned to the app", func(t *testing.T, tok map[string]any) url.Values {
			must(t, f.s.UnassignUser(ctx, f.aws.ID, f.alice.ID))
			t.Cleanup(func() { f.s.AssignUser(ctx, f.aws.ID, f.alice.ID) })
			return f.exchangeForm(tok, f.aws.ID)
		}, "invalid_grant", "not assigned"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := c.prepare(t, f.deviceTokens(t))
			status, body := f.post(t, "/oauth2/v1/token", form)
			wantError(t, status, body, 400, c.code, c.desc)
		})
	}
}

func TestTokenExchangeNeedsTheAssuranceThePolicyRequires(t *testing.T) {
	f := newFixture(t)
	f.requireMFA(t)
	t.Run("a device approval signed in with a password only is refused", func(t *testing.T) {
		status, body := f.post(t, "/oauth2/v1/token", f.exchangeForm(f.deviceTokens(t), f.aws.ID))
		wantError(t, status, body, 400, "invalid_grant", "requires multifactor authentication")
	})
	t.Run("a device approval signed in with a second factor is exchanged", func(t *testing.T) {
		code, user := f.startDevice(t)
		f.approve(t, user, true, "pwd", "otp")
		_, tokens := f.poll(t, f.cli.ID, code)
		if status, body := f.post(t, "/oauth2/v1/token", f.exchangeForm(tokens, f.aws.ID)); status != 200 {
			t.Errorf("got %d %v", status, body)
		}
	})
}

// resigned is raw's header and claims as an attacker re-signs them: with
// alg none, or HS256 keyed with the bytes of the server's published RSA
// key (algorithm confusion).
func resigned(t testing.TB, set jose.JSONWebKeySet, raw string, alg jose.SignatureAlgorithm) string {
	t.Helper()
	var claims map[string]any
	claimsOf(t, raw, &claims)
	if alg == "none" {
		return noneToken(claims)
	}
	pub, err := x509.MarshalPKIXPublicKey(set.Keys[0].Key)
	must(t, err)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: pub},
		(&jose.SignerOptions{}).WithHeader("kid", set.Keys[0].KeyID))
	must(t, err)
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	must(t, err)
	return tok
}

// TestTokenExchangeChecksEachTokenOnItsOwn: the subject (ID) token is
// checked apart from the actor token, so a fresh access token does not
// carry an expired, misaddressed, someone else's or re-signed ID token.
func TestTokenExchangeChecksEachTokenOnItsOwn(t *testing.T) {
	f := newFixture(t)
	set := f.jwks(t, orgAS)
	other := f.publicClient(t, "other")
	exchange := func(t *testing.T, actor, subject string) (int, map[string]any) {
		t.Helper()
		return f.post(t, "/oauth2/v1/token", f.exchangeForm(map[string]any{"access_token": actor, "id_token": subject}, f.aws.ID))
	}
	t.Run("an expired ID token with a fresh access token", func(t *testing.T) {
		old := f.deviceTokens(t)
		f.clk.Advance(59 * time.Minute)
		fresh := f.deviceTokens(t)
		f.clk.Advance(2 * time.Minute)
		status, body := exchange(t, str(fresh, "access_token"), str(old, "id_token"))
		wantError(t, status, body, 400, "invalid_grant", "subject_token")
	})
	t.Run("an ID token issued to another client (aud)", func(t *testing.T) {
		pk := newPKCE()
		q := f.authParams(pk, "openid")
		q.Set("client_id", other.ID)
		_, theirs := f.redeem(t, orgAS, other.ID, f.code(t, orgAS, q, f.session(t)), pk.verifier)
		status, body := exchange(t, str(f.deviceTokens(t), "access_token"), str(theirs, "id_token"))
		wantError(t, status, body, 400, "invalid_grant", "subject_token")
	})
	t.Run("another person's ID token", func(t *testing.T) {
		pk := newPKCE()
		_, bobs := f.redeem(t, orgAS, f.cli.ID, f.code(t, orgAS, f.authParams(pk, "openid"), f.person(t, "bob@example.com")), pk.verifier)
		status, body := exchange(t, str(f.deviceTokens(t), "access_token"), str(bobs, "id_token"))
		wantError(t, status, body, 400, "invalid_grant", "subject_token")
	})
	for _, alg := range []jose.SignatureAlgorithm{"none", jose.HS256} {
		t.Run("an ID token re-signed with "+string(alg), func(t *testing.T) {
			tok := f.deviceTokens(t)
			status, body := exchange(t, str(tok, "access_token"), resigned(t, set, str(tok, "id_token"), alg))
			wantError(t, status, body, 400, "invalid_grant", "subject_token")
		})
		t.Run("an access token re-signed with "+string(alg), func(t *testing.T) {
			tok := f.deviceTokens(t)
			status, body := exchange(t, resigned(t, set, str(tok, "access_token"), alg), str(tok, "id_token"))
			wantError(t, status, body, 400, "invalid_grant", "actor_token")
		})
	}
	t.Run("the ID token as the actor and the access token as the subject", func(t *testing.T) {
		tok := f.deviceTokens(t)
		status, body := exchange(t, str(tok, "id_token"), str(tok, "access_token"))
		wantError(t, status, body, 400, "invalid_grant", "actor_token")
	})
}

// A web-SSO token is redeemed within minutes of the exchange; an OIDC
// app deactivated in between gets no SAML assertion through it, as its
// token requests and access tokens already get nothing.
func TestAWebSSOTokenOfADeactivatedClientIsNotRedeemed(t *testing.T) {
	f := newFixture(t)
	status, body := f.post(t, "/oauth2/v1/token", f.exchangeForm(f.deviceTokens(t), f.aws.ID))
	if status != 200 {
		t.Fatalf("exchange: %d %v", status, body)
	}
	_, err := f.s.UpdateApp(t.Context(), f.cli.ID, "application.lifecycle.deactivate", func(a directory.App) (directory.App, error) {
		a.Status = directory.AppInactive
		return a, nil
	})
	must(t, err)
	if app, u, _, err := f.p.RedeemWebSSO(t.Context(), str(body, "access_token")); err == nil {
		t.Errorf("redeemed for a deactivated client: app %s person %s", app.ID, u.ID)
	}
}
