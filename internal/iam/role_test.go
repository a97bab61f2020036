package iam

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

const testTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func validRole() Role {
	return Role{AccountID: "111122223333", Name: "deploy", Path: "/", TrustPolicy: testTrust, MaxSessionDuration: DefaultRoleSession}
}

func TestRoleValidation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(*Role)
		code     string
		fragment string
	}{
		{"a role with a name, path and trust policy is valid", func(*Role) {}, "", ""},
		{"an empty name is refused", func(r *Role) { r.Name = "" }, "ValidationError", "at 'roleName'"},
		{"a 65-character name is refused", func(r *Role) { r.Name = strings.Repeat("a", 65) }, "ValidationError", "less than or equal to 64"},
		{"a name with a slash is refused", func(r *Role) { r.Name = "a/b" }, "ValidationError", "regular expression pattern"},
		{"a path without its closing slash is refused", func(r *Role) { r.Path = "/team" }, "ValidationError", "at 'path'"},
		{"a nested path is valid", func(r *Role) { r.Path = "/team/app/" }, "", ""},
		{"a session of under an hour is refused", func(r *Role) { r.MaxSessionDuration = 3599 }, "ValidationError", "greater than or equal to 3600"},
		{"a session of over twelve hours is refused", func(r *Role) { r.MaxSessionDuration = 43201 }, "ValidationError", "less than or equal to 43200"},
		{"a description of 1001 characters is refused", func(r *Role) { r.Description = strings.Repeat("d", 1001) }, "ValidationError", "at 'description'"},
		{"a description with a line break is refused", func(r *Role) { r.Description = "two\nlines" }, "ValidationError", `\p{L}`},
		{"a description in any script is valid", func(r *Role) { r.Description = "Rôle für 部署, v2.0 (prod)!" }, "", ""},
		{"a trust policy with characters beyond Latin-1 is refused", func(r *Role) {
			r.TrustPolicy = strings.Replace(testTrust, `"Action"`, `"Sid":"部署","Action"`, 1)
		}, "ValidationError", "at 'assumeRolePolicyDocument'"},
		{"51 tags are refused", func(r *Role) { r.Tags = manyTags(51) }, "ValidationError", "at 'tags'"},
		{"tag keys differing only in case are refused", func(r *Role) { r.Tags = []Tag{{Key: "team"}, {Key: "Team"}} }, "InvalidInput", "case insensitive"},
		{"a trust policy without a principal is malformed", func(r *Role) {
			r.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`
		}, "MalformedPolicyDocument", ""},
		{"a trust policy that is not JSON is malformed", func(r *Role) { r.TrustPolicy = "{" }, "MalformedPolicyDocument", ""},
		{"a trust policy over 2048 characters exceeds the quota", func(r *Role) {
			r.TrustPolicy = strings.Replace(testTrust, `"Action"`, `"Sid":"`+strings.Repeat("a", 2048)+`","Action"`, 1)
		}, "LimitExceeded", "ACLSizePerRole: 2048"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRole()
			tc.change(&r)
			checkCode(t, r.Validate(), tc.code, tc.fragment)
		})
	}
}

func manyTags(n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: "k" + strings.Repeat("x", i)}
	}
	return out
}

// checkCode fails t unless err carries code and a message containing
// fragment (no error when code is empty).
func checkCode(t *testing.T, err error, code, fragment string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return
	}
	e, ok := errs.As(err)
	if !ok || e.Code != code || !strings.Contains(e.Message, fragment) {
		t.Fatalf("error = %v, want %s containing %q", err, code, fragment)
	}
}

func TestPolicySizeDoesNotCountWhiteSpace(t *testing.T) {
	if got := PolicySize([]byte("{ \"a\" :\n\t1 }")); got != 7 {
		t.Errorf("PolicySize = %d, want 7", got)
	}
}

func TestTagsMergeReplaceByKeyIgnoringCaseAndStopAtFifty(t *testing.T) {
	got, err := MergeTags([]Tag{{Key: "team", Value: "a"}}, []Tag{{Key: "Team", Value: "b"}, {Key: "env", Value: "dev"}})
	if err != nil || len(got) != 2 || got[0] != (Tag{Key: "Team", Value: "b"}) {
		t.Fatalf("MergeTags = %v, %v", got, err)
	}
	if got := RemoveTags(got, []string{"TEAM", "missing"}); len(got) != 1 || got[0].Key != "env" {
		t.Errorf("RemoveTags = %v, want only env", got)
	}
	_, err = MergeTags(manyTags(50), []Tag{{Key: "one-more"}})
	checkCode(t, err, "LimitExceeded", "maximum")
}
