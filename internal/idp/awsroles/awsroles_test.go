package awsroles_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/awsroles"
	"github.com/keyward/keyward/internal/store"
)

// groups is a directory of group names.
type groups []string

func (g groups) ListGroups(context.Context, store.GroupQuery, store.Page) ([]directory.Group, string, error) {
	out := make([]directory.Group, len(g))
	for i, n := range g {
		out[i] = directory.Group{ID: "00g" + n, Name: n}
	}
	return out, "", nil
}

// iamServer answers ListRoles with two roles, as IAM does, to requests
// signed with AKIAEXAMPLE.
func iamServer(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if !strings.Contains(r.Header.Get("Authorization"), "Credential=AKIAEXAMPLE/") || r.PostForm.Get("Action") != "ListRoles" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad key</Message></Error></ErrorResponse>`))
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>false</IsTruncated><Roles>` +
			`<member><Arn>arn:aws:iam::222222222222:role/Admin</Arn><RoleName>Admin</RoleName><Path>/</Path><RoleId>AROAADMIN</RoleId><CreateDate>2026-01-01T00:00:00Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration></member>` +
			`<member><Arn>arn:aws:iam::222222222222:role/Reader</Arn><RoleName>Reader</RoleName><Path>/</Path><RoleId>AROAREADER</RoleId><CreateDate>2026-01-01T00:00:00Z</CreateDate><MaxSessionDuration>43200</MaxSessionDuration></member>` +
			`</Roles></ListRolesResult></ListRolesResponse>`))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestASessionLongerThanAMappedRolesMaximumIsRefusedAtConfiguration(t *testing.T) {
	srv := iamServer(t)
	c, err := awsroles.New(clock.Bytes(clock.Random, 32), clock.Random, groups{"aws-Admin", "aws-Reader", "staff"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	app := func(duration, filter, key string) directory.App {
		return directory.App{Name: directory.AWSAccountFederationApp, Settings: map[string]string{
			directory.AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward", directory.AWSFedGroupFilter: filter,
			directory.AWSFedSessionDuration: duration, directory.AWSFedLoginURL: srv.URL + "/saml",
			directory.AWSFedAccessKey: key, directory.SealedSecretSetting: c.SealSecret("secret")}}
	}
	cases := []struct {
		name string
		app  directory.App
		want string
	}{
		{"a session within every mapped role's maximum is accepted", app("3600", `aws-(?{{role}}\w+)`, "AKIAEXAMPLE"), ""},
		{"a session above Admin's maximum is refused naming Admin and its maximum", app("7200", `aws-(?{{role}}\w+)`, "AKIAEXAMPLE"),
			"role arn:aws:iam::222222222222:role/Admin (3600 seconds)"},
		{"a role no group maps to does not limit the session", app("7200", `aws-(?{{role}}Reader)`, "AKIAEXAMPLE"), ""},
		{"a key AWS refuses is reported", app("3600", `aws-(?{{role}}\w+)`, "AKIAOTHER"), "could not list the account's roles"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Check(context.Background(), tc.app)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (!errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("err = %v, want a refusal saying %q", err, tc.want)
			}
		})
	}
}

// TestAnEndpointThatNeverStopsPagingIsRefused: an endpoint at the app's
// loginURL that answers "more" with the marker it was given, or a new
// marker every time, is an error after a bounded number of pages rather
// than a listing that runs (and grows) until the caller gives up.
func TestAnEndpointThatNeverStopsPagingIsRefused(t *testing.T) {
	for _, same := range []bool{true, false} {
		pages := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pages++
			marker := "m"
			if !same {
				marker += strconv.Itoa(pages)
			}
			w.Header().Set("Content-Type", "text/xml")
			_, _ = w.Write([]byte(`<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>true</IsTruncated><Marker>` + marker + `</Marker><Roles>` +
				`<member><Arn>arn:aws:iam::222222222222:role/Admin</Arn><RoleName>Admin</RoleName><Path>/</Path><RoleId>AROAADMIN</RoleId><CreateDate>2026-01-01T00:00:00Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration></member>` +
				`</Roles></ListRolesResult></ListRolesResponse>`))
		}))
		c, err := awsroles.New(clock.Bytes(clock.Random, 32), clock.Random, groups{"aws-Admin"}, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = c.Roles(ctx, directory.AWSFederation{AccessKey: "AKIAEXAMPLE", SealedSecret: c.SealSecret("secret"), LoginURL: srv.URL + "/saml"})
		late := ctx.Err()
		cancel()
		srv.Close()
		if !errs.Is(err, errs.Invalid) || late != nil {
			t.Errorf("same marker %v: err = %v (context %v), want a refusal before the caller gives up", same, err, late)
		}
		if max := 200; pages > max {
			t.Errorf("same marker %v: %d pages asked for, want at most %d", same, pages, max)
		}
	}
}

// TestAnAnswerLargerThanAnyRolePageIsRefused: the listing reads at most
// maxRoleBody of one answer, however large the endpoint makes it.
func TestAnAnswerLargerThanAnyRolePageIsRefused(t *testing.T) {
	member := `<member><Arn>arn:aws:iam::222222222222:role/Admin</Arn><RoleName>Admin</RoleName><Path>/</Path><RoleId>AROAADMIN</RoleId><CreateDate>2026-01-01T00:00:00Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration></member>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>false</IsTruncated><Roles>`))
		for written := 0; written < 17<<20; written += len(member) {
			if _, err := w.Write([]byte(member)); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`</Roles></ListRolesResult></ListRolesResponse>`))
	}))
	t.Cleanup(srv.Close)
	c, err := awsroles.New(clock.Bytes(clock.Random, 32), clock.Random, groups{"aws-Admin"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	roles, err := c.Roles(context.Background(), directory.AWSFederation{AccessKey: "AKIAEXAMPLE", SealedSecret: c.SealSecret("secret"), LoginURL: srv.URL + "/saml"})
	if !errs.Is(err, errs.Invalid) {
		t.Errorf("err = %v with %d roles, want a refusal of a 17 MiB answer", err, len(roles))
	}
}

// toServer sends every request to srv, whatever its host, recording the
// host and the SigV4 credential scope it was meant for.
type toServer struct {
	srv         *httptest.Server
	host, scope string
}

func (s *toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	s.host = r.URL.Host
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		cred, _, _ = strings.Cut(cred, ",")
		_, s.scope, _ = strings.Cut(cred, "/")
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = "http", strings.TrimPrefix(s.srv.URL, "http://"), ""
	return s.srv.Client().Transport.RoundTrip(r)
}

// TestRolesAreListedAtTheEnvironmentsIAM: an app in AWS China or
// GovCloud lists its roles at that partition's IAM, signed for its
// region; the global IAM does not know their keys.
func TestRolesAreListedAtTheEnvironmentsIAM(t *testing.T) {
	cases := []struct{ env, host, region string }{
		{"aws.amazon", "iam.amazonaws.com", "us-east-1"},
		{"aws.cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"aws.us-gov", "iam.us-gov.amazonaws.com", "us-gov-west-1"},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			rt := &toServer{srv: iamServer(t)}
			c, err := awsroles.New(clock.Bytes(clock.Random, 32), clock.Random, groups{"aws-Admin"}, &http.Client{Transport: rt})
			if err != nil {
				t.Fatal(err)
			}
			f, causes := directory.ReadAWSFederation(map[string]string{directory.AWSFedEnvironmentType: tc.env, directory.AWSFedUseGroupMapping: "true",
				directory.AWSFedAccessKey: "AKIAEXAMPLE", directory.SealedSecretSetting: c.SealSecret("secret")})
			if len(causes) > 0 {
				t.Fatal(causes)
			}
			if _, err := c.Roles(context.Background(), f); err != nil {
				t.Fatal(err)
			}
			if want := tc.region + "/iam/aws4_request"; rt.host != tc.host || !strings.HasPrefix(rt.scope, "20") || !strings.HasSuffix(rt.scope, want) {
				t.Errorf("ListRoles went to %s signed for %s, want %s signed for .../%s", rt.host, rt.scope, tc.host, want)
			}
		})
	}
}
