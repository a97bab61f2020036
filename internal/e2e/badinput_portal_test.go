package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// portalError checks an SSO portal (restJson1) error.
func portalError(t *testing.T, w wire, status int, code, msg string) {
	t.Helper()
	jsonError(t, w, "application/json", status, code, msg)
}

func TestSSOPortalRefusesBadRequests(t *testing.T) {
	s, clk := startClocked(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	token := s.accessToken(t, b)
	mgmt := s.callerAt(clk).mustJSON("AWSOrganizationsV20161128.DescribeOrganization", `{}`)["Organization"].(map[string]any)["MasterAccountId"].(string)
	creds := func(query string) string { return "/federation/credentials?" + query }

	cases := []struct {
		name, path, bearer string
		status             int
		code, msg          string
	}{
		{"a request without a bearer token is a 401 UnauthorizedException", "/assignment/accounts", "",
			401, "UnauthorizedException", "Session token not found or invalid"},
		{"an unknown bearer token is a 401 UnauthorizedException", "/assignment/accounts", "forged-token",
			401, "UnauthorizedException", "Session token not found or invalid"},
		{"an oversized bearer token is a 401 UnauthorizedException", "/assignment/accounts", strings.Repeat("t", 2000),
			401, "UnauthorizedException", "Session token not found or invalid"},
		{"GetRoleCredentials without account_id is an InvalidRequestException", creds("role_name=DevOps"), token,
			400, "InvalidRequestException", "account_id and role_name are required"},
		{"GetRoleCredentials without role_name is an InvalidRequestException", creds("account_id=" + st.AccountID), token,
			400, "InvalidRequestException", "account_id and role_name are required"},
		{"GetRoleCredentials with a malformed account is an InvalidRequestException", creds("account_id=12&role_name=DevOps"), token,
			400, "InvalidRequestException", "12 digits"},
		{"GetRoleCredentials on an account without access is a 403 ForbiddenException", creds("account_id=" + mgmt + "&role_name=DevOps"), token,
			403, "ForbiddenException", "No access"},
		{"GetRoleCredentials for a role that does not exist is a 403 ForbiddenException", creds("account_id=" + st.AccountID + "&role_name=Admin"), token,
			403, "ForbiddenException", "No access"},
		{"max_result of 0 is an InvalidRequestException", "/assignment/accounts?max_result=0", token,
			400, "InvalidRequestException", "max_result must be a number from 1 to 100"},
		{"max_result of 101 is an InvalidRequestException", "/assignment/accounts?max_result=101", token,
			400, "InvalidRequestException", "max_result must be a number from 1 to 100"},
		{"a max_result that is not a number is an InvalidRequestException", "/assignment/roles?account_id=" + st.AccountID + "&max_result=x", token,
			400, "InvalidRequestException", "max_result must be a number from 1 to 100"},
		{"a forged next_token is an InvalidRequestException", "/assignment/accounts?next_token=forged", token,
			400, "InvalidRequestException", "NextToken"},
		{"ListAccountRoles without account_id is an InvalidRequestException", "/assignment/roles", token,
			400, "InvalidRequestException", "account_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			portalError(t, s.portalGET(t, tc.path, tc.bearer), tc.status, tc.code, tc.msg)
		})
	}

	for _, call := range []struct{ method, path, allow string }{
		{http.MethodPost, "/federation/credentials", http.MethodGet}, {http.MethodDelete, "/assignment/accounts", http.MethodGet},
		{http.MethodPut, "/assignment/roles", http.MethodGet}, {http.MethodGet, "/logout", http.MethodPost},
	} {
		t.Run(call.method+" "+call.path+" is an InvalidRequestException", func(t *testing.T) {
			req, _ := http.NewRequest(call.method, s.url+call.path, nil)
			req.Header.Set("X-Amz-Sso_bearer_token", token)
			w := roundTrip(t, req)
			portalError(t, w, http.StatusBadRequest, "InvalidRequestException", "use "+call.allow)
			if w.Header.Get("Allow") != call.allow {
				t.Errorf("Allow = %q, want %s", w.Header.Get("Allow"), call.allow)
			}
		})
	}
	t.Run("a token used after logout is a 401 UnauthorizedException", func(t *testing.T) {
		gone := s.accessToken(t, b)
		req, _ := http.NewRequest(http.MethodPost, s.url+"/logout", nil)
		req.Header.Set("X-Amz-Sso_bearer_token", gone)
		if w := roundTrip(t, req); w.Status != http.StatusOK {
			t.Fatalf("logout: %d %s", w.Status, w.Body)
		}
		portalError(t, s.portalGET(t, "/assignment/accounts", gone), 401, "UnauthorizedException", "Session token not found or invalid")
	})
	t.Run("an expired token is a 401 UnauthorizedException", func(t *testing.T) {
		s.portalGET(t, "/assignment/accounts", token).ok(t)
		clk.Advance(8*time.Hour + time.Second)
		portalError(t, s.portalGET(t, "/assignment/accounts", token), 401, "UnauthorizedException", "Session token not found or invalid")
	})
}
