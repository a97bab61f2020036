package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/console"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	fedAccount  = "222222222222"
	fedProvider = "arn:aws:iam::222222222222:saml-provider/Corp"
	fedAdmin    = "arn:aws:iam::222222222222:role/Admin"
	fedReader   = "arn:aws:iam::222222222222:role/Reader"
	fedTrust    = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"` + fedProvider + `"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}}`
)

// samlFixture is the pages with the /saml sign-in, served by the real STS
// and console services on SQLite: the account "contractors" (alias) has a
// Corp SAML provider for idp and roles Admin and Reader trusting it.
type samlFixture struct {
	t       *testing.T
	db      *sqlite.DB
	idp     *samltest.IdP
	auth    *awsauth.Authority
	clk     *clock.Fake
	handler http.Handler
}

type samlProviders struct{ db *sqlite.DB }

func (p samlProviders) SAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error) {
	return p.db.IAMSAMLProvider(ctx, arn)
}

func newSAMLFixture(t *testing.T) *samlFixture {
	t.Helper()
	clk, ctx := clock.NewFake(time.Now()), context.Background()
	db := sqlitetest.Open(t, clk)
	master := bytes.Repeat([]byte{9}, 32)
	auth, err := awsauth.New(master, db, clk, clock.Random)
	must(t, err)
	cons, err := console.New(master, auth, db, clk, clock.Random)
	must(t, err)
	choices, err := keys.NewSealer(master, "saml role choice", clock.Random)
	must(t, err)
	svc := sts.New(db, auth, clk, clock.Random, "us-east-1").WithSAML(sts.SAMLConfig{Providers: samlProviders{db}, Keys: db})
	f := &samlFixture{t: t, db: db, auth: auth, clk: clk, idp: samltest.New(t, 0, "https://idp.example.com", time.Now())}
	must(t, db.CreateIAMSAMLProvider(ctx, iam.SAMLProvider{AccountID: fedAccount, Name: "Corp", Metadata: f.idp.Metadata(),
		EntityID: f.idp.EntityID, Certificates: []string{base64.StdEncoding.EncodeToString(f.idp.DER)}, CreatedAt: time.Now()}))
	for _, name := range []string{"Admin", "Reader"} {
		must(t, db.CreateIAMRole(ctx, iam.Role{AccountID: fedAccount, ID: iam.NewRoleID(clock.Random), Name: name, Path: "/",
			TrustPolicy: fedTrust, MaxSessionDuration: 3600, CreatedAt: time.Now()}))
	}
	must(t, db.SetIAMAccountAlias(ctx, fedAccount, "contractors"))
	p := &Pages{Console: cons, StartURL: "http://keyward.test/start", Log: slog.New(slog.DiscardHandler),
		AccountFederation: &AccountFederation{SignIn: svc, Aliases: db, Choices: choices, Console: cons, Clock: clk}}
	f.handler = protocol.WithRequestID(p.Handler())
	return f
}

// assertion is a signed Response for alice offering roles.
func (f *samlFixture) assertion(roles ...string) string {
	pairs := make([]string, len(roles))
	for i, r := range roles {
		pairs[i] = r + "," + fedProvider
	}
	return f.idp.Signed(f.t, f.idp.Spec(time.Now().UTC(), "alice", map[string][]string{
		sts.AttrRole: pairs, sts.AttrRoleSessionName: {"alice"}, sts.AttrSessionDuration: {"1800"}}))
}

// post sends form to path as a browser on origin would.
func (f *samlFixture) post(path string, form url.Values, origin string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "http://aws.keyward.test"+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return w
}

// consoleRole is the role the console page shows for the sign-in's cookie.
func (f *samlFixture) consoleRole(w *httptest.ResponseRecorder) string {
	f.t.Helper()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != consolePath {
		f.t.Fatalf("sign-in answered %d to %q, want a redirect to the console:\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	r := httptest.NewRequest(http.MethodGet, "http://aws.keyward.test/console", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	page := httptest.NewRecorder()
	f.handler.ServeHTTP(page, r)
	m := regexp.MustCompile(`id="console-role">([^<]*)<`).FindStringSubmatch(page.Body.String())
	if m == nil {
		f.t.Fatalf("the console page shows no role:\n%s", page.Body)
	}
	return m[1]
}

func TestOneRoleSignsTheBrowserInToTheConsoleAtOnce(t *testing.T) {
	f := newSAMLFixture(t)
	w := f.post("/saml", url.Values{"SAMLResponse": {f.assertion(fedReader)}}, "https://idp.example.com")
	if got := f.consoleRole(w); got != "Reader" {
		t.Errorf("signed in as %s, want Reader", got)
	}
}

var choiceRe = regexp.MustCompile(`name="choice" value="([^"]+)"`)

func TestSeveralRolesAreOfferedByAccountAndTheChoiceIsUsedOnce(t *testing.T) {
	f := newSAMLFixture(t)
	w := f.post("/saml", url.Values{"SAMLResponse": {f.assertion(fedAdmin, fedReader)}}, "https://idp.example.com")
	body := w.Body.String()
	var roles []string
	for _, m := range regexp.MustCompile(`name="role" value="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		roles = append(roles, m[1])
	}
	if diff := cmp.Diff([]string{fedAdmin, fedReader}, roles); diff != "" || !strings.Contains(body, "<strong>contractors</strong> (222222222222)") {
		t.Fatalf("chooser roles (-want +got):\n%s\npage:\n%s", diff, body)
	}
	choice := choiceRe.FindStringSubmatch(body)[1]
	if got := f.consoleRole(f.post("/saml/role", url.Values{"choice": {choice}, "role": {fedReader}}, "")); got != "Reader" {
		t.Errorf("signed in as %s, want the chosen Reader", got)
	}
	again := f.post("/saml/role", url.Values{"choice": {choice}, "role": {fedAdmin}}, "")
	if again.Code != http.StatusBadRequest || !strings.Contains(again.Body.String(), "already been used") {
		t.Errorf("the choice used again answered %d:\n%s", again.Code, again.Body)
	}
}

func TestTheChooserRefusesWhatTheAssertionDidNotOffer(t *testing.T) {
	f := newSAMLFixture(t)
	body := f.post("/saml", url.Values{"SAMLResponse": {f.assertion(fedAdmin, fedReader)}}, "https://idp.example.com").Body.String()
	choice := choiceRe.FindStringSubmatch(body)[1]
	cases := []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"a role outside the assertion", url.Values{"choice": {choice}, "role": {"arn:aws:iam::222222222222:role/Root"}}, http.StatusBadRequest, "Select one of the roles offered"},
		{"a forged choice", url.Values{"choice": {base64.RawURLEncoding.EncodeToString([]byte("forged"))}, "role": {fedAdmin}}, http.StatusUnauthorized, "not valid"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			w := f.post("/saml/role", c.form, "")
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("answered %d, want %d with %q:\n%s", w.Code, c.code, c.want, w.Body)
			}
		})
	}
	t.Run("a choice posted from another site is refused", func(t *testing.T) {
		if w := f.post("/saml/role", url.Values{"choice": {choice}, "role": {fedAdmin}}, "https://evil.example.com"); w.Code != http.StatusForbidden {
			t.Errorf("a cross-site choice answered %d, want 403", w.Code)
		}
	})
}

func TestAChoiceLeftOpenPastItsLifetimeOnTheServersClockIsRefused(t *testing.T) {
	f := newSAMLFixture(t)
	body := f.post("/saml", url.Values{"SAMLResponse": {f.assertion(fedAdmin, fedReader)}}, "https://idp.example.com").Body.String()
	choice := choiceRe.FindStringSubmatch(body)[1]
	f.clk.Advance(choiceLifetime + time.Minute)
	w := f.post("/saml/role", url.Values{"choice": {choice}, "role": {fedReader}}, "")
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "has expired") {
		t.Errorf("a choice %s old answered %d, want 401 saying it has expired:\n%s", choiceLifetime+time.Minute, w.Code, w.Body)
	}
}

func TestABadSAMLPostIsAnErrorPageAndALoggedEvent(t *testing.T) {
	f := newSAMLFixture(t)
	cases := []struct {
		name string
		form url.Values
		want string
	}{
		{"no SAMLResponse", url.Values{}, "takes the SAML response"},
		{"a response that is not base64", url.Values{"SAMLResponse": {"%%%"}}, "not base64"},
		{"a response naming no role", url.Values{"SAMLResponse": {f.assertion()}}, "names no role"},
		{"a response signed by another key", url.Values{"SAMLResponse": {samltest.New(t, 1, "https://idp.example.com", time.Now()).
			Signed(t, f.idp.Spec(time.Now().UTC(), "alice", map[string][]string{sts.AttrRole: {fedAdmin + "," + fedProvider}, sts.AttrRoleSessionName: {"alice"}}))}},
			"signature"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			w := f.post("/saml", c.form, "https://idp.example.com")
			if w.Code < 400 || w.Code >= 500 || !strings.Contains(w.Body.String(), c.want) || !strings.Contains(w.Header().Get("Content-Type"), "text/html") {
				t.Errorf("answered %d %s, want a 4xx HTML page saying %q:\n%s", w.Code, w.Header().Get("Content-Type"), c.want, w.Body)
			}
		})
	}
	evs, _, err := f.db.ListEvents(context.Background(), store.Page{Limit: 10})
	must(t, err)
	var logged []string
	for _, e := range evs {
		if e.Action == "aws.saml.refuse" {
			logged = append(logged, e.Message)
		}
	}
	if len(logged) != len(cases) || !strings.Contains(logged[0], "signature") {
		t.Errorf("logged refusals (newest first) %q, want one per post, the last the bad signature", logged)
	}
}

func TestARelayStateNamingAConsolePageIsWhereTheSignInLands(t *testing.T) {
	f := newSAMLFixture(t)
	cases := []struct {
		name, relay, want string
	}{
		{"an AWS console address", "https://console.aws.amazon.com/ec2/home", consolePath + "?destination=" + url.QueryEscape("https://console.aws.amazon.com/ec2/home")},
		{"another site is ignored", "https://evil.example/steal", consolePath},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := f.post("/saml", url.Values{"SAMLResponse": {f.assertion(fedReader)}, "RelayState": {c.relay}}, "https://idp.example.com")
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != c.want {
				t.Errorf("answered %d to %q, want %q", w.Code, w.Header().Get("Location"), c.want)
			}
		})
	}
}
