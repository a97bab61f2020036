package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signedInTokens signs alice in through b and a device flow, refreshes
// once, and returns the client and the two token answers.
func (s *server) signedInTokens(t *testing.T, b *browser) (oidcClient, map[string]any, map[string]any) {
	t.Helper()
	c := s.registerClient(t, "signout")
	d := s.startDevice(t, c)
	b.approve(d.URIComplete, true)
	first := s.pollToken(t, c, d.Code).ok(t)
	second := s.refreshToken(t, c, first["refreshToken"].(string)).ok(t)
	return c, first, second
}

func (s *server) refreshToken(t *testing.T, c oidcClient, refresh string) wire {
	t.Helper()
	return s.restJSON(t, "/token", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"grantType": "refresh_token", "refreshToken": refresh})
}

// wantSignInEnded checks that neither access token nor the latest refresh
// token works any more.
func (s *server) wantSignInEnded(t *testing.T, c oidcClient, first, second map[string]any) {
	t.Helper()
	for name, tok := range map[string]map[string]any{"the first access token": first, "the refreshed one": second} {
		w := s.portalGET(t, "/assignment/accounts", tok["accessToken"].(string))
		if w.Status != http.StatusUnauthorized {
			t.Errorf("%s still works (%d)", name, w.Status)
		}
	}
	if w := s.refreshToken(t, c, second["refreshToken"].(string)); w.Status != http.StatusBadRequest {
		t.Errorf("the refresh token still works (%d)", w.Status)
	}
}

func TestLogoutEndsTheWholeSignInIncludingTokensFromBeforeARefresh(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	c, first, second := s.signedInTokens(t, b)
	_, _, other := s.signedInTokens(t, b) // another sign-in of alice's

	req, _ := http.NewRequest(http.MethodPost, s.url+"/logout", nil)
	req.Header.Set("X-Amz-Sso_bearer_token", second["accessToken"].(string))
	if w := roundTrip(t, req); w.Status != http.StatusOK {
		t.Fatalf("logout: %d %s", w.Status, w.Body)
	}
	s.wantSignInEnded(t, c, first, second)
	s.portalGET(t, "/assignment/accounts", other["accessToken"].(string)).ok(t)
}

func TestSigningOutOfThePortalEndsTheTokensApprovedInIt(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b, elsewhere := s.browser(), s.browser()
	b.signIn(aliceName, alicePassword)
	elsewhere.signIn(aliceName, alicePassword)
	c, first, second := s.signedInTokens(t, b)
	_, _, kept := s.signedInTokens(t, elsewhere)

	if status, body := b.post("/start/signout", url.Values{}); status != http.StatusOK || !strings.Contains(body, `id="signin"`) {
		t.Fatalf("sign-out: %d", status)
	}
	s.wantSignInEnded(t, c, first, second)
	s.portalGET(t, "/assignment/accounts", kept["accessToken"].(string)).ok(t)
}

func TestAnAdministratorsPasswordResetEndsEverySignIn(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	c, first, second := s.signedInTokens(t, b)

	s.setPassword(aliceName, "A-New-Password-42")
	s.wantSignInEnded(t, c, first, second)
	if _, body := b.get("/start"); strings.Contains(body, `id="signed-in-user"`) {
		t.Error("the browser is still signed in after the password reset")
	}
}
