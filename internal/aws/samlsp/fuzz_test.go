package samlsp_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// memStore is samlsp.Store in memory. The fuzz targets use it because the
// fuzzer's coverage instrumentation makes the SQL store too slow to fuzz
// through; the other tests use the real store.
type memStore struct {
	source ic.IdentitySource
	users  map[string]ic.User
	keys   map[string]time.Time
	clk    clock.Clock
}

func (m *memStore) IdentitySource(context.Context) (ic.IdentitySource, error) { return m.source, nil }

func (m *memStore) UserByName(_ context.Context, name string) (ic.User, error) {
	if u, ok := m.users[ic.NormalizeName(name)]; ok {
		return u, nil
	}
	return ic.User{}, errs.E(errs.NotFound, "user not found")
}

func (m *memStore) RememberKey(_ context.Context, key string, expires time.Time) error {
	if exp, ok := m.keys[key]; ok && m.clk.Now().Before(exp) {
		return errs.E(errs.Conflict, "taken")
	}
	m.keys[key] = expires
	return nil
}

func (m *memStore) ConsumeKey(_ context.Context, key string) error {
	exp, ok := m.keys[key]
	delete(m.keys, key)
	if !ok || !m.clk.Now().Before(exp) {
		return errs.E(errs.NotFound, "no key")
	}
	return nil
}

func (m *memStore) AppendEvent(context.Context, audit.Event) error { return nil }

// FuzzConsume feeds any document to the ACS as a SAMLResponse: it is
// accepted or refused with a typed error, never a panic or a backend error.
func FuzzConsume(f *testing.F) {
	idp := newIdP(f, 0, idpEntityID, start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0))
	clk := clock.NewFake(start)
	m := &memStore{clk: clk, keys: map[string]time.Time{},
		users: map[string]ic.User{"alice@example.com": {ID: "u-1", Status: ic.UserEnabled}},
		source: ic.IdentitySource{Type: ic.SourceExternal, IdP: ic.ExternalIdP{EntityID: idpEntityID,
			SSOURL: "https://idp.example.com/sso", SSOBinding: ic.BindingRedirect, Certificates: [][]byte{idp.der}}}}
	sp, err := samlsp.New(m, samlsp.Config{Region: "us-east-1", PublicURL: publicURL, Instance: instance, Clock: clk, Random: rand.Reader})
	if err != nil {
		f.Fatal(err)
	}
	signed := response(specAt(start))
	idp.signAssertion(f, signed)
	for _, doc := range [][]byte{bytesOf(f, signed), bytesOf(f, response(specAt(start))),
		[]byte(billionLaughs + "<samlp:Response/>"),
		[]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)} {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		clear(m.keys) // a seed may be accepted every time it runs
		if _, err := sp.Consume(t.Context(), formOf(doc, "")); err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("an outside document caused an untyped error: %v", err)
			}
		}
	})
}

// FuzzParseIdPMetadata: any document is read or refused as errs.Invalid,
// and what is read passes validation.
func FuzzParseIdPMetadata(f *testing.F) {
	idp := newIdP(f, 0, idpEntityID, start, start.Add(time.Hour))
	f.Add(idpMetadata(idpEntityID, map[string]string{ic.BindingRedirect: "https://idp.example.com/sso"}, idp.der))
	f.Add(idpMetadata(idpEntityID, map[string]string{ic.BindingPOST: "https://idp.example.com/sso"}))
	f.Add([]byte(billionLaughs + "<x/>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := samlsp.ParseIdPMetadata(doc)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("error = %v, want errs.Invalid", err)
			}
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("read metadata that does not validate: %v", err)
		}
	})
}
