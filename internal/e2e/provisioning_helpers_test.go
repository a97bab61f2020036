package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/cli"
	"github.com/keyward/keyward/internal/idp/oktaapi"
)

// restAPI calls one side's HTTP API with a fixed Authorization header.
type restAPI struct {
	base, auth string
	c          *http.Client
}

func newRestAPI(base, auth string) *restAPI {
	return &restAPI{base: base, auth: auth, c: &http.Client{Timeout: 30 * time.Second}}
}

// call sends body (nil for none) and decodes a 2xx answer into v (when
// not nil); anything else is an error naming the status and body.
func (a *restAPI) call(method, path string, body, v any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", a.auth)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(b, v)
}

func (a *restAPI) must(tb testing.TB, method, path string, body, v any) {
	tb.Helper()
	if err := a.call(method, path, body, v); err != nil {
		tb.Fatal(err)
	}
}

// scimUser is what the tests read of a user at the SCIM target.
type scimUser struct {
	ID         string `json:"id"`
	UserName   string `json:"userName"`
	ExternalID string `json:"externalId"`
	Active     bool   `json:"active"`
	Enterprise struct {
		Department string `json:"department"`
	} `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
}

// scimUsers lists every user at the SCIM target, page by page with its
// cursor.
func scimUsers(tb testing.TB, target *restAPI) []scimUser {
	tb.Helper()
	var all []scimUser
	for cursor := ""; ; {
		var page struct {
			Resources  []scimUser `json:"Resources"`
			NextCursor string     `json:"nextCursor"`
		}
		target.must(tb, "GET", "/Users?count=100&cursor="+url.QueryEscape(cursor), nil, &page)
		all = append(all, page.Resources...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

// adminCLI runs `keyward admin ARGS` on the data directory (and store URL)
// as an operator would, with stdin, and returns the exit code and output.
func adminCLI(dataDir, storeURL, stdin string, args ...string) (int, string, string) {
	var out, errOut strings.Builder
	argv := append([]string{"admin"}, args...)
	argv = append(argv, "--data-dir", dataDir)
	if storeURL != "" {
		argv = append(argv, "--store-url", storeURL)
	}
	code := cli.Execute(context.Background(), argv, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func mustAdminCLI(tb testing.TB, dataDir, storeURL string, args ...string) string {
	tb.Helper()
	code, out, errOut := adminCLI(dataDir, storeURL, "", args...)
	if code != 0 {
		tb.Fatalf("keyward admin %s exited %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// peopleCSV writes n users for `keyward admin import`, user i in group
// G<i mod groups> (or "Engineering" when groups is 0), all activated.
func peopleCSV(tb testing.TB, n, groups int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("login,email,firstName,lastName,department,groups,activate\n")
	for i := range n {
		g := "Engineering"
		if groups > 0 {
			g = fmt.Sprintf("G%05d", i%groups)
		}
		fmt.Fprintf(&b, "user%05d@example.com,user%05d@example.com,User,N%05d,Dept%d,%s,true\n", i, i, i, i%7, g)
	}
	path := filepath.Join(tb.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

var scimEndpointRe = regexp.MustCompile(`/(d-[0-9a-f]+)/scim/v2/`)

// scimTarget turns automatic provisioning on at the AWS side at awsURL
// (which, as in AWS, needs an external identity provider: one with a
// made-up certificate, as only SCIM is used here) and returns the SCIM
// base URL and the first token as an app's provisioning needs them.
func scimTarget(tb testing.TB, dataDir, storeURL, awsURL string) (base, token string) {
	tb.Helper()
	metadata := filepath.Join(tb.TempDir(), "idp.xml")
	if err := os.WriteFile(metadata, []byte(idpMetadata(tb, "https://idp.example.com/saml")), 0o600); err != nil {
		tb.Fatal(err)
	}
	mustAdminCLI(tb, dataDir, storeURL, "identity-source", "set-external", "--idp-metadata", metadata)
	out := mustAdminCLI(tb, dataDir, storeURL, "identity-source", "provisioning", "on")
	m := scimEndpointRe.FindStringSubmatch(out)
	_, token, _ = strings.Cut(out, "Access token:")
	token = strings.TrimSpace(token)
	if m == nil || token == "" {
		tb.Fatalf("identity-source provisioning on printed %q", out)
	}
	return awsURL + "/" + m[1] + "/scim/v2", token
}

// provisionTo sets the app's SCIM target, the token passed in a private
// file as an administrator would.
func provisionTo(tb testing.TB, dataDir, storeURL, appID, base, token string) {
	tb.Helper()
	f := filepath.Join(tb.TempDir(), "scim-token")
	if err := os.WriteFile(f, []byte(token+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	mustAdminCLI(tb, dataDir, storeURL, "apps", "provisioning", appID, "--scim-url", base, "--token-file", f)
}

// provisioningStatus reads the app's status through the API extension.
func provisioningStatus(tb testing.TB, org *restAPI, appID string) oktaapi.ProvisioningStatus {
	tb.Helper()
	var st oktaapi.ProvisioningStatus
	org.must(tb, "GET", "/api/v1/apps/"+appID+"/provisioning", nil, &st)
	return st
}

// pushed reports whether the app's provisioning has pushed everything
// queued so far.
func pushed(st oktaapi.ProvisioningStatus) bool {
	return st.Started && st.Pending == 0 && st.LastPush != nil
}

// groupID finds a group by name through the management API.
func groupID(tb testing.TB, org *restAPI, name string) string {
	tb.Helper()
	var gs []struct {
		ID      string `json:"id"`
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
	}
	org.must(tb, "GET", "/api/v1/groups?q="+url.QueryEscape(name), nil, &gs)
	for _, g := range gs {
		if g.Profile.Name == name {
			return g.ID
		}
	}
	tb.Fatalf("no group %s", name)
	return ""
}
