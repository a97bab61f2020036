package samlsp_test

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestTheServiceProviderIsNamedAsAWSNamesIt(t *testing.T) {
	f := newFixture(t)
	got := []string{f.sp.EntityID(), f.sp.ACSURL(), f.sp.MetadataURL()}
	want := []string{spEntityID, acsURL, publicURL + "/platform/saml/metadata/ssoins-0123456789abcdef"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
	golden(t, "sp-metadata.golden", f.sp.Metadata())
}

// idpMetadata is an identity provider's metadata document with the given
// single sign-on services and signing certificates.
func idpMetadata(entityID string, sso map[string]string, certs ...[]byte) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + entityID + `">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
`)
	for i, c := range certs {
		use := ` use="signing"`
		if i == 1 {
			use = "" // a key for any use signs too
		}
		b.WriteString(`    <md:KeyDescriptor` + use + `><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
` + base64.StdEncoding.EncodeToString(c) + `
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
`)
	}
	b.WriteString(`    <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
`)
	for _, binding := range []string{ic.BindingPOST, ic.BindingRedirect} {
		if loc, ok := sso[binding]; ok {
			b.WriteString(`    <md:SingleSignOnService Binding="` + binding + `" Location="` + loc + `"/>
`)
		}
	}
	b.WriteString("  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n")
	return []byte(b.String())
}

func TestIdentityProviderMetadataIsRead(t *testing.T) {
	one := newIdP(t, 0, idpEntityID, start, start.Add(time.Hour))
	two := newIdP(t, 1, idpEntityID, start, start.Add(time.Hour))
	both := map[string]string{ic.BindingPOST: "https://idp.example.com/sso/post", ic.BindingRedirect: "https://idp.example.com/sso/redirect"}
	tests := []struct {
		name string
		doc  []byte
		want ic.ExternalIdP
	}{
		{"HTTP-Redirect is preferred and every signing certificate kept", idpMetadata(idpEntityID, both, one.der, two.der, one.der),
			ic.ExternalIdP{EntityID: idpEntityID, SSOURL: "https://idp.example.com/sso/redirect", SSOBinding: ic.BindingRedirect,
				Certificates: [][]byte{one.der, two.der}}},
		{"HTTP-POST serves when it is the only binding", idpMetadata(idpEntityID, map[string]string{ic.BindingPOST: "http://127.0.0.1:8080/sso"}, one.der),
			ic.ExternalIdP{EntityID: idpEntityID, SSOURL: "http://127.0.0.1:8080/sso", SSOBinding: ic.BindingPOST, Certificates: [][]byte{one.der}}},
		{"an EntitiesDescriptor holding one identity provider", []byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` +
			strings.TrimPrefix(string(idpMetadata(idpEntityID, both, one.der)), `<?xml version="1.0" encoding="UTF-8"?>`) + `</md:EntitiesDescriptor>`),
			ic.ExternalIdP{EntityID: idpEntityID, SSOURL: "https://idp.example.com/sso/redirect", SSOBinding: ic.BindingRedirect, Certificates: [][]byte{one.der}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := samlsp.ParseIdPMetadata(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Metadata = string(tc.doc)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("identity provider (-want +got):\n%s", diff)
			}
			for _, der := range got.Certificates {
				if _, err := x509.ParseCertificate(der); err != nil {
					t.Errorf("certificate: %v", err)
				}
			}
		})
	}
}

func TestBadIdentityProviderMetadataIsRefused(t *testing.T) {
	one := newIdP(t, 0, idpEntityID, start, start.Add(time.Hour))
	redirect := map[string]string{ic.BindingRedirect: "https://idp.example.com/sso"}
	good := idpMetadata(idpEntityID, redirect, one.der)
	tests := []struct {
		name, want string
		doc        []byte
	}{
		{"a DTD", "document type", append([]byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`), good[len(`<?xml version="1.0" encoding="UTF-8"?>`):]...)},
		{"entity expansion", "document type", append([]byte(billionLaughs), good[len(`<?xml version="1.0" encoding="UTF-8"?>`):]...)},
		{"a document over 512 KiB", "512 KiB", append(good, bytes.Repeat([]byte(" "), samlsp.MaxMetadataBytes)...)},
		{"a document that is not XML", "", []byte("entityID=https://idp.example.com")},
		{"service provider metadata", "no identity provider", newFixture(t).sp.Metadata()},
		{"no entity ID", "no entity ID", idpMetadata("", redirect, one.der)},
		{"no signing certificate", "no signing certificate", idpMetadata(idpEntityID, redirect)},
		{"a certificate that is not one", "X.509", bytes.Replace(good, []byte("<ds:X509Certificate>\n"), []byte("<ds:X509Certificate>\nAAAA"), 1)},
		{"a javascript: single sign-on URL", "not an http", idpMetadata(idpEntityID, map[string]string{ic.BindingRedirect: "javascript:alert(1)"}, one.der)},
		{"only an unsupported binding", "no single sign-on service", idpMetadata(idpEntityID, nil, one.der)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := samlsp.ParseIdPMetadata(tc.doc)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("error = %v, want errs.Invalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
