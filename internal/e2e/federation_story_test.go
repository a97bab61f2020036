package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/store"
)

// TestFederationStory is issue 7's story over real HTTP, both sides in one
// process: the identity provider pushes Engineering into Identity Center
// over SCIM, alice signs in to `aws sso login` (the real AWS CLI) through
// the identity provider with her password and an authenticator app, a
// second sign-in asks nothing, the dashboard tile opens the portal, the
// administrator's changes reach the identity store, and deactivating alice
// ends her AWS access at the next call, with both logs saying why.
func TestFederationStory(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	ctx := context.Background()
	step := steps(t)
	var f *federation
	var st cliStory
	step("the administrator connects the identity provider to Identity Center and pushes Engineering", func(t *testing.T) {
		f = federate(t, s.inSubtest(t))
		st = c.setUpOrg(t)
		type user struct {
			UserId, UserName string
			ExternalIds      []struct{ Issuer, Id string }
		}
		var users struct{ Users []user }
		pollUntil(t, "alice and bob in the identity store", func() (bool, string) {
			c.admin(t, &users, "identitystore", "list-users", "--identity-store-id", st.IdentityStoreID)
			return len(users.Users) == 2, strings.Repeat("x", len(users.Users)) + " users"
		})
		byName := map[string]user{}
		for _, u := range users.Users {
			byName[u.UserName] = u
		}
		alice := byName[fedAlice]
		if len(alice.ExternalIds) != 1 || alice.ExternalIds[0].Id != f.aliceID {
			t.Fatalf("alice in the identity store = %+v, want the identity provider's id %s as her ExternalId", alice, f.aliceID)
		}
		st.UserID = alice.UserId
		var groups struct {
			Groups []struct {
				GroupId, DisplayName string
				ExternalIds          []struct{ Issuer, Id string }
			}
		}
		c.admin(t, &groups, "identitystore", "list-groups", "--identity-store-id", st.IdentityStoreID)
		if len(groups.Groups) != 1 || groups.Groups[0].DisplayName != "Engineering" || groups.Groups[0].ExternalIds[0].Id != f.engID {
			t.Fatalf("groups = %+v, want Engineering with ExternalId %s", groups.Groups, f.engID)
		}
		st.GroupID = groups.Groups[0].GroupId
		pollUntil(t, "Engineering's two members", func() (bool, string) {
			n := f.memberCount(t, c, st)
			return n == 2, strings.Repeat("m", n)
		})
		c.setUpPermissionSet(t, &st)
		c.assign(t, st)
		c.writeDevProfile(t, s, st)
	})

	b := newFederatedBrowser(t)
	var accessToken string
	step("aws sso login sends alice to the identity provider, where she signs in with her password and MFA", func(t *testing.T) {
		b.t = t
		_, _, client := c.ssoLoginAs(t, "dev", func(opened string) string {
			where, _, body := b.visit(opened, nil)
			if !strings.HasPrefix(where, s.main.OrgURL+"/login") {
				t.Fatalf("opening %s ended at %s, want the identity provider's sign-in:\n%s", opened, where, body)
			}
			where, _, body = b.signInAtIdP(where, body, fedAlice, fedPassword)
			return b.allow(s, where, body)
		})
		if client != "botocore-client-kw" {
			t.Errorf("the approval page named the client %q", client)
		}
		accessToken = checkTokenCache(t, c.tokenCache())
		arn := fedCallerARN(t, c)
		if !regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice@example\.com$`).MatchString(arn) {
			t.Errorf("get-caller-identity Arn = %s, want alice in DevOps on Dev", arn)
		}
	})
	step("the dashboard's tile opens the access portal (IdP-initiated sign-in)", func(t *testing.T) {
		b.t = t
		b.visit(s.url+"/start/signout", url.Values{})
		_, _, home := b.visit(s.main.OrgURL+"/app/UserHome", nil)
		tile := regexp.MustCompile(`href="(/app/amazon_aws_sso/` + f.appID + `/sso/saml)"`).FindStringSubmatch(home)
		if tile == nil {
			t.Fatalf("no AWS IAM Identity Center tile on alice's dashboard:\n%s", home)
		}
		where, status, body := b.visit(s.main.OrgURL+tile[1], nil)
		if status != http.StatusOK || !strings.HasPrefix(where, s.url+"/start") || !strings.Contains(body, "Dev") {
			t.Fatalf("the tile ended at %s (%d), want the portal listing Dev:\n%s", where, status, body)
		}
	})
	step("a second sign-in within the identity provider's session asks nothing", func(t *testing.T) {
		b.t = t
		b.visit(s.url+"/start/signout", url.Values{}) // the portal's session ends; the identity provider's stays
		c.ssoLoginAs(t, "dev", func(opened string) string {
			where, _, body := b.visit(opened, nil)
			if strings.HasPrefix(where, s.main.OrgURL) {
				t.Fatalf("the second sign-in stopped at the identity provider (%s):\n%s", where, body)
			}
			return b.allow(s, where, body)
		})
		accessToken = checkTokenCache(t, c.tokenCache())
	})
	step("a renamed group, a new department and a removed member reach the identity store", func(t *testing.T) {
		must2[*okta.Group](t, "rename Engineering")(f.admin.GroupAPI.ReplaceGroup(ctx, f.engID).Group(newGroup("Platform Engineering", "")).Execute())
		profile := okta.UserProfile{}
		profile.SetDepartment("Platform")
		must2[*okta.User](t, "move alice")(f.admin.UserAPI.UpdateUser(ctx, f.aliceID).User(okta.UpdateUserRequest{Profile: &profile}).Execute())
		mustOK(t, "remove bob")(f.admin.GroupAPI.UnassignUserFromGroup(ctx, f.engID, f.bobID).Execute())
		pollUntil(t, "the rename", func() (bool, string) {
			var g struct{ DisplayName string }
			c.admin(t, &g, "identitystore", "describe-group", "--identity-store-id", st.IdentityStoreID, "--group-id", st.GroupID)
			return g.DisplayName == "Platform Engineering", g.DisplayName
		})
		pollUntil(t, "alice's department", func() (bool, string) {
			var u map[string]any
			must(t, json.Unmarshal([]byte(f.scimGET(t, "/Users/"+st.UserID)), &u))
			ext, _ := u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
			return ext["department"] == "Platform", fmt.Sprint(ext["department"])
		})
		pollUntil(t, "bob's removal", func() (bool, string) {
			n := f.memberCount(t, c, st)
			return n == 1, strings.Repeat("m", n)
		})
	})
	step("deactivating alice ends her AWS access at the next call, and both logs say why", func(t *testing.T) {
		b.t = t
		q := url.Values{"account_id": {st.AccountID}, "role_name": {"DevOps"}}
		if w := s.portalGET(t, "/federation/credentials?"+q.Encode(), accessToken); w.Status != http.StatusOK {
			t.Fatalf("GetRoleCredentials before: %d %s", w.Status, w.Body)
		}
		asked := time.Now()
		mustOK(t, "deactivate alice")(f.admin.UserAPI.DeactivateUser(ctx, f.aliceID).Execute())
		pollUntil(t, "GetRoleCredentials refused", func() (bool, string) {
			w := s.portalGET(t, "/federation/credentials?"+q.Encode(), accessToken)
			return w.Status == http.StatusUnauthorized, http.StatusText(w.Status)
		})
		t.Logf("alice's access ended %v after the administrator's call", time.Since(asked).Round(time.Millisecond))
		if code := refreshCached(t, s, c); code != "InvalidGrantException" {
			t.Errorf("refreshing her token: %q, want InvalidGrantException", code)
		}
		where, _, body := b.visit(s.url+"/start", nil)
		if !strings.HasPrefix(where, s.main.OrgURL+"/login") || !strings.Contains(body, `id="login"`) {
			t.Errorf("her portal page ended at %s, want the identity provider's sign-in:\n%s", where, body)
		}
		if ids := logTargets(t, f.admin, `eventType eq "user.lifecycle.deactivate"`); !slices.Contains(ids, f.aliceID) {
			t.Errorf("the identity provider's log has no deactivation of alice: %v", ids)
		}
		disabled, denied := awsEventSeq(t, s, "identitystore.user.update", st.UserID, ""), awsEventSeq(t, s, "sso.portal.deny", st.UserID, "disabled")
		if disabled == 0 || denied == 0 || disabled > denied {
			t.Errorf("the AWS side's log: SCIM's update of alice at seq %d, the refusal (\"disabled\") at %d; want the update first", disabled, denied)
		}
	})
}

// allow approves the device request on the verification page b shows
// (at where), returning the client name it showed.
func (b *fedBrowser) allow(s *server, where, body string) string {
	b.t.Helper()
	m := clientNameRe.FindStringSubmatch(body)
	u, _ := url.Parse(where)
	if m == nil || u.Path != "/device" {
		b.t.Fatalf("expected the verification page, at %s:\n%s", where, body)
	}
	_, _, body = b.visit(s.url+"/device", url.Values{"user_code": {u.Query().Get("user_code")}, "action": {"allow"}})
	if !strings.Contains(body, "Request approved") {
		b.t.Fatalf("allow:\n%s", body)
	}
	return m[1]
}

// memberCount counts the group's memberships in the identity store.
func (f *federation) memberCount(t *testing.T, c *awsCLI, st cliStory) int {
	var ms struct{ GroupMemberships []any }
	c.admin(t, &ms, "identitystore", "list-group-memberships", "--identity-store-id", st.IdentityStoreID, "--group-id", st.GroupID)
	return len(ms.GroupMemberships)
}

// fedCallerARN is `aws sts get-caller-identity --profile dev`'s Arn.
func fedCallerARN(t *testing.T, c *awsCLI) string {
	t.Helper()
	var id struct{ Arn string }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "sts", "get-caller-identity", "--profile", "dev", "--output", "json")), &id))
	return id.Arn
}

// refreshCached refreshes the CLI's cached SSO token with its cached client,
// as the CLI does when the token expires, and returns the error code.
func refreshCached(t *testing.T, s *server, c *awsCLI) string {
	t.Helper()
	raw, err := os.ReadFile(c.tokenCache())
	must(t, err)
	var tok struct{ RefreshToken, ClientId, ClientSecret string }
	must(t, json.Unmarshal(raw, &tok))
	w := s.restJSON(t, "/token", map[string]string{"clientId": tok.ClientId, "clientSecret": tok.ClientSecret,
		"grantType": "refresh_token", "refreshToken": tok.RefreshToken})
	return w.Header.Get("x-amzn-ErrorType")
}

// awsEventSeq is the Seq of the newest event with action about target
// whose message contains text, or 0.
func awsEventSeq(t *testing.T, s *server, action, target, text string) int64 {
	t.Helper()
	events, _, err := s.main.Store.QueryEvents(context.Background(), store.EventQuery{Page: store.Page{Limit: 1000}})
	must(t, err)
	for _, e := range events {
		if e.Action == action && e.TargetID == target && strings.Contains(e.Message, text) {
			return e.Seq
		}
	}
	return 0
}
