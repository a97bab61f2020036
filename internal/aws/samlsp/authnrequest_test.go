package samlsp_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// requestFields reads what an identity provider reads of an AuthnRequest.
func requestFields(t *testing.T, doc []byte) []string {
	t.Helper()
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		t.Fatal(err)
	}
	r := d.Root()
	return []string{r.Tag, r.NamespaceURI(), r.SelectAttrValue("ID", ""), r.SelectAttrValue("Destination", ""),
		r.SelectAttrValue("AssertionConsumerServiceURL", ""), r.SelectAttrValue("ProtocolBinding", ""),
		r.SelectElement("Issuer").Text(), r.SelectAttrValue("IssueInstant", "")}
}

func TestAnAuthnRequestGoesByTheIdentityProvidersBinding(t *testing.T) {
	t.Run("HTTP-Redirect: deflated, base64 and the RelayState in the query", func(t *testing.T) {
		f := newFixture(t)
		req, err := f.sp.AuthnRequest(f.ctx, "/start")
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(req.URL)
		if err != nil || !strings.HasPrefix(req.URL, "https://idp.example.com/sso?") || req.Binding != ic.BindingRedirect {
			t.Fatalf("URL %q (binding %s), want the identity provider's HTTP-Redirect URL", req.URL, req.Binding)
		}
		if got := u.Query().Get("RelayState"); got != "/start" {
			t.Errorf("RelayState = %q", got)
		}
		raw, err := base64.StdEncoding.DecodeString(u.Query().Get("SAMLRequest"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"AuthnRequest", "urn:oasis:names:tc:SAML:2.0:protocol", req.ID, "https://idp.example.com/sso",
			acsURL, ic.BindingPOST, spEntityID, "2026-03-01T12:00:00.000Z"}
		if diff := cmp.Diff(want, requestFields(t, doc)); diff != "" {
			t.Errorf("request (-want +got):\n%s", diff)
		}
	})
	t.Run("HTTP-POST: a form with the base64 request", func(t *testing.T) {
		f := newFixture(t)
		if _, err := f.db.UpdateIdentitySource(f.ctx, func(s ic.IdentitySource) (ic.IdentitySource, error) {
			s.IdP.SSOBinding = ic.BindingPOST
			return s, nil
		}); err != nil {
			t.Fatal(err)
		}
		req, err := f.sp.AuthnRequest(f.ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if req.URL != "https://idp.example.com/sso" || req.Binding != ic.BindingPOST || req.Form.Has("RelayState") {
			t.Errorf("request %+v, want a post to the SSO URL without RelayState", req)
		}
		doc, err := base64.StdEncoding.DecodeString(req.Form.Get("SAMLRequest"))
		if err != nil {
			t.Fatal(err)
		}
		if got := requestFields(t, doc)[2]; got != req.ID {
			t.Errorf("ID = %q, want %q", got, req.ID)
		}
	})
}

func TestAnAuthnRequestIsRefusedWhenItCannotBeAnswered(t *testing.T) {
	f := newFixture(t)
	if _, err := f.sp.AuthnRequest(f.ctx, strings.Repeat("x", 81)); !errs.Is(err, errs.Invalid) {
		t.Errorf("an 81-byte RelayState: error = %v, want errs.Invalid", err)
	}
	if _, err := f.db.UpdateIdentitySource(f.ctx, func(ic.IdentitySource) (ic.IdentitySource, error) {
		return ic.IdentitySource{Type: ic.SourceIdentityCenter}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sp.AuthnRequest(f.ctx, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("with the Identity Center directory: error = %v, want errs.Invalid", err)
	}
}
