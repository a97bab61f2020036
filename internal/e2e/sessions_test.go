package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPortalSessionEndsAfterItsLifetime(t *testing.T) {
	s, clk := startClocked(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	clk.Advance(8*time.Hour - time.Minute)
	if _, body := b.get("/start"); !strings.Contains(body, `id="signed-in-user">alice`) {
		t.Fatal("the session ended before its 8 hours")
	}
	clk.Advance(2 * time.Minute)
	status, body := b.get("/start")
	if status != http.StatusOK || !strings.Contains(body, `id="signin"`) || strings.Contains(body, `id="signed-in-user"`) {
		t.Fatalf("after 8 hours /start is %d and still signed in", status)
	}
}

func TestTokensLiveUntilTheSessionEndsAndRefreshStopsThere(t *testing.T) {
	s, clk := startClocked(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	c := s.registerClient(t, "lifetimes")
	d := s.startDevice(t, c)
	b.approve(d.URIComplete, true)
	tok := s.pollToken(t, c, d.Code).ok(t)
	if got := tok["expiresIn"].(float64); got != 8*3600 {
		t.Errorf("expiresIn = %v, want the 8-hour session", got)
	}
	access, refresh := tok["accessToken"].(string), tok["refreshToken"].(string)

	clk.Advance(4 * time.Hour)
	s.portalGET(t, "/assignment/accounts", access).ok(t)
	next := s.restJSON(t, "/token", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"grantType": "refresh_token", "refreshToken": refresh}).ok(t)
	if got := next["expiresIn"].(float64); got != 4*3600 {
		t.Errorf("a refreshed token lasts %vs, want the 4 hours left in the session", got)
	}

	clk.Advance(4*time.Hour + time.Second)
	portalError(t, s.portalGET(t, "/assignment/accounts", next["accessToken"].(string)), http.StatusUnauthorized,
		"UnauthorizedException", "Session token not found or invalid")
	oauthError(t, s.restJSON(t, "/token", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"grantType": "refresh_token", "refreshToken": next["refreshToken"].(string)}),
		http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "session has ended")
}

func TestTheApprovalPageShowsTheClientAndItsScopes(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	c := s.registerClient(t, "scope-check")
	d := s.startDevice(t, c)
	status, body := b.get(d.URIComplete)
	for _, want := range []string{`id="client-name">scope-check<`, "Scopes: sso:account:access", `id="user-code">` + d.UserCode + "<"} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the approval page (status %d) lacks %s", status, want)
		}
	}
}
