package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

func TestIdentityCenterRolesAreListedWithTheirTrustAndPoliciesAndAreProtected(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "app", "/")
	role := s.provisionSSORole(t, "Admins", allowS3, readOnly)
	out, err := s.admin.ListRoles(s.ctx, &sdk.ListRolesInput{PathPrefix: aws.String("/aws-reserved/")})
	must(t, err)
	if len(out.Roles) != 1 || aws.ToString(out.Roles[0].RoleName) != role.Name {
		t.Fatalf("roles under /aws-reserved/ = %+v, want %s", out.Roles, role.Name)
	}
	got, err := s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String(role.Name)})
	must(t, err)
	wantARN := "arn:aws:iam::" + s.account() + ":role/aws-reserved/sso.amazonaws.com/" + role.Name
	trust := decoded(t, got.Role.AssumeRolePolicyDocument)
	provider := "arn:aws:iam::" + s.account() + ":saml-provider/AWSSSO_" + strings.TrimPrefix(s.boot.Instance.ID, "ssoins-") + "_DO_NOT_DELETE"
	if aws.ToString(got.Role.Arn) != wantARN || aws.ToInt32(got.Role.MaxSessionDuration) != 4*3600 ||
		!strings.Contains(trust, provider) || !strings.Contains(trust, `"sts:AssumeRoleWithSAML","sts:TagSession"`) ||
		!strings.Contains(trust, `"SAML:aud":"https://signin.aws.amazon.com/saml"`) {
		t.Errorf("GetRole = %s %d s, trust %s", aws.ToString(got.Role.Arn), aws.ToInt32(got.Role.MaxSessionDuration), trust)
	}
	inline, err := s.admin.GetRolePolicy(s.ctx, &sdk.GetRolePolicyInput{RoleName: aws.String(role.Name), PolicyName: aws.String("AwsSSOInlinePolicy")})
	must(t, err)
	attached, err := s.admin.ListAttachedRolePolicies(s.ctx, &sdk.ListAttachedRolePoliciesInput{RoleName: aws.String(role.Name)})
	must(t, err)
	if decoded(t, inline.PolicyDocument) != allowS3 || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != readOnly {
		t.Errorf("policies = %s and %+v, want the permission set's", decoded(t, inline.PolicyDocument), attached.AttachedPolicies)
	}
	protected := unmodifiable("Cannot perform the operation on the protected role '" + role.Name + "' - this role is only modifiable by AWS")
	for name, call := range map[string]func() error{
		"DeleteRole": func() error {
			_, err := s.admin.DeleteRole(s.ctx, &sdk.DeleteRoleInput{RoleName: aws.String(role.Name)})
			return err
		},
		"UpdateAssumeRolePolicy": func() error {
			_, err := s.admin.UpdateAssumeRolePolicy(s.ctx, &sdk.UpdateAssumeRolePolicyInput{RoleName: aws.String(role.Name), PolicyDocument: aws.String(trustEC2)})
			return err
		},
		"DetachRolePolicy": func() error {
			_, err := s.admin.DetachRolePolicy(s.ctx, &sdk.DetachRolePolicyInput{RoleName: aws.String(role.Name), PolicyArn: aws.String(readOnly)})
			return err
		},
		"PutRolePolicy": func() error {
			_, err := s.admin.PutRolePolicy(s.ctx, &sdk.PutRolePolicyInput{RoleName: aws.String(role.Name), PolicyName: aws.String("x"), PolicyDocument: aws.String(allowS3)})
			return err
		},
		"TagRole": func() error {
			_, err := s.admin.TagRole(s.ctx, &sdk.TagRoleInput{RoleName: aws.String(role.Name), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
	} {
		want := protected
		want.unmodeled = name == "TagRole"
		t.Run(name+" refuses to change it", func(t *testing.T) { refused(t, call(), want) })
	}
	_, err = s.admin.CreateRole(s.ctx, &sdk.CreateRoleInput{RoleName: aws.String(role.Name), AssumeRolePolicyDocument: aws.String(trustEC2)})
	refused(t, err, alreadyExists("Role with name "+role.Name+" already exists."))
	ents, err := s.admin.ListEntitiesForPolicy(s.ctx, &sdk.ListEntitiesForPolicyInput{PolicyArn: aws.String(readOnly)})
	must(t, err)
	if len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleId) != role.ID {
		t.Errorf("entities for ReadOnlyAccess = %+v, want the Identity Center role", ents.PolicyRoles)
	}
}

func TestAccountAuthorizationDetailsDescribeRolesAndPolicies(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "app", "/")
	p := s.createPolicy(t, "reader")
	_, err := s.admin.PutRolePolicy(s.ctx, &sdk.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(allowS3)})
	must(t, err)
	for _, arn := range []string{readOnly, aws.ToString(p.Arn)} {
		_, err := s.admin.AttachRolePolicy(s.ctx, &sdk.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		must(t, err)
	}
	out, err := s.admin.GetAccountAuthorizationDetails(s.ctx, &sdk.GetAccountAuthorizationDetailsInput{})
	must(t, err)
	if len(out.RoleDetailList) != 1 || len(out.UserDetailList) != 0 || len(out.GroupDetailList) != 0 {
		t.Fatalf("details = %d roles, %d users, %d groups; want the one role", len(out.RoleDetailList), len(out.UserDetailList), len(out.GroupDetailList))
	}
	r := out.RoleDetailList[0]
	if len(r.RolePolicyList) != 1 || decoded(t, r.RolePolicyList[0].PolicyDocument) != allowS3 || len(r.AttachedManagedPolicies) != 2 {
		t.Errorf("role detail = %+v, want its inline policy and two attached", r)
	}
	var arns []string
	for _, pol := range out.Policies {
		arns = append(arns, aws.ToString(pol.Arn))
		if len(pol.PolicyVersionList) != 1 || !pol.PolicyVersionList[0].IsDefaultVersion {
			t.Errorf("policy %s versions = %+v, want its default", aws.ToString(pol.Arn), pol.PolicyVersionList)
		}
	}
	if diff := cmp.Diff([]string{aws.ToString(p.Arn), readOnly}, arns); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
	only, err := s.admin.GetAccountAuthorizationDetails(s.ctx, &sdk.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeLocalManagedPolicy}})
	must(t, err)
	if len(only.RoleDetailList) != 0 || len(only.Policies) != 1 {
		t.Errorf("LocalManagedPolicy filter = %d roles, %d policies; want only reader", len(only.RoleDetailList), len(only.Policies))
	}
}

func TestListRolesPagesFromIAMsOwnRolesIntoIdentityCentersOneAtATime(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "b", "/")
	s.createRole(t, "a", "/")
	first := s.provisionSSORole(t, "Admins", "")
	second := s.provisionSSORole(t, "Devs", "")
	var names []string
	pages := 0
	p := sdk.NewListRolesPaginator(s.admin, &sdk.ListRolesInput{MaxItems: aws.Int32(1)})
	for ; p.HasMorePages() && pages < 10; pages++ {
		out, err := p.NextPage(s.ctx)
		must(t, err)
		for _, r := range out.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	want := []string{"a", "b", first.Name, second.Name}
	if diff := cmp.Diff(want, names); diff != "" || pages != 4 {
		t.Errorf("%d pages (-want +got):\n%s", pages, diff)
	}
}
