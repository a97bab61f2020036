package iam

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPolicyARNsRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, arn, account, path, policy string }{
		{"a customer policy at the root path", "arn:aws:iam::111122223333:policy/deploy", "111122223333", "/", "deploy"},
		{"a customer policy under a path", "arn:aws:iam::111122223333:policy/team/app/deploy", "111122223333", "/team/app/", "deploy"},
		{"an AWS managed policy", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "aws", "/job-function/", "ViewOnlyAccess"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			account, path, name, ok := ParsePolicyARN(tc.arn)
			if diff := cmp.Diff([]string{tc.account, tc.path, tc.policy}, []string{account, path, name}); !ok || diff != "" {
				t.Fatalf("ParsePolicyARN(%q) ok=%v (-want +got):\n%s", tc.arn, ok, diff)
			}
			if got := PolicyARN(account, path, name); got != tc.arn {
				t.Errorf("PolicyARN = %q, want %q", got, tc.arn)
			}
		})
	}
}

func TestMalformedPolicyARNsAreRefused(t *testing.T) {
	for _, arn := range []string{"", "deploy", "arn:aws:iam::111122223333:role/deploy", "arn:aws:iam:::policy/x",
		"arn:aws:iam::111122223333:policy/", "arn:aws-cn:iam::111122223333:policy/x"} {
		if _, _, _, ok := ParsePolicyARN(arn); ok {
			t.Errorf("ParsePolicyARN(%q) accepted it", arn)
		}
	}
}

func TestManagedPolicyValidation(t *testing.T) {
	const allow = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	for _, tc := range []struct{ name, doc, code, fragment string }{
		{"an identity policy is valid", allow, "", ""},
		{"a policy with a principal is malformed", strings.Replace(allow, `"Action"`, `"Principal":"*","Action"`, 1), "MalformedPolicyDocument", ""},
		{"an empty document is refused", "", "ValidationError", "at 'policyDocument'"},
		{"two statements with one Sid are malformed",
			`{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Read","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`,
			"MalformedPolicyDocument", "Statement IDs (SID) in a single policy must be unique."},
		{"a Resource that is not an ARN is malformed", strings.Replace(allow, `"Resource":"*"`, `"Resource":["*","invalid resource"]`, 1),
			"MalformedPolicyDocument", `Resource invalid resource must be in ARN format or "*".`},
		{"a NotResource that is not an ARN is malformed", strings.Replace(allow, `"Resource":"*"`, `"NotResource":"bucket"`, 1),
			"MalformedPolicyDocument", `Resource bucket must be in ARN format or "*".`},
		{"a Resource ARN with a policy variable is valid", strings.Replace(allow, `"Resource":"*"`, `"Resource":"arn:aws:s3:::b/${aws:username}/*"`, 1), "", ""},
		{"statements without a Sid may be several", strings.Replace(allow, "}]}", `},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`, 1), "", ""},
		{"a document over 6144 characters exceeds the quota",
			strings.Replace(allow, `"Action"`, `"Sid":"`+strings.Repeat("a", 6144)+`","Action"`, 1), "LimitExceeded", "PolicySize: 6144"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCode(t, ValidateManagedDocument(tc.doc), tc.code, tc.fragment) })
	}
	p := Policy{AccountID: "111122223333", Name: "bad name", Path: "/"}
	checkCode(t, p.Validate(), "ValidationError", "at 'policyName'")
	p = Policy{AccountID: "111122223333", Name: "ok", Path: "/team!/"}
	checkCode(t, p.Validate(), "ValidationError", "at 'path'")
	p.Path, p.Description = "/team/app/", "any\ntext"
	checkCode(t, p.Validate(), "", "")
}

func TestPolicyIDsAreANPAAndSeventeenCharacters(t *testing.T) {
	id := NewPolicyID(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if !strings.HasPrefix(id, "ANPA") || len(id) != 21 {
		t.Errorf("NewPolicyID = %q", id)
	}
	if VersionID(3) != "v3" {
		t.Errorf("VersionID(3) = %q", VersionID(3))
	}
}
