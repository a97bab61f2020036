package iam

import (
	"strings"
	"testing"
)

func TestOIDCIssuersAreNormalizedAsAWSKeepsThem(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a bare host", "https://token.actions.githubusercontent.com", "token.actions.githubusercontent.com"},
		{"an upper-case host with a path and trailing slash", "https://Login.Example.COM/tenant/v2.0/", "login.example.com/tenant/v2.0"},
		{"an http issuer is refused", "http://example.com", ""},
		{"an issuer with a port is refused", "https://example.com:8443", ""},
		{"an issuer with a query is refused", "https://example.com?a=b", ""},
		{"an issuer with a fragment is refused", "https://example.com#x", ""},
		{"an issuer with a user is refused", "https://u@example.com", ""},
		{"an over-long issuer is refused", "https://" + strings.Repeat("a", 250) + ".com", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeOIDCURL(tc.in)
			if tc.want == "" && err == nil {
				t.Fatalf("accepted %q as %q", tc.in, got)
			}
			if tc.want != "" && (err != nil || got != tc.want) {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestClientIDsThumbprintsAndAliasesAreValidated(t *testing.T) {
	tests := []struct {
		name string
		err  error
		ok   bool
	}{
		{"one client id is valid", ValidClientIDs([]string{"sts.amazonaws.com"}), true},
		{"a client id twice is not", ValidClientIDs([]string{"a", "a"}), false},
		{"101 client ids are too many", ValidClientIDs(make([]string, 101)), false},
		{"a 40-hex thumbprint is valid", ValidThumbprints([]string{strings.Repeat("aF", 20)}), true},
		{"a 39-hex thumbprint is not", ValidThumbprints([]string{strings.Repeat("a", 39)}), false},
		{"six thumbprints are too many", ValidThumbprints([]string{"", "", "", "", "", ""}), false},
		{"a lower-case alias with single hyphens is valid", ValidAccountAlias("acme-prod-1"), true},
		{"an alias with a double hyphen is not", ValidAccountAlias("acme--prod"), false},
		{"an alias ending in a hyphen is not", ValidAccountAlias("acme-"), false},
		{"an upper-case alias is not", ValidAccountAlias("Acme"), false},
		{"a two-character alias is not", ValidAccountAlias("ab"), false},
		{"a SAML provider name of letters and ._- is valid", ValidSAMLProviderName("okta_prod-1.x"), true},
		{"a SAML provider name with a slash is not", ValidSAMLProviderName("a/b"), false},
		{"an MFA device name with a space is not", ValidMFADeviceName("my phone"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.err == nil) != tc.ok {
				t.Errorf("err = %v, want ok %v", tc.err, tc.ok)
			}
		})
	}
}
