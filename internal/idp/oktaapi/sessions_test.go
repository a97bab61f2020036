package oktaapi

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// DELETE /api/v1/users/{id}/sessions ends the person's sessions; with
// oauthTokens=true it also revokes their OAuth tokens, which a refresh
// grant would otherwise keep using (they are not tied to a session).
func TestEndingSessionsRevokesOAuthTokensOnlyWhenAsked(t *testing.T) {
	w := newAppWorld(t)
	app := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	alice := w.user("alice@example.com")
	issue := func(name string) string {
		t.Helper()
		now := time.Now()
		refresh := "refresh-" + name
		err := w.st.CreateOAuthToken(t.Context(), directory.OAuthToken{AccessHash: "access-" + name, RefreshHash: refresh,
			FamilyID: "family-" + name, AuthServerID: "default", ClientID: app, UserID: alice.ID, SessionHash: "s",
			Scopes: []string{"openid", "offline_access"}, AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(time.Hour),
			RefreshExpiresAt: now.Add(24 * time.Hour)}, audit.Event{Action: "app.oauth2.token.grant"})
		if err != nil {
			t.Fatal(err)
		}
		return refresh
	}
	live := func(refresh string) bool {
		t.Helper()
		_, err := w.st.OAuthTokenByRefresh(t.Context(), refresh)
		if err != nil && !errs.Is(err, errs.NotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	sessions := "/api/v1/users/" + alice.ID + "/sessions"

	kept := issue("kept")
	w.must(204, "DELETE", sessions, "")
	w.must(204, "DELETE", sessions+"?oauthTokens=false", "")
	if !live(kept) {
		t.Fatal("ending sessions without oauthTokens=true revoked the person's refresh token")
	}
	w.must(204, "DELETE", "/api/v1/users/"+w.bob.ID+"/sessions?oauthTokens=true", "")
	if !live(kept) {
		t.Fatal("revoking bob's tokens revoked alice's")
	}

	second := issue("second")
	w.must(204, "DELETE", sessions+"?oauthTokens=true", "")
	if live(kept) || live(second) {
		t.Errorf("after oauthTokens=true the person's refresh tokens still work (kept %v, second %v)", live(kept), live(second))
	}
}
