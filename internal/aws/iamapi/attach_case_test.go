package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// A policy named in another case is the same policy: attached that way it
// is attached under its own ARN, counted, and holds the policy.
func TestAPolicyAttachedByAnotherCaseOfItsARNHoldsThePolicy(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	p, err := a.admin.CreatePolicy(a.ctx, &sdk.CreatePolicyInput{PolicyName: aws.String("ListBuckets"), PolicyDocument: &doc})
	must(t, err)
	other := strings.Replace(*p.Policy.Arn, "ListBuckets", "listbuckets", 1)
	_, err = a.admin.AttachUserPolicy(a.ctx, &sdk.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: &other})
	must(t, err)
	attached, err := a.admin.ListAttachedUserPolicies(a.ctx, &sdk.ListAttachedUserPoliciesInput{UserName: aws.String("alice")})
	must(t, err)
	if len(attached.AttachedPolicies) != 1 || *attached.AttachedPolicies[0].PolicyArn != *p.Policy.Arn {
		t.Errorf("attached = %+v, want %s", attached.AttachedPolicies, *p.Policy.Arn)
	}
	a.createRole(t, "app", "/")
	_, err = a.admin.PutRolePermissionsBoundary(a.ctx, &sdk.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: &other})
	must(t, err)
	role, err := a.admin.GetRole(a.ctx, &sdk.GetRoleInput{RoleName: aws.String("app")})
	must(t, err)
	if got := *role.Role.PermissionsBoundary.PermissionsBoundaryArn; got != *p.Policy.Arn {
		t.Errorf("the role's boundary = %s, want %s", got, *p.Policy.Arn)
	}
	_, err = a.admin.AttachRolePolicy(a.ctx, &sdk.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: &other})
	must(t, err)
	_, err = a.admin.DetachUserPolicy(a.ctx, &sdk.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: &other})
	must(t, err)
	_, err = a.admin.DeletePolicy(a.ctx, &sdk.DeletePolicyInput{PolicyArn: p.Policy.Arn})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete a policy attached to entities.")
	_, err = a.admin.DetachRolePolicy(a.ctx, &sdk.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: &other})
	must(t, err)
	_, err = a.admin.DeletePolicy(a.ctx, &sdk.DeletePolicyInput{PolicyArn: p.Policy.Arn})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete a policy attached to entities.")
	_, err = a.admin.DeleteRolePermissionsBoundary(a.ctx, &sdk.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("app")})
	must(t, err)
	_, err = a.admin.DeletePolicy(a.ctx, &sdk.DeletePolicyInput{PolicyArn: p.Policy.Arn})
	must(t, err)
}
