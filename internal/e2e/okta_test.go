package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/cli"
)

// oktaAdmin is the bootstrap super administrator's Okta SDK client.
type oktaAdmin struct {
	*okta.APIClient
	orgURL, token string
	dial          string // the IdP's listen address
}

// oktaClient points the real Okta SDK for Go at keyward's org URL with
// token. The SDK keeps only the host name of the org URL (it drops the
// port), so its HTTP client dials keyward's address; every request is
// otherwise the SDK's own.
func oktaClient(tb testing.TB, orgURL, addr, token string) *okta.APIClient {
	return oktaClientTrusting(tb, orgURL, addr, token, nil)
}

// oktaClientTrusting is oktaClient for an https org URL whose certificate
// roots verify (keyward's local CA).
func oktaClientTrusting(tb testing.TB, orgURL, addr, token string, roots *x509.CertPool) *okta.APIClient {
	tb.Helper()
	dialer := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}
	cfg, err := okta.NewConfiguration(okta.WithOrgUrl(orgURL), okta.WithToken(token), okta.WithCache(false),
		okta.WithTestingDisableHttpsCheck(true), okta.WithHttpClientPtr(hc), okta.WithRateLimitMaxRetries(0))
	if err != nil {
		tb.Fatal(err)
	}
	return okta.NewAPIClient(cfg)
}

// bootstrapToken reads the super administrator's API token from the
// bootstrap credentials file.
func bootstrapToken(tb testing.TB, dataDir string) (orgURL, token string) {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir, app.BootstrapCredentialsFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " = ")
		switch k {
		case "okta_org_url":
			orgURL = v
		case "okta_api_token":
			token = v
		}
	}
	if token == "" {
		tb.Fatal("no okta_api_token in the bootstrap credentials file")
	}
	return orgURL, token
}

func (s *server) oktaAdmin() *oktaAdmin {
	s.t.Helper()
	orgURL, token := bootstrapToken(s.t, s.dataDir)
	if orgURL != s.main.OrgURL {
		s.t.Fatalf("bootstrap org URL %q, want %q", orgURL, s.main.OrgURL)
	}
	return &oktaAdmin{APIClient: oktaClient(s.t, orgURL, s.main.IdPAddr(), token), orgURL: orgURL,
		token: token, dial: s.main.IdPAddr()}
}

// as returns a client acting with another token.
func (o *oktaAdmin) as(tb testing.TB, token string) *okta.APIClient {
	return oktaClient(tb, o.orgURL, o.dial, token)
}

// oktaErr is the Okta error object of a failed SDK call.
type oktaErr struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
	ErrorCauses  []struct {
		ErrorSummary string `json:"errorSummary"`
	} `json:"errorCauses"`
	status int
}

// wantOktaError checks a call failed with Okta's error code and status.
func wantOktaError(tb testing.TB, what string, resp *okta.APIResponse, err error, status int, code string) oktaErr {
	tb.Helper()
	var oe *okta.GenericOpenAPIError
	if !errors.As(err, &oe) || resp == nil {
		tb.Fatalf("%s: err = %v, want an Okta %s error", what, err, code)
	}
	var got oktaErr
	if jerr := json.Unmarshal(oe.Body(), &got); jerr != nil {
		tb.Fatalf("%s: error body %q: %v", what, oe.Body(), jerr)
	}
	got.status = resp.StatusCode
	if got.status != status || got.ErrorCode != code {
		tb.Fatalf("%s: %d %s (%s), want %d %s", what, got.status, got.ErrorCode, got.ErrorSummary, status, code)
	}
	return got
}

func must2[T any](tb testing.TB, what string) func(T, *okta.APIResponse, error) T {
	return func(v T, _ *okta.APIResponse, err error) T {
		tb.Helper()
		if err != nil {
			var oe *okta.GenericOpenAPIError
			if errors.As(err, &oe) {
				tb.Fatalf("%s: %v: %s", what, err, oe.Body())
			}
			tb.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func mustOK(tb testing.TB, what string) func(*okta.APIResponse, error) {
	return func(_ *okta.APIResponse, err error) {
		tb.Helper()
		must2[struct{}](tb, what)(struct{}{}, nil, err)
	}
}

func newPerson(login, first, last string, groups ...string) okta.CreateUserRequest {
	p := okta.UserProfile{}
	p.SetLogin(login)
	p.SetEmail(login)
	p.SetFirstName(first)
	p.SetLastName(last)
	return okta.CreateUserRequest{Profile: p, GroupIds: groups}
}

func withPassword(r okta.CreateUserRequest, pw string) okta.CreateUserRequest {
	r.Credentials = &okta.UserCredentials{Password: &okta.PasswordCredential{Value: &pw}}
	return r
}

func newGroup(name, description string) okta.Group {
	return okta.Group{Profile: &okta.GroupProfile{Name: &name, Description: &description}}
}

func statusOf(u interface{ GetStatus() string }) string { return u.GetStatus() }

func loginsOf(users []okta.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Profile.GetLogin())
	}
	return out
}

func fatalIf(tb testing.TB, cond bool, format string, args ...any) {
	tb.Helper()
	if cond {
		tb.Fatalf(format, args...)
	}
}

// equal fails the test when got differs from want.
func equal(tb testing.TB, what string, want, got any) {
	tb.Helper()
	if d := cmp.Diff(want, got); d != "" {
		tb.Fatalf("%s (-want +got):\n%s", what, d)
	}
}

// runAdmin runs `keyward admin ARGS` on the server's store as an operator
// would and returns its standard output.
func (s *server) runAdmin(args ...string) string {
	s.t.Helper()
	var out, errOut strings.Builder
	argv := append([]string{"admin"}, args...)
	argv = append(argv, "--data-dir", s.dataDir)
	if u := s.main.Config.Store.URL; u != "" {
		argv = append(argv, "--store-url", u)
	}
	// The operator's configuration is the server's: its public AWS URL is
	// where it listens (sp-metadata prints its ACS URL from it).
	getenv := func(key string) string {
		if v := os.Getenv(key); v != "" || key != "KEYWARD_AWS_URL" {
			return v
		}
		return s.url
	}
	if code := cli.Execute(context.Background(), argv, cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: getenv}); code != 0 {
		s.t.Fatalf("keyward %s exited %d: %s", strings.Join(argv, " "), code, errOut.String())
	}
	return out.String()
}
