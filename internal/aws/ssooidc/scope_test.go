package ssooidc

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// CreateToken's scope narrows the token to the scopes asked for, all of
// which must have been granted (RFC 6749 §3.3, §6; AWS: "the access token
// that is issued is limited to the scopes that are granted"). A scope that
// was not granted is InvalidScopeException, and the grant is not spent.
// Scopes decide what the portal lets a token do, so an IDE extension that
// asks only for codewhisperer scopes must not get a token that reaches
// accounts.
func TestCreateTokenScopeNarrowsTheTokenAndNeverWidensIt(t *testing.T) {
	db, clk := openStore(t)
	svc := New(db, Config{VerificationURI: "http://x/device", SessionLifetime: 8 * time.Hour}, clk, clock.Random)
	ctx := context.Background()
	u := ic.User{ID: "u-" + clock.Hex(clock.Random, 8), Profile: ic.Profile{UserName: "alice"}, Status: ic.UserEnabled,
		CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePortalSession(ctx, ic.PortalSession{IDHash: "s", UserID: u.ID, CreatedAt: clk.Now(),
		ExpiresAt: clk.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	reg, err := svc.registerClient(ctx, &registerClientInput{ClientName: "ide", ClientType: "public",
		Scopes: []string{"sso:account:access", "codewhisperer:completions"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.startDeviceAuthorization(ctx, &startInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, StartURL: "http://x/start"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Decide(ctx, st.UserCode, u.ID, "s", true); err != nil {
		t.Fatal(err)
	}
	token := func(grant, secret string, scope ...string) (*createTokenOutput, error) {
		in := &createTokenInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, GrantType: grant, Scope: scope}
		if grant == ic.GrantDeviceCode {
			in.DeviceCode = secret
		} else {
			in.RefreshToken = secret
		}
		return svc.createToken(ctx, in)
	}
	scopesOf := func(out *createTokenOutput) []string {
		tok, err := db.TokenByAccess(ctx, keys.HashSecret(out.AccessToken))
		if err != nil {
			t.Fatal(err)
		}
		return tok.Scopes
	}

	_, err = token(ic.GrantDeviceCode, st.DeviceCode, "sso:account:access", "sso:admin")
	wantCode(t, err, "InvalidScopeException")
	out, err := token(ic.GrantDeviceCode, st.DeviceCode, "codewhisperer:completions")
	if err != nil {
		t.Fatalf("the device code after a refused scope: %v", err)
	}
	if got := scopesOf(out); !slices.Equal(got, []string{"codewhisperer:completions"}) {
		t.Fatalf("a token asked for codewhisperer:completions carries %q", got)
	}

	// A refresh keeps the narrowed scopes and cannot win back the others.
	_, err = token(ic.GrantRefreshToken, out.RefreshToken, "sso:account:access")
	wantCode(t, err, "InvalidScopeException")
	again, err := token(ic.GrantRefreshToken, out.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after a refused scope: %v", err)
	}
	if got := scopesOf(again); !slices.Equal(got, []string{"codewhisperer:completions"}) {
		t.Errorf("the refreshed token carries %q, want the narrowed codewhisperer:completions", got)
	}
}
