package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/store"
)

// TestTheOrgPagesAnswerBadInputWithAPageAndChangeNothing sends the sign-in,
// link and dashboard pages what a confused browser or an attacker would:
// each gets an HTML page with a 4xx status that says what happened, and
// the directory is as it was.
func TestTheOrgPagesAnswerBadInputWithAPageAndChangeNothing(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	must2[*okta.User](t, "create bob")(admin.UserAPI.CreateUser(context.Background()).
		Body(withPassword(newPerson("bob@example.com", "Bob", "Builder"), "correct horse battery")).Execute())
	org := s.main.OrgURL
	before := directorySnapshot(t, s)
	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		says                     string
	}{
		{"a step with no sign-in under way", "POST", "/login/step", "password=x", nil, 401, "Start again"},
		{"a step with a forged state", "POST", "/login/step", "password=x", map[string]string{"Cookie": "keyward_org_signin=forged"}, 401, "Start again"},
		{"a form too large to read", "POST", "/login", "username=" + strings.Repeat("a", 20<<10), nil, 400, "could not be read"},
		{"an empty username", "POST", "/login", "username=", nil, 400, "Enter your username"},
		{"an unknown activation link", "GET", "/welcome/not-a-token", "", nil, 404, "used or has expired"},
		{"a password posted to an unknown link", "POST", "/welcome/not-a-token", "password=abcdefgh123&confirm=abcdefgh123", nil, 404, "used or has expired"},
		{"an overlong reset link", "GET", "/reset_password/" + strings.Repeat("x", 300), "", nil, 404, "used or has expired"},
		{"a form posted from another website", "POST", "/login", "username=bob%40example.com",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403, "another website"},
		{"a session cookie that is no session", "POST", "/app/password", "current=a&password=b&confirm=b",
			map[string]string{"Cookie": "keyward_org_session=nothing"}, 401, "session has ended"},
		{"a page that does not exist", "GET", "/app/nothing", "", nil, 404, "no page at this address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, org+c.path, strings.NewReader(c.body))
			must(t, err)
			if c.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			must(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(string(body), c.says) ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s\n%s\nwant %d saying %q", resp.StatusCode, resp.Header.Get("Content-Type"), body, c.status, c.says)
			}
			if resp.Header.Get("X-Okta-Request-Id") == "" || resp.Header.Get("x-amzn-RequestId") != "" {
				t.Errorf("request id headers: X-Okta-Request-Id %q, x-amzn-RequestId %q; want the org URL's own",
					resp.Header.Get("X-Okta-Request-Id"), resp.Header.Get("x-amzn-RequestId"))
			}
		})
	}
	if d := cmp.Diff(before, directorySnapshot(t, s)); d != "" {
		t.Errorf("bad input changed the directory (-before +after):\n%s", d)
	}

	t.Run("after sign-in a next address on another site goes to the dashboard instead", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		post := func(path string, form url.Values) *http.Response {
			resp, err := hc.PostForm(org+path, form)
			must(t, err)
			resp.Body.Close()
			return resp
		}
		post("/login", url.Values{"username": {"bob@example.com"}, "next": {"//evil.example/steal"}})
		resp := post("/login/step", url.Values{"password": {"correct horse battery"}})
		equal(t, "landed on", "/app/UserHome", resp.Request.URL.Path)
		equal(t, "host", strings.TrimPrefix(org, "http://"), resp.Request.URL.Host)
	})
}

// directorySnapshot is every user's login, status and update time, for
// comparing before and after.
func directorySnapshot(t *testing.T, s *server) []string {
	t.Helper()
	users, _, err := s.main.IdP.ListUsers(context.Background(), store.UserQuery{}, store.Page{Limit: 1000})
	must(t, err)
	var out []string
	for _, u := range users {
		out = append(out, u.Login()+" "+string(u.Status)+" "+u.LastUpdated.String())
	}
	return out
}
