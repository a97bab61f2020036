package identitycenter

import (
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

func TestAnIdentitySourceIsValidatedBeforeItIsKept(t *testing.T) {
	idp := ExternalIdP{EntityID: "https://idp.example.com", SSOURL: "https://idp.example.com/sso",
		SSOBinding: BindingRedirect, Certificates: [][]byte{{1}}}
	tests := []struct {
		name  string
		src   IdentitySource
		valid bool
	}{
		{"the directory", IdentitySource{Type: SourceIdentityCenter}, true},
		{"an external identity provider that provisions", IdentitySource{Type: SourceExternal, IdP: idp, Provisioning: true}, true},
		{"an unknown type", IdentitySource{Type: "ACTIVE_DIRECTORY"}, false},
		{"the directory provisioning", IdentitySource{Type: SourceIdentityCenter, Provisioning: true}, false},
		{"the directory keeping an identity provider", IdentitySource{Type: SourceIdentityCenter, IdP: idp}, false},
		{"an identity provider without an entity ID", IdentitySource{Type: SourceExternal, IdP: ExternalIdP{SSOURL: idp.SSOURL, SSOBinding: BindingPOST, Certificates: idp.Certificates}}, false},
		{"an identity provider with a javascript: URL", IdentitySource{Type: SourceExternal, IdP: ExternalIdP{EntityID: idp.EntityID, SSOURL: "javascript:alert(1)", SSOBinding: BindingPOST, Certificates: idp.Certificates}}, false},
		{"an identity provider with the SOAP binding", IdentitySource{Type: SourceExternal, IdP: ExternalIdP{EntityID: idp.EntityID, SSOURL: idp.SSOURL, SSOBinding: "urn:oasis:names:tc:SAML:2.0:bindings:SOAP", Certificates: idp.Certificates}}, false},
		{"an identity provider without a certificate", IdentitySource{Type: SourceExternal, IdP: ExternalIdP{EntityID: idp.EntityID, SSOURL: idp.SSOURL, SSOBinding: BindingRedirect}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.src.Validate()
			if tc.valid && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tc.valid && !errs.Is(err, errs.Invalid) {
				t.Errorf("error = %v, want errs.Invalid", err)
			}
		})
	}
}
