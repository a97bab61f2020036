package samlsp_test

import (
	"context"
	"crypto/rand"
	"net/url"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	publicURL   = "https://aws.keyward.test"
	idpEntityID = "https://idp.example.com/app/aws"
	acsURL      = publicURL + "/platform/saml/acs/ssoins-0123456789abcdef"
	spEntityID  = "https://us-east-1.signin.aws.amazon.com/platform/saml/d-0123456789"
)

var instance = ic.Instance{ID: "ssoins-0123456789abcdef", IdentityStoreID: "d-0123456789", Name: "keyward"}

// fixture is a service provider on a real SQLite store, an identity
// provider it trusts, and users: alice (enabled) and bob (disabled).
type fixture struct {
	ctx   context.Context
	clk   *clock.Fake
	db    store.AWS
	sp    *samlsp.SP
	idp   *testIdP
	alice ic.User
	bob   ic.User
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clk := clock.NewFake(start)
	db := sqlitetest.Open(t, clk)
	sp, err := samlsp.New(db, samlsp.Config{Region: "us-east-1", PublicURL: publicURL + "/", Instance: instance,
		Clock: clk, Random: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: t.Context(), clk: clk, db: db, sp: sp,
		idp: newIdP(t, 0, idpEntityID, start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0))}
	f.trust(t, f.idp)
	f.alice = f.user(t, "alice@example.com", ic.UserEnabled)
	f.bob = f.user(t, "bob@example.com", ic.UserDisabled)
	return f
}

// trust makes idp the instance's identity source.
func (f *fixture) trust(t testing.TB, idps ...*testIdP) {
	t.Helper()
	src := ic.IdentitySource{Type: ic.SourceExternal, IdP: ic.ExternalIdP{EntityID: idps[0].entityID,
		SSOURL: "https://idp.example.com/sso", SSOBinding: ic.BindingRedirect}}
	for _, idp := range idps {
		src.IdP.Certificates = append(src.IdP.Certificates, idp.der)
	}
	if _, err := f.db.UpdateIdentitySource(f.ctx, func(ic.IdentitySource) (ic.IdentitySource, error) { return src, nil }); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) user(t testing.TB, name, status string) ic.User {
	t.Helper()
	u := ic.User{ID: ic.NewPrincipalID(rand.Reader, instance.IdentityStoreID),
		Profile: ic.Profile{UserName: name, DisplayName: name, Emails: []ic.Email{{Value: name, Primary: true}}},
		Status:  status, CreatedAt: start, UpdatedAt: start}
	if err := f.db.CreateUser(f.ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.User(f.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// spec is a Response the service provider accepts: IdP-initiated, for
// alice, valid for five minutes from now.
func (f *fixture) spec() spec { return specAt(f.clk.Now()) }

// specAt is a Response for alice issued at now.
func specAt(now time.Time) spec {
	return spec{responseID: "_r" + clock.Hex(rand.Reader, 8), assertionID: "_a" + clock.Hex(rand.Reader, 8),
		issuer: idpEntityID, destination: acsURL, recipient: acsURL, audience: spEntityID,
		nameID: "alice@example.com", status: "urn:oasis:names:tc:SAML:2.0:status:Success",
		issueInstant: now, notBefore: now.Add(-time.Minute), notOnOrAfter: now.Add(5 * time.Minute),
		scdNotOnOrAfter: now.Add(5 * time.Minute)}
}

// signed is the Response of s with its assertion signed.
func (f *fixture) signed(t testing.TB, s spec) url.Values {
	t.Helper()
	doc := response(s)
	f.idp.signAssertion(t, doc)
	return form(t, doc, "")
}

// refused fails t unless err is a refusal for reason.
func refused(t testing.TB, err error, reason samlsp.Reason) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("error = %v, want a refusal for %s", err, reason)
	}
	if got := samlsp.ReasonOf(err); got != reason {
		t.Fatalf("refused for %s (%q), want %s", got, e.Message, reason)
	}
	if e.Kind == errs.Internal || e.Message == "" {
		t.Errorf("refusal %s has kind %s and message %q", reason, e.Kind, e.Message)
	}
}

// lastEvent is the newest event in the log.
func (f *fixture) lastEvent(t testing.TB) audit.Event {
	t.Helper()
	evs, _, err := f.db.ListEvents(f.ctx, store.Page{Limit: 1})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no event: %v", err)
	}
	return evs[0]
}
