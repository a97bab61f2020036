package sts_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/iam"
)

// A source identity is sticky: a role session that has one passes it to
// every role it assumes, and STS then needs sts:SetSourceIdentity of the
// target role's trust policy (and of the caller's policies) as if it were
// passed anew, whether or not the caller repeats it.
func TestAChainedSourceIdentityNeedsSetSourceIdentity(t *testing.T) {
	s := newServer(t)
	s.role(t, "Plain", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},"Action":"sts:AssumeRole"}}`, 3600)
	s.role(t, "Audited", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},
		"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}}`, 3600)
	s.role(t, "Shared", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
		"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}}`, 3600)
	s.allow(t, "Deployer", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}`)
	r, err := s.db.IAMRole(s.ctx, member, "Deployer")
	must(t, err)
	creds, err := s.auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: member, RoleID: r.ID, RoleName: r.Name,
		RolePath: r.Path, SessionName: "ci", SourceIdentity: "alice", Expires: time.Now().Add(time.Hour)})
	must(t, err)
	c := s.client(aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken})
	assume := func(role string) (*sdk.AssumeRoleOutput, error) {
		return c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/" + role), RoleSessionName: aws.String("s1")})
	}

	_, err = assume("Plain")
	refused(t, err, "AccessDenied", "sts:SetSourceIdentity")
	out, err := assume("Audited")
	must(t, err)
	if got := aws.ToString(out.SourceIdentity); got != "alice" {
		t.Errorf("SourceIdentity = %q, want alice, kept from the calling session", got)
	}
	// The account is trusted: the caller's own policies must allow it too.
	_, err = assume("Shared")
	refused(t, err, "AccessDenied", "sts:SetSourceIdentity")
}
