package oidc_test

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// A deactivated OIDC app's access tokens stop opening the management API
// and userinfo, as its sign-ins, token requests and assertions already stop.
func TestVerifyAccessTokenRefusesTheTokensOfADeactivatedApp(t *testing.T) {
	f := newFixture(t)
	access := str(f.codeTokens(t, orgAS, "openid okta.users.read.self"), "access_token")
	if uid, _, err := f.p.VerifyAccessToken(t.Context(), access); err != nil || uid != f.alice.ID {
		t.Fatalf("a live token: %q %v", uid, err)
	}
	if status, _, _ := f.userinfo(t, orgAS, "Bearer "+access); status != 200 {
		t.Fatalf("userinfo with a live token: %d", status)
	}
	_, err := f.s.UpdateApp(t.Context(), f.cli.ID, "application.lifecycle.deactivate", func(a directory.App) (directory.App, error) {
		a.Status = directory.AppInactive
		return a, nil
	})
	must(t, err)
	if uid, _, err := f.p.VerifyAccessToken(t.Context(), access); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("the token of a deactivated app: %q %v, want Unauthenticated", uid, err)
	}
	if status, _, _ := f.userinfo(t, orgAS, "Bearer "+access); status != 401 {
		t.Errorf("userinfo with a deactivated app's token: %d, want 401", status)
	}
}
