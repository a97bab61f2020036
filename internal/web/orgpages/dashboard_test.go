package orgpages

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// signedInAs is a sign-in service whose every session cookie is user's
// session; the dashboard calls nothing else of it.
type signedInAs struct {
	SignIn
	user directory.User
}

func (s signedInAs) Session(context.Context, string) (directory.Session, directory.User, error) {
	return directory.Session{IDHash: "h", UserID: s.user.ID, Created: time.Now()}, s.user, nil
}

func (signedInAs) SecurityKeys() bool { return false }

// tiles are the dashboard's app tiles as "label href".
var tileRe = regexp.MustCompile(`<a class="app-link" href="([^"]+)">([^<]+)</a>`)

func dashboard(t *testing.T, st store.IdP, u directory.User) string {
	t.Helper()
	p := &Pages{SignIn: signedInAs{user: u}, Directory: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest("GET", homePath, nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "v"})
	w := httptest.NewRecorder()
	p.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("dashboard: %d %s", w.Code, w.Body)
	}
	return w.Body.String()
}

func TestTheDashboardShowsATilePerAssignedActiveApp(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.Open(t, clock.Real{})
	st := db.IdP()
	g, err := st.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: "Engineering"})
	if err != nil {
		t.Fatal(err)
	}
	person := func(login string, groups ...string) directory.User {
		u, err := st.CreateUser(ctx, directory.User{Status: directory.Active,
			Profile: directory.Profile{"login": login, "email": login, "firstName": "F", "lastName": "L"}}, groups)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	alice, bob := person("alice@example.com", g.ID), person("bob@example.com")
	app := func(name, label string, status directory.AppStatus) directory.App {
		a, err := st.CreateApp(ctx, directory.App{Name: name, Label: label, SignOnMode: directory.SAML2, Status: status,
			SAML: directory.AWSIdentityCenterSAML("https://sp.example/acs", "https://sp.example/")})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	aws := app(directory.AWSIdentityCenterApp, "AWS IAM Identity Center", directory.AppActive)
	wiki := app("keyward_saml_1", "Wiki <staff>", directory.AppActive)
	old := app("keyward_saml_2", "Old", directory.AppInactive)
	app("keyward_saml_3", "Payroll", directory.AppActive) // assigned to nobody
	oidcApp := func(label, initiate string) directory.App {
		a, err := st.CreateApp(ctx, directory.App{Name: directory.OIDCClientApp, Label: label, SignOnMode: directory.OIDC,
			Status: directory.AppActive, OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeWeb,
				TokenEndpointAuthMethod: directory.AuthClientSecretBasic, InitiateLoginURI: initiate,
				GrantTypes: []string{directory.GrantAuthorizationCode}, RedirectURIs: []string{"https://wiki2.example/cb"}}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	portal := oidcApp("Portal", "https://portal.example/login")
	cli := oidcApp("A CLI", "") // no sign-in URL: no tile
	for _, a := range []directory.App{wiki, old, portal, cli} {
		if _, err := st.AssignUser(ctx, a.ID, alice.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AssignGroup(ctx, directory.AppGroup{AppID: aws.ID, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}

	page := dashboard(t, st, alice)
	var got []string
	for _, m := range tileRe.FindAllStringSubmatch(page, -1) {
		got = append(got, m[2]+" "+m[1])
	}
	want := []string{
		"AWS IAM Identity Center /app/amazon_aws_sso/" + aws.ID + "/sso/saml",
		"Portal https://portal.example/login",
		"Wiki &lt;staff&gt; /app/keyward_saml_1/" + wiki.ID + "/sso/saml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alice's tiles (-want +got):\n%s", diff)
	}
	if strings.Contains(page, `id="no-apps"`) {
		t.Error("alice's dashboard says she has no apps")
	}
	page = dashboard(t, st, bob)
	if tiles := tileRe.FindAllString(page, -1); len(tiles) != 0 || !strings.Contains(page, `id="no-apps"`) {
		t.Errorf("bob, assigned nothing, sees tiles %v", tiles)
	}
}
