package iam

import "testing"

// AWS accepts a document without a Version element (IAM Access Analyzer
// only warns, MISSING_VERSION) and reads it as the 2008-10-17 language, in
// which ${...} is literal text. An empty or unknown Version stays refused.
func TestADocumentWithoutVersionIsThe2008Language(t *testing.T) {
	doc, err := ParseIdentityPolicy([]byte(`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`))
	if err != nil {
		t.Fatalf("a policy without Version: %v, want it accepted", err)
	}
	if doc.Version != "2008-10-17" {
		t.Errorf("Version = %q, want 2008-10-17", doc.Version)
	}
	ask := func(resource string) bool {
		return Evaluate(Request{Action: "s3:GetObject", Resource: resource, Principal: alice}, Policies{Identity: []Document{doc}}).Allowed
	}
	if ask("arn:aws:s3:::b/alice/k") || !ask("arn:aws:s3:::b/${aws:username}/k") {
		t.Error("${aws:username} was substituted in a document without Version, want it literal")
	}
	if _, err := ParseTrustPolicy([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)); err != nil {
		t.Errorf("a trust policy without Version: %v, want it accepted", err)
	}
	for _, bad := range []string{`{"Version":"","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Version":null,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`} {
		if _, err := ParseIdentityPolicy([]byte(bad)); err == nil {
			t.Errorf("%s was accepted, want MalformedPolicyDocument", bad)
		}
	}
}
