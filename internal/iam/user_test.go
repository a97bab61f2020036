package iam

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

func TestNamesPathsAndTagsAreValidatedAsAWSDoes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		ok   bool
	}{
		{"a name of letters and +=,.@_- is valid", ValidName("userName", "a+b=c,d.e@f_g-h", 64), true},
		{"an empty name is not", ValidName("userName", "", 64), false},
		{"a name with a slash is not", ValidName("userName", "a/b", 64), false},
		{"a 65-character user name is not", ValidName("userName", strings.Repeat("a", 65), 64), false},
		{"the root path is valid", ValidPath("/"), true},
		{"a nested path is valid", ValidPath("/a/b/"), true},
		{"a path without the closing slash is not", ValidPath("/a"), false},
		{"a path with a space is not", ValidPath("/a b/"), false},
		{"tags with distinct keys are valid", ValidTags([]Tag{{"team", "blue"}, {"cost", ""}}), true},
		{"keys differing only in case are duplicates", ValidTags([]Tag{{"Team", "a"}, {"team", "b"}}), false},
		{"an aws: key is reserved", ValidTags([]Tag{{"aws:x", "a"}}), false},
		{"fifty-one tags are too many", ValidTags(make([]Tag, 51)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.err == nil) != tc.ok {
				t.Errorf("err = %v, want ok %v", tc.err, tc.ok)
			}
		})
	}
}

func TestTagsMergeAndRemoveByKeyInAnyCase(t *testing.T) {
	tags := MergeTags([]Tag{{"Team", "a"}, {"cost", "1"}}, []Tag{{"team", "b"}, {"env", "prod"}})
	if diff := cmp.Diff([]Tag{{"team", "b"}, {"cost", "1"}, {"env", "prod"}}, tags); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Tag{{"cost", "1"}}, RemoveTags(tags, []string{"TEAM", "env", "absent"})); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
}
