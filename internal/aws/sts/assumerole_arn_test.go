package sts_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
)

// The caller's policies are asked about the RoleArn it passes; the session
// must be of that very role, not of another one found by the ARN's last
// segment. A path the role does not have, or its name in another case,
// would otherwise slip past a policy that limits roles by path or denies
// one by name.
func TestAssumeRoleIssuesOnlyTheRoleTheARNNames(t *testing.T) {
	s := newServer(t)
	s.role(t, "Admin", accountTrust, 3600)
	s.allow(t, "Deployer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::222222222222:role/dev/*"},
		{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},
		{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::222222222222:role/Admin"}]}`)
	c := s.as(t, "Deployer")

	_, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Admin"), RoleSessionName: aws.String("s1")})
	refused(t, err, "AccessDenied", "explicit deny")
	for _, arn := range []string{"arn:aws:iam::222222222222:role/dev/Admin", "arn:aws:iam::222222222222:role/admin"} {
		out, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("s1")})
		if err == nil {
			t.Errorf("AssumeRole(%s) issued %s, want AccessDenied: no role has that ARN", arn, aws.ToString(out.AssumedRoleUser.Arn))
			continue
		}
		refused(t, err, "AccessDenied", "sts:AssumeRole on resource: "+arn)
	}
}
