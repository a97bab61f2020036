package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// TestTheManagementAccountAdministersANewAccountThroughItsAccessRole: an
// account created through Organizations has OrganizationAccountAccessRole;
// the management account assumes it and administers the account's IAM
// within what the organization's SCPs allow.
func TestTheManagementAccountAdministersANewAccountThroughItsAccessRole(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	orgs := organizations.NewFromConfig(s.adminConfig())
	created, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("Sandbox"), Email: aws.String("sandbox@example.com")})
	must(t, err)
	account := aws.ToString(created.CreateAccountStatus.AccountId)

	roleARN := "arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole"
	out, err := sts.NewFromConfig(s.adminConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("admin")})
	must(t, err)
	cfg := s.adminConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId),
		aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	admin := iam.NewFromConfig(cfg)

	roles, err := admin.ListRoles(ctx, &iam.ListRolesInput{})
	must(t, err)
	if len(roles.Roles) != 1 || aws.ToString(roles.Roles[0].Arn) != roleARN {
		t.Fatalf("the new account's roles are %v, want only its access role", roles.Roles)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`
	_, err = admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Scratch"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)

	// An SCP denying iam:DeleteRole stops even the administrator role.
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err)
	_, err = orgs.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: roots.Roots[0].Id, PolicyType: orgtypes.PolicyTypeServiceControlPolicy})
	must(t, err)
	scp, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("no-role-deletion"), Description: aws.String("keep roles"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`)})
	must(t, err)
	_, err = orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: scp.Policy.PolicySummary.Id, TargetId: aws.String(account)})
	must(t, err)
	_, err = admin.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("Scratch")})
	var ae smithy.APIError
	want := "is not authorized to perform: iam:DeleteRole on resource: arn:aws:iam::" + account + ":role/Scratch with an explicit deny in a service control policy"
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.Contains(ae.ErrorMessage(), want) {
		t.Errorf("DeleteRole under the SCP: %v\nwant AccessDenied %q", err, want)
	}
	if _, err := admin.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Scratch")}); err != nil {
		t.Errorf("the refused DeleteRole removed the role: %v", err)
	}

	// The policy simulator gives the same answers without calling anything.
	sim, err := admin.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(roleARN),
		ActionNames: []string{"iam:ListRoles", "iam:DeleteRole"}})
	must(t, err)
	got := map[string]string{}
	for _, r := range sim.EvaluationResults {
		got[aws.ToString(r.EvalActionName)] = string(r.EvalDecision)
		if aws.ToString(r.EvalActionName) == "iam:DeleteRole" && (r.OrganizationsDecisionDetail == nil || r.OrganizationsDecisionDetail.AllowedByOrganizations) {
			t.Errorf("the simulator does not say the organization denied DeleteRole: %+v", r.OrganizationsDecisionDetail)
		}
	}
	if got["iam:ListRoles"] != "allowed" || got["iam:DeleteRole"] != "explicitDeny" {
		t.Errorf("SimulatePrincipalPolicy = %v, want ListRoles allowed and DeleteRole explicitDeny", got)
	}
	custom, err := admin.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports/*"}}`},
		ActionNames:     []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::reports/q1.csv", "arn:aws:s3:::secrets/key"}})
	must(t, err)
	if len(custom.EvaluationResults) != 2 || custom.EvaluationResults[0].EvalDecision != "allowed" || custom.EvaluationResults[1].EvalDecision != "implicitDeny" {
		t.Errorf("SimulateCustomPolicy = %+v, want reports allowed and secrets implicitly denied", custom.EvaluationResults)
	}
}
