package oidc_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// refresh spends refreshToken at the org server as clientID, asking for
// scope when it is not empty.
func (f *fixture) refresh(t testing.TB, clientID, refreshToken, scope string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {refreshToken}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return f.post(t, orgAS+"/token", form)
}

// active reports whether introspection shows cli's token as active.
func (f *fixture) active(t testing.TB, token string) bool {
	t.Helper()
	return f.introspect(t, orgAS, f.cli.ID, token)["active"] == true
}

func TestARefreshRotatesAndAReplayRevokesTheFamily(t *testing.T) {
	f := newFixture(t)
	first := f.codeTokens(t, orgAS, "openid email offline_access")
	status, second := f.refresh(t, f.cli.ID, str(first, "refresh_token"), "")
	if status != 200 || str(second, "refresh_token") == "" || str(second, "refresh_token") == str(first, "refresh_token") ||
		str(second, "scope") != "openid email offline_access" || str(second, "id_token") == "" {
		t.Fatalf("refresh: %d %v", status, second)
	}
	if f.active(t, str(first, "refresh_token")) || !f.active(t, str(second, "refresh_token")) || !f.active(t, str(second, "access_token")) {
		t.Fatal("after rotation the old refresh token should be spent and the new tokens live")
	}
	status, body := f.refresh(t, f.cli.ID, str(first, "refresh_token"), "")
	wantError(t, status, body, 400, "invalid_grant", "invalid or expired")
	for _, tok := range []string{"access_token", "refresh_token"} {
		if f.active(t, str(second, tok)) {
			t.Errorf("the newest %s is still active after the replay", tok)
		}
	}
	status, body = f.refresh(t, f.cli.ID, str(second, "refresh_token"), "")
	wantError(t, status, body, 400, "invalid_grant", "invalid or expired")
}

func TestARefreshMayNarrowTheScopeButNotWidenIt(t *testing.T) {
	f := newFixture(t)
	t.Run("a narrower scope is granted", func(t *testing.T) {
		tokens := f.codeTokens(t, orgAS, "openid email offline_access")
		status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), "openid offline_access")
		if status != 200 || str(body, "scope") != "openid offline_access" {
			t.Fatalf("got %d %v", status, body)
		}
		var c map[string]any
		claimsOf(t, str(body, "access_token"), &c)
		if scp, _ := c["scp"].([]any); len(scp) != 2 {
			t.Errorf("access token scp = %v", c["scp"])
		}
	})
	t.Run("a wider scope is refused and the token stays usable", func(t *testing.T) {
		tokens := f.codeTokens(t, orgAS, "openid offline_access")
		status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), "openid profile offline_access")
		wantError(t, status, body, 400, "invalid_scope", "exceeds the scope granted")
		if status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), ""); status != 200 {
			t.Errorf("the refresh token after the refusal: %d %v", status, body)
		}
	})
}

// scpOf is the scp claim of an access token, space-joined.
func scpOf(t testing.TB, access string) string {
	t.Helper()
	var c struct {
		Scp []string `json:"scp"`
	}
	claimsOf(t, access, &c)
	return strings.Join(c.Scp, " ")
}

// RFC 6749 §6: a narrower scope narrows the access token only; the new
// refresh token's scope is identical to that of the one presented.
func TestANarrowedRefreshNarrowsOnlyTheAccessToken(t *testing.T) {
	f := newFixture(t)
	const full = "openid profile offline_access"
	tokens := f.codeTokens(t, orgAS, full)
	step := func(t *testing.T, refresh, scope, wantScope string, wantIDToken bool) map[string]any {
		t.Helper()
		status, body := f.refresh(t, f.cli.ID, refresh, scope)
		if status != 200 || str(body, "scope") != wantScope || str(body, "refresh_token") == "" {
			t.Fatalf("refresh asking %q: %d %v, want scope %q", scope, status, body, wantScope)
		}
		if got := scpOf(t, str(body, "access_token")); got != wantScope {
			t.Errorf("refresh asking %q: access token scp %q, want %q", scope, got, wantScope)
		}
		if _, got := body["id_token"]; got != wantIDToken {
			t.Errorf("refresh asking %q: id_token given %v, want %v", scope, got, wantIDToken)
		}
		if got := str(f.introspect(t, orgAS, f.cli.ID, str(body, "refresh_token")), "scope"); got != full {
			t.Errorf("refresh asking %q: the new refresh token's introspected scope %q, want %q", scope, got, full)
		}
		if got := str(f.introspect(t, orgAS, f.cli.ID, str(body, "access_token")), "scope"); got != wantScope {
			t.Errorf("refresh asking %q: the access token's introspected scope %q, want %q", scope, got, wantScope)
		}
		return body
	}
	narrowed := step(t, str(tokens, "refresh_token"), "openid", "openid", true)
	t.Run("a later refresh may ask for a granted scope the narrowed access token lacked", func(t *testing.T) {
		narrowed = step(t, str(narrowed, "refresh_token"), "profile", "profile", false) // no openid: no ID token
	})
	t.Run("a later refresh without scope gets the whole original grant back", func(t *testing.T) {
		narrowed = step(t, str(narrowed, "refresh_token"), "", full, true)
	})
	t.Run("a scope outside the original grant is still invalid_scope", func(t *testing.T) {
		status, body := f.refresh(t, f.cli.ID, str(narrowed, "refresh_token"), "openid email")
		wantError(t, status, body, 400, "invalid_scope", "exceeds the scope granted")
		step(t, str(narrowed, "refresh_token"), "profile offline_access", "profile offline_access", false)
	})
}

func TestRefreshRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t.Run("another client's refresh token is refused and stays its owner's", func(t *testing.T) {
		other := f.publicClient(t, "other")
		tokens := f.codeTokens(t, orgAS, "openid offline_access")
		status, body := f.refresh(t, other.ID, str(tokens, "refresh_token"), "")
		wantError(t, status, body, 400, "invalid_grant", "invalid or expired")
		if status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), ""); status != 200 {
			t.Errorf("the owner's refresh after the attempt: %d %v", status, body)
		}
	})
	t.Run("a suspended person's refresh is refused", func(t *testing.T) {
		tokens := f.codeTokens(t, orgAS, "openid offline_access")
		setStatus(t, f, directory.Suspended)
		t.Cleanup(func() { setStatus(t, f, directory.Active) })
		status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), "")
		wantError(t, status, body, 400, "invalid_grant", "not active")
	})
	t.Run("a person unassigned from the client is refused", func(t *testing.T) {
		tokens := f.codeTokens(t, orgAS, "openid offline_access")
		must(t, f.s.UnassignUser(ctx, f.cli.ID, f.alice.ID))
		t.Cleanup(func() { f.s.AssignUser(ctx, f.cli.ID, f.alice.ID) })
		status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), "")
		wantError(t, status, body, 400, "invalid_grant", "not assigned")
	})
	t.Run("without offline_access there is no refresh token", func(t *testing.T) {
		tokens := f.codeTokens(t, orgAS, "openid profile")
		if _, ok := tokens["refresh_token"]; ok {
			t.Errorf("a refresh token without offline_access: %v", tokens)
		}
	})
	t.Run("an unknown refresh token is refused", func(t *testing.T) {
		status, body := f.refresh(t, f.cli.ID, "not-a-refresh-token", "")
		wantError(t, status, body, 400, "invalid_grant", "invalid or expired")
	})
}

// setStatus sets alice's status.
func setStatus(t testing.TB, f *fixture, s directory.Status) {
	t.Helper()
	_, err := f.s.UpdateUser(context.Background(), f.alice.ID, "user.lifecycle.test", func(u directory.User) (directory.User, error) {
		u.Status = s
		return u, nil
	})
	must(t, err)
}

func TestARefreshTokenIsSpentOnlyAtTheServerThatIssuedIt(t *testing.T) {
	f := newFixture(t)
	form := func(refresh string) url.Values {
		return url.Values{"grant_type": {"refresh_token"}, "client_id": {f.cli.ID}, "refresh_token": {refresh}}
	}
	custom := f.codeTokens(t, defaultAS, "openid offline_access")
	status, body := f.post(t, defaultAS+"/token", form(str(custom, "refresh_token")))
	if status != 200 || str(body, "refresh_token") == "" {
		t.Fatalf("refresh at the default server: %d %v", status, body)
	}
	var c map[string]any
	claimsOf(t, str(body, "access_token"), &c)
	if c["iss"] != f.url+"/oauth2/default" || c["aud"] != "api://default" {
		t.Errorf("the refreshed access token's iss %v aud %v", c["iss"], c["aud"])
	}
	status, body = f.post(t, orgAS+"/token", form(str(body, "refresh_token")))
	wantError(t, status, body, 400, "invalid_grant", "invalid or expired")
}
