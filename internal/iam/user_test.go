package iam

import (
	"bytes"
	"strings"
	"testing"
)

func TestUserAndGroupIDsAndARNs(t *testing.T) {
	r := bytes.NewReader(bytes.Repeat([]byte{0xAB}, 64))
	if id := NewUserID(r); len(id) != 21 || !strings.HasPrefix(id, "AIDA") {
		t.Errorf("user id %q, want AIDA and 17 characters", id)
	}
	if id := NewGroupID(r); len(id) != 21 || !strings.HasPrefix(id, "AGPA") {
		t.Errorf("group id %q, want AGPA and 17 characters", id)
	}
	tests := []struct{ name, got, want string }{
		{"a user at the root path", UserARN("111122223333", "/", "alice"), "arn:aws:iam::111122223333:user/alice"},
		{"a user under a path", User{AccountID: "111122223333", Path: "/eng/ops/", Name: "bob"}.ARN(), "arn:aws:iam::111122223333:user/eng/ops/bob"},
		{"a group with no path", Group{AccountID: "111122223333", Name: "admins"}.ARN(), "arn:aws:iam::111122223333:group/admins"},
		{"an MFA device", VirtualMFADevice{AccountID: "111122223333", Path: "/", Name: "phone"}.SerialNumber(), "arn:aws:iam::111122223333:mfa/phone"},
		{"a SAML provider", SAMLProviderARN("111122223333", "okta"), "arn:aws:iam::111122223333:saml-provider/okta"},
		{"an OIDC provider", OIDCProviderARN("111122223333", "example.com/t"), "arn:aws:iam::111122223333:oidc-provider/example.com/t"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" has its ARN", func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
}
