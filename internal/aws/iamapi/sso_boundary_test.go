package iamapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

func TestAnIdentityCenterRoleShowsItsPermissionSetsBoundaryAndCustomerManagedPolicies(t *testing.T) {
	s := newServer(t)
	role := s.provisionSSORole(t, "Bounded", "", readOnly)
	_, err := s.db.UpdatePermissionSet(s.ctx, role.PermissionSetID, func(ps ic.PermissionSet) (ic.PermissionSet, error) {
		ps.CustomerPolicies = []ic.PolicyRef{{Name: "Deploy", Path: "/ci/"}}
		ps.Boundary = &ic.PermissionsBoundary{CustomerPolicy: &ic.PolicyRef{Name: "Guard", Path: "/"}}
		return ps, nil
	})
	must(t, err)
	got, err := s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String(role.Name)})
	must(t, err)
	wantBoundary := "arn:aws:iam::" + s.account() + ":policy/Guard"
	if b := got.Role.PermissionsBoundary; b == nil || aws.ToString(b.PermissionsBoundaryArn) != wantBoundary ||
		b.PermissionsBoundaryType != "PermissionsBoundaryPolicy" {
		t.Errorf("PermissionsBoundary = %+v, want %s", b, wantBoundary)
	}
	attached, err := s.admin.ListAttachedRolePolicies(s.ctx, &sdk.ListAttachedRolePoliciesInput{RoleName: aws.String(role.Name)})
	must(t, err)
	var arns []string
	for _, p := range attached.AttachedPolicies {
		arns = append(arns, aws.ToString(p.PolicyArn))
	}
	if diff := cmp.Diff([]string{readOnly, "arn:aws:iam::" + s.account() + ":policy/ci/Deploy"}, arns); diff != "" {
		t.Errorf("attached policies (-want +got):\n%s", diff)
	}
}
