package iamapi

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// requestID matches the random request id, which the golden files name
// request-id.
var requestID = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)

var goldenTime = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// TestResultsHaveIAMsWireShape pins the XML of a few results: member
// names, list wrappers, URL-encoded documents and ISO 8601 times.
func TestResultsHaveIAMsWireShape(t *testing.T) {
	role := iam.Role{AccountID: "111122223333", ID: "AROAEXAMPLEEXAMPLE1", Name: "deploy", Path: "/ci/",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		Description: "a b+c", MaxSessionDuration: 3600, PermissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
		Tags: []iam.Tag{{Key: "team", Value: "core"}}, CreatedAt: goldenTime}
	policy := iam.Policy{AccountID: "111122223333", ID: "ANPAEXAMPLEEXAMPLE1", Name: "reader", Path: "/", DefaultVersion: "v2",
		CreatedAt: goldenTime, UpdatedAt: goldenTime.Add(time.Hour)}
	version := iam.PolicyVersion{VersionID: "v2", Document: `{"Version":"2012-10-17","Statement":[]}`, IsDefault: true, CreatedAt: goldenTime}
	for _, tc := range []struct {
		name, action string
		result       any
	}{
		{"get_role", "GetRole", &roleResult{Role: roleOut(role)}},
		{"list_roles_empty", "ListRoles", &listRolesResult{Roles: list[roleXML](nil)}},
		{"list_attached_role_policies", "ListAttachedRolePolicies", &listAttachedResult{
			AttachedPolicies: list([]attachedXML{attachedOut("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")}), truncation: truncated("a1")}},
		{"get_policy", "GetPolicy", &policyResult{Policy: customerPolicyOut(policy, store.PolicyUse{Attachments: 2}, true)}},
		{"get_policy_version", "GetPolicyVersion", &versionResult{PolicyVersion: versionOut(version)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			protocol.WriteQueryResult(rec, httptest.NewRequest(http.MethodPost, "/", nil), Namespace, tc.action, tc.result)
			golden(t, tc.name, requestID.ReplaceAllString(rec.Body.String(), "<RequestId>request-id</RequestId>")+"\n")
		})
	}
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", path, got, want)
	}
}
